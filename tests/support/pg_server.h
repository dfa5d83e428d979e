// A private PostgreSQL cluster for the tests: initdb + pg_ctl from the
// installed server package, data in a temp dir, listening on a unix socket in
// that dir and on 127.0.0.1 at a free port, password (SCRAM) authentication
// for a test role, so authentication failures are real. One per test process,
// started on first use and stopped at exit, also when tests fail or the
// process dies (a watchdog process stops it). When RETORT_TEST_PG_URL is set
// (scripts/with-postgres), that server is used instead.
//
// A missing server binary is an exception, i.e. a test failure: never a skip.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace retort::test {

class PgServer {
 public:
  // The process-wide server; throws std::runtime_error when none can start.
  static PgServer& get();

  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& host() const { return host_; }  // 127.0.0.1
  int port() const { return port_; }
  const std::string& socket_dir() const { return socket_dir_; }  // empty when not known
  // A client program of the server's version (pg_dump), else PATH's.
  std::string program(const std::string& name) const {
    return bindir_.empty() ? name : bindir_ + "/" + name;
  }

  // postgresql://user:password@127.0.0.1:port/db
  std::string url(const std::string& db) const;
  // postgresql://user:password@/db?host=<socket dir>&port=port
  std::string socket_url(const std::string& db) const;

  // A new, empty database owned by the test role; returns its name.
  std::string create_database();
  // Runs SQL as the test role through psql; returns stdout. Throws on failure.
  std::string psql(const std::string& db, const std::string& sql) const;

  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;
  ~PgServer();

 private:
  PgServer() = default;
  void start();
  void attach(const std::string& url_text);

  std::string bindir_;
  std::string user_, password_, host_ = "127.0.0.1", socket_dir_;
  int port_ = 0;
  std::string base_dir_;  // our own cluster: temp dir holding data/ and the socket
  int watchdog_pid_ = -1;
  int watchdog_fd_ = -1;  // closing it tells the watchdog to stop the server
  int databases_ = 0;
};

// Runs argv (no shell) with extra environment; returns the exit status and
// stdout+stderr. Exposed for tests that call client programs.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          const std::string& stdin_text = {});

}  // namespace retort::test

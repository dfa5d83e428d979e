// The MariaDB server the tests share: the private one scripts/with-mariadb
// started for the whole run (make test does), found through
// RETORT_TEST_MARIADB_URL and RETORT_TEST_MARIADB_SOCKET. Without it every
// MariaDB test fails, saying how to run it: never a skip.
#pragma once

#include <string>
#include <vector>

namespace retort::test {

class MariadbServer {
 public:
  // The process-wide server; throws std::runtime_error when none is set up.
  static MariadbServer& get();

  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& host() const { return host_; }  // 127.0.0.1
  int port() const { return port_; }
  const std::string& socket() const { return socket_; }

  // mariadb://user:password@127.0.0.1:port/db
  std::string url(const std::string& db) const;
  // mariadb://user:password@localhost/db?unix_socket=<socket>
  std::string socket_url(const std::string& db) const;

  // The mariadb client's arguments that log in as the test user: an option
  // file holds the password, so no command line shows it.
  std::vector<std::string> client_args() const;

  // A new, empty database; returns its name.
  std::string create_database();
  // Runs SQL as the test user with the mariadb client (batch mode, no
  // column names, raw values); returns stdout. Throws on failure.
  std::string client(const std::string& db, const std::string& sql) const;

  MariadbServer(const MariadbServer&) = delete;
  MariadbServer& operator=(const MariadbServer&) = delete;

 private:
  MariadbServer() = default;
  std::string user_, password_, host_, socket_;
  std::string option_file_;  // [client] user, password, host, port
  int port_ = 0;
  int databases_ = 0;
};

}  // namespace retort::test

// A URL means what it says: SQLite's query parameters are honoured or
// refused, and a server that never answers cannot hang a command.
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "mariadb_server.h"
#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// Listens on 127.0.0.1, accepts every connection and never answers, for
// the object's lifetime.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(listen(fd_, 16) == 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentServer() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("a server that accepts and never answers gives an error, not a hang") {
  SilentServer server;
  Project p;
  p.add_chain(1);
  const std::string url =
      "postgresql://app:secret@127.0.0.1:" + std::to_string(server.port()) + "/db";
  struct Case {
    std::string url;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    int max_s;
  };
  for (const auto& c :
       {Case{url + "?connect_timeout=1", {"current"}, {}, 5},
        Case{url, {"upgrade", "--lock-timeout", "1"}, {{"PGCONNECT_TIMEOUT", "1"}}, 5},
        Case{url, {"current"}, {}, 15}}) {
    CAPTURE(c.url, c.args);
    std::vector<std::string> args{"--url", c.url};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.run(args, c.env);
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0);
    CHECK(r.exit_code == 1);
    CHECK(secs.count() <= c.max_s);
    CHECK_THAT(r.err, Contains("the server did not complete the connection within"));
    CHECK_THAT(r.all(), !Contains("secret"));
  }
}

TEST_CASE("sqlite URL parameters are honoured or refused") {
  Project p;
  p.add_chain(2);
  const std::string db = "sqlite:///" + p.db();
  REQUIRE(p.run({"--url", db, "upgrade", "r0001"}).exit_code == 0);

  // mode=ro reads and never writes, also SQLAlchemy's ?uri=true form.
  for (const std::string& url :
       {db + "?mode=ro", "sqlite:///file:" + p.db() + "?mode=ro&uri=true"}) {
    CAPTURE(url);
    CHECK(p.run({"--url", url, "current"}).out == "r0001\n");
    auto up = p.run({"--url", url, "upgrade"});
    CHECK(up.exit_code == 1);
    CHECK_THAT(up.err, Contains("was opened read-only (mode=ro in the URL from --url): nothing "
                                "was changed"));
    CHECK(p.heads() == std::vector<std::string>{"r0001"});
  }
  // mode=rw never creates; mode=memory and cache=shared make a database in memory.
  auto rw = p.run({"--url", "sqlite:///" + p.root() + "/new.db?mode=rw", "upgrade"});
  CHECK(rw.exit_code == 1);
  CHECK_THAT(rw.err,
             Contains("does not exist, and the URL's mode=rw does not let retort create it"));
  CHECK(access((p.root() + "/new.db").c_str(), F_OK) != 0);
  auto mem =
      p.run({"--url", "sqlite:///" + p.root() + "/mem.db?mode=memory&cache=shared", "upgrade"});
  CHECK(mem.exit_code == 0);
  CHECK_THAT(mem.out, Contains("Running upgrade r0001 -> r0002"));
  CHECK(access((p.root() + "/mem.db").c_str(), F_OK) != 0);
  // timeout is pysqlite's busy timeout; check_same_thread has no effect on a
  // one-threaded tool.
  CHECK(p.run({"--url", db + "?timeout=2.5&check_same_thread=false", "current"}).exit_code == 0);

  // Anything else is an error naming it and where the URL came from.
  auto bad = p.run({"--url", db + "?journal=wal", "current"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("from --url: unknown SQLite URL parameter 'journal'"));
  auto mode = p.run({"current"}, {{"DATABASE_URL", db + "?mode=readonly"}});
  CHECK(mode.exit_code == 1);
  CHECK_THAT(mode.err, Contains("'mode=readonly' is"));
  CHECK_THAT(mode.err, Contains("DATABASE_URL"));
  CHECK(p.run({"--url", db + "?timeout=-1", "current"}).exit_code == 1);
}

TEST_CASE("a retort holding a password leaves no core dump to read it from") {
  SilentServer server;
  Project p;
  // Core files allowed, as a developer's shell may have them.
  rlimit old{};
  getrlimit(RLIMIT_CORE, &old);
  rlimit allow = old;
  allow.rlim_cur = old.rlim_max;
  setrlimit(RLIMIT_CORE, &allow);
  Running r = start_retort(
      {"--url", "postgresql://app:secret@127.0.0.1:" + std::to_string(server.port()) + "/db",
       "current"},
      {p.root()});
  setrlimit(RLIMIT_CORE, &old);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // waiting for the server
  kill(r.pid, SIGQUIT);
  int status = 0;
  REQUIRE(waitpid(r.pid, &status, 0) == r.pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGQUIT);
  CHECK_FALSE(WCOREDUMP(status));
  CHECK(access((p.root() + "/core").c_str(), F_OK) != 0);
}

TEST_CASE("MariaDB: connection errors name the URL's source and say what to check") {
  auto& server = MariadbServer::get();
  const std::string hostport = server.host() + ":" + std::to_string(server.port());
  Project p("mariadb");
  p.add_chain(1);
  struct Case {
    std::string url;
    std::string says, hint;
  };
  SilentServer silent;
  for (const auto& c : {
           Case{"mariadb://" + server.user() + ":wrong-pw-x1@" + hostport + "/retort_test",
                "Access denied for user", "authentication failed: check the user and password"},
           Case{"mysql://" + server.user() + ":" + server.password() + "@" + hostport +
                    "/no_such_db",
                "Unknown database 'no_such_db'", "create it (CREATE DATABASE `no_such_db`)"},
           Case{"mariadb://u:pw-refused-x2@127.0.0.1:1/db", "Can't connect",
                "is MariaDB running and accepting connections there?"},
           Case{"mariadb://u:pw-silent-x3@127.0.0.1:" + std::to_string(silent.port()) +
                    "/db?connect_timeout=1",
                "the server did not complete the connection within 1 s", "connect_timeout"},
       }) {
    CAPTURE(c.says);
    auto t0 = std::chrono::steady_clock::now();
    auto r = p.run({"--url", c.url, "current"});
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0);
    CHECK(r.exit_code == 1);
    CHECK(secs.count() <= 5);
    CHECK_THAT(r.err, Contains("(from --url)"));
    CHECK_THAT(r.err, Contains(c.says));
    CHECK_THAT(r.err, Contains(c.hint));
    for (const char* pw : {"wrong-pw-x1", "pw-refused-x2", "pw-silent-x3"})
      CHECK_THAT(r.all(), !Contains(pw));
    CHECK_THAT(r.all(), !Contains(server.password()));
  }
}

TEST_CASE("MariaDB: the unix socket, from ?unix_socket=") {
  auto& server = MariadbServer::get();
  Project p("mariadb");
  p.add_chain(2);
  const std::string db = server.create_database();
  auto up = p.run({"--url", server.socket_url(db), "upgrade"});
  INFO(up.all());
  CHECK(up.exit_code == 0);
  CHECK(p.run({"--url", server.socket_url(db), "current"}).out == "r0002 (head)\n");
  CHECK(server.client(db, "SELECT count(*) FROM retort_version") == "1\n");
}

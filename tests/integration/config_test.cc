// Where the database URL comes from, and that passwords never show.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "pg_server.h"
#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("URL precedence: --url, DATABASE_URL, .env, retort.ini") {
  Project p;
  p.add_chain(1);
  auto db_of = [&](const std::map<std::string, std::string>& env, std::vector<std::string> extra) {
    std::vector<std::string> args = {"-v", "current"};
    args.insert(args.end(), extra.begin(), extra.end());
    return p.run(args, env).out;
  };
  CHECK_THAT(db_of({}, {}), Contains("sqlite:///" + p.root() + "/app.db"));
  write_text(p.root() + "/.env", "# local settings\nexport DATABASE_URL=\"sqlite:///dotenv.db\"\n");
  CHECK_THAT(db_of({}, {}), Contains("sqlite:///" + p.root() + "/dotenv.db"));
  CHECK_THAT(db_of({{"DATABASE_URL", "sqlite:////tmp/env.db"}}, {}),
             Contains("sqlite:////tmp/env.db"));
  CHECK_THAT(db_of({{"DATABASE_URL", "sqlite:////tmp/env.db"}}, {"--url", "sqlite:////tmp/cli.db"}),
             Contains("sqlite:////tmp/cli.db"));
}

TEST_CASE("the build's default URL is used only when nothing else sets one") {
  Project p;
  p.add_chain(1);
  write_text(p.root() + "/retort.ini", "[retort]\nscript_location = migrations\n");
  auto none = p.run({"current"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Contains("no database URL is set"));
  REQUIRE(p.run({"upgrade", "--default-url", "sqlite:///fallback.db"}).exit_code == 0);
  CHECK(file_exists(p.root() + "/fallback.db"));
  CHECK(p.run({"current", "--default-url", "sqlite:///other.db"},
              {{"DATABASE_URL", "sqlite:///fallback.db"}})
            .out == "r0001 (head)\n");
}

TEST_CASE("a script location given on the command line needs no retort.ini") {
  Project p;
  p.add_chain(2);
  TempDir elsewhere;
  auto r = run_retort({"--script-location", p.root() + "/migrations", "--url",
                       "sqlite:///" + elsewhere.path() + "/x.db", "upgrade"},
                      {elsewhere.path(), {}});
  REQUIRE(r.exit_code == 0);
  CHECK(sqlite_value(elsewhere / "x.db", "SELECT version_num FROM retort_version") == "r0002");
}

TEST_CASE("a bad setting names the file and line") {
  Project p;
  write_text(p.root() + "/retort.ini",
             "[retort]\nscript_location = migrations\nversion_tabel = v\n");
  auto r = p.run({"history"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("retort.ini:3: unknown setting 'version_tabel' in [retort]"));
  CHECK_THAT(r.err, Contains("did you mean 'version_table'?"));
}

TEST_CASE("a custom version table name is used") {
  Project p;
  p.add_chain(1);
  write_text(p.root() + "/retort.ini",
             "[retort]\nscript_location = migrations\ndatabase_url = sqlite:///app.db\n"
             "version_table = schema_version  ; as in alembic.ini\nlog_table = schema_log\n");
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.tables() == std::vector<std::string>{"schema_log", "schema_version", "t1"});
}

TEST_CASE("a password is never printed") {
  Project p;
  p.add_chain(1);
  const std::string secret = "s3cr3t-Pa55";
  std::vector<RunResult> runs = {
      p.run({"upgrade", "--url", "postgresql://app:" + secret + "@127.0.0.1:1/db"}),
      p.run({"current"}, {{"DATABASE_URL", "postgresql://app:" + secret + "@localhost/db"}}),
      p.run({"current", "--url", "postgresql+psycopg2://app:" + secret + "@[::1]:99999x/db"}),
  };
  runs.push_back(p.run({"current", "--url", "bogus://app:" + secret + "@h/db"}));
  CHECK(runs.back().all().find(secret) == std::string::npos);
  for (size_t i = 0; i + 1 < runs.size(); ++i) {
    const auto& r = runs[i];
    INFO(r.all());
    CHECK(r.exit_code == 1);
    CHECK(r.all().find(secret) == std::string::npos);
    CHECK_THAT(r.all(), Contains("***"));
  }
}

TEST_CASE("PostgreSQL connection failures are clear and never show the password") {
  auto& server = PgServer::get();
  Project p;
  p.add_chain(1);
  const std::string secret = "wr0ng-Secret";
  const std::string port = std::to_string(server.port());
  struct Case {
    std::string url, message;
  };
  std::vector<Case> cases = {
      // Nothing listens on port 1.
      {"postgresql://" + server.user() + ":" + secret + "@127.0.0.1:1/postgres", "127.0.0.1:1"},
      {"postgresql://" + server.user() + ":" + secret + "@127.0.0.1:" + port + "/postgres",
       "password authentication failed"},
      {"postgresql://" + server.user() + ":" + server.password() + "@127.0.0.1:" + port +
           "/no_such_db",
       "no_such_db"},
  };
  for (const auto& c : cases) {
    auto r = p.run({"upgrade", "--url", c.url, "--lock-timeout", "2"});
    INFO(r.all());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains(c.message));
    CHECK_THAT(r.err, Contains(":***@127.0.0.1:"));
    CHECK_THAT(r.err, Contains("hint:"));
    CHECK(r.all().find(secret) == std::string::npos);
    CHECK(r.all().find(server.password()) == std::string::npos);
  }
}

TEST_CASE("a server that accepts and never answers gives an error within connect_timeout") {
  // The kernel completes the TCP handshake for a listening socket nobody
  // accept()s: exactly a server that takes the connection and says nothing.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 16) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const std::string url =
      "postgresql://app@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/db";
  Project p;
  p.add_chain(1);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"current", "--url", url + "?connect_timeout=1"},
        std::vector<std::string>{"upgrade", "head", "--lock-timeout", "5", "--url",
                                 url + "?connect_timeout=1"}}) {
    CAPTURE(args);
    auto start = std::chrono::steady_clock::now();
    RunResult r = p.run(args);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("retort: error: cannot connect to " + url +
                          "?connect_timeout=1 (from --url): the server did not complete the "
                          "connection within 1 s (connect_timeout)\n",
                      0) == 0);
    CHECK(took < std::chrono::seconds(4));
  }
  // Without connect_timeout anywhere, 10 s, not forever.
  auto start = std::chrono::steady_clock::now();
  RunResult r = p.run({"current", "--url", url}, {{"PGCONNECT_TIMEOUT", ""}, {"PGSERVICE", ""}});
  auto took = std::chrono::steady_clock::now() - start;
  CHECK_THAT(r.err, Contains("did not complete the connection within 10 s (connect_timeout)"));
  CHECK(took < std::chrono::seconds(14));
  CHECK(took >= std::chrono::seconds(9));
  ::close(fd);
}

TEST_CASE("sqlite:///x.db?mode=ro never writes; unknown parameters are refused") {
  Project p;
  p.add_chain(1);
  REQUIRE(p.run({"upgrade", "head"}).exit_code == 0);
  p.add({"r0002", "r0001", "CREATE TABLE t2 (id integer);", "DROP TABLE t2;"});
  const std::string ro = "sqlite:///" + p.db() + "?mode=ro";
  RunResult r = p.run({"upgrade", "head", "--url", ro});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("SQLite database " + p.db() +
                             " was opened read-only (mode=ro in the URL from --url)"));
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1"});
  // Reading works read-only; rw and rwc write.
  CHECK(p.run({"current", "--url", ro}).exit_code == 0);
  CHECK(
      p.run({"upgrade", "head", "--url", "sqlite:///" + p.db() + "?mode=rw&timeout=2"}).exit_code ==
      0);
  CHECK(p.heads() == std::vector<std::string>{"r0002"});
  // A missing file with mode=rw is not created.
  RunResult missing =
      p.run({"upgrade", "head", "--url", "sqlite:///" + p.root() + "/new.db?mode=rw"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err,
             Contains("does not exist, and the URL's mode=rw does not let retort create it"));
  // uri=true passes SQLite's own URI parameters.
  CHECK(p.run({"current", "--url", "sqlite:///" + p.db() + "?uri=true&immutable=1"}).exit_code ==
        0);
  RunResult unknown =
      p.run({"current"}, {{"DATABASE_URL", "sqlite:///" + p.db() + "?journal=wal"}});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.rfind("retort: error: invalid database URL 'sqlite:///" + p.db() +
                              "?journal=wal' from DATABASE_URL in the environment: unknown "
                              "SQLite URL parameter 'journal'\n",
                          0) == 0);
}

TEST_CASE("retort config prints the settings of [retort] as the tool reads them") {
  Project p;
  const std::string secret = "pa#ss;w0rd";
  write_text(p.root() + "/retort.ini",
             "[retort]\n"
             "# models = commented/*.sql\n"
             "; script_location = commented\n"
             "script_location = migrations   ; inline comment\n"
             "database_url = postgresql://app:" +
                 secret +
                 "@localhost/app\n"
                 "version_table_schema = meta\n"
                 "[other]\n"
                 "script_location = elsewhere\n"
                 "models = other/*.sql\n");
  auto get = [&](const std::string& key) { return p.run({"config", "--get", key}); };
  auto loc = get("script_location");
  CHECK(loc.exit_code == 0);
  CHECK(loc.out == p.root() + "/migrations\n");
  CHECK(get("version_table").out == "meta.retort_version\n");
  CHECK(get("timezone").out == "UTC\n");  // the default
  auto url = get("database_url");
  CHECK(url.exit_code == 0);
  CHECK(url.out == "postgresql://app:***@localhost/app\n");
  // Not set in [retort]: nothing printed, exit 1, as `git config --get`.
  auto models = get("models");
  CHECK(models.exit_code == 1);
  CHECK(models.all().empty());
  auto list = p.run({"config", "--list"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Contains("script_location = " + p.root() + "/migrations\n"));
  CHECK_THAT(list.out, Contains("database_url = postgresql://app:***@localhost/app\n"));
  CHECK_THAT(list.out, Contains("version_table_schema = meta\n"));
  CHECK(list.out.find("models") == std::string::npos);
  CHECK(list.all().find("w0rd") == std::string::npos);
  // The global --script-location wins, as for every command.
  CHECK(p.run({"--script-location", "/x", "config", "--get", "script_location"}).out == "/x\n");
}

TEST_CASE("retort config: an unknown setting or a missing --get is a usage error") {
  Project p;
  auto typo = p.run({"config", "--get", "scrip_location"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Contains("unknown setting 'scrip_location'"));
  CHECK_THAT(typo.err, Contains("did you mean 'script_location'?"));
  CHECK(typo.out.empty());
  CHECK(p.run({"config"}).exit_code == 2);
  CHECK(p.run({"config", "--get", "timezone", "--list"}).exit_code == 2);
  // A broken ini is reported as for any command.
  write_text(p.root() + "/retort.ini", "[retort]\nscript_locaton = m\n");
  auto bad = p.run({"config", "--get", "script_location"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("retort.ini:2: unknown setting 'script_locaton' in [retort]"));
}

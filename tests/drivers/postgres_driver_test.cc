// What only the PostgreSQL driver has: connecting (URL forms, libpq's
// environment, the errors), server-side parsing of $$ bodies, SQLSTATE with
// DETAIL and HINT, statements that refuse a transaction, the advisory lock.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>

#include "backend/url.h"
#include "pg_server.h"
#include "test_database.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

namespace {

SqlOrigin in_file(int first_line = 10) {
  return {"versions/0001_pg.sql", first_line, "pg"};
}

std::unique_ptr<Driver> connect(const std::string& url, int lock_timeout_ms = 5000) {
  DriverOptions o;
  o.lock_timeout_ms = lock_timeout_ms;
  return open_driver(parse_database_url(url, "--url"), o);
}

// Sets environment variables for its lifetime.
class ScopedEnv {
 public:
  explicit ScopedEnv(const std::map<std::string, std::string>& vars) {
    for (const auto& [k, v] : vars) {
      const char* old = std::getenv(k.c_str());
      saved_[k] = old ? std::optional<std::string>(old) : std::nullopt;
      ::setenv(k.c_str(), v.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const auto& [k, v] : saved_)
      v ? ::setenv(k.c_str(), v->c_str(), 1) : ::unsetenv(k.c_str());
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

void check_secret_free(const Error& e, const std::string& password) {
  CHECK_THAT(e.format(), !Contains(password));
  CHECK_THAT(e.format(), Contains(":***@"));
}

}  // namespace

TEST_CASE("postgres: connection refused names the URL without the password, with a hint") {
  auto& pg = PgServer::get();
  // A port nothing listens on: the server's own port plus one is free in
  // our private cluster's neighbourhood only by chance, so use port 1.
  auto e =
      expect_error([&] { connect("postgresql://retort_test:s3cr3t-refused@127.0.0.1:1/app"); });
  CHECK_THAT(
      e.what(),
      Contains("cannot connect to postgresql://retort_test:***@127.0.0.1:1/app (from --url)"));
  CHECK_THAT(e.what(), Contains("Connection refused"));
  CHECK_THAT(e.format(), Contains("hint: is PostgreSQL running"));
  check_secret_free(e, "s3cr3t-refused");
  (void)pg;
}

TEST_CASE("postgres: authentication failure is real and clear") {
  auto& pg = PgServer::get();
  std::string url = "postgresql://" + pg.user() + ":wrong-" + pg.password() + "@" + pg.host() +
                    ":" + std::to_string(pg.port()) + "/postgres";
  auto e = expect_error([&] { connect(url); });
  CHECK_THAT(e.what(), Contains("password authentication failed for user \"retort_test\""));
  CHECK_THAT(e.what(), Contains("postgresql://retort_test:***@127.0.0.1:"));
  CHECK_THAT(e.format(), Contains("hint: authentication failed: check the user and password"));
  check_secret_free(e, "wrong-" + pg.password());
}

TEST_CASE("postgres: a missing database says so and how to create it") {
  auto& pg = PgServer::get();
  auto e = expect_error([&] { connect(pg.url("no_such_db")); });
  CHECK_THAT(e.what(), Contains("/no_such_db (from --url)"));
  CHECK_THAT(e.what(), Contains("database \"no_such_db\" does not exist"));
  CHECK_THAT(e.format(), Contains("createdb no_such_db"));
  check_secret_free(e, pg.password());
}

TEST_CASE("postgres: unknown URL parameters are libpq's complaint, explained") {
  auto& pg = PgServer::get();
  auto e = expect_error([&] { connect(pg.url("postgres") + "?bogus_option=1"); });
  CHECK_THAT(e.what(), Contains("invalid connection option \"bogus_option\""));
  CHECK_THAT(e.format(), Contains("libpq as connection keywords"));
}

TEST_CASE("postgres: URL forms reach the same server") {
  auto& pg = PgServer::get();
  std::string db = pg.create_database();
  const std::string port = std::to_string(pg.port());
  REQUIRE_FALSE(pg.socket_dir().empty());
  for (const std::string& url :
       {pg.url(db),
        "postgres://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + port + "/" + db,
        "postgresql+psycopg2://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + port + "/" +
            db + "?sslmode=disable&application_name=retort_test",
        pg.socket_url(db)}) {
    CAPTURE(parse_database_url(url, "test").redacted());
    auto d = connect(url);
    CHECK(d->query("SELECT current_database()") == Rows{{db}});
  }
  auto d = connect(pg.socket_url(db));
  // The socket URL really uses the socket.
  CHECK(d->query("SELECT inet_server_addr() IS NULL") == Rows{{"t"}});
}

TEST_CASE("postgres: what the URL leaves out comes from PGHOST, PGPORT, PGUSER, PGPASSWORD") {
  auto& pg = PgServer::get();
  std::string db = pg.create_database();
  ScopedEnv env({{"PGHOST", pg.socket_dir()},
                 {"PGPORT", std::to_string(pg.port())},
                 {"PGUSER", pg.user()},
                 {"PGPASSWORD", pg.password()}});
  auto d = connect("postgresql:///" + db);
  CHECK(d->query("SELECT current_database(), current_user") == Rows{{db, pg.user()}});
  CHECK(d->describe() == "postgresql:///" + db);
}

TEST_CASE("postgres: PGSERVICE supplies a whole connection") {
  auto& pg = PgServer::get();
  std::string db = pg.create_database();
  TempDir dir;
  write_text(dir / "pg_service.conf",
             "[retort_test_svc]\nhost=127.0.0.1\nport=" + std::to_string(pg.port()) +
                 "\nuser=" + pg.user() + "\npassword=" + pg.password() + "\ndbname=" + db + "\n");
  ScopedEnv env({{"PGSERVICEFILE", dir / "pg_service.conf"}, {"PGSERVICE", "retort_test_svc"}});
  auto d = connect("postgresql://");
  CHECK(d->query("SELECT current_database()") == Rows{{db}});
}

TEST_CASE("postgres: $$ bodies, E'' strings and BEGIN ATOMIC are the server's to parse") {
  TestDatabase db("postgresql");
  const bool in_transaction = GENERATE(true, false);
  CAPTURE(in_transaction);
  auto d = db.open();
  std::string sql =
      "CREATE TABLE t (s TEXT);\n"
      "CREATE FUNCTION add1(i int) RETURNS int AS $$\n"
      "BEGIN\n  RETURN i + 1; -- ; inside\nEND;\n$$ LANGUAGE plpgsql;\n"
      "CREATE FUNCTION sub1(i int) RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n  SELECT CASE WHEN i > 0 THEN i - 1 ELSE 0 END;\nEND;\n"
      "DO $body$ BEGIN INSERT INTO t VALUES ('do; block'); END $body$;\n"
      "INSERT INTO t VALUES (E'it\\'s; escaped'), ($q$dollar; 'quoted'$q$);\n"
      "/* nested /* comment; */ still; */ INSERT INTO t VALUES ('\"not an identifier;\"');\n";
  if (in_transaction) {
    Transaction tx(*d);
    d->execute(sql, in_file());
    tx.commit();
  } else {
    d->execute(sql, in_file());
  }
  CHECK(d->query("SELECT add1(1), sub1(5)") == Rows{{"2", "4"}});
  CHECK(d->query("SELECT s FROM t ORDER BY s") ==
        Rows{{"\"not an identifier;\""}, {"do; block"}, {"dollar; 'quoted'"}, {"it's; escaped"}});
}

TEST_CASE("postgres: errors carry SQLSTATE, message, detail and hint") {
  TestDatabase db("postgresql");
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute(
        "SELECT 1;\n"
        "DO $$\nBEGIN\n  RAISE EXCEPTION 'custom failure' USING DETAIL = 'the detail', HINT = 'the "
        "hint';\nEND\n$$;\n",
        in_file(30));
  });
  CHECK(std::string(e.what()) == "custom failure (SQLSTATE P0001)");
  CHECK(e.file() == "versions/0001_pg.sql");
  CHECK(e.line() == 31);
  CHECK_THAT(e.format(), Contains("hint: detail: the detail"));
  CHECK_THAT(e.format(), Contains("hint: PostgreSQL hint: the hint"));
  CHECK_THAT(e.format(),
             Contains("hint: context: PL/pgSQL function inline_code_block line 3 at RAISE"));
  CHECK_THAT(e.format(), Contains("hint: in statement: DO $$"));
}

TEST_CASE("postgres: the error position maps into multi-line statements") {
  TestDatabase db("postgresql");
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute("CREATE TABLE a (x int);\nSELECT x,\n       nosuch_column\n  FROM a;", in_file(12));
  });
  CHECK(std::string(e.what()) == "column \"nosuch_column\" does not exist (SQLSTATE 42703)");
  CHECK(e.line() == 14);
  CHECK_THAT(e.format(), Contains("in statement: SELECT x,"));
}

TEST_CASE("postgres: CREATE INDEX CONCURRENTLY runs in a section outside a transaction") {
  TestDatabase db("postgresql");
  auto d = db.open();
  d->execute(
      "CREATE TABLE big (a int);\nINSERT INTO big SELECT generate_series(1, 100);\n"
      "CREATE INDEX CONCURRENTLY big_a ON big (a);\nVACUUM ANALYZE big;\n"
      "ALTER TABLE big ADD COLUMN b int;",
      in_file());
  CHECK(d->query("SELECT indexname FROM pg_indexes WHERE tablename = 'big'") == Rows{{"big_a"}});
  // Inside a transaction the server refuses it, and says where.
  Transaction tx(*d);
  auto e = expect_error(
      [&] { d->execute("SELECT 1;\nCREATE INDEX CONCURRENTLY big_b ON big (b);", in_file(3)); });
  CHECK_THAT(e.what(), Contains("cannot run inside a transaction block (SQLSTATE 25001)"));
  CHECK(e.line() == 4);
}

TEST_CASE("postgres: the run lock is per version table") {
  TestDatabase db("postgresql");
  auto a = db.open(), b = db.open(500);
  RunLock la(*a, "retort_version");
  RunLock lb(*b, "other.retort_version");  // another set of migrations: no wait
  auto e = expect_error([&] { RunLock again(*b, "retort_version"); });
  CHECK_THAT(e.what(),
             Contains("another deployer holds the lock on retort_version in postgresql://"));
  CHECK_THAT(e.what(), Contains("(waited 0.5 s)"));
}

TEST_CASE("postgres: the run lock is released when the connection goes") {
  TestDatabase db("postgresql");
  {
    auto a = db.open();
    a->lock_run("retort_version");  // never unlocked by hand
  }
  auto b = db.open(200);
  RunLock lock(*b, "retort_version");
}

TEST_CASE("postgres: COPY FROM STDIN fails clearly instead of hanging") {
  TestDatabase db("postgresql");
  auto d = db.open();
  d->execute("CREATE TABLE c (a int);", {});
  Transaction tx(*d);
  auto e = expect_error([&] { d->execute("SELECT 1;\nCOPY c FROM STDIN;", in_file(1)); });
  CHECK_THAT(e.what(), Contains("retort cannot feed COPY FROM STDIN"));
  CHECK(e.line() == 2);
}

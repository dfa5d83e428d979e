#include "backend_fixture.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "mariadb_server.h"
#include "pg_server.h"
#include "sqlite_inspect.h"
#include "temp_dir.h"

namespace retort::test {

// --- SQLite ------------------------------------------------------------------

namespace {

class SqliteFixture final : public BackendFixture {
 public:
  std::string_view name() const override { return "sqlite"; }

  FixtureDatabase create(const std::string& dir) const override {
    // Four slashes in `url`: an absolute path. retort.ini's is relative to
    // the project, and the file appears on first use.
    const std::string file = dir + "/app.db";
    return {"sqlite:///" + file, "sqlite:///app.db", file};
  }
  bool exists(const FixtureDatabase& db) const override { return file_exists(db.name); }
  void require_intact(const FixtureDatabase& db) const override {
    REQUIRE(sqlite_value(db.name, "PRAGMA integrity_check") == "ok");
  }

  std::vector<std::string> column(const FixtureDatabase& db,
                                  const std::string& sql) const override {
    return sqlite_column(db.name, sql);
  }
  void exec(const FixtureDatabase& db, const std::string& sql) const override {
    sqlite_exec(db.name, sql);
  }
  void run_script(const FixtureDatabase& db, const std::string& path) const override {
    std::string cmd = "sqlite3 -bail '" + db.name + "' < '" + path + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("sqlite3 failed on " + path);
  }
  std::vector<std::string> tables(const FixtureDatabase& db) const override {
    return sqlite_tables(db.name);
  }
  std::vector<std::string> client_argv(const FixtureDatabase& db) const override {
    return {"sqlite3", db.name};
  }

  std::string client_marker(const std::string& path) const override {
    return ".once " + path + "\nSELECT 'ready';";
  }

  bool names_ignore_case() const override { return true; }
  SchemaReadback readback() const override {
    // Types as declared. A rebuilt table keeps its column order; names of
    // constraints are not always kept; an index is parsed from the CREATE
    // INDEX kept as written.
    return {/*column_order=*/true, /*generation_expression=*/false, /*constraint_names=*/false,
            /*index_sql=*/false};
  }

 protected:
  const Texts& text_table() const override {
    static const Texts texts = {
        {"error: no such table nosuch", {"no such table: nosuch"}},
        // SQLite's messages carry no code.
        {"runtime: code of a missing table", {""}},
        {"error: drop of the missing table nosuch", {"no such table: nosuch"}},
        {"error: syntax error at NUL", {"near \"NUL\": syntax error"}},
        {"error: syntax error at NUL, with its code", {"near \"NUL\": syntax error"}},
        {"error: duplicate key u.id", {"UNIQUE constraint failed: u.id"}},
        {"error: duplicate key u.id, details", {}},
        // Names match without regard to case: there is no other table.
        {"error: version_table Retort_Version beside retort_version", {}},
        {"error: another session holds the run lock", {}},  // no advisory lock
        {"current: before the first run",
         {"base (no revision applied; the database does not exist yet)\n"}},
        {"offline: begin", {"BEGIN IMMEDIATE;\n"}},
        {"offline: session reset before the bookkeeping", {""}},
        {"sql: the text dead, ESC, [2Jbeef", {"'dead' || char(27) || '[2Jbeef'"}},
        {"sql: endless query",
         {"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
          "SELECT count(*) FROM c;"}},
        // No server: nothing of a statement outlives the process.
        {"sql: count of other sessions still running the endless query", {}},
        {"sql: a statement that cannot run in a transaction", {"VACUUM;"}},
        {"sql: maintenance that runs outside a transaction", {"VACUUM;"}},
        {"sql: fill table T with ids 1 to N",
         {"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {N})\n"
          "INSERT INTO {T} (id) SELECT x FROM c;"}},
        {"sql: table z whose trigger sets note to x;y",
         {"CREATE TABLE z (id INTEGER, note TEXT DEFAULT 'a;b');\n"
          "CREATE TRIGGER zt AFTER INSERT ON z BEGIN UPDATE z SET note = 'x;y' WHERE id = "
          "NEW.id; END;\n"
          "INSERT INTO z (id) VALUES (1);"}},
        {"sql: drop table z and its trigger", {"DROP TABLE z;"}},
        {"sql: schema for qualified bookkeeping names", {"main"}},
        {"models: types",
         {"CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, s VARCHAR(20), r DOUBLE, f TEXT "
          "DEFAULT 'x', b BOOLEAN DEFAULT TRUE, c CHECK (n > 0));\n"
          "CREATE INDEX ix_t ON t (n);\n"}},
        // Integer affinity, text, real; TRUE is 1.
        {"models: types respelled",
         {"create table T (\"id\" integer primary key, N integer, s text, r real, f character "
          "varying(5) default ('x'), b boolean default 1, c check ((N>0)));\n"
          "create index IX_T on t (\"n\");\n"}},
        {"models: users and old_logs",
         {"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
          "CREATE TABLE old_logs (id INTEGER PRIMARY KEY);\n"}},
        {"models: users and logs renamed",
         {"CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT);\n"
          "CREATE TABLE logs (id INTEGER PRIMARY KEY);\n"}},
        {"autogenerate: more in the upgrade of the renames", {}},
        {"sql: the name x, quoted", {"\"x\""}},
    };
    return texts;
  }
};

// --- PostgreSQL --------------------------------------------------------------

class PostgresFixture final : public BackendFixture {
 public:
  std::string_view name() const override { return "postgresql"; }

  FixtureDatabase create(const std::string&) const override {
    auto& server = PgServer::get();
    std::string db = server.create_database();
    std::string url = server.url(db);
    return {url, url, db};
  }
  // create() made it; there is no client-side check of a server's storage.
  bool exists(const FixtureDatabase&) const override { return true; }
  void require_intact(const FixtureDatabase&) const override {}

  std::vector<std::string> column(const FixtureDatabase& db,
                                  const std::string& sql) const override {
    std::vector<std::string> rows;
    std::istringstream out(PgServer::get().psql(db.name, sql));
    for (std::string line; std::getline(out, line);)
      rows.push_back(line);
    return rows;
  }
  void exec(const FixtureDatabase& db, const std::string& sql) const override {
    PgServer::get().psql(db.name, sql);
  }
  void run_script(const FixtureDatabase& db, const std::string& path) const override {
    PgServer::get().psql(db.name, read_text(path));
  }
  std::vector<std::string> tables(const FixtureDatabase& db) const override {
    auto t = column(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    std::sort(t.begin(), t.end());  // the same order whatever the server's collation
    return t;
  }
  std::vector<std::string> client_argv(const FixtureDatabase& db) const override {
    return {"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url};
  }

  std::string client_marker(const std::string& path) const override {
    return "\\o " + path + "\nSELECT 'ready';\n\\o";
  }

  std::string hold_run_lock_sql(const std::string& version_table) const override {
    // The key retort's PostgreSQL driver takes pg_advisory_lock on: FNV-1a
    // of "retort:" and the version table's name.
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : "retort:" + version_table) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    return "SELECT pg_advisory_lock(" + std::to_string(static_cast<long long>(h)) + ");";
  }

  bool names_ignore_case() const override { return false; }  // quoted names are told apart
  SchemaReadback readback() const override {
    // Canonical types. A column added back by a downgrade comes last;
    // constraints keep their names (describe() shows a key's DEFERRABLE and
    // MATCH FULL); an index reads as the server deparses it.
    return {/*column_order=*/false, /*generation_expression=*/true, /*constraint_names=*/true,
            /*index_sql=*/true};
  }

 protected:
  const Texts& text_table() const override {
    static const Texts texts = {
        {"error: no such table nosuch", {"relation \"nosuch\" does not exist (SQLSTATE 42P01)"}},
        {"runtime: code of a missing table", {"42P01"}},
        {"error: drop of the missing table nosuch", {"table \"nosuch\" does not exist"}},
        {"error: syntax error at NUL", {"syntax error at or near \"NUL\""}},
        {"error: syntax error at NUL, with its code",
         {"syntax error at or near \"NUL\" (SQLSTATE 42601)"}},
        {"error: duplicate key u.id",
         {"duplicate key value violates unique constraint \"u_pkey\" (SQLSTATE 23505)"}},
        {"error: duplicate key u.id, details", {"detail: Key (id)=(1) already exists."}},
        {"error: version_table Retort_Version beside retort_version",
         {"version_table = Retort_Version does not exist, but public.retort_version does"}},
        {"error: another session holds the run lock",
         {"another deployer holds the lock on retort_version"}},
        // The database exists before retort touches it.
        {"current: before the first run", {"base (no revision applied)\n"}},
        {"offline: begin", {"BEGIN;\n"}},
        // The live run undoes a revision's SET and SET ROLE before its bookkeeping.
        {"offline: session reset before the bookkeeping",
         {"SET SESSION AUTHORIZATION DEFAULT;\nRESET ALL;\n"}},
        {"sql: the text dead, ESC, [2Jbeef", {"'dead' || chr(27) || '[2Jbeef'"}},
        {"sql: endless query", {"SELECT pg_sleep(600);"}},
        // The server would go on running what a killed client started. Only this
        // test's database counts: other tests run the same query beside it.
        {"sql: count of other sessions still running the endless query",
         {"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' "
          "AND pid <> pg_backend_pid() AND datname = current_database()"}},
        {"sql: a statement that cannot run in a transaction",
         {"CREATE INDEX CONCURRENTLY t1_a ON t1 (a);"}},
        {"sql: maintenance that runs outside a transaction", {"VACUUM;"}},
        {"sql: fill table T with ids 1 to N",
         {"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {N})\n"
          "INSERT INTO {T} (id) SELECT x FROM c;"}},
        {"sql: table z whose trigger sets note to x;y",
         {"CREATE TABLE z (id INTEGER, note TEXT DEFAULT 'a;b');\n"
          "CREATE FUNCTION zf() RETURNS trigger AS $$ BEGIN NEW.note := 'x;y'; RETURN NEW; END; "
          "$$ LANGUAGE plpgsql;\n"
          "CREATE TRIGGER zt BEFORE INSERT ON z FOR EACH ROW EXECUTE FUNCTION zf();\n"
          "INSERT INTO z (id) VALUES (1);"}},
        {"sql: drop table z and its trigger", {"DROP TABLE z;\nDROP FUNCTION zf();"}},
        {"sql: schema for qualified bookkeeping names", {"deploy"}},
        {"models: types",
         {"CREATE TABLE t (id serial PRIMARY KEY, n INT4, s varchar(20), r float8, b bool DEFAULT "
          "true, at timestamptz, CHECK (n > 0));\n"
          "CREATE INDEX ix_t ON t (n);\n"}},
        // The types' canonical names.
        {"models: types respelled",
         {"create table T (\"id\" SERIAL4 primary key, N integer, s character varying(20), r "
          "double precision, b boolean default TRUE, at timestamp with time zone, check "
          "((n>0)));\n"
          "create index IX_T on t (\"n\");\n"}},
        // users.bio also changes its type in place, which can lose data.
        {"models: users and old_logs",
         {"CREATE TABLE users (id integer PRIMARY KEY, name text, bio text);\n"
          "CREATE TABLE old_logs (id integer PRIMARY KEY);\n"}},
        {"models: users and logs renamed",
         {"CREATE TABLE users (id integer PRIMARY KEY, full_name text, bio varchar(200));\n"
          "CREATE TABLE logs (id integer PRIMARY KEY);\n"}},
        // No USING: the assignment cast fails on a value too long, where an
        // explicit one cuts it.
        {"autogenerate: more in the upgrade of the renames",
         {"-- WARNING: data loss: users.bio changes from text to character "
          "varying(200)",
          "ALTER TABLE \"users\" ALTER COLUMN \"bio\" TYPE character "
          "varying(200);"}},
        {"sql: the name x, quoted", {"\"x\""}},
    };
    return texts;
  }
};

// --- MariaDB -----------------------------------------------------------------

class MariadbFixture final : public BackendFixture {
 public:
  std::string_view name() const override { return "mariadb"; }

  FixtureDatabase create(const std::string&) const override {
    auto& server = MariadbServer::get();
    std::string db = server.create_database();
    std::string url = server.url(db);
    return {url, url, db};
  }
  bool exists(const FixtureDatabase&) const override { return true; }
  void require_intact(const FixtureDatabase& db) const override {
    for (const auto& t : tables(db)) {
      auto check = column(db, "CHECK TABLE `" + t + "`");
      REQUIRE(!check.empty());
      CHECK_THAT(check.back(), Catch::Matchers::EndsWith("OK"));
    }
  }

  std::vector<std::string> column(const FixtureDatabase& db,
                                  const std::string& sql) const override {
    std::vector<std::string> rows;
    std::istringstream out(MariadbServer::get().client(db.name, sql));
    for (std::string line; std::getline(out, line);)
      rows.push_back(line);
    return rows;
  }
  void exec(const FixtureDatabase& db, const std::string& sql) const override {
    MariadbServer::get().client(db.name, sql);
  }
  void run_script(const FixtureDatabase& db, const std::string& path) const override {
    MariadbServer::get().client(db.name, "source " + path);
  }
  std::vector<std::string> tables(const FixtureDatabase& db) const override {
    auto t = column(db,
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "DATABASE() AND table_type = 'BASE TABLE'");
    std::sort(t.begin(), t.end());
    return t;
  }
  std::vector<std::string> client_argv(const FixtureDatabase& db) const override {
    auto args = MariadbServer::get().client_args();
    args.push_back(db.name);
    return args;
  }

  std::string bookkeeping_schema(const FixtureDatabase& db) const override { return db.name; }
  std::string client_marker(const std::string& path) const override {
    return "system echo ready > " + path;
  }

  std::string hold_run_lock_sql(const std::string& version_table) const override {
    // The name retort's MariaDB driver takes GET_LOCK() on.
    return "SELECT GET_LOCK('retort:" + version_table + "', 600);";
  }

  // Table names are case-sensitive on Linux (lower_case_table_names = 0).
  bool names_ignore_case() const override { return false; }
  SchemaReadback readback() const override {
    // COLUMN_TYPE as the server spells it. A column added back by a
    // downgrade goes to its place (AFTER); constraints keep their names (the
    // server names unnamed ones: CONSTRAINT_1, posts_ibfk_1); an index is
    // its columns and prefixes, as STATISTICS lists them.
    return {/*column_order=*/true, /*generation_expression=*/true, /*constraint_names=*/true,
            /*index_sql=*/false};
  }

 protected:
  const Texts& text_table() const override {
    static const Texts texts = {
        {"error: no such table nosuch",
         {".nosuch' doesn't exist (MariaDB error 1146, SQLSTATE 42S02)"}},
        {"runtime: code of a missing table", {"1146"}},
        {"error: drop of the missing table nosuch", {"Unknown table 'retort_t"}},
        {"error: syntax error at NUL",
         {"You have an error in your SQL syntax; check the manual that corresponds to your "
          "MariaDB server version for the right syntax to use near 'NUL"}},
        {"error: syntax error at NUL, with its code", {"(MariaDB error 1064, SQLSTATE 42000)"}},
        {"error: duplicate key u.id",
         {"Duplicate entry '1' for key 'PRIMARY' (MariaDB error 1062, SQLSTATE 23000)"}},
        {"error: duplicate key u.id, details", {}},
        {"error: version_table Retort_Version beside retort_version",
         {"version_table = Retort_Version does not exist, but retort_t"}},
        {"error: another session holds the run lock",
         {"another deployer holds the lock on retort_version"}},
        {"current: before the first run", {"base (no revision applied)\n"}},
        {"offline: begin", {"START TRANSACTION;\n"}},
        {"offline: session reset before the bookkeeping", {""}},
        {"sql: the text dead, ESC, [2Jbeef", {"CONCAT('dead', CHAR(27), '[2Jbeef')"}},
        {"sql: endless query", {"SELECT SLEEP(600);"}},
        {"sql: count of other sessions still running the endless query",
         {"SELECT count(*) FROM information_schema.processlist WHERE info LIKE '%SLEEP(600)%' "
          "AND id <> CONNECTION_ID() AND db = DATABASE()"}},
        // DDL commits as it runs: nothing is refused inside a transaction.
        {"sql: a statement that cannot run in a transaction", {}},
        {"sql: maintenance that runs outside a transaction", {"OPTIMIZE TABLE t;"}},
        {"sql: fill table T with ids 1 to N",
         {"INSERT INTO {T} (id) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
          "WHERE x < {N}) SELECT x FROM c;"}},
        {"sql: table z whose trigger sets note to x;y",
         {"CREATE TABLE z (id INTEGER, note VARCHAR(20) DEFAULT 'a;b');\n"
          "CREATE TRIGGER zt BEFORE INSERT ON z FOR EACH ROW BEGIN SET NEW.note = 'x;y'; END;\n"
          "INSERT INTO z (id) VALUES (1);"}},
        {"sql: drop table z and its trigger", {"DROP TABLE z;"}},
        // bookkeeping_schema() is the database itself.
        {"sql: schema for qualified bookkeeping names", {}},
        {"models: types",
         {"CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, n INT, u INT UNSIGNED, s "
          "VARCHAR(20), r DOUBLE, d DECIMAL(8, 2), f VARCHAR(5) DEFAULT 'x', b BOOLEAN DEFAULT "
          "TRUE, at DATETIME, e ENUM('a', 'b'), CHECK (n > 0)) ENGINE=InnoDB;\n"
          "CREATE INDEX ix_t ON t (n);\n"}},
        // Display widths, aliases; table names keep their case on Linux.
        {"models: types respelled",
         {"create table t (`id` integer(11) not null auto_increment, N int(11), u integer(10) "
          "unsigned, s character varying(20), r double precision, d numeric(8,2), f "
          "varchar(5) default ('x'), b bool default 1, at datetime(0), e enum('a','b'), "
          "primary key (id), check ((n>0)));\n"
          "create index ix_t on t (`n`);\n"}},
        // users.bio also changes its type in place, which can lose data.
        {"models: users and old_logs",
         {"CREATE TABLE users (id INT PRIMARY KEY, name TEXT, bio TEXT);\n"
          "CREATE TABLE old_logs (id INT PRIMARY KEY);\n"}},
        {"models: users and logs renamed",
         {"CREATE TABLE users (id INT PRIMARY KEY, full_name TEXT, bio VARCHAR(200));\n"
          "CREATE TABLE logs (id INT PRIMARY KEY);\n"}},
        // Strict mode fails a value too long, where it would be cut.
        {"autogenerate: more in the upgrade of the renames",
         {"-- WARNING: data loss: users.bio changes from text to varchar(200)",
          "ALTER TABLE `users` MODIFY COLUMN `bio` varchar(200) NULL;"}},
        {"sql: the name x, quoted", {"`x`"}},
    };
    return texts;
  }
};

}  // namespace

// --- shared ------------------------------------------------------------------

const Backend& BackendFixture::backend() const {
  const Backend* b = backend_named(name());
  if (!b) FAIL("the test fixture " << name() << " has no backend of that name in this build");
  return *b;
}

std::string BackendFixture::hold_run_lock_sql(const std::string&) const {
  FAIL(name() << " has no advisory lock: choose backends with "
                 "backends_with(&Capabilities::advisory_locks)");
  throw std::logic_error("unreachable");
}

std::string BackendFixture::schema_pair_file(const std::string& scenario) const {
  return std::string(kSchemaPairsDir) + "/" + scenario + "/" + std::string(name()) + ".sql";
}

std::string BackendFixture::schema_pair_skip_file(const std::string& scenario) const {
  return std::string(kSchemaPairsDir) + "/" + scenario + "/" + std::string(name()) + ".skip";
}

const std::vector<std::string>& BackendFixture::texts(const std::string& key) const {
  const Texts& all = text_table();
  auto it = all.find(key);
  if (it == all.end())
    FAIL("the " << name() << " test fixture has no text \"" << key
                << "\": add it in tests/support/backend_fixture.cc");
  return it->second;
}

const std::string& BackendFixture::text(const std::string& key) const {
  const auto& values = texts(key);
  if (values.size() != 1)
    FAIL("the " << name() << " test fixture has " << values.size() << " texts \"" << key
                << "\" where the test expects one"
                << (values.empty() ? " (none applies to this database)" : ""));
  return values.front();
}

std::vector<std::string> BackendFixture::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : text_table())
    out.push_back(k);
  return out;
}

const std::vector<const BackendFixture*>& backend_fixtures() {
  static const SqliteFixture sqlite;
  static const PostgresFixture postgres;
  static const MariadbFixture mariadb;
  static const std::vector<const BackendFixture*> all = {&sqlite, &postgres, &mariadb};
  // In the registry's order, and one for each registered backend.
  std::vector<std::string> registered, fixtures;
  for (const Backend* b : registered_backends())
    registered.emplace_back(b->name());
  for (const BackendFixture* f : all)
    fixtures.emplace_back(f->name());
  if (fixtures != registered)
    FAIL("the backends registered are " << Catch::Detail::stringify(registered)
                                        << " but tests/support/backend_fixture.cc has fixtures for "
                                        << Catch::Detail::stringify(fixtures));
  return all;
}

const BackendFixture& fixture_named(std::string_view name) {
  for (const BackendFixture* f : backend_fixtures())
    if (f->name() == name) return *f;
  FAIL("no test fixture for a backend named \"" << name << "\"");
  throw std::logic_error("unreachable");
}

Catch::Generators::GeneratorWrapper<std::string> all_backends() {
  std::vector<std::string> names;
  for (const BackendFixture* f : backend_fixtures())
    names.emplace_back(f->name());
  return Catch::Generators::from_range(names);
}

Catch::Generators::GeneratorWrapper<std::string> backends_with(bool Capabilities::*capability) {
  std::vector<std::string> names;
  for (const BackendFixture* f : backend_fixtures())
    if (f->capabilities().*capability) names.emplace_back(f->name());
  return Catch::Generators::from_range(names);
}

Catch::Generators::GeneratorWrapper<std::string> autogenerate_backends() {
  std::vector<std::string> names;
  for (const BackendFixture* f : backend_fixtures())
    if (f->autogenerates()) names.emplace_back(f->name());
  if (names.empty()) FAIL("no registered backend autogenerates");
  return Catch::Generators::from_range(names);
}

}  // namespace retort::test

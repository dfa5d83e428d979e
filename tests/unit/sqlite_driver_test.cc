// The SQLite driver against real database files in a temp dir: statements
// split by SQLite's own parser, error positions, transactions, and opening
// files that are missing or are not databases. What is in the file is checked
// through a separate connection (sqlite_inspect.h), not through the driver.
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/url.h"
#include "core/database_url.h"
#include "core/error.h"
#include "expect_error.h"
#include "sqlite_inspect.h"
#include "temp_dir.h"

using Catch::Matchers::Contains;
using retort::DatabaseUrl;
using retort::Driver;
using retort::DriverOptions;
using retort::Error;
using retort::SqlOrigin;
using retort::Transaction;
using retort::test::expect_error;
using retort::test::sqlite_column;
using retort::test::sqlite_tables;
using retort::test::sqlite_value;
using retort::test::TempDir;
using retort::test::write_text;
using V = std::vector<std::string>;

namespace {

DatabaseUrl url_for(const std::string& path) {
  return retort::parse_database_url("sqlite:///" + path, "the test's URL");
}

std::unique_ptr<Driver> open(const std::string& path, DriverOptions options = {}) {
  auto d = retort::open_driver(url_for(path), options);
  REQUIRE(d != nullptr);
  return d;
}

SqlOrigin origin(const std::string& file, int first_line) {
  SqlOrigin o;
  o.file = file;
  o.first_line = first_line;
  o.revision = "abcd1234";
  return o;
}

}  // namespace

TEST_CASE("sqlite: a section with triggers, ';' in strings and comments, runs whole", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "app.db";
  auto d = open(db);
  const std::string sql =
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
      "CREATE TABLE audit (msg TEXT);\n"
      "-- a comment; with a semicolon\n"
      "/* a block comment; also; with semicolons */\n"
      "CREATE TRIGGER users_ai AFTER INSERT ON users\n"
      "BEGIN\n"
      "  INSERT INTO audit (msg) VALUES ('added; ' || NEW.name);\n"
      "  INSERT INTO audit (msg) VALUES ('second statement; of the trigger');\n"
      "END;\n"
      "INSERT INTO users (name) VALUES ('semi;colon'), ('it''s; fine');\n"
      "-- trailing comment only\n";
  {
    Transaction tx(*d);
    d->execute(sql, origin("versions/x.sql", 7));
    tx.commit();
  }
  CHECK(sqlite_tables(db) == V{"audit", "users"});
  CHECK(sqlite_column(db, "SELECT name FROM users ORDER BY id") == V{"semi;colon", "it's; fine"});
  CHECK(sqlite_column(db, "SELECT msg FROM audit ORDER BY rowid") ==
        V{"added; semi;colon", "second statement; of the trigger", "added; it's; fine",
          "second statement; of the trigger"});
  CHECK(sqlite_value(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'") == "1");
}

TEST_CASE("sqlite: CRLF line endings and a last statement without ';'", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "crlf.db";
  auto d = open(db);
  d->execute(
      "CREATE TABLE t (x TEXT);\r\nINSERT INTO t VALUES ('a;\r\nb');\r\n\r\n"
      "INSERT INTO t VALUES ('last')",
      origin("versions/crlf.sql", 1));
  CHECK(sqlite_column(db, "SELECT x FROM t ORDER BY rowid") == V{"a;\r\nb", "last"});
}

TEST_CASE("sqlite: empty or comment-only SQL does nothing", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "e.db";
  auto d = open(db);
  d->execute("", origin("f.sql", 1));
  d->execute("  \n\t\n", origin("f.sql", 1));
  d->execute("-- nothing\n/* at all */\n", origin("f.sql", 1));
  CHECK(sqlite_tables(db).empty());
}

TEST_CASE("sqlite: query returns rows as text", "[sqlite]") {
  TempDir tmp;
  auto d = open(tmp / "q.db");
  d->execute("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL);",
             origin("", 1));
  auto rows = d->query("SELECT a, b FROM t ORDER BY a");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == retort::Row{"1", "x"});
  CHECK(rows[1] == retort::Row{"2", ""});
  // NULL reads as "", and says it is NULL.
  CHECK(rows[1][1].is_null());
  CHECK_FALSE(rows[0][1].is_null());
  CHECK_THROWS_WITH(d->query("SELECT * FROM nope"), Contains("no such table: nope"));
}

TEST_CASE("sqlite: a syntax error reports the file and the line in the file", "[sqlite]") {
  TempDir tmp;
  auto d = open(tmp / "s.db");
  // The section starts on line 10 of the revision file.
  const std::string sql =
      "CREATE TABLE a (x INTEGER);\n"  // 10
      "\n"                             // 11
      "CREATE TABLE b (x INTEGER);\n"  // 12
      "CREAT TABLE c (x INTEGER);\n"   // 13
      "CREATE TABLE d (x INTEGER);\n";
  Error e = expect_error([&] { d->execute(sql, origin("versions/2025_s.sql", 10)); });
  CHECK(e.file() == "versions/2025_s.sql");
  CHECK(e.line() == 13);
  CHECK_THAT(e.what(), Contains("syntax error"));
  CHECK_THAT(e.format(), Contains("retort: error: versions/2025_s.sql:13: "));
  CHECK_THAT(e.format(), Contains("in statement: CREAT TABLE c (x INTEGER);"));
  CHECK(e.exit_code() == retort::kExitFailure);
}

TEST_CASE("sqlite: an error inside a multi-line statement points at its line", "[sqlite]") {
  TempDir tmp;
  auto d = open(tmp / "m.db");
  const std::string sql =
      "CREATE TABLE a (x INTEGER);\n"  // 1
      "INSERT INTO a (x)\n"            // 2
      "SELECT y\n"                     // 3
      "FROM missing_table;\n";         // 4
  Error e = expect_error([&] { d->execute(sql, origin("f.sql", 1)); });
  CHECK_THAT(e.what(), Contains("no such table: missing_table"));
  CHECK(e.line() >= 2);
  CHECK(e.line() <= 4);
}

TEST_CASE("sqlite: a statement failing when run reports that statement's line", "[sqlite]") {
  TempDir tmp;
  auto d = open(tmp / "c.db");
  d->execute("CREATE TABLE u (email TEXT UNIQUE); INSERT INTO u VALUES ('a@x');", origin("", 1));

  SECTION("statement right after the previous one") {
    const std::string sql =
        "INSERT INTO u VALUES ('b@x');\n"  // 20
        "INSERT INTO u VALUES ('a@x');\n"  // 21
        "INSERT INTO u VALUES ('c@x');\n";
    Error e = expect_error([&] { d->execute(sql, origin("versions/u.sql", 20)); });
    CHECK_THAT(e.what(), Contains("UNIQUE constraint failed: u.email"));
    CHECK(e.file() == "versions/u.sql");
    CHECK(e.line() == 21);
  }
  SECTION("statement preceded by a comment line: the line is the statement's, not the comment's") {
    const std::string sql =
        "INSERT INTO u VALUES ('b@x');\n"         // 20
        "-- now the duplicate; this must fail\n"  // 21
        "INSERT INTO u VALUES ('a@x');\n";        // 22
    Error e = expect_error([&] { d->execute(sql, origin("versions/u.sql", 20)); });
    CHECK_THAT(e.what(), Contains("UNIQUE constraint failed"));
    CHECK(e.line() == 22);
  }
  SECTION("CRLF files count lines the same") {
    const std::string sql =
        "INSERT INTO u VALUES ('b@x');\r\n"   // 5
        "\r\n"                                // 6
        "INSERT INTO u VALUES ('a@x');\r\n";  // 7
    Error e = expect_error([&] { d->execute(sql, origin("versions/u.sql", 5)); });
    CHECK(e.line() == 7);
  }
}

TEST_CASE("sqlite: retort's own statements (no file) carry no line", "[sqlite]") {
  TempDir tmp;
  auto d = open(tmp / "n.db");
  Error e = expect_error([&] { d->execute("SELECT * FROM nope;", origin("", 1)); });
  CHECK(e.file().empty());
  CHECK(e.line() == 0);
  CHECK_THAT(e.what(), Contains("no such table: nope"));
}

TEST_CASE("sqlite: Transaction rolls back unless committed", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "t.db";
  auto d = open(db);
  {
    Transaction tx(*d);
    d->execute("CREATE TABLE kept (x); INSERT INTO kept VALUES (1);", origin("", 1));
    tx.commit();
  }
  {
    Transaction tx(*d);
    d->execute("CREATE TABLE dropped (x); INSERT INTO kept VALUES (2);", origin("", 1));
  }  // no commit
  CHECK(sqlite_tables(db) == V{"kept"});
  CHECK(sqlite_column(db, "SELECT x FROM kept") == V{"1"});
}

TEST_CASE("sqlite: a failing statement leaves nothing of its revision behind", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "r.db";
  auto d = open(db);
  {
    Transaction tx(*d);
    d->execute("CREATE TABLE first_rev (x);", origin("versions/1.sql", 1));
    tx.commit();
  }
  CHECK_THROWS_AS(
      [&] {
        Transaction tx(*d);
        d->execute("CREATE TABLE second_rev (x);\nINSERT INTO first_rev VALUES (1);\nBOGUS;\n",
                   origin("versions/2.sql", 1));
        tx.commit();
      }(),
      Error);
  CHECK(sqlite_tables(db) == V{"first_rev"});
  CHECK(sqlite_value(db, "SELECT count(*) FROM first_rev") == "0");
  // The connection is usable again afterwards.
  Transaction tx(*d);
  d->execute("CREATE TABLE third_rev (x);", origin("", 1));
  tx.commit();
  CHECK(sqlite_tables(db) == V{"first_rev", "third_rev"});
}

TEST_CASE("sqlite: BEGIN or COMMIT inside a section is refused", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "b.db";
  auto d = open(db);

  SECTION("BEGIN") {
    {
      Transaction tx(*d);
      Error e = expect_error([&] {
        d->execute("CREATE TABLE a (x);\nBEGIN;\nCREATE TABLE b (x);\n", origin("v/a.sql", 4));
      });
      CHECK(e.file() == "v/a.sql");
      CHECK(e.line() == 5);
      CHECK_THAT(e.what(), Contains("transaction"));
    }
    CHECK(sqlite_tables(db).empty());
  }
  SECTION("COMMIT: refused, and what came before it in the section is not committed") {
    {
      Transaction tx(*d);
      Error e = expect_error([&] {
        d->execute("CREATE TABLE a (x);\nCOMMIT;\nCREATE TABLE b (x);\n", origin("v/a.sql", 4));
      });
      CHECK(e.file() == "v/a.sql");
      CHECK(e.line() == 5);
      CHECK_THAT(e.what(), Contains("COMMIT"));
      CHECK_THAT(e.format(), Contains("transaction:false"));
    }
    // Nothing of a refused revision may be left half-applied.
    CHECK(sqlite_tables(db).empty());
  }
  SECTION("ROLLBACK") {
    {
      Transaction tx(*d);
      Error e = expect_error(
          [&] { d->execute("CREATE TABLE a (x);\nROLLBACK;\n", origin("v/a.sql", 1)); });
      CHECK(e.line() == 2);
    }
    CHECK(sqlite_tables(db).empty());
  }
  SECTION("outside retort's transaction (transaction:false) they are the section's own") {
    d->execute("BEGIN;\nCREATE TABLE own (x);\nCOMMIT;\n", origin("v/a.sql", 1));
    CHECK(sqlite_tables(db) == V{"own"});
  }
}

TEST_CASE("sqlite: create_if_missing=false returns nullptr and creates nothing", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "absent.db";
  DriverOptions options;
  options.create_if_missing = false;
  CHECK(retort::open_driver(url_for(db), options) == nullptr);
  CHECK_FALSE(std::filesystem::exists(db));

  // An existing database opens either way.
  retort::test::sqlite_exec(db, "CREATE TABLE t (x)");
  auto d = retort::open_driver(url_for(db), options);
  REQUIRE(d != nullptr);
  CHECK(d->query("SELECT name FROM sqlite_schema").size() == 1);
}

TEST_CASE("sqlite: create_if_missing=true creates the file", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "new.db";
  auto d = open(db);
  {
    Transaction tx(*d);
    d->execute("CREATE TABLE t (x);", origin("", 1));
    tx.commit();
  }
  CHECK(std::filesystem::exists(db));
  CHECK(sqlite_tables(db) == V{"t"});
}

TEST_CASE("sqlite: a file that is not a SQLite database is a clear error", "[sqlite]") {
  TempDir tmp;
  const std::string path = tmp / "notes.txt";
  write_text(path, std::string(2000, 'x') + "\nthis is not a database\n");
  Error e = expect_error([&] { retort::open_driver(url_for(path), {}); });
  CHECK_THAT(e.what(), Contains(path + " (from the test's URL) is not a SQLite database"));
  CHECK_THAT(e.format(), Contains("database_url"));
  CHECK(retort::test::read_text(path).size() == 2000 + 24);  // left untouched

  SECTION("a short text file too") {
    write_text(path, "hello\n");
    CHECK_THROWS_WITH(retort::open_driver(url_for(path), {}), Contains("is not a SQLite database"));
  }
}

TEST_CASE("sqlite: a directory, or a file in a missing directory, is a clear error", "[sqlite]") {
  TempDir tmp;
  CHECK_THROWS_WITH(
      retort::open_driver(url_for(tmp.path()), {}),
      Contains("database path " + tmp.path() + " (from the test's URL) is a directory"));
  const std::string nested = tmp / "no/such/dir/app.db";
  CHECK_THROWS_WITH(retort::open_driver(url_for(nested), {}),
                    Contains("directory " + (tmp / "no/such/dir") + " does not exist"));
  CHECK_FALSE(std::filesystem::exists(tmp / "no"));
}

TEST_CASE("sqlite: in-memory databases work", "[sqlite]") {
  auto d = retort::open_driver(retort::parse_database_url("sqlite://", "--url"), {});
  REQUIRE(d != nullptr);
  d->execute("CREATE TABLE t (x); INSERT INTO t VALUES (42);", origin("", 1));
  CHECK(d->query("SELECT x FROM t") == retort::Rows{{"42"}});
  CHECK(d->describe() == "sqlite:///:memory:");
  CHECK(d->bookkeeping().name() == "sqlite");
}

TEST_CASE("sqlite: a second writer waits, then reports the lock", "[sqlite]") {
  TempDir tmp;
  const std::string db = tmp / "lock.db";
  auto first = open(db);
  DriverOptions quick;
  quick.lock_timeout_ms = 200;
  auto second = open(db, quick);
  Transaction holding(*first);
  first->execute("CREATE TABLE t (x);", origin("", 1));
  Error e = expect_error([&] { Transaction tx(*second); });
  CHECK_THAT(e.what(), Contains("is locked by another process"));
  CHECK_THAT(e.what(), Contains(db));
  holding.commit();
  Transaction tx(*second);  // free now
  tx.commit();
}

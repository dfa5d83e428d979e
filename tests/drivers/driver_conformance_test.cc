// The driver conformance suite: every case runs against every backend
// (GENERATE(all_backends())), through the Driver interface only.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "test_database.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

namespace {

SqlOrigin in_file(int first_line = 10) {
  return {"versions/0001_x.sql", first_line, "x"};
}

}  // namespace

TEST_CASE("a driver opens the database and describes it") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  CHECK(d->bookkeeping().name() == backend);
  CHECK(d->describe() == db.url().redacted());
  CHECK(d->query("SELECT 1 + 1") == Rows{{"2"}});
}

TEST_CASE("statements run as the database parses them") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  d->execute(
      "-- a comment; with a semicolon\r\n"
      "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);\r\n"
      "/* block; comment */ INSERT INTO t VALUES (1, 'a;b');\r\n"
      "INSERT INTO t VALUES (2, 'it''s; fine')\r\n"
      "; ;\n"
      "INSERT INTO t VALUES (3, '-- not a comment')",
      in_file());
  tx.commit();
  CHECK(d->query("SELECT s FROM t ORDER BY id") ==
        Rows{{"a;b"}, {"it's; fine"}, {"-- not a comment"}});
}

TEST_CASE("only comments and whitespace run as nothing") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  d->execute("  -- nothing here\n/* nor here */\n", in_file());
  d->execute("", in_file());
  tx.commit();
}

TEST_CASE("query returns rows as text, NULL as empty") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  d->execute("CREATE TABLE q (a INTEGER, b TEXT); INSERT INTO q VALUES (1, 'x'), (2, NULL);", {});
  CHECK(d->query("SELECT a, b FROM q ORDER BY a") == Rows{{"1", "x"}, {"2", ""}});
  CHECK(d->query("SELECT a FROM q WHERE a > 5").empty());
}

TEST_CASE("commit keeps, rollback and an unfinished Transaction discard") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  d->execute("CREATE TABLE k (a INTEGER);", {});
  {
    Transaction tx(*d);
    d->execute("INSERT INTO k VALUES (1);", {});
    tx.commit();
  }
  d->begin();
  d->execute("INSERT INTO k VALUES (2);", {});
  d->rollback();
  try {
    Transaction tx(*d);
    d->execute("INSERT INTO k VALUES (3);", {});
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK(db.value("SELECT sum(a) FROM k") == "1");
  // The connection stays usable after a rollback.
  CHECK(d->query("SELECT count(*) FROM k") == Rows{{"1"}});
}

TEST_CASE("DDL is transactional: a rolled back revision leaves no table") {
  const std::string backend = GENERATE(backends_with(&Capabilities::transactional_ddl));
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  {
    Transaction tx(*d);
    d->execute("CREATE TABLE gone (a INTEGER);", in_file());
  }
  CHECK_FALSE(db.table_exists("gone"));
}

// Where DDL commits as it runs (MariaDB), the backend says which statements
// do, so the migrator records them one by one instead of promising a rollback.
TEST_CASE("DDL that commits as it runs stays, and the backend says which statements do") {
  for (const BackendFixture* f : backend_fixtures()) {
    if (f->capabilities().transactional_ddl) continue;
    DYNAMIC_SECTION(f->name()) {
      TestDatabase db(std::string(f->name()));
      auto d = db.open();
      {
        Transaction tx(*d);
        d->execute("CREATE TABLE stays (a INTEGER);", in_file());
      }
      CHECK(db.table_exists("stays"));
      const Backend& b = f->backend();
      CHECK(b.commits_implicitly("CREATE TABLE x (a INTEGER);"));
      CHECK(b.commits_implicitly("alter table x add b int"));
      CHECK(b.commits_implicitly("DROP INDEX i ON x;"));
      CHECK_FALSE(b.commits_implicitly("CREATE TEMPORARY TABLE tmp (a INTEGER);"));
      CHECK_FALSE(b.commits_implicitly("INSERT INTO x VALUES (1);"));
      CHECK_FALSE(b.commits_implicitly("UPDATE x SET a = 2;"));
      CHECK_FALSE(b.commits_implicitly("-- only a comment\n"));
    }
  }
}

TEST_CASE("a failing statement names the file and the line of that statement") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  d->execute("CREATE TABLE u (id INTEGER PRIMARY KEY);", {});
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute(
        "INSERT INTO u VALUES (1);\n\nINSERT INTO u VALUES (2);\n-- then\nINSERT INTO u VALUES "
        "(1);\nINSERT INTO u VALUES (3);",
        in_file(20));
  });
  CHECK(e.file() == "versions/0001_x.sql");
  CHECK(e.line() == 24);
  CHECK_THAT(e.format(), Contains("in statement: INSERT INTO u VALUES (1);"));
  CHECK_THAT(e.what(), Contains(db.text("error: duplicate key u.id")));
  for (const auto& detail : db.texts("error: duplicate key u.id, details"))
    CHECK_THAT(e.format(), Contains(detail));
}

TEST_CASE("a missing table points at the line of its statement") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute(
        "CREATE TABLE b (x INTEGER);\nINSERT INTO b VALUES (1);\n\nINSERT INTO nosuch VALUES (1);",
        in_file(7));
  });
  CHECK(e.line() == 10);
  CHECK_THAT(e.what(), Contains(db.text("error: no such table nosuch")));
}

TEST_CASE("a syntax error points at the line the parser stopped on") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute("SELECT 1;\nCREATE TABLE a (\n  x INTEGER,\n  y TEXT NOT NUL\n);", in_file(5));
  });
  CHECK(e.line() == 8);
  CHECK_THAT(e.what(), Contains(db.text("error: syntax error at NUL, with its code")));
}

TEST_CASE("error lines count characters, not bytes, after multibyte text") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] {
    d->execute("SELECT 'héllo wörld ☃☃☃☃☃☃☃☃☃☃☃☃';\nSELECT 1;\nSELECT 'x' FROM\nWHERE;",
               in_file(1));
  });
  CHECK(e.line() == 4);
}

TEST_CASE("a statement that ends retort's transaction is an error") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  Transaction tx(*d);
  auto e = expect_error([&] { d->execute("CREATE TABLE c (a INTEGER);\nCOMMIT;", in_file(3)); });
  CHECK_THAT(
      e.what(),
      Contains("BEGIN, COMMIT and ROLLBACK cannot run inside a revision's transaction: COMMIT;"));
  CHECK(e.line() == 4);
  CHECK_THAT(e.format(), Contains("transaction:false"));
}

TEST_CASE("outside a transaction each statement commits on its own") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto d = db.open();
  auto e = expect_error([&] {
    d->execute(
        "CREATE TABLE n (a INTEGER);\nINSERT INTO n VALUES (1);\nINSERT INTO nosuch VALUES "
        "(1);\nINSERT INTO n VALUES (2);",
        in_file(1));
  });
  CHECK(e.line() == 3);
  CHECK(db.count("n") == 1);
}

TEST_CASE("statements that refuse a transaction run outside one") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  // None on MariaDB, where DDL commits instead of being refused.
  for (const auto& refusing : db.texts("sql: a statement that cannot run in a transaction")) {
    auto d = db.open();
    d->execute(
        "CREATE TABLE t1 (a INTEGER);\nCREATE TABLE v (a INTEGER);\nINSERT INTO v VALUES (1);\n" +
            refusing + "\nINSERT INTO v VALUES (2);",
        in_file());
    CHECK(db.count("v") == 2);
  }
}

TEST_CASE("the bookkeeping tables are created once and found") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  const std::string schema = GENERATE_COPY(values<std::string>({"", "qualified"}));
  CAPTURE(schema);
  std::string prefix = schema.empty() ? "" : db.schema() + ".";
  std::string version = prefix + "retort_version", log = prefix + "retort_log";
  auto d = db.open();
  const BookkeepingSql& dl = d->bookkeeping();
  CHECK(d->query(dl.find_table_query(version)).empty());
  for (int i = 0; i < 2; ++i) {
    Transaction tx(*d);
    d->execute(dl.create_bookkeeping(version, log), {});
    tx.commit();
  }
  CHECK_FALSE(d->query(dl.find_table_query(version)).empty());
  CHECK_FALSE(d->query(dl.find_table_query(log)).empty());
  CHECK(d->query(dl.select_heads(version)).empty());

  Transaction tx(*d);
  d->execute(
      dl.move_heads(version, {}, {"aaaa1111"}) +
          dl.insert_log(log, {"aaaa1111", "upgrade", std::string(64, 'c'), "", "", -1, "", ""}),
      {});
  d->execute(dl.move_heads(version, {"aaaa1111"}, {"bbbb2222", "cccc3333"}) +
                 dl.insert_log(log, {"bbbb2222", "upgrade", std::string(64, 'd'),
                                     "2025-06-26 23:55:01.123+00:00",
                                     "2025-06-26 23:55:01.456+00:00", 333, "me", "box"}),
             {});
  tx.commit();
  CHECK(d->query(dl.select_heads(version)) == Rows{{"bbbb2222"}, {"cccc3333"}});
  CHECK(d->query(dl.select_checksums(log)) ==
        Rows{{"aaaa1111", std::string(64, 'c')}, {"bbbb2222", std::string(64, 'd')}});
  CHECK(d->query("SELECT duration_ms, applied_by, host FROM " + dl.quote_name(log) +
                 " WHERE revision = 'bbbb2222'") == Rows{{"333", "me", "box"}});
  CHECK(d->query("SELECT count(*) FROM " + dl.quote_name(log) +
                 " WHERE started_at IS NOT NULL AND finished_at IS NOT NULL") == Rows{{"2"}});
  // Moving back to one head and to base.
  d->execute(dl.move_heads(version, {"bbbb2222", "cccc3333"}, {"aaaa1111"}), {});
  CHECK(d->query(dl.select_heads(version)) == Rows{{"aaaa1111"}});
  d->execute(dl.move_heads(version, {"aaaa1111"}, {}), {});
  CHECK(d->query(dl.select_heads(version)).empty());
}

TEST_CASE("a second writer waits for the run lock, then gives up with a clear error") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto first = db.open();
  first->execute("CREATE TABLE w (a INTEGER);", {});
  auto second = db.open(/*lock_timeout_ms=*/1000);
  {
    RunLock held(*first, "retort_version");
    Transaction tx(*first);
    first->execute("INSERT INTO w VALUES (1);", {});
    auto t0 = std::chrono::steady_clock::now();
    auto e = expect_error([&] {
      RunLock lock(*second, "retort_version");
      Transaction tx2(*second);
      second->execute("INSERT INTO w VALUES (2);", {});
    });
    auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited >= std::chrono::milliseconds(900));
    CHECK(waited < std::chrono::seconds(10));
    CHECK_THAT(e.what(), Contains("waited 1 s"));
    CHECK_THAT(e.format(), Contains("--lock-timeout"));
    tx.commit();
  }
  // Once the first is done, the second goes through.
  {
    RunLock lock(*second, "retort_version");
    Transaction tx(*second);
    second->execute("INSERT INTO w VALUES (2);", {});
    tx.commit();
  }
  CHECK(db.count("w") == 2);
}

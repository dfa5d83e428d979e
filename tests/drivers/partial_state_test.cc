// Partial state on every backend: a revision whose statements cannot be
// rolled back (a transaction:false section anywhere, DDL where it commits as
// it runs) records how far it got, says so, continues where it failed, and
// is resolved by hand when a person repaired it.
#include <catch2/catch.hpp>

#include "expect_error.h"
#include "migrator_run.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

namespace {

// r0002 runs outside a transaction: t2, then t2b, then statement 3.
RevisionGraph with_failing_third(bool fail,
                                 const std::string& first = "CREATE TABLE t2 (a INTEGER);") {
  return chain(3, [&](int i, RevisionSpec& s) {
    if (i != 2) return;
    s.upgrade_options = " transaction:false";
    s.upgrade = first + "\nCREATE TABLE t2b (a INTEGER);\n" +
                std::string(fail ? "INSERT INTO nosuch VALUES (1);" : "INSERT INTO t2 VALUES (7);");
    s.downgrade = "DROP TABLE t2b;\nDROP TABLE t2;";
  });
}

}  // namespace

TEST_CASE("partial: a failed revision that cannot roll back is recorded as partial") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = with_failing_third(true);
  Run run(g, db);
  auto e = expect_error([&] { run.upgrade(); });
  CHECK(e.file() == "versions/r0002.sql");
  CHECK(e.line() == 8);
  CHECK_THAT(e.format(), Contains("revision r0002 is partly applied: statements 1-2 of 3 ran"));
  CHECK_THAT(e.format(), Contains("retort resolve r0002 --rolled-back"));
  CHECK(run.heads() == Heads{"r0001"});
  CHECK(run.partials() == Heads{"r0002 2/3"});
  CHECK(db.table_exists("t2"));
  CHECK(db.table_exists("t2b"));
  CHECK(run.log("upgrade") == 1);

  SECTION("a downgrade that would pass it by is refused, and nothing is done") {
    auto d = expect_error([&] { run.downgrade("base"); });
    CHECK_THAT(d.format(),
               Contains("revision r0002 is partly applied (partial: 2 of 3 statements)"));
    CHECK_THAT(d.format(), Contains("nothing was done"));
    CHECK(run.heads() == Heads{"r0001"});
    CHECK(db.table_exists("t1"));
  }
  SECTION("an upgrade that stops before it is refused too") {
    auto u = expect_error([&] { run.upgrade("r0001"); });
    CHECK_THAT(u.format(), Contains("revision r0002 is partly applied"));
  }
  SECTION("statements that ran, edited since, are refused by name") {
    auto edited = with_failing_third(false, "CREATE TABLE t2 (a INTEGER, b INTEGER);");
    Run again(edited, db);
    auto c = expect_error([&] { again.upgrade(); });
    CHECK_THAT(c.format(), Contains("revision r0002 is partly applied (statements 1-2 of 3 ran), "
                                    "but its file no longer holds those statements as they ran"));
    CHECK(again.partials() == Heads{"r0002 2/3"});
    CHECK(again.heads() == Heads{"r0001"});
  }
  SECTION("fixed, it continues at the statement that failed") {
    auto fixed = with_failing_third(false);
    Run again(fixed, db);
    again.upgrade();
    CHECK_THAT(again.out.str(), Contains("(continuing at statement 3 of 3)"));
    CHECK(again.heads() == Heads{"r0003"});
    CHECK(again.partials().empty());
    CHECK(db.count("t2") == 1);
    CHECK(again.log("upgrade") == 3);
    // And it goes down and up again as any other.
    again.downgrade("base");
    CHECK_FALSE(db.table_exists("t2"));
    again.upgrade();
    CHECK(again.heads() == Heads{"r0003"});
  }
  SECTION("resolve --applied: finished by hand, it counts as applied") {
    db.open()->execute("INSERT INTO t2 VALUES (7);", {});
    run.resolve("r0002", true);
    CHECK(run.heads() == Heads{"r0002"});
    CHECK(run.partials().empty());
    CHECK(run.log("resolve-applied") == 1);
    auto fixed = with_failing_third(false);
    Run again(fixed, db);
    again.upgrade();
    CHECK(again.heads() == Heads{"r0003"});
    CHECK(db.count("t2") == 1);
  }
  SECTION("resolve --rolled-back: undone by hand, it runs again from its start") {
    db.open()->execute("DROP TABLE t2b;", {});
    db.open()->execute("DROP TABLE t2;", {});
    run.resolve("r0002", false);
    CHECK(run.heads() == Heads{"r0001"});
    CHECK(run.partials().empty());
    CHECK(run.log("resolve-reverted") == 1);
    auto fixed = with_failing_third(false);
    Run again(fixed, db);
    again.upgrade();
    CHECK(again.heads() == Heads{"r0003"});
    CHECK(db.count("t2") == 1);
  }
  SECTION("resolve refuses a revision that is not partial") {
    auto r = expect_error([&] { run.resolve("r0001", true); });
    CHECK_THAT(r.format(), Contains("revision r0001 is not partly applied"));
    CHECK_THAT(r.format(), Contains("partly applied: r0002"));
  }
}

TEST_CASE("partial: a first statement that fails leaves nothing partial") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(2, [](int i, RevisionSpec& s) {
    if (i != 2) return;
    s.upgrade_options = " transaction:false";
    s.upgrade = "INSERT INTO nosuch VALUES (1);\nCREATE TABLE t2 (a INTEGER);";
  });
  Run run(g, db);
  auto e = expect_error([&] { run.upgrade(); });
  CHECK(e.line() == 6);
  CHECK_THAT(e.format(), !Contains("partly applied"));
  CHECK(run.heads() == Heads{"r0001"});
  CHECK(run.partials().empty());
  CHECK_FALSE(db.table_exists("t2"));
}

// Where DDL commits as it runs, a revision of DML alone is still one
// transaction: all of it or none.
TEST_CASE("partial: a revision of DML alone stays atomic where DDL is not") {
  for (const BackendFixture* f : backend_fixtures()) {
    if (f->capabilities().transactional_ddl) continue;
    DYNAMIC_SECTION(f->name()) {
      TestDatabase db(std::string(f->name()));
      auto g = chain(2, [](int i, RevisionSpec& s) {
        if (i == 2)
          s.upgrade =
              "INSERT INTO t1 VALUES (1);\nINSERT INTO t1 VALUES (2);\nINSERT INTO nosuch "
              "VALUES (3);";
      });
      Run run(g, db);
      auto e = expect_error([&] { run.upgrade(); });
      CHECK_THAT(e.format(), Contains("revision r0002 was rolled back; the database is at r0001"));
      CHECK(db.count("t1") == 0);
      CHECK(run.partials().empty());
    }
  }
}

// The version table tells the truth on every backend: what ran outside a
// transaction is recorded at once, the table is found as the database
// resolves its name, a revision's session settings never reach the next one
// or the bookkeeping, and every change of the table is logged.
#include <catch2/catch.hpp>

#include "migrator_run.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

TEST_CASE("bookkeeping: a transaction:false section in a one-transaction run commits its record") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  bool fail = true;
  auto make = [&] {
    return chain(4, [&](int i, RevisionSpec& s) {
      if (i == 2) {
        s.upgrade_options = " transaction:false";
        s.upgrade = "CREATE INDEX t1_idx ON t1 (a);";
        s.downgrade = "DROP INDEX t1_idx;";
      }
      if (i == 4 && fail) s.upgrade = "INSERT INTO nosuch VALUES (1);";
    });
  };
  MigrateOptions o;
  o.transaction_per_migration = false;
  {
    auto g = make();
    Run run(g, db, o);
    auto e = expect_error([&] { run.upgrade(); });
    // Where DDL commits as it runs, r0003's CREATE TABLE committed it too.
    const bool ddl_commits = !db.fixture().capabilities().transactional_ddl;
    const std::string at = ddl_commits ? "r0003" : "r0002";
    CHECK_THAT(e.format(),
               Contains("the run's transaction was rolled back; the database is at " + at));
    CHECK(run.heads() == Heads{at});
    CHECK(db.table_exists("t1"));
    CHECK(db.table_exists("t3") == ddl_commits);
    CHECK(run.log("upgrade") == (ddl_commits ? 3 : 2));
  }
  // The rerun starts after the index instead of failing on it.
  fail = false;
  auto g = make();
  Run run(g, db, o);
  run.upgrade();
  CHECK(run.heads() == Heads{"r0004"});
  CHECK(run.log("upgrade") == 4);
}

TEST_CASE("bookkeeping: version_table spelled in another case") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(3);
  Run(g, db).upgrade("+2");
  MigrateOptions o;
  o.version_table = "Retort_Version";
  Run run(g, db, o);
  if (db.fixture().names_ignore_case()) {
    // Names match without regard to case (SQLite): it is the same table.
    CHECK(run.heads() == Heads{"r0002"});
    run.upgrade();
    CHECK(run.heads() == Heads{"r0003"});
    run.stamp("head");
    CHECK(db.count("retort_version") == 1);
  } else {
    // Quoted names are told apart (PostgreSQL): say so instead of starting over.
    auto e = expect_error([&] { run.upgrade(); });
    CHECK_THAT(e.what(),
               Contains(db.text("error: version_table Retort_Version beside retort_version")));
    CHECK_THAT(e.format(), Contains("set version_table = retort_version in retort.ini"));
    CHECK(Run(g, db).heads() == Heads{"r0002"});
  }
}

TEST_CASE("bookkeeping: a version table that is a view is refused") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  db.open()->execute(
      "CREATE TABLE real_versions (version_num VARCHAR(128) PRIMARY KEY);\n"
      "CREATE VIEW retort_version AS SELECT version_num FROM real_versions;",
      {});
  auto g = chain(2);
  Run run(g, db);
  for (auto action : {std::function<void()>([&] { run.upgrade(); }),
                      std::function<void()>([&] { run.stamp("head"); }),
                      std::function<void()>([&] { run.heads(); })}) {
    auto e = expect_error(action);
    CHECK_THAT(e.what(), Contains("version_table = retort_version names a view"));
    CHECK_THAT(e.what(), Contains("not a table"));
  }
  CHECK_FALSE(db.table_exists("t1"));
  CHECK(db.count("real_versions") == 0);
}

TEST_CASE("bookkeeping: contradicting rows are reported, not planned from") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(3);
  Run(g, db).upgrade("+1");
  db.open()->execute("INSERT INTO retort_version (version_num) VALUES ('r0003');", {});
  Run run(g, db);
  auto e = expect_error([&] { run.upgrade(); });
  CHECK_THAT(e.what(), Contains("contradicts itself: r0001 is recorded beside r0003, which "
                                "already includes it"));
  CHECK_THAT(e.format(), Contains("retort stamp --purge <revision>"));
  auto d = db.open();
  Migrator m(g, *d, {}, run.out);
  CHECK_THROWS_WITH(m.applied_heads(), Contains("contradicts itself"));
  CHECK_THROWS_WITH(run.stamp("head"), Contains("contradicts itself"));
  CHECK_FALSE(db.table_exists("t2"));
  // --purge repairs it, and says so in the log.
  run.stamp("r0001", true);
  CHECK(run.heads() == Heads{"r0001"});
  CHECK(run.log("unstamp") == 1);  // r0003 went; r0001 stayed
  run.upgrade();
  CHECK(run.heads() == Heads{"r0003"});
}

TEST_CASE("bookkeeping: stamp base and stamp --purge are logged") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(3);
  Run run(g, db);
  run.upgrade();
  run.stamp("base");
  CHECK(run.heads().empty());
  CHECK(run.log("unstamp") == 1);
  run.stamp("r0002");
  run.stamp("r0001", true);
  CHECK(run.heads() == Heads{"r0001"});
  CHECK(run.log("stamp") == 2);
  CHECK(run.log("unstamp") == 2);
  CHECK(db.value("SELECT revision FROM retort_log WHERE direction = 'unstamp' ORDER BY id DESC") ==
        "r0002");
}

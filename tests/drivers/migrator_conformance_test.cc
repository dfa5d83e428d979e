// The migrator over each driver: the same upgrade, downgrade, stamp, failure
// and concurrency behaviour on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <sstream>
#include <thread>

#include "backend/backend.h"
#include "core/revision.h"
#include "core/target.h"
#include "migrate/migrator.h"
#include "migrator_run.h"
#include "project.h"
#include "test_database.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

TEST_CASE("migrator: upgrade, downgrade and stamp") {
  const std::string backend = GENERATE(all_backends());
  const bool per_migration = GENERATE(true, false);
  CAPTURE(backend, per_migration);
  TestDatabase db(backend);
  auto g = chain(5);
  MigrateOptions o;
  o.transaction_per_migration = per_migration;
  Run run(g, db, o);
  CHECK(run.heads().empty());
  run.upgrade("+2");
  CHECK(run.heads() == Heads{"r0002"});
  run.upgrade();
  CHECK(run.heads() == Heads{"r0005"});
  CHECK(db.table_exists("t5"));
  CHECK_THAT(run.out.str(), Contains("Running upgrade r0004 -> r0005, rev r0005"));
  run.upgrade();
  CHECK_THAT(run.out.str(), Contains("Nothing to do: the database is at r0005"));
  run.downgrade("-2");
  CHECK(run.heads() == Heads{"r0003"});
  CHECK_FALSE(db.table_exists("t4"));
  run.downgrade("base");
  CHECK(run.heads().empty());
  CHECK_FALSE(db.table_exists("t1"));
  CHECK(run.log("upgrade") == 5);
  CHECK(run.log("downgrade") == 5);
  run.stamp("head");
  CHECK(run.heads() == Heads{"r0005"});
  CHECK(run.log("stamp") == 1);
  run.stamp("base");
  CHECK(run.heads().empty());
}

TEST_CASE("migrator: the bookkeeping can live in a schema") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(2);
  MigrateOptions o;
  o.version_table = db.schema() + ".retort_version";
  o.log_table = db.schema() + ".retort_log";
  Run run(g, db, o);
  run.upgrade();
  CHECK(run.heads() == Heads{"r0002"});
  CHECK(db.table_exists(o.version_table));
  CHECK(run.log("upgrade") == 2);
}

TEST_CASE("migrator: a failing revision rolls back alone, or the whole run") {
  const std::string backend = GENERATE(all_backends());
  const bool per_migration = GENERATE(true, false);
  CAPTURE(backend, per_migration);
  TestDatabase db(backend);
  auto g = chain(4, [](int i, RevisionSpec& s) {
    if (i == 3) s.upgrade = "CREATE TABLE t3 (a INTEGER);\nINSERT INTO nosuch VALUES (1);";
  });
  MigrateOptions o;
  o.transaction_per_migration = per_migration;
  Run run(g, db, o);
  auto e = expect_error([&] { run.upgrade(); });
  CHECK(e.file() == "versions/r0003.sql");
  CHECK(e.line() == 7);
  if (!db.fixture().capabilities().transactional_ddl) {
    // Each revision's CREATE TABLE committed as it ran, in either mode:
    // r0003 is left partly applied, and says so.
    CHECK_THAT(e.format(), Contains("revision r0003 is partly applied: statement 1 of 2 ran and "
                                    "cannot be rolled back on "));
    CHECK_THAT(e.format(), Contains("statement 2 (line 7) failed: "));
    CHECK(run.heads() == Heads{"r0002"});
    CHECK(run.partials() == Heads{"r0003 1/2"});
    CHECK(db.table_exists("t3"));
    CHECK(run.log("upgrade") == 2);
    return;
  }
  CHECK_FALSE(db.table_exists("t3"));
  if (per_migration) {
    CHECK_THAT(e.format(), Contains("revision r0003 was rolled back; the database is at r0002"));
    CHECK(run.heads() == Heads{"r0002"});
    CHECK(db.table_exists("t2"));
    CHECK(run.log("upgrade") == 2);
  } else {
    CHECK_THAT(e.format(),
               Contains("the run's transaction was rolled back; the database is at base"));
    CHECK(run.heads().empty());
    CHECK_FALSE(db.table_exists("t1"));
    CHECK_FALSE(db.table_exists("retort_version"));
  }
}

TEST_CASE("migrator: a transaction:false section records itself only once it succeeded") {
  const std::string backend = GENERATE(all_backends());
  const bool per_migration = GENERATE(true, false);
  CAPTURE(backend, per_migration);
  TestDatabase db(backend);
  bool fail = true;
  // VACUUM and the like; a database that refuses nothing inside a
  // transaction (MariaDB) runs a plain statement here.
  const auto& refusing = db.fixture().texts("sql: a statement that cannot run in a transaction");
  const std::string outside = refusing.empty() ? std::string("SELECT 1;") : refusing.front();
  auto make = [&] {
    return chain(3, [&](int i, RevisionSpec& s) {
      if (i != 2) return;
      s.upgrade_options = " transaction:false";
      s.upgrade =
          "CREATE TABLE t2 (a INTEGER);\n" + outside + "\n" +
          std::string(fail ? "INSERT INTO nosuch VALUES (1);" : "INSERT INTO t2 VALUES (1);");
    });
  };
  MigrateOptions o;
  o.transaction_per_migration = per_migration;
  {
    auto g = make();
    Run run(g, db, o);
    auto e = expect_error([&] { run.upgrade(); });
    CHECK(e.line() == 8);
    CHECK_THAT(e.format(), Contains("revision r0002 is partly applied: statements 1-2 of 3 ran "
                                    "outside a transaction (transaction:false), so they stay "
                                    "applied; statement 3 (line 8) failed: "));
    CHECK_THAT(e.format(), Contains("the database is at r0001, with r0002 partly applied"));
    CHECK(run.heads() == Heads{"r0001"});  // r0001 committed before the section ran
    CHECK(run.partials() == Heads{"r0002 2/3"});
    CHECK(db.table_exists("t2"));  // statements outside a transaction stay
  }
  // The fixed file continues at statement 3: t2 is not created twice.
  fail = false;
  auto g = make();
  Run run(g, db, o);
  run.upgrade();
  CHECK_THAT(run.out.str(), Contains("(continuing at statement 3 of 3)"));
  CHECK(run.heads() == Heads{"r0003"});
  CHECK(run.partials().empty());
  CHECK(db.count("t2") == 1);
  CHECK(run.log("upgrade") == 3);
}

TEST_CASE("migrator: concurrent deployers apply each revision exactly once") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  TestDatabase db(backend);
  auto g = chain(30);
  std::atomic<int> ok{0};
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      try {
        auto d = db.open(60000);
        std::ostringstream out;
        MigrateOptions o;
        o.verbosity = 0;
        Migrator(g, *d, o, out).upgrade(parse_target("head"));
        ++ok;
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(t)] = e.what();
      }
    });
  for (auto& t : threads)
    t.join();
  for (const auto& e : errors)
    CHECK(e.empty());
  CHECK(ok == 8);
  Run run(g, db);
  CHECK(run.heads() == Heads{"r0030"});
  CHECK(run.log("upgrade") == 30);
  CHECK(db.value("SELECT count(DISTINCT revision) FROM retort_log") == "30");
}

TEST_CASE("migrator: the offline script matches the transaction mode") {
  const std::string backend = GENERATE(all_backends());
  CAPTURE(backend);
  auto g = chain(2, [](int i, RevisionSpec& s) {
    if (i == 2) s.upgrade_options = " transaction:false";
  });
  MigrateOptions o;
  o.transaction_per_migration = false;
  std::ostringstream out;
  write_offline_script(g, *backend_named(backend), o, Direction::kUpgrade,
                       parse_target_range("head"), out);
  std::string sql = out.str();
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = sql.find(what); at != std::string::npos; at = sql.find(what, at + 1))
      ++n;
    return n;
  };
  // One transaction, broken around r0002's section, whose bookkeeping
  // commits on its own right after it.
  CHECK(count(backend_named(backend)->bookkeeping()->begin_transaction()) == 3);
  CHECK(count("COMMIT;") == 3);
  CHECK(sql.find("CREATE TABLE t2") > sql.find("COMMIT;"));
  // And the script really runs.
  TestDatabase db(backend);
  db.open()->execute(sql, {});
  CHECK(Run(g, db).heads() == Heads{"r0002"});
}

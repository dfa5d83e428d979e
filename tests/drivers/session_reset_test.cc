// Each revision runs as if it were the first of the run: what one revision
// sets for its session (pragmas, search_path, role, temporary objects) is
// gone before the next revision and before retort's bookkeeping, whether the
// two run in one `upgrade` or in two.
#include <catch2/catch.hpp>

#include "migrator_run.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

namespace {

// Runs `graph` to head twice, once in one run and once a revision per run,
// and checks both end the same way.
template <typename Check>
void in_one_run_and_in_two(const std::string& backend, const RevisionGraph& g, Check check) {
  for (bool one_run : {true, false}) {
    CAPTURE(one_run);
    TestDatabase db(backend);
    Run run(g, db);
    if (one_run) {
      run.upgrade();
    } else {
      for (size_t i = 0; i < g.size(); ++i)
        run.upgrade("+1");
    }
    CHECK(run.heads() == Heads{id_of(static_cast<int>(g.size()))});
    check(db);
  }
}

}  // namespace

TEST_CASE(
    "session: a revision's SET search_path and SET reach neither the bookkeeping nor the next") {
  TestDatabase probe("postgresql");
  const bool per_migration = GENERATE(true, false);
  CAPTURE(per_migration);
  auto g = chain(3, [](int i, RevisionSpec& s) {
    if (i == 1)
      s.upgrade =
          "CREATE TABLE t1 (a INTEGER);\nCREATE SCHEMA other;\nSET search_path TO other;\n"
          "SET statement_timeout = 1;\nSET application_name = 'r1';";
    if (i == 2) s.upgrade = "CREATE TABLE t2 (a INTEGER);\nSELECT pg_sleep(0.05);";
  });
  in_one_run_and_in_two("postgresql", g, [](const TestDatabase& db) {
    CHECK(db.value("SELECT to_regclass('public.t2') IS NOT NULL") == "t");
    CHECK(db.value("SELECT to_regclass('other.t2') IS NULL") == "t");
    CHECK(db.value("SELECT count(*) FROM public.retort_log WHERE direction = 'upgrade'") == "3");
  });
  // transaction_per_migration = false: the same inside one transaction.
  TestDatabase db("postgresql");
  MigrateOptions o;
  o.transaction_per_migration = per_migration;
  Run run(g, db, o);
  run.upgrade();
  CHECK(run.heads() == Heads{"r0003"});
  CHECK(db.value("SELECT to_regclass('public.t3') IS NOT NULL") == "t");
}

TEST_CASE("session: SET ROLE and temporary tables end with their revision") {
  TestDatabase db("postgresql");
  auto role = "retort_reader_" + std::to_string(::getpid());
  // The test user may create roles (scripts/with-postgres) and is made a
  // member, so that it may SET ROLE to it.
  db.open()->execute("CREATE ROLE " + role + ";\nGRANT " + role +
                         " TO CURRENT_USER;\n"
                         "GRANT CREATE ON SCHEMA public TO " +
                         role + ";",
                     {});
  auto g = chain(3, [&](int i, RevisionSpec& s) {
    if (i == 1) s.upgrade = "CREATE TABLE t1 (a INTEGER);\nSET ROLE " + role + ";";
    if (i == 2) s.upgrade = "CREATE TABLE t2 (a INTEGER);\nCREATE TEMP TABLE scratch (a INTEGER);";
    if (i == 3)
      s.upgrade =
          "CREATE TABLE t3 AS SELECT count(*) AS n FROM pg_tables WHERE tablename = "
          "'scratch';";
  });
  Run run(g, db);
  run.upgrade();
  CHECK(run.heads() == Heads{"r0003"});
  // Created as the connecting user, not as the role r0001 switched to.
  CHECK(db.value("SELECT tableowner = current_user FROM pg_tables WHERE tablename = 't2'") == "t");
  CHECK(db.value("SELECT n FROM t3") == "0");
}

TEST_CASE("session: PRAGMA foreign_keys in one revision does not cascade in a later rebuild") {
  // r0002 turns foreign keys on (outside a transaction, where the pragma
  // works); r0003 rebuilds the parent by hand. Run alone, r0003 keeps the
  // children; in the same run as r0002 it must too.
  auto g = chain(3, [](int i, RevisionSpec& s) {
    if (i == 1)
      s.upgrade =
          "CREATE TABLE t1 (a INTEGER);\n"
          "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
          "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) "
          "ON DELETE CASCADE);\n"
          "INSERT INTO parent VALUES (1), (2);\nINSERT INTO child VALUES (10, 1), (20, 2);";
    if (i == 2) {
      s.upgrade_options = " transaction:false";
      s.upgrade = "CREATE TABLE t2 (a INTEGER);\nPRAGMA foreign_keys = ON;";
    }
    if (i == 3)
      s.upgrade =
          "CREATE TABLE t3 (a INTEGER);\n"
          "CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT);\n"
          "INSERT INTO parent_new (id) SELECT id FROM parent;\n"
          "DROP TABLE parent;\nALTER TABLE parent_new RENAME TO parent;";
  });
  in_one_run_and_in_two("sqlite", g, [](const TestDatabase& db) { CHECK(db.count("child") == 2); });
}

TEST_CASE(
    "session: SQLite pragmas, temporary tables and attached databases end with their "
    "revision") {
  auto g = chain(4, [](int i, RevisionSpec& s) {
    // query_only would make the bookkeeping itself fail.
    if (i == 1) s.upgrade = "CREATE TABLE t1 (a INTEGER);\nPRAGMA query_only = ON;";
    if (i == 2) {
      s.upgrade_options = " transaction:false";
      s.upgrade =
          "CREATE TABLE t2 (a INTEGER);\nCREATE TEMP TABLE scratch (a INTEGER);\n"
          "ATTACH DATABASE ':memory:' AS aux;\nPRAGMA recursive_triggers = ON;";
    }
    if (i == 3)
      s.upgrade =
          "CREATE TABLE t3 AS SELECT (SELECT count(*) FROM temp.sqlite_schema) AS temps, "
          "(SELECT count(*) FROM pragma_database_list WHERE name = 'aux') AS dbs;";
  });
  in_one_run_and_in_two("sqlite", g, [](const TestDatabase& db) {
    CHECK(db.value("SELECT temps || ',' || dbs FROM t3") == "0,0");
  });
}

TEST_CASE("session: MariaDB's SET, SET NAMES and USE reach neither the bookkeeping nor the next") {
  TestDatabase probe("mariadb");
  auto g = chain(3, [](int i, RevisionSpec& s) {
    if (i == 1)
      s.upgrade =
          "CREATE TABLE t1 (a INTEGER);\nCREATE DATABASE IF NOT EXISTS retort_other_s1;\n"
          "USE retort_other_s1;\nSET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';\n"
          "SET autocommit = 0;\nSET NAMES latin1;\nSET SESSION foreign_key_checks = 0;";
    // Would fail with foreign_key_checks = 1 only if it were still 0: it is
    // checked that the reference is refused.
    if (i == 2)
      s.upgrade =
          "CREATE TABLE t2 (id INTEGER PRIMARY KEY, p INTEGER, FOREIGN KEY (p) REFERENCES t2 "
          "(id));\nSELECT 'a\\'b';";
  });
  in_one_run_and_in_two("mariadb", g, [](const TestDatabase& db) {
    // t2 and the bookkeeping landed in the URL's database, not in the one USE chose.
    CHECK(db.table_exists("t2"));
    CHECK(db.value("SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                   "'retort_other_s1' AND table_name IN ('t2', 'retort_version')") == "0");
    CHECK(db.value("SELECT count(*) FROM retort_log WHERE direction = 'upgrade'") == "3");
    // autocommit = 0 did not swallow the bookkeeping: another session sees it.
    CHECK(db.value("SELECT count(*) FROM retort_version") == "1");
    // foreign_key_checks came back on.
    auto d = db.open();
    CHECK_THROWS(d->execute("INSERT INTO t2 VALUES (1, 99);", {}));
  });
  probe.open()->execute("DROP DATABASE IF EXISTS retort_other_s1;", {});
}

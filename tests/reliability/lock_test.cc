// A database locked by another process for longer than retort waits: a clear
// error naming what is locked, no partial revision, and the same command goes
// through once the other process lets go. The lock holders are real client
// processes (sqlite3, psql, mariadb), not connections inside the test.
#include <catch2/catch.hpp>

#include "project.h"
#include "reliability_support.h"

using namespace retort::test;
using Catch::Contains;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> client_argv(const Project& p) {
  return p.fixture().client_argv(p.database());
}

void add_second(Project& p) {
  p.add({"lock0002", "r0001", "ALTER TABLE t1 ADD COLUMN note TEXT;\nCREATE TABLE t2 (id INTEGER);",
         "DROP TABLE t2;"});
}

void check_still_at_r0001(const Project& p) {
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1"});
  CHECK(p.log_count("lock0002", "upgrade") == 0);
}

}  // namespace

TEST_CASE("SQLite write-locked by the sqlite3 client past the busy timeout") {
  Project p;
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  {
    ClientSession holder(client_argv(p));
    holder.send("BEGIN IMMEDIATE;");
    REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
    auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 30s);
    INFO(r.result.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.result.exit_code == 1);
    CHECK_THAT(r.result.err, Contains("app.db is locked by another process (waited 1 s)"));
    CHECK_THAT(r.result.err, Contains("--lock-timeout"));
    check_still_at_r0001(p);
    report("lock", "lock sqlite write lock (sqlite3 client): clear error after " +
                       std::to_string(r.ms) + " ms, nothing applied");
  }
  auto again = p.run({"upgrade"});
  INFO(again.all());
  REQUIRE(again.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"lock0002"});
}

TEST_CASE("SQLite read-locked by the sqlite3 client: the commit cannot get through") {
  // A reader's open transaction keeps its SHARED lock, so retort can write
  // its journal but never take the EXCLUSIVE lock that COMMIT needs.
  Project p;
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  {
    ClientSession reader(client_argv(p));
    reader.send("BEGIN;\nSELECT count(*) FROM t1;");
    REQUIRE(reader.sync(p.fixture().client_marker(p.root() + "/reading"), p.root() + "/reading"));
    auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 30s);
    INFO(r.result.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.result.exit_code == 1);
    // Named like a lock at BEGIN: the file, the wait and --lock-timeout.
    CHECK_THAT(r.result.err, Contains("app.db is locked by another process (waited 1 s)"));
    CHECK_THAT(r.result.err, Contains("--lock-timeout"));
    check_still_at_r0001(p);
    report("lock", "lock sqlite read lock (sqlite3 client): exit " +
                       std::to_string(r.result.exit_code) + " after " + std::to_string(r.ms) +
                       " ms, nothing applied");
  }
  auto again = p.run({"upgrade"});
  INFO(again.all());
  REQUIRE(again.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"lock0002"});
}

TEST_CASE("another session holds retort's advisory lock") {
  Project p(GENERATE(backends_with(&retort::Capabilities::advisory_locks)));
  CAPTURE(p.backend());
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  {
    ClientSession holder(client_argv(p));
    holder.send(p.fixture().hold_run_lock_sql("retort_version"));
    REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
    auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 30s);
    INFO(r.result.all());
    CHECK_FALSE(r.timed_out);
    CHECK(r.result.exit_code == 1);
    CHECK_THAT(r.result.err, Contains(p.text("error: another session holds the run lock")));
    CHECK_THAT(r.result.err, Contains("(waited 1 s)"));
    CHECK_THAT(r.result.err, Contains("--lock-timeout"));
    check_still_at_r0001(p);
    report("lock", "lock " + p.backend() + " advisory lock (" + client_argv(p).front() +
                       "): clear error after " + std::to_string(r.ms) + " ms, nothing applied");
  }
  auto again = p.run({"upgrade"});
  INFO(again.all());
  REQUIRE(again.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"lock0002"});
}

TEST_CASE("PostgreSQL: another session holds a lock on a table the revision alters") {
  Project p("postgresql");
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  ClientSession holder(client_argv(p));
  holder.send("BEGIN;\nLOCK TABLE t1 IN ACCESS EXCLUSIVE MODE;");
  REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
  auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 20s);
  INFO(r.result.all());
  CHECK_FALSE(r.timed_out);
  CHECK(r.result.exit_code == 1);
  // The lock is met inside the revision's SQL, but the file is not at fault.
  CHECK_THAT(r.result.err, Contains("canceling statement due to lock timeout (SQLSTATE 55P03)"));
  CHECK_THAT(r.result.err,
             Contains("another session holds a lock this statement needs (waited 1 s)"));
  CHECK_THAT(r.result.err, Contains("Run the command again once that is resolved"));
  CHECK_THAT(r.result.err, !Contains("Fix the file"));
  report("lock", "lock postgresql table lock: exit " + std::to_string(r.result.exit_code) +
                     " after " + std::to_string(r.ms) +
                     " ms, timed out: " + (r.timed_out ? "yes" : "no") + " :: " + r.result.err);
  check_still_at_r0001(p);
}

TEST_CASE("PostgreSQL: another session holds a lock on the version table") {
  Project p("postgresql");
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  ClientSession holder(client_argv(p));
  holder.send("BEGIN;\nLOCK TABLE retort_version IN ACCESS EXCLUSIVE MODE;");
  REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
  auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 20s);
  INFO(r.result.all());
  CHECK_FALSE(r.timed_out);
  CHECK(r.result.exit_code == 1);
  report("lock", "lock postgresql version table lock: exit " + std::to_string(r.result.exit_code) +
                     " after " + std::to_string(r.ms) +
                     " ms, timed out: " + (r.timed_out ? "yes" : "no") + " :: " + r.result.err);
}

TEST_CASE("MariaDB: another session holds a lock on a table the revision alters") {
  Project p("mariadb");
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  ClientSession holder(client_argv(p));
  holder.send("LOCK TABLES t1 WRITE;");
  REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
  auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 20s);
  INFO(r.result.all());
  CHECK_FALSE(r.timed_out);
  CHECK(r.result.exit_code == 1);
  // lock_wait_timeout bounds the metadata lock the ALTER waits for.
  CHECK_THAT(r.result.err, Contains("Lock wait timeout exceeded"));
  CHECK_THAT(r.result.err, Contains("(MariaDB error 1205, SQLSTATE HY000)"));
  CHECK_THAT(r.result.err,
             Contains("another session holds a lock this statement needs (waited 1 s)"));
  CHECK_THAT(r.result.err, Contains("Run the command again once that is resolved"));
  CHECK_THAT(r.result.err, !Contains("Fix the file"));
  report("lock", "lock mariadb table lock: exit " + std::to_string(r.result.exit_code) + " after " +
                     std::to_string(r.ms) + " ms, timed out: " + (r.timed_out ? "yes" : "no") +
                     " :: " + r.result.err);
  check_still_at_r0001(p);
}

TEST_CASE("MariaDB: another session holds a lock on the version table") {
  Project p("mariadb");
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  add_second(p);
  ClientSession holder(client_argv(p));
  holder.send("LOCK TABLES retort_version WRITE;");
  REQUIRE(holder.sync(p.fixture().client_marker(p.root() + "/locked"), p.root() + "/locked"));
  auto r = run_retort_bounded({"upgrade", "--lock-timeout", "1"}, p.root(), 20s);
  INFO(r.result.all());
  CHECK_FALSE(r.timed_out);
  CHECK(r.result.exit_code == 1);
  CHECK_THAT(r.result.err, Contains("Lock wait timeout exceeded"));
  report("lock", "lock mariadb version table lock: exit " + std::to_string(r.result.exit_code) +
                     " after " + std::to_string(r.ms) +
                     " ms, timed out: " + (r.timed_out ? "yes" : "no") + " :: " + r.result.err);
}

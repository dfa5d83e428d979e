// SIGINT and SIGTERM during a run: the revision under way rolls back (the
// database is told to stop its statement), one line says where the database
// is, and the exit status is 128 + the signal. A closed stdout never stops
// a run between two revisions, and output that could not be written is an
// error.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "project.h"
#include "temp_dir.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// A statement that runs until it is stopped.
std::string endless(const Project& p) {
  return p.text("sql: endless query");
}

// Waits (up to 30 s) until the running tool has printed `text` on stdout.
bool wait_for_output(const Running& r, const std::string& text) {
  for (int i = 0; i < 1500; ++i) {
    if (access(r.out_path.c_str(), F_OK) == 0 &&
        read_text(r.out_path).find(text) != std::string::npos)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// wait_retort, but a tool that does not stop within 30 s is killed and the
// test fails instead of hanging.
RunResult wait_bounded(const Running& r) {
  RunResult res = wait_retort(r, 30);
  if (res.timed_out) FAIL("retort did not stop within 30 s of the signal");
  return res;
}

}  // namespace

TEST_CASE("SIGINT or SIGTERM during a revision rolls it back and says where the database is") {
  Project p(GENERATE(all_backends()));
  const int sig = GENERATE(SIGINT, SIGTERM);
  const std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  CAPTURE(name);
  p.add({"r0001", "", "CREATE TABLE t1 (a INTEGER);", "DROP TABLE t1;"});
  std::string slow =
      p.add({"r0002", "r0001", "CREATE TABLE t2 (a INTEGER);\n" + endless(p), "DROP TABLE t2;"});
  p.add({"r0003", "r0002", "CREATE TABLE t3 (a INTEGER);", "DROP TABLE t3;"});

  auto t0 = std::chrono::steady_clock::now();
  Running run = start_retort({"upgrade", "head"}, {p.root()});
  REQUIRE(wait_for_output(run, "Running upgrade r0001 -> r0002"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // well inside the statement
  kill(run.pid, sig);
  RunResult r = wait_bounded(run);
  CHECK(r.exit_code == 128 + sig);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  if (!p.fixture().capabilities().transactional_ddl) {
    // CREATE TABLE t2 committed as it ran: the stopped revision is partial.
    CHECK_THAT(r.err, Contains("interrupted by " + name +
                               ": revision r0002 is partly applied: statement 1 of 2 ran"));
    CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1", "t2"});
    CHECK(p.run({"current"}).out == "r0001\nr0002 (partial: 1 of 2 statements)\n");
    p.exec("DROP TABLE t2");
    auto resolved = p.run({"resolve", "r0002", "--rolled-back"});
    CHECK(resolved.exit_code == 0);
    CHECK_THAT(resolved.out, Contains("Resolved r0002 as rolled back; the database is at r0001"));
  } else {
    CHECK(r.err == "retort: error: interrupted by " + name +
                       ": revision r0002 was rolled back; the database is at r0001\n");
  }
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1"});
  // A server stopped the statement: nothing of it is left running.
  for (const auto& sql : p.texts("sql: count of other sessions still running the endless query"))
    CHECK(p.value(sql) == "0");
  // The next deployer finds no lock held, and finishes the work.
  write_text(slow,
             render_revision({"r0002", "r0001", "CREATE TABLE t2 (a INTEGER);", "DROP TABLE t2;"}));
  auto again = p.run({"upgrade", "head", "--lock-timeout", "2"});
  CHECK(again.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"r0003"});
}

TEST_CASE("a signal while waiting for another deployer's lock ends the wait at once") {
  Project p(GENERATE(backends_with(&retort::Capabilities::advisory_locks)));
  p.add({"r0001", "", "CREATE TABLE t1 (a INTEGER);\n" + endless(p), "DROP TABLE t1;"});
  Running holder = start_retort({"upgrade", "head"}, {p.root()});
  REQUIRE(wait_for_output(holder, "Running upgrade"));
  Running waiter = start_retort({"upgrade", "head", "--lock-timeout", "120"}, {p.root()});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(waiter.pid, SIGINT);
  RunResult w = wait_bounded(waiter);
  CHECK(w.exit_code == 130);
  CHECK_THAT(w.err, Contains("interrupted by SIGINT"));
  CHECK_THAT(w.err, Contains("before any revision ran; nothing was applied"));
  kill(holder.pid, SIGTERM);
  CHECK(wait_bounded(holder).exit_code == 143);
  CHECK(p.heads().empty());
}

TEST_CASE("a closed stdout does not stop a run between two revisions") {
  Project p(GENERATE(all_backends()));
  p.add_chain(5);
  auto r = run_retort({"upgrade", "head"}, {p.root(), {}, "", kClosedPipe});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("retort: error: cannot write to standard output (Broken pipe)"));
  CHECK_THAT(r.err, Contains("the command itself completed"));
  CHECK(p.heads() == std::vector<std::string>{"r0005"});
  CHECK(p.log_count("r0005", "upgrade") == 1);
}

TEST_CASE("output that cannot be written is an error") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  for (std::vector<std::string> args : {std::vector<std::string>{"history"},
                                        {"upgrade", "head", "--sql"},
                                        {"heads"},
                                        {"current"}}) {
    CAPTURE(args);
    auto r = run_retort(args, {p.root(), {}, "", "/dev/full"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("cannot write to standard output (No space left on device)"));
  }
}

TEST_CASE("statements that cannot run in a transaction say how to mark their section") {
  Project p(GENERATE(all_backends()));
  // None on MariaDB, where DDL commits instead of being refused.
  const auto& refusing = p.texts("sql: a statement that cannot run in a transaction");
  if (refusing.empty()) return;
  p.add({"r0001", "", "CREATE TABLE t1 (a INTEGER);", "DROP TABLE t1;"});
  p.add({"r0002", "r0001", refusing.front(), "SELECT 1;"});
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0002_r0002.sql:6: "));
  CHECK_THAT(r.err, Contains("hint: this statement cannot run inside a transaction: put it in a "
                             "section of its own marked `-- migrate:upgrade transaction:false`"));
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
}

TEST_CASE("PostgreSQL warnings are shown, notices with -v") {
  Project p("postgresql");
  p.add({"r0001", "",
         "DO $$ BEGIN RAISE WARNING 'rows without owner: %', 3; RAISE NOTICE 'step 1 of 2'; "
         "END $$;",
         "SELECT 1;"});
  auto r = p.run({"upgrade"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("  WARNING: rows without owner: 3\n"));
  CHECK_THAT(r.out, !Contains("step 1 of 2"));
  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  auto v = p.run({"-v", "upgrade"});
  CHECK_THAT(v.out, Contains("  NOTICE: step 1 of 2\n"));
  // retort's own statements stay quiet ("relation already exists, skipping").
  CHECK_THAT(v.out, !Contains("skipping"));
}

TEST_CASE("current and verify report a version table that contradicts itself") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  p.exec("INSERT INTO retort_version (version_num) VALUES ('r0003')");
  for (const char* cmd : {"current", "verify", "upgrade"}) {
    CAPTURE(cmd);
    auto r = p.run({cmd});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("contradicts itself: r0001 is recorded beside r0003, which "
                               "already includes it"));
  }
  REQUIRE(p.run({"stamp", "--purge", "r0001"}).exit_code == 0);
  CHECK(p.run({"current"}).out == "r0001\n");
}

// Partial state from the command line: a revision that cannot be rolled back
// fails half way, and current, history, verify, upgrade and resolve all say
// and do the same about it.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// Statements 1 and 2 run and stay; statement 3 fails until the file is fixed.
// A transaction:false section on every backend; where DDL commits as it runs
// (MariaDB), an ordinary section does the same.
std::string add_half_failing(Project& p, bool transaction_false) {
  p.add({"ok000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  std::string opts = transaction_false ? " transaction:false" : "";
  return p.add({"bad00002", "ok000001",
                "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\n\nINSERT INTO nosuch "
                "VALUES (1);",
                "DROP TABLE b;\nDELETE FROM a;", "", "", opts, opts});
}

void fix(const std::string& file, bool transaction_false) {
  std::string opts = transaction_false ? " transaction:false" : "";
  write_text(file, render_revision({"bad00002", "ok000001",
                                    "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\n\n"
                                    "INSERT INTO b VALUES (2);",
                                    "DROP TABLE b;\nDELETE FROM a;", "", "", opts, opts}));
}

void check_partial_then_continue(Project& p, const std::string& file, bool transaction_false) {
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("retort: error: migrations/versions/0002_bad00002.sql:9: revision "
                             "bad00002 is partly applied: statements 1-2 of 3 ran"));
  CHECK_THAT(r.err, Contains("; statement 3 (line 9) failed: "));
  CHECK_THAT(r.err, Contains("the database is at ok000001, with bad00002 partly applied"));
  CHECK(p.heads() == std::vector<std::string>{"ok000001"});
  CHECK(p.tables() == std::vector<std::string>{"a", "b", "retort_log", "retort_version"});

  CHECK(p.run({"current"}).out == "ok000001\nbad00002 (partial: 2 of 3 statements)\n");
  CHECK_THAT(p.run({"history", "--indicate-current"}).out,
             Contains("ok000001 -> bad00002 (head), rev bad00002 (partial: 2 of 3 statements)\n"));
  auto verify = p.run({"verify"});
  CHECK(verify.exit_code == 1);
  CHECK_THAT(verify.err, Contains("revision bad00002 is partly applied (partial: 2 of 3 "
                                  "statements)"));
  auto down = p.run({"downgrade", "base"});
  CHECK(down.exit_code == 1);
  CHECK_THAT(down.err, Contains("nothing was done"));
  CHECK(p.tables() == std::vector<std::string>{"a", "b", "retort_log", "retort_version"});

  fix(file, transaction_false);
  auto again = p.run({"upgrade"});
  INFO(again.all());
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("(continuing at statement 3 of 3)"));
  CHECK(p.run({"current"}).out == "bad00002 (head)\n");
  CHECK(p.value("SELECT count(*) FROM a") == "1");  // statement 2 ran once
  CHECK(p.run({"verify"}).exit_code == 0);
  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version"});
}

}  // namespace

TEST_CASE("partial: a transaction:false section that fails half way, from the command line") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  std::string file = add_half_failing(p, true);
  check_partial_then_continue(p, file, true);
}

TEST_CASE("partial: where DDL commits as it runs, an ordinary revision that fails half way") {
  for (const BackendFixture* f : backend_fixtures()) {
    if (f->capabilities().transactional_ddl) continue;
    DYNAMIC_SECTION(f->name()) {
      Project p{std::string(f->name())};
      std::string file = add_half_failing(p, false);
      check_partial_then_continue(p, file, false);
    }
  }
}

TEST_CASE("partial: resolve records a repair by hand") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_half_failing(p, true);
  REQUIRE(p.run({"upgrade"}).exit_code == 1);

  auto neither = p.run({"resolve", "bad00002"});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Contains("resolve needs exactly one of --applied and --rolled-back"));
  auto other = p.run({"resolve", "ok000001", "--applied"});
  CHECK(other.exit_code == 1);
  CHECK_THAT(other.err, Contains("revision ok000001 is not partly applied"));

  // The person finished statement 3's work by hand.
  auto done = p.run({"resolve", "bad00002", "--applied"});
  INFO(done.all());
  CHECK(done.exit_code == 0);
  CHECK_THAT(done.out, Contains("Resolved bad00002 as applied; the database is at bad00002"));
  CHECK(p.run({"current"}).out == "bad00002 (head)\n");
  CHECK(p.log_count("bad00002", "resolve-applied") == 1);
  CHECK(p.run({"upgrade"}).out == "Nothing to do: the database is at bad00002\n");
}

TEST_CASE("partial: statements that all ran but could not be recorded are recorded next time") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  // The section takes the log table away, so its own bookkeeping fails.
  p.add({"drop0001", "", "CREATE TABLE c (x INTEGER);\nDROP TABLE retort_log;", "DROP TABLE c;", "",
         "", " transaction:false", " transaction:false"});
  auto r = p.run({"upgrade"});
  INFO(r.all());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Contains("revision drop0001 ran all its statements, but recording it failed: "));
  CHECK_THAT(r.err, Contains("the database is at base, with drop0001 partly applied"));
  CHECK_THAT(r.err, Contains("it records drop0001 without running its statements again"));
  CHECK_THAT(p.run({"current"}).out, Contains("drop0001 (partial: 2 of 2 statements)"));

  auto again = p.run({"upgrade"});
  INFO(again.all());
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("(its statements had all run; recording it)"));
  CHECK(p.run({"current"}).out == "drop0001 (head)\n");
  CHECK(p.tables() == std::vector<std::string>{"c", "retort_log", "retort_version"});
}

TEST_CASE("partial: lint warns where DDL followed by more statements could be left partial") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"ok000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  std::string mixed =
      p.add({"mix00002", "ok000001", "CREATE TABLE b (x INTEGER);\nINSERT INTO b VALUES (1);",
             "DROP TABLE b;"});
  for (const auto& args :
       {std::vector<std::string>{"lint"}, std::vector<std::string>{"lint", mixed}}) {
    CAPTURE(args);
    auto r = p.run(args);
    CHECK(r.exit_code == 0);
    const std::string warning = "0002_mix00002.sql:7: statement 2 of revision mix00002 follows DDL";
    if (p.fixture().capabilities().transactional_ddl) {
      CHECK_THAT(r.err, !Contains("warning"));
    } else {
      CHECK_THAT(r.err, Contains("retort: warning: "));
      CHECK_THAT(r.err, Contains(warning));
      CHECK_THAT(r.err, Contains("(line 6): if it fails, the revision is left partly applied"));
      // One DDL statement alone is all or nothing: no warning for r1.
      CHECK_THAT(r.err, !Contains("ok000001"));
    }
  }
}

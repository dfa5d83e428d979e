// A failing statement rolls its revision back, names the file and line, and
// leaves the revisions before it applied; a rerun after the fix completes.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;
using retort::Capabilities;

// Where DDL commits as it runs, the same revision is left partly applied:
// partial_test.cc.
TEST_CASE("a failing statement in revision k of n leaves the database at k-1") {
  Project p(GENERATE(backends_with(&Capabilities::transactional_ddl)));
  p.add({"ok000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  std::string bad = p.add(
      {"bad00002", "ok000001",
       "CREATE TABLE b (x INTEGER);\nINSERT INTO b VALUES (1);\n\nINSERT INTO nosuch VALUES (1);",
       "DROP TABLE b;"});
  p.add({"ok000003", "bad00002", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"});

  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("retort: error: migrations/versions/0002_bad00002.sql:9: " +
                             p.text("error: no such table nosuch")));
  CHECK_THAT(r.err, Contains("in statement: INSERT INTO nosuch VALUES (1);"));
  CHECK_THAT(r.err, Contains("revision bad00002 was rolled back; the database is at ok000001"));
  CHECK(p.heads() == std::vector<std::string>{"ok000001"});
  CHECK(p.tables() == std::vector<std::string>{"a", "retort_log", "retort_version"});
  CHECK(p.log_count("bad00002", "upgrade") == 0);

  write_text(bad, render_revision(
                      {"bad00002", "ok000001", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;"}));
  auto fixed = p.run({"upgrade"});
  REQUIRE(fixed.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"ok000003"});
  CHECK(p.tables() == std::vector<std::string>{"a", "b", "c", "retort_log", "retort_version"});
}

TEST_CASE("a syntax error points at the line SQLite stopped on") {
  Project p(GENERATE(all_backends()));
  p.add({"syn00001", "", "CREATE TABLE a (\n  x INTEGER,\n  y TEXT NOT NUL\n);", "DROP TABLE a;"});
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0001_syn00001.sql:8: " + p.text("error: syntax error at NUL")));
  CHECK(p.heads().empty());
}

TEST_CASE("a failing downgrade keeps the revision applied") {
  Project p(GENERATE(all_backends()));
  p.add({"dn000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE nosuch;"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto r = p.run({"downgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err,
             Contains("0001_dn000001.sql:9: " + p.text("error: drop of the missing table nosuch")));
  CHECK(p.heads() == std::vector<std::string>{"dn000001"});
  CHECK(p.tables() == std::vector<std::string>{"a", "retort_log", "retort_version"});
}

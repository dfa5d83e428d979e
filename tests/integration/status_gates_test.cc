// The CI gates: `current --check-heads` and `status [--exit-code]`, on every
// backend, at base, part way, on a branched graph and with a revision left
// partly applied.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// a0000001 branches into b0000002 and c0000003: two heads.
void add_branched(Project& p) {
  p.add({"a0000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"b0000002", "a0000001", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;"});
  p.add({"c0000003", "a0000001", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"});
}

}  // namespace

TEST_CASE("current --check-heads fails until the database is at every head") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_branched(p);

  auto at_base = p.run({"current", "--check-heads"});
  CHECK(at_base.exit_code == 1);
  CHECK(at_base.out == p.text("current: before the first run"));
  CHECK_THAT(at_base.err, Contains("retort: error: the database is not at every head: heads "
                                   "b0000002, c0000003 are not applied"));
  CHECK_THAT(at_base.err, Contains("`retort upgrade heads` applies what is missing"));

  REQUIRE(p.run({"upgrade", "b0000002"}).exit_code == 0);
  auto one = p.run({"current", "--check-heads"});
  CHECK(one.exit_code == 1);
  CHECK(one.out == "b0000002 (head)\n");
  CHECK_THAT(one.err, Contains("the database is not at every head: head c0000003 is not applied"));
  // Without the flag the same state is no failure.
  CHECK(p.run({"current"}).exit_code == 0);

  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  auto both = p.run({"current", "--check-heads"});
  CHECK(both.exit_code == 0);
  CHECK(both.err.empty());
  CHECK(both.out == "b0000002 (head)\nc0000003 (head)\n");
}

TEST_CASE("status lists every revision, oldest first, as applied or pending") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add_chain(3);

  auto none = p.run({"status"});
  CHECK(none.exit_code == 0);
  CHECK(none.out == "[ ] r0001, rev r0001\n[ ] r0002, rev r0002\n[ ] r0003 (head), rev r0003\n");

  REQUIRE(p.run({"upgrade", "r0002"}).exit_code == 0);
  auto part_way = p.run({"status"});
  CHECK(part_way.exit_code == 0);
  CHECK(part_way.out ==
        "[X] r0001, rev r0001\n[X] r0002, rev r0002\n[ ] r0003 (head), rev r0003\n");
  auto gate = p.run({"status", "--exit-code"});
  CHECK(gate.exit_code == 1);
  CHECK(gate.out == part_way.out);
  CHECK_THAT(gate.err, Contains("retort: error: 1 revision is pending (r0003)"));
  CHECK_THAT(gate.err, Contains("`retort upgrade heads` applies them"));

  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto done = p.run({"status", "--exit-code"});
  CHECK(done.exit_code == 0);
  CHECK(done.err.empty());
  CHECK(done.out == "[X] r0001, rev r0001\n[X] r0002, rev r0002\n[X] r0003 (head), rev r0003\n");
}

TEST_CASE("status on a branched graph marks each branch on its own") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_branched(p);
  REQUIRE(p.run({"upgrade", "c0000003"}).exit_code == 0);
  auto r = p.run({"status", "--exit-code"});
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "[X] a0000001 (branchpoint), rev a0000001\n"
        "[ ] b0000002 (head), rev b0000002\n"
        "[X] c0000003 (head), rev c0000003\n");
  CHECK_THAT(r.err, Contains("1 revision is pending (b0000002)"));
}

TEST_CASE("status and current --check-heads show a partly applied revision") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"ok000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"bad00002", "ok000001",
         "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\n\nINSERT INTO nosuch "
         "VALUES (1);",
         "DROP TABLE b;\nDELETE FROM a;", "", "", " transaction:false", " transaction:false"});
  REQUIRE(p.run({"upgrade"}).exit_code == 1);

  auto r = p.run({"status", "--exit-code"});
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "[X] ok000001, rev ok000001\n"
        "[~] bad00002 (head), rev bad00002 (partial: 2 of 3 statements)\n");
  CHECK_THAT(r.err, Contains("retort: error: 1 revision is partly applied (bad00002)"));
  CHECK_THAT(r.err, Contains("`retort resolve`"));

  auto heads = p.run({"current", "--check-heads"});
  CHECK(heads.exit_code == 1);
  CHECK_THAT(heads.err, Contains("head bad00002 is not applied"));
  CHECK_THAT(heads.err, Contains("partly applied: bad00002 (partial: 2 of 3 statements)"));
}

TEST_CASE("status and current reject an unknown --format") {
  Project p;
  p.add_chain(1);
  auto r = p.run({"status", "--format", "yaml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("unknown --format 'yaml': use text, json"));
  CHECK(p.run({"current", "--format", "dot"}).exit_code == 2);
}

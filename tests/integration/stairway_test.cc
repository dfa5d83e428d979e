// retort test: the stairway test of each revision on scratch databases of
// the configured kind, on every backend, never touching the project's own.
#include <dirent.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

size_t entries(const std::string& dir) {
  size_t n = 0;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
    closedir(d);
  }
  return n;
}

}  // namespace

TEST_CASE("retort test runs each revision up, down and up on a scratch database") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "create a"});
  // The downgrade forgets the index.
  p.add({"bbbb0002", "aaaa0001", "CREATE INDEX ix_a ON a (x);\nCREATE TABLE b (y INTEGER);",
         "DROP TABLE b;", "index and b"});
  p.add({"cccc0003", "bbbb0002", "INSERT INTO a VALUES (1);", "", "data", "", "", " irreversible"});
  const std::string tmp = p.root() + "/tmp";
  mkdir(tmp.c_str(), 0700);

  auto r = p.run({"test"}, {{"TMPDIR", tmp}});
  INFO(r.all());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("ok   aaaa0001, create a (up, down, up: "));
  CHECK_THAT(r.out, Contains("FAIL bbbb0002, index and b: migrations/versions/0002_bbbb0002.sql:"));
  CHECK_THAT(r.out, Contains("the downgrade of bbbb0002 does not give back the schema from before "
                             "its upgrade; what it left differs by: add index ix_a on a"));
  CHECK_THAT(r.out, Contains("ok   cccc0003, data (upgrade only: the downgrade is marked "
                             "irreversible, so it and the second upgrade were not run)\n"));
  CHECK_THAT(r.out, Contains("3 revisions tested: 2 passed, 1 failed\n"));
  CHECK_THAT(r.err, Contains("retort: error: 1 revision failed the stairway test"));
  CHECK_THAT(r.err, !Contains("could not drop"));
  // Scratch databases only: the project's database never saw a revision.
  CHECK(p.tables().empty());
  CHECK(entries(tmp) == 0);

  auto some = p.run({"test", "-r", "cccc0003:"}, {{"TMPDIR", tmp}});
  CHECK(some.exit_code == 0);
  CHECK(some.out ==
        "ok   cccc0003, data (upgrade only: the downgrade is marked irreversible, so it and the "
        "second upgrade were not run)\n1 revision tested: 1 passed, 0 failed\n");
}

TEST_CASE("retort test walks branches, merges and dependencies") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"root0001", "", "CREATE TABLE r (x INTEGER);", "DROP TABLE r;", "root"});
  p.add({"left0002", "root0001", "CREATE TABLE l (x INTEGER);", "DROP TABLE l;", "left"});
  p.add({"rite0003", "root0001", "CREATE TABLE rt (x INTEGER);", "DROP TABLE rt;", "right",
         "-- depends_on: left0002\n"});
  p.add({"merg0004", "left0002, rite0003", "CREATE VIEW v AS SELECT x FROM l;", "DROP VIEW v;",
         "merge"});
  auto r = p.run({"test"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("ok   merg0004, merge (up, down, up: "));
  CHECK_THAT(r.out, Contains("4 revisions tested: 4 passed, 0 failed\n"));
  auto quiet = p.run({"-q", "test"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
}

TEST_CASE("retort test: a failing upgrade names the revision and the step") {
  Project p;
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "create a"});
  p.add({"bbbb0002", "aaaa0001", "INSERT INTO nosuch VALUES (1);", "", "broken"});
  auto r = p.run({"test"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("FAIL bbbb0002, broken: migrations/versions/0002_bbbb0002.sql:"));
  CHECK_THAT(r.out, Contains("no such table: nosuch"));
  CHECK_THAT(r.out, Contains("  hint: stairway test of bbbb0002: the step that failed was its "
                             "upgrade\n"));
  auto current = p.run({"test", "-r", "current:"});
  CHECK(current.exit_code == 2);
  CHECK_THAT(current.err, Contains("its range cannot count from current"));
}

// history, heads, branches, show, stamp and verify.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("history lists newest first in Alembic's words") {
  Project p;
  p.add({"aaaa0001", "", "", "", "initial schema"});
  p.add({"bbbb0002", "aaaa0001", "", "", "add users"});
  p.add({"cccc0003", "aaaa0001", "", "", "add posts"});
  p.add({"dddd0004", "bbbb0002, cccc0003", "", "", "merge"});
  auto r = p.run({"history"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "bbbb0002, cccc0003 -> dddd0004 (head) (mergepoint), merge\n"
        "aaaa0001 -> cccc0003, add posts\n"
        "aaaa0001 -> bbbb0002, add users\n"
        "<base> -> aaaa0001 (branchpoint), initial schema\n");

  REQUIRE(p.run({"upgrade", "bbbb"}).exit_code == 0);
  auto cur = p.run({"history", "--indicate-current"});
  CHECK_THAT(cur.out, Contains("aaaa0001 -> bbbb0002 (current), add users\n"));
  auto range = p.run({"history", "-r", "bbbb:"});
  CHECK(range.out ==
        "bbbb0002, cccc0003 -> dddd0004 (head) (mergepoint), merge\n"
        "aaaa0001 -> bbbb0002, add users\n");
  auto upto = p.run({"history", "-r", ":current"});
  CHECK(upto.out ==
        "aaaa0001 -> bbbb0002, add users\n<base> -> aaaa0001 (branchpoint), initial schema\n");
  auto verbose = p.run({"history", "--verbose", "-r", "dddd:"});
  CHECK_THAT(verbose.out, Contains("Rev: dddd0004 (head) (mergepoint)\nMerges: bbbb0002, cccc0003\n"
                                   "Path: migrations/versions/0004_dddd0004.sql\n"));
}

TEST_CASE("heads, branches and show") {
  Project p;
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "root"});
  p.add({"bbbb0002", "aaaa0001", "", "", "left"});
  p.add({"cccc0003", "aaaa0001", "", "", "right"});
  CHECK(p.run({"heads"}).out == "bbbb0002 (head), left\ncccc0003 (head), right\n");
  CHECK(p.run({"branches"}).out ==
        "aaaa0001 (branchpoint), root\n    -> bbbb0002 (head), left\n    -> cccc0003 (head), "
        "right\n");
  auto show = p.run({"show", "aaaa"});
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(
      show.out,
      Contains("Rev: aaaa0001 (branchpoint)\nParent: <base>\nBranches into: bbbb0002, cccc0003\n"));
  CHECK_THAT(show.out, Contains("-- migrate:upgrade\nCREATE TABLE a (x INTEGER);\n\n-- "
                                "migrate:downgrade\nDROP TABLE a;\n"));
  CHECK(p.run({"show"}).exit_code == 2);
}

TEST_CASE("stamp records a revision without running it") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  auto r = p.run({"stamp", "r0002"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(": base -> r0002"));
  CHECK(p.heads() == std::vector<std::string>{"r0002"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version"});
  CHECK(p.log_count("r0002", "stamp") == 1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);  // runs only r0003
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t3"});
  REQUIRE(p.run({"stamp", "base"}).exit_code == 0);
  CHECK(p.heads().empty());
  REQUIRE(p.run({"stamp", "head"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"r0003"});
}

TEST_CASE("an edited revision is caught by verify and by upgrade") {
  Project p(GENERATE(all_backends()));
  p.add_chain(1);
  std::string second = p.add({"ed000002", "r0001", "CREATE TABLE e (x INTEGER);", "DROP TABLE e;"});
  p.add({"ed000003", "ed000002", "CREATE TABLE f (x INTEGER);", "DROP TABLE f;"});
  REQUIRE(p.run({"upgrade", "ed000002"}).exit_code == 0);
  CHECK(p.run({"verify"}).out == "OK: 2 applied revision(s) match their files\n");

  write_text(second, render_revision({"ed000002", "r0001", "CREATE TABLE e (x INTEGER, y INTEGER);",
                                      "DROP TABLE e;"}));
  auto v = p.run({"verify"});
  CHECK(v.exit_code == 1);
  CHECK_THAT(v.err,
             Contains("0002_ed000002.sql:5: revision ed000002 was edited after it was applied"));
  auto up = p.run({"upgrade"});
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains("put the change in a new revision"));
  CHECK(p.heads() == std::vector<std::string>{"ed000002"});
  auto forced = p.run({"upgrade", "--allow-edited"});
  REQUIRE(forced.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"ed000003"});

  // Line endings alone are not an edit (a checkout with autocrlf).
  Project q(p.backend());
  std::string f = q.add({"crlf0001", "", "CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);",
                         "DROP TABLE a;"});
  REQUIRE(q.run({"upgrade"}).exit_code == 0);
  std::string text = read_text(f), crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  write_text(f, crlf);
  CHECK(q.run({"verify"}).exit_code == 0);
}

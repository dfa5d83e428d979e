// Alembic's target forms from the command line: history ranges counted from
// the database (-r -3:, current:head, base:current), show current, stamp with
// several revisions, label@+N and label@-N.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// root0001 -> left0002 (label lefty) -> left0003; root0001 -> rite0004.
void add_branched(Project& p) {
  p.add({"root0001", "", "CREATE TABLE r (x INTEGER);", "DROP TABLE r;", "root"});
  p.add({"left0002", "root0001", "CREATE TABLE l1 (x INTEGER);", "DROP TABLE l1;", "left one",
         "-- branch_labels: lefty\n"});
  p.add({"left0003", "left0002", "CREATE TABLE l2 (x INTEGER);", "DROP TABLE l2;", "left two"});
  p.add({"rite0004", "root0001", "CREATE TABLE rt (x INTEGER);", "DROP TABLE rt;", "right"});
}

// The revision ids of history's lines, newest first.
std::string ids(const std::string& history) {
  std::string out;
  for (size_t at = history.find(" -> "); at != std::string::npos;
       at = history.find(" -> ", at + 1)) {
    size_t end = history.find_first_of(" ,", at + 4);
    out += (out.empty() ? "" : " ") + history.substr(at + 4, end - at - 4);
  }
  return out;
}

}  // namespace

TEST_CASE("history -r counts from the database and from the ends") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add_chain(5);
  REQUIRE(p.run({"upgrade", "r0003"}).exit_code == 0);
  CHECK(ids(p.run({"history", "-r", "current:head"}).out) == "r0005 r0004 r0003");
  CHECK(ids(p.run({"history", "-r", "base:current"}).out) == "r0003 r0002 r0001");
  CHECK(ids(p.run({"history", "-r", "-1:current"}).out) == "r0003 r0002");
  CHECK(ids(p.run({"history", "-r", "-2:"}).out) == "r0005 r0004 r0003");
  CHECK(ids(p.run({"history", "-r", "current:+1"}).out) == "r0004 r0003");
  CHECK(ids(p.run({"history", "-r", "r0002+1:r0005-1"}).out) == "r0004 r0003");
  auto bad = p.run({"history", "-r", "-1:+1"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("one end must name a revision"));
}

TEST_CASE("show current shows the database's revisions") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_branched(p);
  auto none = p.run({"show", "current"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Contains("the database is at base: no revision is applied"));
  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  auto r = p.run({"show", "current"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Rev: left0003 (head)\n"));
  CHECK_THAT(r.out, Contains("Rev: rite0004 (head)\n"));
  CHECK_THAT(r.out, Contains("CREATE TABLE l2 (x INTEGER);"));
}

TEST_CASE("stamp records several revisions on separate branches") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_branched(p);
  auto r = p.run({"stamp", "left0002", "rite0004"});
  INFO(r.all());
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(": base -> left0002, rite0004\n"));
  CHECK(p.heads() == std::vector<std::string>{"left0002", "rite0004"});
  CHECK(p.log_count("left0002", "stamp") == 1);
  CHECK(p.log_count("rite0004", "stamp") == 1);
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version"});  // no SQL ran

  auto same_line = p.run({"stamp", "root0001", "left0003"});
  CHECK(same_line.exit_code == 2);
  CHECK_THAT(same_line.err, Contains("cannot stamp both root0001 (root0001) and left0003 "
                                     "(left0003): one includes the other"));
  CHECK(p.heads() == std::vector<std::string>{"left0002", "rite0004"});
  auto with_base = p.run({"stamp", "base", "left0003"});
  CHECK(with_base.exit_code == 2);
  CHECK_THAT(with_base.err, Contains("stamp base cannot be combined with other revisions"));
}

TEST_CASE("label@+N and label@-N move along one branch") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_branched(p);
  REQUIRE(p.run({"upgrade", "rite0004"}).exit_code == 0);
  auto up = p.run({"upgrade", "lefty@+2"});
  INFO(up.all());
  REQUIRE(up.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"left0003", "rite0004"});
  auto down = p.run({"downgrade", "lefty@-1"});
  INFO(down.all());
  REQUIRE(down.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"left0002", "rite0004"});
  CHECK(p.tables() == std::vector<std::string>{"l1", "r", "retort_log", "retort_version", "rt"});
  auto too_far = p.run({"upgrade", "lefty@+2"});
  CHECK(too_far.exit_code == 1);
  CHECK_THAT(too_far.err, Contains("relative revision 'lefty@+2' didn't produce 2 migrations"));
  REQUIRE(p.run({"stamp", "lefty@-1"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"rite0004"});  // root0001 stays beneath it
}

// Planning: from the heads in the version table and a target to ordered
// steps, and how each step moves those heads. Graphs are built in memory.
#include "core/plan.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/revision_graph.h"
#include "core/target.h"
#include "expect_error.h"
#include "revision_builder.h"

using Catch::Matchers::Contains;
using retort::Direction;
using retort::Error;
using retort::Revision;
using retort::RevisionGraph;
using retort::Step;
using retort::test::expect_error;
using retort::test::rev;

namespace {

// aaaa0001 <- aaaa0002 <- aaaa0003 <- aaaa0004
RevisionGraph linear() {
  return RevisionGraph({rev("aaaa0001"), rev("aaaa0002", {"aaaa0001"}),
                        rev("aaaa0003", {"aaaa0002"}), rev("aaaa0004", {"aaaa0003"})});
}

// base0 <- left1 <- left2 (label 'lefty'), base0 <- right1
RevisionGraph branched() {
  return RevisionGraph({rev("base0"), rev("left1", {"base0"}, {"lefty"}), rev("left2", {"left1"}),
                        rev("right1", {"base0"})});
}

// base0 <- left1, base0 <- right1, merge1 (left1, right1)
RevisionGraph merged() {
  return RevisionGraph({rev("base0"), rev("left1", {"base0"}), rev("right1", {"base0"}),
                        rev("merge1", {"left1", "right1"})});
}

std::vector<size_t> idx(const RevisionGraph& g, const std::vector<std::string>& ids) {
  std::vector<size_t> out;
  for (const auto& id : ids) {
    const Revision* r = g.find(id);
    REQUIRE(r != nullptr);
    out.push_back(g.index_of(*r));
  }
  return out;
}

std::vector<std::string> names(const RevisionGraph& g, std::vector<size_t> heads, bool sorted) {
  std::vector<std::string> out;
  for (size_t h : heads)
    out.push_back(g.at(h).id);
  if (sorted) std::sort(out.begin(), out.end());
  return out;
}

// "+id" for an upgrade step, "-id" for a downgrade step.
std::vector<std::string> describe(const RevisionGraph& g, const std::vector<Step>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps)
    out.push_back((s.dir == Direction::kUpgrade ? "+" : "-") + g.at(s.rev).id);
  return out;
}

struct Result {
  std::vector<std::string> steps;
  std::vector<std::string> heads;  // sorted, after every step
};

Result upgrade(const RevisionGraph& g, const std::string& target,
               const std::vector<std::string>& current) {
  auto heads = idx(g, current);
  auto goal = retort::resolve_upgrade(g, retort::parse_target(target), heads);
  auto steps = retort::plan_steps(g, goal, heads);
  for (const auto& s : steps)
    heads = retort::heads_after(g, heads, s);
  // Planning again against where the run ended must find nothing left.
  CHECK(retort::plan_steps(g, goal, heads).empty());
  return {describe(g, steps), names(g, heads, true)};
}

Result downgrade(const RevisionGraph& g, const std::string& target,
                 const std::vector<std::string>& current) {
  auto heads = idx(g, current);
  auto goal = retort::resolve_downgrade(g, retort::parse_target(target), heads);
  auto steps = retort::plan_steps(g, goal, heads);
  for (const auto& s : steps)
    heads = retort::heads_after(g, heads, s);
  CHECK(retort::plan_steps(g, goal, heads).empty());
  return {describe(g, steps), names(g, heads, true)};
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("upgrade head on a linear chain applies everything in order", "[plan]") {
  auto g = linear();
  auto r = upgrade(g, "head", {});
  CHECK(r.steps == V{"+aaaa0001", "+aaaa0002", "+aaaa0003", "+aaaa0004"});
  CHECK(r.heads == V{"aaaa0004"});

  SECTION("from the middle") {
    auto m = upgrade(g, "head", {"aaaa0002"});
    CHECK(m.steps == V{"+aaaa0003", "+aaaa0004"});
    CHECK(m.heads == V{"aaaa0004"});
  }
  SECTION("already at head: nothing to do, no error") {
    auto m = upgrade(g, "head", {"aaaa0004"});
    CHECK(m.steps.empty());
    CHECK(m.heads == V{"aaaa0004"});
  }
}

TEST_CASE("upgrade +N, ID+N and a revision prefix", "[plan]") {
  auto g = linear();
  CHECK(upgrade(g, "+2", {}).steps == V{"+aaaa0001", "+aaaa0002"});
  CHECK(upgrade(g, "+1", {"aaaa0002"}).steps == V{"+aaaa0003"});
  CHECK(upgrade(g, "aaaa0001+2", {}).steps == V{"+aaaa0001", "+aaaa0002", "+aaaa0003"});
  CHECK(upgrade(g, "aaaa0003", {"aaaa0001"}).steps == V{"+aaaa0002", "+aaaa0003"});
  CHECK(upgrade(g, "aaaa0004-1", {}).heads == V{"aaaa0003"});
}

TEST_CASE("upgrade: walking past head is an error saying how far it got", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { upgrade(g, "+3", {"aaaa0002"}); });
  CHECK_THAT(e.what(),
             Contains("relative revision '+3' didn't produce 3 migrations: only 2 lie ahead"));
  CHECK_THROWS_WITH(upgrade(g, "aaaa0003+2", {}), Contains("didn't produce 2 migrations"));
}

TEST_CASE("upgrade -1 is a usage error pointing at downgrade", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { upgrade(g, "-1", {"aaaa0002"}); });
  CHECK_THAT(e.what(), Contains("'-1' is a downgrade"));
  CHECK(e.exit_code() == retort::kExitUsage);
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("retort downgrade -1"));
}

TEST_CASE("upgrade to a revision behind the current head is an error", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { upgrade(g, "aaaa0001", {"aaaa0003"}); });
  CHECK_THAT(e.what(), Contains("revision aaaa0001 is behind the current head(s) aaaa0003"));
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("retort downgrade aaaa0001"));
  // base too, online and for an offline range such as r3:base.
  Error b = expect_error([&] { upgrade(g, "base", {"aaaa0003"}); });
  CHECK_THAT(b.what(), Contains("base is behind the current head(s) aaaa0003"));
  CHECK_THAT(b.hints().at(0), Contains("retort downgrade base"));
  CHECK(upgrade(g, "base", {}).steps.empty());
}

TEST_CASE("upgrade to an unknown or ambiguous revision names it", "[plan]") {
  auto g = linear();
  CHECK_THROWS_WITH(upgrade(g, "ffff0000", {}),
                    Contains("Can't locate revision identified by 'ffff0000'"));
  CHECK_THROWS_WITH(upgrade(g, "aaaa", {}), Contains("ambiguous"));
}

TEST_CASE("downgrade to base removes everything, newest first", "[plan]") {
  auto g = linear();
  auto r = downgrade(g, "base", {"aaaa0004"});
  CHECK(r.steps == V{"-aaaa0004", "-aaaa0003", "-aaaa0002", "-aaaa0001"});
  CHECK(r.heads.empty());
  SECTION("already at base: nothing") {
    CHECK(downgrade(g, "base", {}).steps.empty());
  }
}

TEST_CASE("downgrade -N, to a revision, and ID-N", "[plan]") {
  auto g = linear();
  auto one = downgrade(g, "-1", {"aaaa0004"});
  CHECK(one.steps == V{"-aaaa0004"});
  CHECK(one.heads == V{"aaaa0003"});
  CHECK(downgrade(g, "-2", {"aaaa0004"}).steps == V{"-aaaa0004", "-aaaa0003"});
  CHECK(downgrade(g, "-2", {"aaaa0002"}).heads.empty());

  auto to = downgrade(g, "aaaa0002", {"aaaa0004"});
  CHECK(to.steps == V{"-aaaa0004", "-aaaa0003"});
  CHECK(to.heads == V{"aaaa0002"});

  auto rel = downgrade(g, "aaaa0003-2", {"aaaa0004"});
  CHECK(rel.steps == V{"-aaaa0004", "-aaaa0003", "-aaaa0002"});
  CHECK(rel.heads == V{"aaaa0001"});

  CHECK(downgrade(g, "aaaa0001-1", {"aaaa0002"}).heads.empty());  // ID-N down to base
}

TEST_CASE("downgrade: walking below base is an error", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { downgrade(g, "-3", {"aaaa0002"}); });
  CHECK_THAT(e.what(),
             Contains("relative revision '-3' goes below base: only 2 revisions are applied"));
  CHECK_THROWS_WITH(downgrade(g, "-1", {}), Contains("goes below base: only 0 revisions"));
}

TEST_CASE("downgrade +1 is a usage error pointing at upgrade", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { downgrade(g, "+1", {"aaaa0002"}); });
  CHECK_THAT(e.what(), Contains("'+1' is an upgrade"));
  CHECK(e.exit_code() == retort::kExitUsage);
}

TEST_CASE("downgrade to a revision that is not applied is an error", "[plan]") {
  auto g = linear();
  Error e = expect_error([&] { downgrade(g, "aaaa0004", {"aaaa0002"}); });
  CHECK_THAT(
      e.what(),
      Contains("revision aaaa0004 is not applied, so the database cannot be downgraded to it"));
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("current head(s): aaaa0002"));
  CHECK_THAT(e.hints()[0], Contains("retort upgrade aaaa0004"));

  Error from_base = expect_error([&] { downgrade(g, "aaaa0001", {}); });
  CHECK_THAT(from_base.hints()[0], Contains("current head(s): base"));

  CHECK_THROWS_WITH(downgrade(g, "head", {"aaaa0003"}),
                    Contains("'head' is not a valid downgrade target: aaaa0004 is not applied"));
  CHECK(downgrade(g, "head", {"aaaa0004"}).steps.empty());
}

TEST_CASE("several heads: 'head' is an error naming them, 'heads' upgrades all", "[plan]") {
  auto g = branched();
  Error e = expect_error([&] { upgrade(g, "head", {}); });
  CHECK_THAT(e.what(), Contains("Multiple head revisions are present: left2, right1"));
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("retort merge"));

  auto all = upgrade(g, "heads", {});
  CHECK(all.steps.size() == 4);
  CHECK(all.steps.front() == "+base0");
  auto at = [&](const std::string& s) {
    return std::find(all.steps.begin(), all.steps.end(), s) - all.steps.begin();
  };
  CHECK(at("+left1") < at("+left2"));
  CHECK(all.heads == V{"left2", "right1"});

  SECTION("from one branch's head, 'heads' adds the other") {
    auto r = upgrade(g, "heads", {"left2"});
    CHECK(r.steps == V{"+right1"});
    CHECK(r.heads == V{"left2", "right1"});
  }
  SECTION("a branch's revision by id adds a second head") {
    auto r = upgrade(g, "right1", {"left1"});
    CHECK(r.steps == V{"+right1"});
    CHECK(r.heads == V{"left1", "right1"});
  }
  SECTION("label@head upgrades only that branch") {
    auto r = upgrade(g, "lefty@head", {});
    CHECK(r.steps == V{"+base0", "+left1", "+left2"});
    CHECK(r.heads == V{"left2"});
  }
  SECTION("an unknown label is an error") {
    CHECK_THROWS_WITH(upgrade(g, "nolabel@head", {}),
                      Contains("no revision carries the branch label 'nolabel'"));
  }
}

TEST_CASE("relative steps where history forks are ambiguous", "[plan]") {
  auto g = branched();
  CHECK_THROWS_WITH(
      upgrade(g, "+1", {"base0"}),
      Contains("relative revision '+1' is ambiguous: base0 is followed by left1, right1"));
  Error several = expect_error([&] { downgrade(g, "-1", {"left2", "right1"}); });
  CHECK_THAT(several.what(), Contains("the database has several heads (left2, right1)"));
  REQUIRE_FALSE(several.hints().empty());
  CHECK_THAT(several.hints()[0], Contains("ID-1"));
}

TEST_CASE("downgrading one branch leaves the other head alone", "[plan]") {
  auto g = branched();
  auto r = downgrade(g, "left1", {"left2", "right1"});
  CHECK(r.steps == V{"-left2"});
  CHECK(r.heads == V{"left1", "right1"});

  auto rb = downgrade(g, "base0", {"left2", "right1"});
  CHECK(rb.heads == V{"base0"});
  CHECK(rb.steps.size() == 3);
  CHECK(std::find(rb.steps.begin(), rb.steps.end(), "-base0") == rb.steps.end());
}

TEST_CASE("merge points: upgrade joins heads, -1 removes only the merge", "[plan]") {
  auto g = merged();
  auto up = upgrade(g, "head", {"left1", "right1"});
  CHECK(up.steps == V{"+merge1"});
  CHECK(up.heads == V{"merge1"});

  auto from_base = upgrade(g, "head", {});
  CHECK(from_base.steps.size() == 4);
  CHECK(from_base.steps.back() == "+merge1");

  auto half = upgrade(g, "head", {"left1"});
  CHECK(half.steps == V{"+right1", "+merge1"});

  auto down = downgrade(g, "-1", {"merge1"});
  CHECK(down.steps == V{"-merge1"});
  CHECK(down.heads == V{"left1", "right1"});

  SECTION("-2 across a merge is ambiguous") {
    CHECK_THROWS_WITH(downgrade(g, "-2", {"merge1"}),
                      Contains("relative revision '-2' is ambiguous: merge1 merges left1, right1"));
  }
  SECTION("down to one parent of the merge keeps the other parent applied") {
    auto r = downgrade(g, "left1", {"merge1"});
    CHECK(r.steps == V{"-merge1"});
    CHECK(r.heads == V{"left1", "right1"});
  }
}

TEST_CASE("heads_after moves heads the way the version table must", "[plan]") {
  auto g = merged();
  auto I = [&](const std::string& id) { return idx(g, {id}).front(); };
  using retort::heads_after;
  CHECK(names(g, heads_after(g, {}, {I("base0"), Direction::kUpgrade}), true) == V{"base0"});
  CHECK(names(g, heads_after(g, idx(g, {"base0"}), {I("left1"), Direction::kUpgrade}), true) ==
        V{"left1"});
  CHECK(names(g, heads_after(g, idx(g, {"left1"}), {I("right1"), Direction::kUpgrade}), true) ==
        V{"left1", "right1"});
  CHECK(names(g, heads_after(g, idx(g, {"left1", "right1"}), {I("merge1"), Direction::kUpgrade}),
              true) == V{"merge1"});
  CHECK(names(g, heads_after(g, idx(g, {"merge1"}), {I("merge1"), Direction::kDowngrade}), true) ==
        V{"left1", "right1"});
  CHECK(names(g, heads_after(g, idx(g, {"left1", "right1"}), {I("right1"), Direction::kDowngrade}),
              true) == V{"left1"});  // base0 is still below left1
  CHECK(names(g, heads_after(g, idx(g, {"base0"}), {I("base0"), Direction::kDowngrade}), true)
            .empty());
}

TEST_CASE("the goal is fixed once: re-planning -1 never walks further", "[plan]") {
  auto g = linear();
  auto heads = idx(g, {"aaaa0004"});
  auto goal = retort::resolve_downgrade(g, retort::parse_target("-1"), heads);
  auto steps = retort::plan_steps(g, goal, heads);
  REQUIRE(steps.size() == 1);
  // Another deployer already did it: the same goal has nothing left to do.
  CHECK(retort::plan_steps(g, goal, idx(g, {"aaaa0003"})).empty());
}

TEST_CASE("label@+N and label@-N move along the labelled branch", "[plan]") {
  auto g = branched();  // base0 <- left1 (lefty) <- left2, base0 <- right1
  CHECK(upgrade(g, "lefty@+1", {"base0"}).heads == V{"left1"});
  // base0 is applied beneath right1: the branch counts from there.
  CHECK(upgrade(g, "lefty@+2", {"right1"}).heads == V{"left2", "right1"});
  CHECK(upgrade(g, "lefty@+1", {"right1"}).heads == V{"left1", "right1"});
  CHECK(upgrade(g, "lefty@+3", {}).heads == V{"left2"});
  CHECK(downgrade(g, "lefty@-1", {"left2", "right1"}).heads == V{"left1", "right1"});
  // base0 stays applied beneath right1.
  CHECK(downgrade(g, "lefty@-2", {"left2", "right1"}).heads == V{"right1"});
  CHECK_THROWS_WITH(upgrade(g, "lefty@+3", {"base0"}),
                    Contains("relative revision 'lefty@+3' didn't produce 3 migrations"));
  CHECK_THROWS_WITH(upgrade(g, "nolabel@+1", {}),
                    Contains("no revision carries the branch label 'nolabel'"));
  CHECK_THROWS_WITH(upgrade(g, "lefty@-1", {"left2"}), Contains("'lefty@-1' is a downgrade"));
  using retort::parse_target;
  using retort::resolve_stamp;
  CHECK(names(g, resolve_stamp(g, parse_target("lefty@-1"), idx(g, {"left2", "right1"})), true) ==
        V{"left1", "right1"});
  CHECK(names(g, resolve_stamp(g, parse_target("lefty@-2"), idx(g, {"left2", "right1"})), true) ==
        V{"right1"});  // base0 is beneath right1
  CHECK(names(g, resolve_stamp(g, parse_target("lefty@-3"), idx(g, {"left2", "right1"})), true) ==
        V{"right1"});
}

TEST_CASE("resolve_stamp with several targets records a head on each branch", "[plan]") {
  using retort::parse_target;
  using retort::resolve_stamp;
  using retort::Target;
  auto g = branched();
  auto several = [&](std::vector<std::string> texts, std::vector<std::string> heads) {
    std::vector<Target> targets;
    for (const auto& t : texts)
      targets.push_back(parse_target(t));
    return names(g, resolve_stamp(g, targets, idx(g, heads)), true);
  };
  CHECK(several({"left2", "right1"}, {}) == V{"left2", "right1"});
  CHECK(several({"left1", "right1"}, {"left2"}) == V{"left1", "right1"});
  CHECK(several({"right1", "right1"}, {}) == V{"right1"});
  CHECK(several({"left2"}, {"right1"}) == V{"left2", "right1"});
  auto related = expect_error([&] { several({"left1", "left2"}, {}); });
  CHECK(std::string(related.what()) ==
        "cannot stamp both left1 (left1) and left2 (left2): one includes the other");
  CHECK(related.exit_code() == retort::kExitUsage);
  auto base = expect_error([&] { several({"base", "left2"}, {}); });
  CHECK_THAT(base.what(), Contains("stamp base cannot be combined with other revisions"));
}

TEST_CASE("resolve_stamp: the heads that stamp records", "[plan]") {
  using retort::parse_target;
  using retort::resolve_stamp;
  auto g = linear();
  CHECK(names(g, resolve_stamp(g, parse_target("head"), idx(g, {"aaaa0002"})), true) ==
        V{"aaaa0004"});
  CHECK(resolve_stamp(g, parse_target("base"), idx(g, {"aaaa0002"})).empty());
  CHECK(names(g, resolve_stamp(g, parse_target("-1"), idx(g, {"aaaa0002"})), true) ==
        V{"aaaa0001"});
  CHECK(names(g, resolve_stamp(g, parse_target("+2"), {}), true) == V{"aaaa0002"});
  CHECK(resolve_stamp(g, parse_target("-1"), idx(g, {"aaaa0001"})).empty());
  // Stamping backwards is allowed (stamp records, it does not run SQL).
  CHECK(names(g, resolve_stamp(g, parse_target("aaaa0001"), idx(g, {"aaaa0004"})), true) ==
        V{"aaaa0001"});

  auto b = branched();
  // A head on an unrelated branch stays; one on the same line is replaced.
  CHECK(names(b, resolve_stamp(b, parse_target("right1"), idx(b, {"left2"})), true) ==
        V{"left2", "right1"});
  CHECK(names(b, resolve_stamp(b, parse_target("left1"), idx(b, {"left2", "right1"})), true) ==
        V{"left1", "right1"});
  CHECK(names(b, resolve_stamp(b, parse_target("heads"), {}), true) == V{"left2", "right1"});
  CHECK_THROWS_WITH(resolve_stamp(b, parse_target("head"), {}),
                    Contains("Multiple head revisions are present"));
}

TEST_CASE("heads_from_ids maps version-table ids and rejects unknown ones", "[plan]") {
  auto g = linear();
  CHECK(names(g, retort::heads_from_ids(g, {"aaaa0003"}, "retort_version"), false) ==
        V{"aaaa0003"});
  CHECK(retort::heads_from_ids(g, {}, "retort_version").empty());

  Error e = expect_error([&] {
    retort::heads_from_ids(g, {"aaaa0003", "deadbeef0000"}, "app.versions");
  });
  CHECK_THAT(e.what(), Contains("Can't locate revision identified by 'deadbeef0000'"));
  CHECK_THAT(e.what(), Contains("app.versions table names it"));
  std::string f = e.format();
  CHECK_THAT(f, Contains("stamp --purge"));
  CHECK_THAT(f, Contains("restore the revision file"));
  // A prefix is not enough for what the database recorded.
  CHECK_THROWS(retort::heads_from_ids(g, {"aaaa000"}, "retort_version"));
}

TEST_CASE("is_ancestor follows down_revision", "[plan]") {
  auto g = merged();
  auto I = [&](const std::string& id) { return idx(g, {id}).front(); };
  CHECK(retort::is_ancestor(g, I("base0"), I("merge1")));
  CHECK(retort::is_ancestor(g, I("right1"), I("merge1")));
  CHECK(retort::is_ancestor(g, I("left1"), I("left1")));
  CHECK_FALSE(retort::is_ancestor(g, I("left1"), I("right1")));
  CHECK_FALSE(retort::is_ancestor(g, I("merge1"), I("base0")));
}

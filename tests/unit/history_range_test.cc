// history -r START:END over graphs built in memory: absolute, current and
// relative ends, branches and labels.
#include "core/history_range.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "expect_error.h"
#include "revision_builder.h"

using Catch::Matchers::Contains;
using retort::Revision;
using retort::RevisionGraph;
using retort::select_history_range;
using retort::test::expect_error;
using retort::test::rev;

namespace {

// aaaa -> bbbb -> cccc -> dddd -> eeee
RevisionGraph chain() {
  return RevisionGraph({rev("aaaa"), rev("bbbb", {"aaaa"}), rev("cccc", {"bbbb"}),
                        rev("dddd", {"cccc"}), rev("eeee", {"dddd"})});
}

std::string shown(const RevisionGraph& g, const std::string& range,
                  std::vector<size_t> current = {}) {
  auto sel = select_history_range(g, range, [&] { return current; });
  std::string out;
  for (size_t i : g.topological_order())
    if (sel[i]) out += (out.empty() ? "" : " ") + g.at(i).id;
  return out;
}

}  // namespace

TEST_CASE("history ranges with ids, base and head", "[history]") {
  auto g = chain();
  CHECK(shown(g, ":") == "aaaa bbbb cccc dddd eeee");
  CHECK(shown(g, "base:head") == "aaaa bbbb cccc dddd eeee");
  CHECK(shown(g, "bbbb:dddd") == "bbbb cccc dddd");
  CHECK(shown(g, "cccc:") == "cccc dddd eeee");
  CHECK(shown(g, ":bbbb") == "aaaa bbbb");
  CHECK(shown(g, "bbbb+1:eeee-1") == "cccc dddd");
}

TEST_CASE("history ranges from and to current", "[history]") {
  auto g = chain();
  const size_t c = 2;  // cccc
  CHECK(shown(g, "current:head", {c}) == "cccc dddd eeee");
  CHECK(shown(g, "base:current", {c}) == "aaaa bbbb cccc");
  CHECK(shown(g, "current:current", {c}) == "cccc");
  CHECK(shown(g, "base:current", {}) == "");  // the database is at base
}

TEST_CASE("history ranges counted in steps", "[history]") {
  auto g = chain();
  CHECK(shown(g, "-2:") == "cccc dddd eeee");
  CHECK(shown(g, "-3:current", {3}) == "aaaa bbbb cccc dddd");
  CHECK(shown(g, "-9:") == "aaaa bbbb cccc dddd eeee");
  CHECK(shown(g, "bbbb:+2") == "bbbb cccc dddd");
  CHECK(shown(g, ":+2") == "aaaa bbbb");
  CHECK(shown(g, "current:+1", {0}) == "aaaa bbbb");
}

TEST_CASE("history ranges on branches and labels", "[history]") {
  // root -> left (label x) -> left2 ; root -> right ; merge of left2, right
  RevisionGraph g({rev("root"), rev("left", {"root"}, {"x"}), rev("left2", {"left"}),
                   rev("right", {"root"}), rev("merg", {"left2", "right"})});
  CHECK(shown(g, "-1:") == "left2 right merg");
  CHECK(shown(g, "-2:") == "root left left2 right merg");
  CHECK(shown(g, "right:") == "right merg");
  CHECK(shown(g, "root:left2") == "root left left2");
}

TEST_CASE("history ranges that are not ranges", "[history]") {
  auto g = chain();
  auto message = [&](const std::string& range) {
    return std::string(expect_error([&] { shown(g, range); }).what());
  };
  CHECK_THAT(message("bbbb"), Contains("-r needs START:END"));
  CHECK_THAT(message("-1:+1"), Contains("one end must name a revision"));
  CHECK_THAT(message("zzzz:"), Contains("Can't locate revision identified by 'zzzz'"));
  CHECK_THAT(message("a!b:"), Contains("invalid target 'a!b'"));
}

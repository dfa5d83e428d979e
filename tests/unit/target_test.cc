// parse_target() and parse_target_range(): pure syntax, usage errors for
// anything else.
#include "core/target.h"

#include <catch2/catch.hpp>
#include <string>

#include "core/error.h"
#include "expect_error.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using retort::parse_target;
using retort::parse_target_range;
using retort::Target;
using retort::test::expect_error;

TEST_CASE("keywords: head, heads, base", "[target]") {
  Target h = parse_target("head");
  CHECK(h.kind == Target::kHead);
  CHECK(h.text == "head");
  CHECK(parse_target("heads").kind == Target::kHeads);
  CHECK(parse_target("base").kind == Target::kBase);
}

TEST_CASE("relative steps +N and -N", "[target]") {
  Target up = parse_target("+2");
  CHECK(up.kind == Target::kRelative);
  CHECK(up.delta == 2);
  CHECK(up.revision.empty());
  CHECK(up.text == "+2");
  Target down = parse_target("-1");
  CHECK(down.kind == Target::kRelative);
  CHECK(down.delta == -1);
  CHECK(parse_target("-12").delta == -12);
}

TEST_CASE("revision ids, prefixes and ID+N / ID-N", "[target]") {
  Target full = parse_target("abc1234");
  CHECK(full.kind == Target::kRevision);
  CHECK(full.revision == "abc1234");
  CHECK(full.delta == 0);

  Target plus = parse_target("abc1+2");
  CHECK(plus.kind == Target::kRevision);
  CHECK(plus.revision == "abc1");
  CHECK(plus.delta == 2);
  CHECK(plus.text == "abc1+2");

  Target minus = parse_target("abc1-1");
  CHECK(minus.kind == Target::kRevision);
  CHECK(minus.revision == "abc1");
  CHECK(minus.delta == -1);

  // Short strings are syntactically fine; length is checked against the graph.
  CHECK(parse_target("ab").revision == "ab");
  CHECK(parse_target("with_underscore").revision == "with_underscore");
  // Digits alone are an id (Alembic allows it), not a step count.
  CHECK(parse_target("20250101").kind == Target::kRevision);
}

TEST_CASE("label@head names a branch", "[target]") {
  Target t = parse_target("billing@head");
  CHECK(t.kind == Target::kLabelHead);
  CHECK(t.revision == "billing");
  CHECK(t.delta == 0);
}

TEST_CASE("label@+N and label@-N count steps on a branch", "[target]") {
  Target up = parse_target("billing@+2");
  CHECK(up.kind == Target::kLabelRelative);
  CHECK(up.revision == "billing");
  CHECK(up.delta == 2);
  CHECK(up.counts_from_database());
  Target down = parse_target("billing@-1");
  CHECK(down.kind == Target::kLabelRelative);
  CHECK(down.delta == -1);
  CHECK_FALSE(parse_target("billing@head").counts_from_database());
}

TEST_CASE("bad targets are usage errors that list the valid forms", "[target]") {
  for (const std::string bad : {"",
                                "+",
                                "-",
                                "+0",
                                "-0",
                                "+x",
                                "--1",
                                "+1.5",
                                "abc+",
                                "abc-x",
                                "abc+1+1",
                                "a b",
                                "abc:def",
                                "billing@base",
                                "billing@",
                                "billing@+",
                                "billing@-0",
                                "@head",
                                "@+1",
                                "bil-ling@head",
                                "+99999999999",
                                "head!",
                                "abc1+-2"}) {
    CAPTURE(bad);
    retort::Error e = expect_error([&] { parse_target(bad); });
    CHECK(e.exit_code() == retort::kExitUsage);
    CHECK_THAT(e.what(), Contains("invalid target '" + bad + "'"));
    REQUIRE(e.hints().size() == 1);
    CHECK_THAT(e.hints()[0], Contains("head, heads, base, +N, -N"));
  }
}

TEST_CASE("bad target messages say what is wrong", "[target]") {
  CHECK_THROWS_WITH(parse_target(""), Contains("it is empty"));
  CHECK_THROWS_WITH(parse_target("+x"), Equals("invalid target '+x': what follows '+' must be a "
                                               "step count from 1 to 1000000"));
  CHECK_THROWS_WITH(parse_target("abc1-0"), Equals("invalid target 'abc1-0': what follows '-' "
                                                   "must be a step count from 1 to 1000000"));
  CHECK_THROWS_WITH(parse_target("main@tail"), Contains("after '@' comes head, +N or -N"));
  CHECK_THROWS_WITH(parse_target("main@+0"), Contains("what follows '+' must be a step count"));
  CHECK_THROWS_WITH(parse_target("a b"), Contains("letters, digits and '_'"));
}

TEST_CASE("a target of 10 KB or holding control characters is shown once, cut and escaped",
          "[target]") {
  const std::string hint =
      "targets are head, heads, base, +N, -N, a revision id or prefix, ID+N, ID-N, label@head, "
      "label@+N or label@-N";
  auto e = expect_error([] { parse_target(std::string(10240, 'x') + "\n"); });
  CHECK(std::string(e.what()) == "invalid target '" + std::string(80, 'x') +
                                     "'... (10241 bytes in all): a revision id is letters, "
                                     "digits and '_'");
  CHECK(e.hints() == std::vector<std::string>{hint});
  CHECK(e.exit_code() == retort::kExitUsage);
  CHECK_THROWS_WITH(parse_target("ab\x1b[2Jcd"),
                    Equals("invalid target 'ab\\x1b[2Jcd': a revision id is letters, digits and "
                           "'_'"));
  CHECK_THROWS_WITH(parse_target("x\x1b]0;t\x07@head"),
                    Equals("invalid target 'x\\x1b]0;t\\x07@head': bad branch label"));
  // The step count is part of the target: not echoed a second time.
  auto step = expect_error([] { parse_target("abc+" + std::string(5000, '9')); });
  CHECK(std::string(step.what()) == "invalid target 'abc+" + std::string(76, '9') +
                                        "'... (5004 bytes in all): what follows '+' must be a "
                                        "step count from 1 to 1000000");
}

TEST_CASE("ranges A:B for offline mode", "[target]") {
  auto r = parse_target_range("abc1:def2");
  CHECK(r.has_from);
  CHECK(r.from.kind == Target::kRevision);
  CHECK(r.from.revision == "abc1");
  CHECK(r.to.kind == Target::kRevision);
  CHECK(r.to.revision == "def2");

  auto open = parse_target_range(":head");
  CHECK(open.has_from);
  CHECK(open.from.kind == Target::kBase);
  CHECK(open.to.kind == Target::kHead);

  auto from_base = parse_target_range("base:abc1+1");
  CHECK(from_base.from.kind == Target::kBase);
  CHECK(from_base.to.revision == "abc1");
  CHECK(from_base.to.delta == 1);

  auto single = parse_target_range("heads");
  CHECK_FALSE(single.has_from);
  CHECK(single.from.kind == Target::kBase);
  CHECK(single.to.kind == Target::kHeads);
}

TEST_CASE("bad ranges are usage errors", "[target]") {
  for (const std::string bad : {"a:b:c", "abc1:", "x y:head", "head:+"}) {
    CAPTURE(bad);
    retort::Error e = expect_error([&] { parse_target_range(bad); });
    CHECK(e.exit_code() == retort::kExitUsage);
    CHECK_THAT(e.what(), Contains("invalid target"));
  }
}

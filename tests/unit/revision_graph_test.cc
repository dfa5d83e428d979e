// RevisionGraph built from revisions made in memory: validation, heads and
// bases, prefix resolution, branch labels and topological order.
#include "core/revision_graph.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "expect_error.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using retort::Error;
using retort::Revision;
using retort::RevisionGraph;
using retort::test::expect_error;

namespace {

Revision rev(std::string id, std::vector<std::string> down = {},
             std::vector<std::string> labels = {}, std::vector<std::string> deps = {}) {
  Revision r;
  r.path = "versions/" + id + ".sql";
  r.id = std::move(id);
  r.down_revisions = std::move(down);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(deps);
  r.id_line = 1;
  r.down_revision_line = 2;
  return r;
}

std::vector<std::string> ids(const std::vector<const Revision*>& revs) {
  std::vector<std::string> out;
  for (const auto* r : revs)
    out.push_back(r->id);
  return out;
}

std::vector<std::string> topo_ids(const RevisionGraph& g) {
  std::vector<std::string> out;
  for (size_t i : g.topological_order())
    out.push_back(g.at(i).id);
  return out;
}

size_t pos(const std::vector<std::string>& v, const std::string& id) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

}  // namespace

TEST_CASE("a linear chain has one base and one head", "[graph]") {
  RevisionGraph g({rev("aaaa0001"), rev("aaaa0002", {"aaaa0001"}), rev("aaaa0003", {"aaaa0002"})});
  CHECK(g.size() == 3);
  CHECK(ids(g.heads()) == std::vector<std::string>{"aaaa0003"});
  CHECK(ids(g.bases()) == std::vector<std::string>{"aaaa0001"});
  CHECK(topo_ids(g) == std::vector<std::string>{"aaaa0001", "aaaa0002", "aaaa0003"});
  REQUIRE(g.find("aaaa0002") != nullptr);
  CHECK(g.find("aaaa0002")->id == "aaaa0002");
  CHECK(g.find("aaaa") == nullptr);  // find() is exact only
  size_t two = g.index_of(*g.find("aaaa0002"));
  CHECK(g.parents(two).size() == 1);
  CHECK(g.at(g.parents(two)[0]).id == "aaaa0001");
  REQUIRE(g.children(two).size() == 1);
  CHECK(g.at(g.children(two)[0]).id == "aaaa0003");
}

TEST_CASE("an empty graph has no heads and no bases", "[graph]") {
  RevisionGraph g({});
  CHECK(g.size() == 0);
  CHECK(g.heads().empty());
  CHECK(g.bases().empty());
}

TEST_CASE("branches give several heads, a merge joins them", "[graph]") {
  RevisionGraph branched({rev("base1"), rev("left1", {"base1"}), rev("right1", {"base1"})});
  CHECK(ids(branched.heads()) == std::vector<std::string>{"left1", "right1"});
  CHECK(ids(branched.bases()) == std::vector<std::string>{"base1"});

  RevisionGraph merged({rev("base1"), rev("left1", {"base1"}), rev("right1", {"base1"}),
                        rev("merge1", {"left1", "right1"})});
  CHECK(ids(merged.heads()) == std::vector<std::string>{"merge1"});
  auto order = topo_ids(merged);
  CHECK(pos(order, "merge1") > pos(order, "left1"));
  CHECK(pos(order, "merge1") > pos(order, "right1"));
  CHECK(pos(order, "left1") > pos(order, "base1"));
}

TEST_CASE("two roots give two bases", "[graph]") {
  RevisionGraph g({rev("root_a"), rev("root_b"), rev("child_b", {"root_b"})});
  CHECK(ids(g.bases()) == std::vector<std::string>{"root_a", "root_b"});
  CHECK(ids(g.heads()) == std::vector<std::string>{"root_a", "child_b"});
}

TEST_CASE("topological order puts parents first even when files are out of order", "[graph]") {
  // File-name order does not have to match history (e.g. a renamed file).
  RevisionGraph g(
      {rev("c3", {"b2"}), rev("b2", {"a1"}), rev("a1"), rev("d4", {"c3"}, {}, {"x9"}), rev("x9")});
  auto order = topo_ids(g);
  REQUIRE(order.size() == 5);
  CHECK(pos(order, "a1") < pos(order, "b2"));
  CHECK(pos(order, "b2") < pos(order, "c3"));
  CHECK(pos(order, "c3") < pos(order, "d4"));
  CHECK(pos(order, "x9") < pos(order, "d4"));  // depends_on counts too
}

TEST_CASE("topological order is stable with respect to file order", "[graph]") {
  RevisionGraph g({rev("r1"), rev("r2"), rev("r3"), rev("r4", {"r1"})});
  CHECK(topo_ids(g) == std::vector<std::string>{"r1", "r2", "r3", "r4"});
}

TEST_CASE("a duplicate id is an error naming both files", "[graph]") {
  Revision a = rev("dup00001");
  a.path = "versions/20250101000000_first.sql";
  Revision b = rev("dup00001");
  b.path = "versions/20250102000000_second.sql";
  b.id_line = 1;
  Error e = expect_error([&] { RevisionGraph g({a, b}); });
  CHECK_THAT(e.what(), Contains("duplicate revision id 'dup00001'"));
  CHECK_THAT(e.what(), Contains("versions/20250101000000_first.sql"));
  CHECK(e.file() == "versions/20250102000000_second.sql");
  CHECK(e.line() == 1);
  CHECK(e.exit_code() == retort::kExitFailure);
}

TEST_CASE("a missing parent: Can't locate revision, naming the file and the remedy", "[graph]") {
  Error e = expect_error([] { RevisionGraph g({rev("aaaa0001"), rev("aaaa0002", {"gone0000"})}); });
  CHECK_THAT(e.what(), Contains("Can't locate revision identified by 'gone0000'"));
  CHECK_THAT(e.what(), Contains("aaaa0002"));
  CHECK(e.file() == "versions/aaaa0002.sql");
  CHECK(e.line() == 2);
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("restore the revision file that defines 'gone0000'"));
  CHECK_THAT(e.format(), Contains("retort: error: versions/aaaa0002.sql:2: Can't locate revision"));
}

TEST_CASE("a missing depends_on target is reported too", "[graph]") {
  Error e = expect_error([] { RevisionGraph g({rev("aaaa0001", {}, {}, {"nowhere1"})}); });
  CHECK_THAT(e.what(), Contains("Can't locate revision identified by 'nowhere1'"));
  CHECK_THAT(e.what(), Contains("depends_on"));
}

TEST_CASE("every broken file is reported in one pass", "[graph]") {
  Error e = expect_error([] {
    RevisionGraph g({rev("a1"), rev("b1", {"missing1"}), rev("c1", {"missing2"})});
  });
  std::string f = e.format();
  CHECK_THAT(f, Contains("'missing1'"));
  CHECK_THAT(f, Contains("'missing2'"));
  CHECK(e.more().size() == 1);
}

TEST_CASE("a cycle is detected and names its members", "[graph]") {
  SECTION("two revisions pointing at each other") {
    Error e = expect_error([] {
      RevisionGraph g({rev("root1"), rev("cyc_a", {"cyc_b"}), rev("cyc_b", {"cyc_a"})});
    });
    CHECK(std::string(e.what()) ==
          "revision 'cyc_a' is part of a cycle through down_revision: cyc_a -> cyc_b -> cyc_a");
    CHECK(e.hints() == std::vector<std::string>{
                           "down_revision and depends_on must name older revisions: point one of "
                           "these at a revision outside the cycle, or remove it"});
    CHECK_THAT(e.what(), Contains("cyc_a"));
    CHECK_THAT(e.what(), Contains("cyc_b"));
    CHECK_THAT(e.what(), !Contains("root1"));
  }
  SECTION("a three-revision loop") {
    Error e = expect_error([] {
      RevisionGraph g({rev("l1", {"l3"}), rev("l2", {"l1"}), rev("l3", {"l2"})});
    });
    CHECK_THAT(e.what(), Contains("cycle"));
    CHECK(e.file().rfind("versions/l", 0) == 0);
  }
  SECTION("a revision built on top of a cycle is not itself called part of it") {
    // 'child' descends from the loop but is not on it; the message must name
    // a revision that really is on the cycle, and list only those.
    Error e = expect_error([] {
      RevisionGraph g(
          {rev("child", {"loop_a"}), rev("loop_a", {"loop_b"}), rev("loop_b", {"loop_a"})});
    });
    CHECK_THAT(e.what(), Contains("loop_a"));
    CHECK_THAT(e.what(), Contains("loop_b"));
    CHECK_THAT(e.what(), !Contains("'child' is part of a cycle"));
    CHECK_THAT(e.what(), !Contains("child,"));
    CHECK(e.file() != "versions/child.sql");
  }
  auto dep_rev = [](std::string id, std::vector<std::string> down, std::vector<std::string> deps) {
    Revision r = rev(std::move(id), std::move(down), {}, std::move(deps));
    if (!r.depends_on.empty()) r.depends_on_line = 3;
    return r;
  };
  SECTION("a cycle through depends_on alone is called a cycle, at the depends_on line") {
    Error e = expect_error([&] {
      RevisionGraph g({dep_rev("base0", {}, {}), dep_rev("dep_a", {"base0"}, {"dep_b"}),
                       dep_rev("dep_b", {"base0"}, {"dep_a"})});
    });
    CHECK(std::string(e.what()) ==
          "revision 'dep_a' is part of a cycle through depends_on: dep_a -> dep_b -> dep_a");
    CHECK(e.file() == "versions/dep_a.sql");
    CHECK(e.line() == 3);
    CHECK(e.more().empty());
  }
  SECTION("roots that depend on each other: a cycle, not a missing base") {
    Error e = expect_error([&] {
      RevisionGraph g({dep_rev("r_one", {}, {"r_two"}), dep_rev("r_two", {}, {"r_one"})});
    });
    CHECK(std::string(e.what()) ==
          "revision 'r_one' is part of a cycle through depends_on: r_one -> r_two -> r_one");
  }
  SECTION("a revision that depends on itself") {
    Error e = expect_error([&] { RevisionGraph g({dep_rev("selfish", {}, {"selfish"})}); });
    CHECK(std::string(e.what()) ==
          "revision 'selfish' is part of a cycle through depends_on: selfish -> selfish");
  }
  SECTION("a mixed cycle names the kinds of link, in the order they run") {
    // m_a depends on m_c, whose down_revision is m_b, whose down_revision is m_a.
    Error e = expect_error([&] {
      RevisionGraph g({dep_rev("m_a", {}, {"m_c"}), dep_rev("m_b", {"m_a"}, {}),
                       dep_rev("m_c", {"m_b"}, {}), dep_rev("m_d", {"m_c"}, {})});
    });
    CHECK(std::string(e.what()) ==
          "revision 'm_a' is part of a cycle through down_revision and depends_on: m_a -> m_c -> "
          "m_b -> m_a");
    CHECK(e.line() == 3);
    REQUIRE(e.hints().size() == 2);
    CHECK(e.hints()[0] ==
          "A -> B: A's down_revision names B, except where m_a's depends_on names m_c");
  }
  SECTION("every separate cycle is reported, once") {
    Error e = expect_error([&] {
      RevisionGraph g({dep_rev("c1_a", {"c1_b"}, {}), dep_rev("c1_b", {"c1_a"}, {}),
                       dep_rev("c2_a", {}, {"c2_b"}), dep_rev("c2_b", {}, {"c2_a"}),
                       dep_rev("on_top", {"c1_a"}, {"c2_a"})});
    });
    CHECK(std::string(e.what()) ==
          "revision 'c1_a' is part of a cycle through down_revision: c1_a -> c1_b -> c1_a");
    REQUIRE(e.more().size() == 1);
    CHECK(std::string(e.more()[0].what()) ==
          "revision 'c2_a' is part of a cycle through depends_on: c2_a -> c2_b -> c2_a");
  }
}

TEST_CASE("resolve: exact ids and unique prefixes of at least 4 characters", "[graph]") {
  RevisionGraph g({rev("abcd1234ef00"), rev("abcd9999aa00", {"abcd1234ef00"}),
                   rev("abce0000bb00", {"abcd9999aa00"}), rev("xyz", {"abce0000bb00"})});
  CHECK(g.resolve("abcd1234ef00").id == "abcd1234ef00");
  CHECK(g.resolve("abcd1").id == "abcd1234ef00");
  CHECK(g.resolve("abce").id == "abce0000bb00");
  CHECK(g.resolve("xyz").id == "xyz");  // a short exact id still works

  SECTION("ambiguous prefix lists the candidates, sorted") {
    Error e = expect_error([&] { g.resolve("abcd"); });
    CHECK_THAT(e.what(),
               Contains("revision prefix 'abcd' is ambiguous: abcd1234ef00, abcd9999aa00"));
  }
  SECTION("too short") {
    Error e = expect_error([&] { g.resolve("abc"); });
    CHECK_THAT(e.what(), Contains("revision prefix 'abc' is too short"));
    REQUIRE_FALSE(e.hints().empty());
    CHECK_THAT(e.hints()[0], Contains("at least 4 characters"));
  }
  SECTION("unknown") {
    CHECK_THROWS_WITH(g.resolve("ffff"), Contains("Can't locate revision identified by 'ffff'"));
  }
  SECTION("not an id at all") {
    CHECK_THROWS_WITH(g.resolve("ab-cd"), Contains("'ab-cd' is not a revision id"));
  }
}

TEST_CASE("ambiguous candidates are listed sorted even when files are not", "[graph]") {
  RevisionGraph g({rev("beef0003"), rev("beef0001"), rev("beef0002")});
  CHECK_THROWS_WITH(g.resolve("beef"),
                    Contains("'beef' is ambiguous: beef0001, beef0002, beef0003"));
}

TEST_CASE("an ambiguous prefix lists ten candidates and says how many more", "[graph]") {
  std::vector<Revision> revs;
  for (int i = 0; i < 47; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "beef%04d", i);
    revs.push_back(rev(id));
  }
  RevisionGraph g(std::move(revs));
  auto e = expect_error([&] { g.resolve("beef"); });
  CHECK(std::string(e.what()) ==
        "revision prefix 'beef' is ambiguous: beef0000, beef0001, beef0002, beef0003, beef0004, "
        "beef0005, beef0006, beef0007, beef0008, beef0009 and 37 more");
  CHECK(e.hints() == std::vector<std::string>{"give more characters of the revision id"});
  // Exactly ten: nothing more to announce.
  RevisionGraph ten({rev("cafe0"), rev("cafe1"), rev("cafe2"), rev("cafe3"), rev("cafe4"),
                     rev("cafe5"), rev("cafe6"), rev("cafe7"), rev("cafe8"), rev("cafe9")});
  CHECK_THROWS_WITH(ten.resolve("cafe"),
                    Equals("revision prefix 'cafe' is ambiguous: cafe0, cafe1, cafe2, cafe3, "
                           "cafe4, cafe5, cafe6, cafe7, cafe8, cafe9"));
}

TEST_CASE("a revision given as 10 KB or with control characters is shown once, cut and escaped",
          "[graph]") {
  RevisionGraph g({rev("abcd0001"), rev("abcd0002", {"abcd0001"})});
  const std::string huge(10240, 'a');
  CHECK_THROWS_WITH(g.resolve(huge), Equals("'" + std::string(80, 'a') +
                                            "'... (10240 bytes in all) is not a revision id"));
  CHECK_THROWS_WITH(
      g.resolve_one(huge + "\n"),
      Equals("'" + std::string(80, 'a') + "'... (10241 bytes in all) is not a revision"));
  CHECK_THROWS_WITH(g.resolve("ab\ncd"), Equals("'ab\\ncd' is not a revision id"));
  CHECK_THROWS_WITH(g.resolve_one("\x1b[2J\x1b[Hx"),
                    Equals("'\\x1b[2J\\x1b[Hx' is not a revision"));
  CHECK_THROWS_WITH(g.resolve_one("a\x1b@head"),
                    Equals("no revision carries the branch label 'a\\x1b'"));
  CHECK_THROWS_WITH(g.resolve_one("zzzz\x9b@head"),
                    Equals("no revision carries the branch label 'zzzz\\x9b'"));
  CHECK_THROWS_WITH(g.resolve_one("nosuch@head"),
                    Equals("no revision carries the branch label 'nosuch'"));
}

TEST_CASE("branch labels find the heads of their branch", "[graph]") {
  // base -> a1 (label 'accounts') -> a2 ; base -> b1 (label 'billing') -> b2 -> b3
  RevisionGraph g({rev("base0"), rev("a1", {"base0"}, {"accounts"}), rev("a2", {"a1"}),
                   rev("b1", {"base0"}, {"billing"}), rev("b2", {"b1"}), rev("b3", {"b2"})});
  CHECK(g.has_label("accounts"));
  CHECK(g.has_label("billing"));
  CHECK_FALSE(g.has_label("shipping"));
  CHECK(ids(g.heads_of_label("accounts")) == std::vector<std::string>{"a2"});
  CHECK(ids(g.heads_of_label("billing")) == std::vector<std::string>{"b3"});
  CHECK(g.heads_of_label("shipping").empty());
}

TEST_CASE("ancestors and descendants, with and without depends_on", "[graph]") {
  RevisionGraph g(
      {rev("r1"), rev("r2", {"r1"}), rev("r3", {"r2"}), rev("o1"), rev("o2", {"o1"}, {}, {"r2"})});
  size_t r2 = g.index_of(*g.find("r2"));
  size_t o2 = g.index_of(*g.find("o2"));
  auto plain = g.ancestors({o2}, false);
  CHECK(plain[g.index_of(*g.find("o1"))]);
  CHECK(plain[o2]);
  CHECK_FALSE(plain[r2]);
  auto with_deps = g.ancestors({o2}, true);
  CHECK(with_deps[r2]);
  CHECK(with_deps[g.index_of(*g.find("r1"))]);
  CHECK_FALSE(with_deps[g.index_of(*g.find("r3"))]);

  auto down = g.descendants({r2}, true);
  CHECK(down[g.index_of(*g.find("r3"))]);
  CHECK(down[o2]);
  CHECK_FALSE(g.descendants({r2}, false)[o2]);
  CHECK(g.dependencies(o2).size() == 1);
}

TEST_CASE("a graph can be moved and still finds its revisions", "[graph]") {
  RevisionGraph g({rev("move0001"), rev("move0002", {"move0001"})});
  RevisionGraph moved(std::move(g));
  REQUIRE(moved.find("move0002") != nullptr);
  CHECK(moved.resolve("move0001").id == "move0001");
}

TEST_CASE("a branch label carried by two revisions is an error naming both files", "[graph]") {
  Revision a = rev("lab00001", {}, {"feat"});
  a.path = "versions/20250101000000_first.sql";
  Revision b = rev("lab00002", {"lab00001"}, {"other", "feat"});
  b.path = "versions/20250102000000_second.sql";
  b.branch_labels_line = 4;
  Error e = expect_error([&] { RevisionGraph g({a, b}); });
  CHECK(e.format() ==
        "retort: error: versions/20250102000000_second.sql:4: branch label 'feat' of revision "
        "lab00002 is already used by revision lab00001 in versions/20250101000000_first.sql\n"
        "  hint: a branch label names one branch: rename or remove one of them\n");
  CHECK(e.exit_code() == retort::kExitFailure);

  SECTION("twice in one revision") {
    Revision c = rev("lab00003", {}, {"feat", "feat"});
    c.branch_labels_line = 3;
    Error twice = expect_error([&] { RevisionGraph g({c}); });
    CHECK_THAT(twice.what(), Contains("branch label 'feat' is listed twice"));
    CHECK(twice.line() == 3);
  }
  SECTION("distinct labels are fine") {
    RevisionGraph g({rev("lab00001", {}, {"feat"}), rev("lab00002", {"lab00001"}, {"other"})});
    CHECK(g.has_label("feat"));
  }
}

TEST_CASE("resolve_one: ids, prefixes, head and LABEL@head name one revision", "[graph]") {
  // base0 -> a1 (label 'accounts') -> a2 ; base0 -> b1 (label 'billing') -> b2 -> b3
  RevisionGraph g({rev("base0"), rev("a1", {"base0"}, {"accounts"}), rev("a2", {"a1"}),
                   rev("b1bb", {"base0"}, {"billing"}), rev("b2bb", {"b1bb"}),
                   rev("b3bb", {"b2bb"})});
  CHECK(g.resolve_one("a2").id == "a2");
  CHECK(g.resolve_one("b3bb").id == "b3bb");
  CHECK(g.resolve_one("accounts@head").id == "a2");
  CHECK(g.resolve_one("billing@head").id == "b3bb");
  CHECK(g.resolve_one("b1bb@head").id == "b3bb");  // an id's branch, as in Alembic
  CHECK(g.labelled("billing")->id == "b1bb");
  CHECK(g.labelled("shipping") == nullptr);

  SECTION("head with several heads names them") {
    Error e = expect_error([&] { g.resolve_one("head"); });
    CHECK_THAT(e.what(), Contains("Multiple head revisions are present: a2, b3bb"));
  }
  SECTION("head of a single-headed graph") {
    RevisionGraph line({rev("r1"), rev("r2", {"r1"})});
    CHECK(line.resolve_one("head").id == "r2");
  }
  SECTION("an unknown label") {
    Error e = expect_error([&] { g.resolve_one("shipping@head"); });
    CHECK_THAT(e.what(), Contains("no revision carries the branch label 'shipping'"));
  }
  SECTION("heads, base and other targets are not one revision") {
    for (const char* t : {"heads", "base", "billing@base", "a2+1", "@head"}) {
      CAPTURE(t);
      Error e = expect_error([&] { g.resolve_one(t); });
      REQUIRE_FALSE(e.hints().empty());
      CHECK_THAT(e.hints()[0], Contains("LABEL@head"));
    }
  }
  SECTION("a branch with two heads") {
    RevisionGraph forked({rev("f1", {}, {"feat"}), rev("f2", {"f1"}), rev("f3", {"f1"})});
    CHECK_THROWS_WITH(forked.resolve_one("feat@head"),
                      Contains("branch 'feat' has several heads: f2, f3"));
  }
}

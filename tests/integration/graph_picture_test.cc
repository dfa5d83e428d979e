// history --format dot and --format mermaid from the command line: the dot
// text goes through Graphviz itself, the current revision is marked from the
// database on every backend.
#include <catch2/catch.hpp>

#include "graphviz_check.h"
#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// root -> feature (label ui) and fix, merged; messages a picture must quote.
void add_merged(Project& p) {
  p.add(
      {"root0001", "", "CREATE TABLE r (x INTEGER);", "DROP TABLE r;", "create \"root\" \\ table"});
  p.add({"feat0002", "root0001", "CREATE TABLE f (x INTEGER);", "DROP TABLE f;",
         "feature <b> & #1; `x` b\xC3\xA9la", "-- branch_labels: ui\n"});
  p.add({"fixx0003", "root0001", "CREATE TABLE x (x INTEGER);", "DROP TABLE x;", "fix"});
  p.add({"end", "feat0002, fixx0003", "", "", "merge heads"});
}

}  // namespace

TEST_CASE("history --format dot is a graph Graphviz draws, current revision marked") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_merged(p);
  REQUIRE(p.run({"upgrade", "fixx0003"}).exit_code == 0);
  auto r = p.run({"history", "--format", "dot", "--indicate-current"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("\"fixx0003\" [label=\"fixx0003 (current)\\nfix\", "
                             "style=\"rounded,filled,bold\""));
  CHECK_THAT(r.out, Contains("\"root0001\" [label=\"root0001 (branchpoint)\\ncreate \\\"root\\\" "
                             "\\\\ table\"]"));
  std::string svg = dot_to_svg(r.out);
  // One node per revision, an edge per parent.
  for (const char* title :
       {"<title>root0001</title>", "<title>feat0002</title>", "<title>fixx0003</title>",
        "<title>end</title>", "<title>root0001&#45;&gt;feat0002</title>",
        "<title>feat0002&#45;&gt;end</title>", "<title>fixx0003&#45;&gt;end</title>"})
    CHECK_THAT(svg, Contains(title));
  CHECK_THAT(svg, Contains("create &quot;root&quot; \\ table"));
  CHECK_THAT(svg, Contains("feature &lt;b&gt; &amp; #1; `x` b\xC3\xA9la"));
}

TEST_CASE("history --format mermaid draws branches and merges, labels escaped") {
  Project p;
  add_merged(p);
  auto r = p.run({"history", "--format", "mermaid", "-r", "feat0002:"});
  REQUIRE(r.exit_code == 0);
  CHECK(
      r.out ==
      "flowchart TD\n"
      "  rev_feat0002[\"feat0002 (ui)<br/>feature #lt;b#gt; #amp; #35;1; #96;x#96; b\xC3\xA9la\"]\n"
      "  rev_end[\"end (head) (mergepoint)<br/>merge heads\"]\n"
      "  rev_feat0002 --> rev_end\n"
      "  classDef head stroke-width:3px\n"
      "  classDef merge stroke-dasharray:4 2\n"
      "  classDef current fill:#c8e6c9,stroke:#2e7d32\n"
      "  classDef partial fill:#ffe0b2,stroke:#e65100\n"
      "  class rev_end head\n"
      "  class rev_end merge\n");
  auto bad = p.run({"history", "--format", "svg"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("unknown --format 'svg': use text, json, dot, mermaid"));
}

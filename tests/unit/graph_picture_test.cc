// The graph as dot and mermaid text: nodes, edges, marks and quoting.
#include "cli/graph_picture.h"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;
using retort::dot_escape;
using retort::GraphPicture;
using retort::mermaid_escape;
using retort::Revision;
using retort::RevisionGraph;

namespace {

Revision rev(std::string id, std::vector<std::string> down, std::string message,
             std::vector<std::string> labels = {}, std::vector<std::string> deps = {}) {
  Revision r;
  r.path = "versions/" + id + ".sql";
  r.id = std::move(id);
  r.down_revisions = std::move(down);
  r.message = std::move(message);
  r.branch_labels = std::move(labels);
  r.depends_on = std::move(deps);
  return r;
}

// base -> left (label ui) and right, merged by end (a Mermaid keyword).
RevisionGraph merged() {
  return RevisionGraph({rev("base1", {}, "first"), rev("left", {"base1"}, "say \"hi\"", {"ui"}),
                        rev("right", {"base1"}, "a<b> & #1 `x`"),
                        rev("end", {"left", "right"}, "merge", {}, {"base1"})});
}

}  // namespace

TEST_CASE("dot_escape and mermaid_escape keep labels inside their quotes", "[graph]") {
  CHECK(dot_escape("say \"hi\" \\n") == "say \\\"hi\\\" \\\\n");
  CHECK(dot_escape("line\nbreak\x01") == "line break ");
  CHECK(dot_escape("\xFF") == "\xEF\xBF\xBD");
  CHECK(mermaid_escape("a \"b\" <c> & #d; `e`") ==
        "a #quot;b#quot; #lt;c#gt; #amp; #35;d; #96;e#96;");
  CHECK(mermaid_escape("tab\there") == "tab here");
}

TEST_CASE("render_dot draws every revision, parent to child", "[graph]") {
  auto g = merged();
  std::vector<char> current{0, 0, 1, 0};
  GraphPicture pic{g, std::vector<char>(g.size(), 1), &current, std::vector<std::string>(4)};
  std::string dot = retort::render_dot(pic);
  CHECK_THAT(dot, Contains("digraph revisions {\n"));
  CHECK_THAT(dot, Contains("  \"left\" [label=\"left (ui)\\nsay \\\"hi\\\"\"];\n"));
  CHECK_THAT(dot, Contains("  \"right\" [label=\"right (current)\\na<b> & #1 `x`\", "
                           "style=\"rounded,filled,bold\", fillcolor=\"#c8e6c9\"];\n"));
  CHECK_THAT(dot, Contains("  \"end\" [label=\"end (head) (mergepoint)\\nmerge\", peripheries=2, "
                           "penwidth=2];\n"));
  CHECK_THAT(dot, Contains("  \"base1\" -> \"left\";\n"));
  CHECK_THAT(dot, Contains("  \"left\" -> \"end\";\n  \"right\" -> \"end\";\n"));
  CHECK_THAT(dot, Contains("  \"base1\" -> \"end\" [style=dashed, label=\"depends on\"];\n"));
  CHECK(dot.substr(dot.size() - 2) == "}\n");
}

TEST_CASE("render_mermaid names nodes apart from Mermaid's keywords", "[graph]") {
  auto g = merged();
  std::vector<std::string> partial(4);
  partial[3] = "partial: 1 of 2 statements";
  GraphPicture pic{g, {1, 1, 1, 1}, nullptr, partial};
  std::string m = retort::render_mermaid(pic);
  CHECK(m.rfind("flowchart TD\n", 0) == 0);
  CHECK_THAT(m, Contains("  rev_right[\"right<br/>a#lt;b#gt; #amp; #35;1 #96;x#96;\"]\n"));
  CHECK_THAT(m, Contains("  rev_end[\"end (head) (mergepoint)<br/>merge<br/>(partial: 1 of 2 "
                         "statements)\"]\n"));
  CHECK_THAT(m, Contains("  rev_left --> rev_end\n  rev_right --> rev_end\n"));
  CHECK_THAT(m, Contains("  rev_base1 -. depends on .-> rev_end\n"));
  CHECK_THAT(m, Contains("  class rev_end head\n  class rev_end merge\n"));
  CHECK_THAT(m, Contains("  class rev_end partial\n"));
  CHECK_THAT(m, !Contains(" current\n"));
}

TEST_CASE("a picture of part of the graph leaves out edges to what is not drawn", "[graph]") {
  auto g = merged();
  GraphPicture pic{g, {0, 1, 0, 1}, nullptr, std::vector<std::string>(4)};
  std::string dot = retort::render_dot(pic);
  CHECK_THAT(dot, Contains("\"left\" -> \"end\""));
  CHECK_THAT(dot, !Contains("base1"));
  CHECK_THAT(dot, !Contains("\"right\""));
}

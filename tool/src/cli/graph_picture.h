// The revision graph as a picture: Graphviz dot and Mermaid flowchart text
// for `retort history --format dot|mermaid`. Parents point to children;
// depends_on edges are dashed; heads, merges, labels and the current
// revision are marked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/revision_graph.h"

namespace retort {

struct GraphPicture {
  const RevisionGraph& g;
  std::vector<char> shown;           // which revisions to draw
  const std::vector<char>* current;  // marked as current; nullptr: not asked
  std::vector<std::string> partial;  // per revision: "partial: …" or empty
};

std::string render_dot(const GraphPicture& p);
std::string render_mermaid(const GraphPicture& p);

// Text inside a dot double-quoted string: '"' and '\' escaped, control
// characters as spaces, invalid UTF-8 replaced.
std::string dot_escape(std::string_view s);
// Text inside a Mermaid ["…"] label: quotes, '#', '<', '>', '&' and '`' as
// Mermaid's #entity; codes, control characters as spaces.
std::string mermaid_escape(std::string_view s);

}  // namespace retort

#include "cli/graph_picture.h"

#include "cli/revision_format.h"
#include "core/utf8.h"

namespace retort {

namespace {

// Control characters would end a line of either format early.
std::string printable(std::string_view s) {
  std::string out = valid_utf8(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// The id line (with its flags) and the message, each escaped by `esc`.
template <typename Escape>
std::string node_label(const GraphPicture& p, size_t i, const char* line_break, Escape esc) {
  const Revision& r = p.g.at(i);
  std::string label = esc(r.id + revision_flags(p.g, i, p.current));
  if (!r.message.empty()) label += line_break + esc(r.message);
  if (!p.partial[i].empty()) label += line_break + esc("(" + p.partial[i] + ")");
  return label;
}

bool is_current(const GraphPicture& p, size_t i) {
  return p.current && (*p.current)[i];
}

}  // namespace

std::string dot_escape(std::string_view s) {
  std::string out;
  for (char c : printable(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string mermaid_escape(std::string_view s) {
  std::string out;
  for (char c : printable(s)) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '`':
        out += "#96;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_dot(const GraphPicture& p) {
  const RevisionGraph& g = p.g;
  std::string out =
      "digraph revisions {\n"
      "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
      "  edge [color=\"#555555\"];\n";
  for (size_t i : g.topological_order()) {
    if (!p.shown[i]) continue;
    const Revision& r = g.at(i);
    std::string attrs = "label=\"" + node_label(p, i, "\\n", dot_escape) + "\"";
    if (is_current(p, i))
      attrs += ", style=\"rounded,filled,bold\", fillcolor=\"#c8e6c9\"";
    else if (!p.partial[i].empty())
      attrs += ", style=\"rounded,filled,dashed\", fillcolor=\"#ffe0b2\"";
    if (r.is_merge()) attrs += ", peripheries=2";
    if (g.children(i).empty()) attrs += ", penwidth=2";
    out += "  \"" + dot_escape(r.id) + "\" [" + attrs + "];\n";
  }
  for (size_t i : g.topological_order()) {
    if (!p.shown[i]) continue;
    for (size_t parent : g.parents(i))
      if (p.shown[parent])
        out += "  \"" + dot_escape(g.at(parent).id) + "\" -> \"" + dot_escape(g.at(i).id) + "\";\n";
    for (size_t dep : g.dependencies(i))
      if (p.shown[dep])
        out += "  \"" + dot_escape(g.at(dep).id) + "\" -> \"" + dot_escape(g.at(i).id) +
               "\" [style=dashed, label=\"depends on\"];\n";
  }
  return out + "}\n";
}

std::string render_mermaid(const GraphPicture& p) {
  const RevisionGraph& g = p.g;
  // Node names get a prefix: a revision id such as `end` is a Mermaid keyword.
  auto node = [&g](size_t i) { return "rev_" + g.at(i).id; };
  std::string out = "flowchart TD\n";
  std::string heads, merges, current, partial;
  for (size_t i : g.topological_order()) {
    if (!p.shown[i]) continue;
    out += "  " + node(i) + "[\"" + node_label(p, i, "<br/>", mermaid_escape) + "\"]\n";
    auto add = [&](std::string& list) { list += (list.empty() ? "" : ",") + node(i); };
    if (g.children(i).empty()) add(heads);
    if (g.at(i).is_merge()) add(merges);
    if (is_current(p, i)) add(current);
    if (!p.partial[i].empty()) add(partial);
  }
  for (size_t i : g.topological_order()) {
    if (!p.shown[i]) continue;
    for (size_t parent : g.parents(i))
      if (p.shown[parent]) out += "  " + node(parent) + " --> " + node(i) + "\n";
    for (size_t dep : g.dependencies(i))
      if (p.shown[dep]) out += "  " + node(dep) + " -. depends on .-> " + node(i) + "\n";
  }
  out +=
      "  classDef head stroke-width:3px\n"
      "  classDef merge stroke-dasharray:4 2\n"
      "  classDef current fill:#c8e6c9,stroke:#2e7d32\n"
      "  classDef partial fill:#ffe0b2,stroke:#e65100\n";
  if (!heads.empty()) out += "  class " + heads + " head\n";
  if (!merges.empty()) out += "  class " + merges + " merge\n";
  if (!current.empty()) out += "  class " + current + " current\n";
  if (!partial.empty()) out += "  class " + partial + " partial\n";
  return out;
}

}  // namespace retort

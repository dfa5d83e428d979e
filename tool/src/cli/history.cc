// retort history [-r START:END] [--verbose] [--indicate-current]
//                [--format text|json|dot|mermaid]
#include <iostream>
#include <optional>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/database_state.h"
#include "cli/graph_picture.h"
#include "cli/output_format.h"
#include "cli/revision_format.h"
#include "cli/revision_json.h"
#include "core/error.h"
#include "core/history_range.h"

namespace retort {

int run_history(Context& ctx) {
  ArgParser p(
      "history [-r START:END] [--verbose] [--indicate-current] "
      "[--format text|json|dot|mermaid]",
      "List the revisions, newest first, as 'parent -> revision (flags), message'.\n"
      "START is base, current, -N (N steps below END) or a revision; END is head(s), "
      "current, +N (N steps above START) or a revision; either may be left out.");
  std::string range, format = "text";
  bool indicate_current = false;
  p.option("rev-range,r", "START:END", "only revisions from START up to END", &range);
  p.flag("indicate-current", "mark the database's current revision(s)", &indicate_current);
  p.option("format", "FORMAT",
           "text (default), json, or a picture of the graph: dot (Graphviz) or mermaid", &format);
  if (!ctx.parse(p)) return kExitOk;
  const OutputFormat fmt = parse_output_format(
      format,
      {OutputFormat::kText, OutputFormat::kJson, OutputFormat::kDot, OutputFormat::kMermaid});
  const bool verbose = ctx.verbosity() > 1;  // -v/--verbose
  const auto& g = ctx.graph(ParseDepth::kHeaders);

  // Read from the database once, and only when a form or a mark needs it.
  std::optional<DatabaseState> state;
  auto db = [&]() -> const DatabaseState& {
    if (!state) state = read_database_state(ctx, g);
    return *state;
  };
  std::vector<char> shown(g.size(), 1);
  if (!range.empty()) shown = select_history_range(g, range, [&db] { return db().heads; });
  std::vector<char> is_current;
  std::vector<std::string> partial(g.size());
  if (indicate_current) {
    is_current.assign(g.size(), 0);
    for (size_t h : db().heads)
      is_current[h] = 1;
    // A partly applied revision says so beside its line.
    for (const auto& part : db().partials)
      if (const Revision* r = g.find(part.revision)) partial[g.index_of(*r)] = part.summary();
  }
  const auto* marks = indicate_current ? &is_current : nullptr;

  if (fmt == OutputFormat::kDot || fmt == OutputFormat::kMermaid) {
    GraphPicture pic{g, shown, marks, partial};
    ctx.out() << (fmt == OutputFormat::kDot ? render_dot(pic) : render_mermaid(pic));
    return kExitOk;
  }
  Json revisions = Json::array();
  const auto& topo = g.topological_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    if (!shown[*it]) continue;
    if (fmt == OutputFormat::kJson) {
      Json o = revision_json(g, *it);
      o.set("is_current", marks ? Json(is_current[*it] != 0) : Json());
      const Partial* part = indicate_current ? db().partial_of(g.at(*it).id) : nullptr;
      o.set("partial", part ? partial_json(*part) : Json());
      revisions.push(std::move(o));
      continue;
    }
    ctx.out() << (verbose ? verbose_block(g, *it, marks) : history_line(g, *it, marks))
              << (partial[*it].empty() ? "" : " (" + partial[*it] + ")") << "\n";
  }
  if (fmt == OutputFormat::kJson) {
    Json o = Json::object();
    o.set("revisions", std::move(revisions));
    ctx.out() << o.dump();
  }
  return kExitOk;
}

}  // namespace retort

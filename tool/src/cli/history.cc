// retort history [-r START:END] [--verbose] [--indicate-current]
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/revision_format.h"
#include "core/error.h"
#include "core/plan.h"
#include "migrate/migrator.h"

namespace retort {

namespace {

std::vector<size_t> current_heads(Context& ctx) {
  auto driver = ctx.connect(/*create_if_missing=*/false);
  if (!driver) return {};
  Migrator m(ctx.graph(ParseDepth::kHeaders), *driver, ctx.migrate_options(), ctx.out());
  return heads_from_ids(ctx.graph(ParseDepth::kHeaders), m.stored_heads(),
                        ctx.config().version_table);
}

}  // namespace

int run_history(Context& ctx) {
  ArgParser p("history [-r START:END] [--verbose] [--indicate-current]",
              "List the revisions, newest first, as 'parent -> revision (flags), message'.\n"
              "START and END are revision ids or prefixes, base, head(s) or current; either "
              "may be left out.");
  std::string range;
  bool indicate_current = false;
  p.option("rev-range,r", "START:END", "only revisions from START up to END", &range);
  p.flag("indicate-current", "mark the database's current revision(s)", &indicate_current);
  if (!ctx.parse(p)) return kExitOk;
  const bool verbose = ctx.verbosity() > 1;  // -v/--verbose
  const auto& g = ctx.graph(ParseDepth::kHeaders);

  std::vector<char> shown(g.size(), 1);
  std::vector<size_t> heads;
  bool heads_read = false;
  auto current = [&]() -> const std::vector<size_t>& {
    if (!heads_read) heads = current_heads(ctx), heads_read = true;
    return heads;
  };
  if (!range.empty()) {
    auto colon = range.find(':');
    if (colon == std::string::npos)
      throw Error("-r needs START:END, e.g. -r base:head or -r abc1:").usage();
    std::string start = range.substr(0, colon), end = range.substr(colon + 1);
    std::vector<char> lower(g.size(), 1), upper(g.size(), 1);
    if (start == "current")
      lower = g.descendants(current(), true);
    else if (!start.empty() && start != "base")
      lower = g.descendants({g.index_of(g.resolve(start))}, true);
    if (end == "current")
      upper = g.ancestors(current(), true);
    else if (!end.empty() && end != "head" && end != "heads")
      upper = g.ancestors({g.index_of(g.resolve(end))}, true);
    for (size_t i = 0; i < g.size(); ++i)
      shown[i] = lower[i] && upper[i];
  }
  std::vector<char> is_current;
  if (indicate_current) {
    is_current.assign(g.size(), 0);
    for (size_t h : current())
      is_current[h] = 1;
  }
  const auto* marks = indicate_current ? &is_current : nullptr;
  // A partly applied revision says so beside its line.
  std::vector<std::string> partial(g.size());
  if (indicate_current)
    if (auto driver = ctx.connect(/*create_if_missing=*/false)) {
      Migrator m(g, *driver, ctx.migrate_options(), ctx.out());
      for (const auto& part : m.partials())
        if (const Revision* r = g.find(part.revision))
          partial[g.index_of(*r)] = " (" + part.summary() + ")";
    }
  const auto& topo = g.topological_order();
  for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
    if (!shown[*it]) continue;
    ctx.out() << (verbose ? verbose_block(g, *it, marks) : history_line(g, *it, marks))
              << partial[*it] << "\n";
  }
  return kExitOk;
}

}  // namespace retort

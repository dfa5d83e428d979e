// retort current
#include <future>
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/revision_format.h"
#include "core/error.h"
#include "core/plan.h"
#include "core/text.h"
#include "migrate/migrator.h"

namespace retort {

int run_current(Context& ctx) {
  ArgParser p("current [--verbose]", "Show the revision(s) the database is at.");
  if (!ctx.parse(p)) return kExitOk;
  const std::string& table = ctx.config().version_table;
  // Reading the revision files and opening the database are independent and
  // each take a few milliseconds on a large history: do them side by side.
  auto graph = std::async(std::launch::async, [&ctx]() -> const RevisionGraph& {
    return ctx.graph(ParseDepth::kHeaders);
  });
  auto driver = ctx.connect(/*create_if_missing=*/false);
  if (ctx.verbosity() > 1) ctx.out() << "Current revision(s) for " << ctx.url().redacted() << ":\n";
  std::vector<std::string> stored;
  std::vector<Partial> partial;
  if (driver) {
    auto state = read_state(*driver, table);
    stored = std::move(state.heads);
    partial = std::move(state.partials);
  }
  const RevisionGraph& g = graph.get();
  // A revision that ran in part and could not be rolled back, after the heads.
  auto show_partial = [&] {
    for (const auto& part : partial)
      ctx.out() << part.revision << " (" << part.summary() << ")\n";
  };
  if (stored.empty()) {
    ctx.out() << "base (no revision applied" << (driver ? "" : "; the database does not exist yet")
              << ")\n";
    show_partial();
    return kExitOk;
  }
  auto heads = heads_from_ids(g, stored, table);
  if (auto wrong = contradictory_heads(g, heads); !wrong.empty())
    throw Error("the version table " + table + " in " + ctx.url().redacted() +
                " contradicts itself: " + join(wrong, "; "))
        .hint("its rows are: " + join(stored, ", "))
        .hint(
            "look at the schema, then record where it really is with `retort stamp --purge "
            "<revision>`");
  for (size_t h : heads)
    ctx.out() << (ctx.verbosity() > 1 ? verbose_block(g, h, nullptr)
                                      : g.at(h).id + revision_flags(g, h, nullptr))
              << "\n";
  show_partial();
  return kExitOk;
}

}  // namespace retort

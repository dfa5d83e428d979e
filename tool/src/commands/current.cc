// retort current
#include <iostream>

#include "commands/command_table.h"
#include "commands/context.h"
#include "commands/revision_format.h"
#include "core/error.h"
#include "core/plan.h"

namespace retort {

int run_current(Context& ctx) {
  ArgParser p("current [--verbose]", "Show the revision(s) the database is at.");
  if (!ctx.parse(p)) return kExitOk;
  auto driver = ctx.connect(/*create_if_missing=*/false);
  if (ctx.verbosity() > 1) ctx.out() << "Current revision(s) for " << ctx.url().redacted() << ":\n";
  std::vector<std::string> stored;
  if (driver) {
    Migrator m(ctx.graph(ParseDepth::kHeaders), *driver, ctx.migrate_options(), ctx.out());
    stored = m.stored_heads();
  }
  if (stored.empty()) {
    ctx.out() << "base (no revision applied" << (driver ? "" : "; the database does not exist yet")
              << ")\n";
    return kExitOk;
  }
  const auto& g = ctx.graph(ParseDepth::kHeaders);
  auto heads = heads_from_ids(g, stored, ctx.config().version_table);
  for (size_t h : heads)
    ctx.out() << (ctx.verbosity() > 1 ? verbose_block(g, h, nullptr)
                                      : g.at(h).id + revision_flags(g, h, nullptr))
              << "\n";
  return kExitOk;
}

}  // namespace retort

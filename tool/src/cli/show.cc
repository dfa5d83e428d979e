// retort show REV
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/revision_format.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

int run_show(Context& ctx) {
  ArgParser p("show REV",
              "Show one revision: its place in the graph and its SQL. REV is an id, a "
              "unique prefix, LABEL@head, head (every head when there are several), heads or "
              "base.");
  std::vector<std::string> revs;
  p.positional("REV", "the revision", &revs, 1);
  if (!ctx.parse(p)) return kExitOk;
  if (revs.empty()) throw Error("show needs a revision: retort show REV").usage();
  const auto& g = ctx.graph();
  std::vector<const Revision*> picked;
  if (revs[0] == "head" || revs[0] == "heads")
    picked = g.heads();
  else if (revs[0] == "base")
    picked = g.bases();
  else
    picked = {&g.resolve_one(revs[0])};
  for (const Revision* r : picked) {
    size_t i = g.index_of(*r);
    ctx.out() << verbose_block(g, i, nullptr) << "\n-- migrate:upgrade"
              << (r->upgrade.transactional ? "" : " transaction:false") << "\n"
              << trim(r->upgrade.sql) << "\n\n-- migrate:downgrade"
              << (r->downgrade.irreversible ? " irreversible" : "")
              << (r->downgrade.transactional ? "" : " transaction:false") << "\n"
              << trim(r->downgrade.sql) << "\n";
  }
  return kExitOk;
}

}  // namespace retort

// retort verify
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "migrate/migrator.h"

namespace retort {

int run_verify(Context& ctx) {
  ArgParser p("verify",
              "Check that the database's revisions exist as files and that every applied revision "
              "still matches the file it was applied from. Exit 1 naming each one that does not.");
  if (!ctx.parse(p)) return kExitOk;
  const auto& g = ctx.graph();
  auto driver = ctx.connect(/*create_if_missing=*/false);
  if (!driver) {
    if (ctx.verbosity() > 0)
      ctx.out() << "OK: the database does not exist yet; nothing is applied\n";
    return kExitOk;
  }
  Migrator m(g, *driver, ctx.migrate_options(), ctx.out());
  auto heads = m.applied_heads();
  auto edited = m.edited_revisions(heads);
  ErrorList list;
  for (auto& e : edited)
    list.add(std::move(e));
  for (const auto& part : m.partials())
    list.add(Error("revision " + part.revision + " is partly applied (" + part.summary() + ")")
                 .hint("`retort upgrade` continues it at the statement that failed; or repair "
                       "it by hand and run `retort resolve " +
                       part.revision + " --applied` or `--rolled-back`"));
  list.throw_if_any();
  auto applied = g.ancestors(heads, true);
  size_t n = 0;
  for (char a : applied)
    n += a;
  if (ctx.verbosity() > 0) ctx.out() << "OK: " << n << " applied revision(s) match their files\n";
  return kExitOk;
}

}  // namespace retort

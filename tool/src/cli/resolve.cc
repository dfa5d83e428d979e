// retort resolve REV (--applied | --rolled-back)
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "migrate/migrator.h"

namespace retort {

int run_resolve(Context& ctx) {
  ArgParser p("resolve REV (--applied | --rolled-back)",
              "Record what was done by hand about a partly applied revision (see `retort "
              "current`): --applied when it was finished, so it counts as applied; "
              "--rolled-back when what ran was undone, so it does not. No SQL of the revision "
              "runs; the log records the resolution.");
  std::vector<std::string> revs;
  bool applied = false, rolled_back = false;
  int lock_timeout = 60;
  p.positional("REV", "the partly applied revision", &revs, 1);
  p.flag("applied", "the revision was finished by hand", &applied);
  p.flag("rolled-back", "what ran of it was undone by hand", &rolled_back);
  p.int_option("lock-timeout", "SECONDS", "how long to wait for another deployer (default: 60)",
               &lock_timeout, 0, kMaxLockTimeoutSeconds);
  if (!ctx.parse(p)) return kExitOk;
  if (revs.empty()) throw Error("resolve needs a revision: retort resolve REV --applied").usage();
  if (applied == rolled_back)
    throw Error("resolve needs exactly one of --applied and --rolled-back")
        .hint("--applied: you finished the revision by hand; --rolled-back: you undid what ran")
        .usage();
  auto driver = ctx.connect(/*create_if_missing=*/false, lock_timeout);
  if (!driver) throw Error("the database does not exist yet: nothing is partly applied");
  Migrator m(ctx.graph(ParseDepth::kHeaders), *driver, ctx.migrate_options(), ctx.out());
  m.resolve(revs[0], applied);
  return kExitOk;
}

}  // namespace retort

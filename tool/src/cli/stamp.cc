// retort stamp TARGET... [--purge]
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "migrate/migrator.h"

namespace retort {

int run_stamp(Context& ctx) {
  ArgParser p("stamp TARGET... [--purge]",
              "Record TARGET in the version table without running any SQL: for a database whose "
              "schema is already there, or to repair the version table. 'stamp base' clears it. "
              "Several targets, on separate branches, record a head each.");
  std::vector<std::string> targets;
  bool purge = false;
  int lock_timeout = 60;
  p.positional("TARGET", "head, heads, base, or a revision (one or more)", &targets, -1);
  p.flag("purge", "empty the version table first (also when it names unknown revisions)", &purge);
  p.int_option("lock-timeout", "SECONDS", "how long to wait for another deployer (default: 60)",
               &lock_timeout, 0, kMaxLockTimeoutSeconds);
  if (!ctx.parse(p)) return kExitOk;
  if (targets.empty()) throw Error("stamp needs a target: retort stamp head").usage();
  std::vector<Target> parsed;
  for (const auto& t : targets)
    parsed.push_back(parse_target(t));
  auto driver = ctx.connect(/*create_if_missing=*/true, lock_timeout);
  Migrator m(ctx.graph(), *driver, ctx.migrate_options(), ctx.out());
  m.stamp(parsed, purge);
  return kExitOk;
}

}  // namespace retort

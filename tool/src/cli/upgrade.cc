// retort upgrade [TARGET] / retort downgrade [TARGET], online or --sql.
#include <iostream>

#include "backend/backend.h"
#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "migrate/migrator.h"

namespace retort {

namespace {

int migrate(Context& ctx, Direction dir) {
  const bool up = dir == Direction::kUpgrade;
  ArgParser p(up ? "upgrade [TARGET] [--sql]" : "downgrade [TARGET] [--sql]",
              up ? "Upgrade the database to TARGET (default: head). TARGET is head, heads, +N, a "
                   "revision id or unique prefix (4+ characters), ID+N, ID-N, label@head or "
                   "label@+N.\n"
                   "With --sql, print the SQL script for FROM:TO instead of running it."
                 : "Downgrade the database to TARGET (default: -1, one step). TARGET is -N, base, "
                   "a revision id or unique prefix (4+ characters), ID-N or label@-N.\n"
                   "With --sql, print the SQL script for FROM:TO (e.g. head:base) instead.");
  std::vector<std::string> targets;
  std::string env_var;
  bool sql = false, allow_edited = false;
  int lock_timeout = 60;
  p.positional("TARGET", up ? "where to go (default: head)" : "where to go (default: -1)", &targets,
               1);
  p.option("target-from-env", "VAR",
           "take TARGET from environment variable VAR when set (make's REV=)", &env_var);
  p.flag("sql", "print the SQL instead of running it (offline mode; no database needed)", &sql);
  p.flag("allow-edited", "run even if an applied revision's file was edited since", &allow_edited);
  p.int_option("lock-timeout", "SECONDS", "how long to wait for another deployer (default: 60)",
               &lock_timeout, 0, kMaxLockTimeoutSeconds);
  if (!ctx.parse(p)) return kExitOk;

  std::string text = targets.empty() ? (up ? "head" : "-1") : targets[0];
  text = from_env_or(env_var, text);
  const RevisionGraph& g = ctx.graph();
  if (sql) {
    write_offline_script(g, backend_of(ctx.url()), ctx.migrate_options(), dir,
                         parse_target_range(text), ctx.out());
    return kExitOk;
  }
  if (text.find(':') != std::string::npos)
    throw Error("'" + text + "' is a FROM:TO range, which only offline mode takes")
        .hint(
            "add --sql to print that script; online, the database is the starting point: `retort " +
            std::string(up ? "upgrade " : "downgrade ") + text.substr(text.find(':') + 1) + "`")
        .usage();
  Target target = parse_target(text);
  // Only an upgrade may create the database; a downgrade of nothing is an error.
  auto driver = ctx.connect(/*create_if_missing=*/up, lock_timeout);
  if (!driver)
    throw Error("the database " + ctx.url().redacted() +
                " does not exist yet, so there is "
                "nothing to downgrade")
        .hint("check the database URL (retort -v current shows which database is used)");
  Migrator m(g, *driver, ctx.migrate_options(allow_edited), ctx.out());
  if (up)
    m.upgrade(target);
  else
    m.downgrade(target);
  return kExitOk;
}

}  // namespace

int run_upgrade(Context& ctx) {
  return migrate(ctx, Direction::kUpgrade);
}
int run_downgrade(Context& ctx) {
  return migrate(ctx, Direction::kDowngrade);
}

}  // namespace retort

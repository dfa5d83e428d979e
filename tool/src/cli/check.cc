// retort check: do the models and the database (at head) agree? For CI.
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "migrate/autogenerate.h"

namespace retort {

int run_check(Context& ctx) {
  ArgParser p("check [--models GLOB]...",
              "Compare the models with the database at head. Exit 0 when they match; exit 1 "
              "listing the differences when a revision is missing (run `retort revision "
              "--autogenerate -m MESSAGE` to write it).");
  std::vector<std::string> models;
  bool show_sql = false;
  p.repeated("models", "GLOB", "model files to use instead of retort.ini's models (repeatable)",
             &models);
  p.flag("sql", "also print the SQL a new revision would run", &show_sql);
  if (!ctx.parse(p)) return kExitOk;
  auto driver = ctx.connect(/*create_if_missing=*/false);
  AutogenerateRequest req;
  req.config = &ctx.config();
  req.model_globs = models;
  req.graph = &ctx.graph();
  req.target = driver.get();
  req.backend = &backend_of(ctx.url());
  req.migrate = ctx.migrate_options();
  SchemaChanges changes = autogenerate(req);
  if (changes.excluded > 0)
    ctx.out() << changes.excluded << " object" << (changes.excluded == 1 ? "" : "s")
              << " excluded by " << ctx.config().where("exclude") << "\n";
  if (changes.empty()) {
    if (ctx.verbosity() > 0) ctx.out() << "No changes detected: the models match the database\n";
    return kExitOk;
  }
  ctx.out() << "The models differ from the database at head (" << changes.changes.size()
            << " difference" << (changes.changes.size() == 1 ? "" : "s") << "):\n";
  for (const auto& op : changes.changes)
    ctx.out() << "  " << describe(op) << "\n";
  if (show_sql) ctx.out() << "\n-- upgrade\n" << changes.upgrade_sql << "\n";
  if (ctx.verbosity() > 0)
    ctx.out() << "Write the revision with: retort revision --autogenerate -m MESSAGE "
                 "(make db-new MSG=...)\n";
  return kExitFailure;
}

}  // namespace retort

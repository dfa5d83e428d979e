// retort test [-r START:END]: the stairway test of each revision, each on a
// scratch database of its own.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "backend/url.h"
#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/history_range.h"
#include "core/text.h"
#include "migrate/autogenerate.h"
#include "migrate/stairway.h"

namespace retort {

namespace {

// --check-head: the models against a scratch database upgraded to the heads.
int check_head(Context& ctx, const Backend& backend, const DatabaseUrl& near,
               const std::vector<std::string>& models, const MigrateOptions& options) {
  auto scratch = backend.scratch_database(near);
  DriverOptions o;
  auto driver = open_driver(scratch->url(), o);
  std::ostringstream log;
  Migrator m(ctx.graph(), *driver, options, log);
  Target heads;
  heads.kind = Target::kHeads;
  heads.text = "heads";
  m.upgrade(heads);
  AutogenerateRequest req;
  req.config = &ctx.config();
  req.model_globs = models;
  req.graph = &ctx.graph();
  req.target = driver.get();
  req.backend = &backend;
  req.migrate = options;
  SchemaChanges changes = autogenerate(req);
  if (changes.empty()) {
    if (ctx.verbosity() > 0)
      ctx.out() << "ok   heads: the models match a database upgraded to every head\n";
    return kExitOk;
  }
  std::vector<std::string> what;
  for (const auto& op : changes.changes)
    what.push_back(describe(op));
  throw Error("the models differ from a database upgraded to every head: " + join(what, "; "))
      .hint("write the missing revision: retort revision -m MESSAGE (make db-new MSG=...)");
}

}  // namespace

int run_test(Context& ctx) {
  ArgParser p("test [-r START:END] [--check-head]",
              "Stairway test of every revision (or those in START:END), each on a scratch "
              "database of its own: upgrade to the revision's parents, read the schema, upgrade, "
              "downgrade one step, compare the schema with the one read, upgrade again. An "
              "irreversible revision has its upgrade tested. The scratch database is a "
              "temporary SQLite file, or with a server URL configured, a database created beside "
              "it and dropped after. Exit 1 when any revision fails.");
  std::string range;
  bool head_check = false;
  std::vector<std::string> models;
  p.option("rev-range,r", "START:END", "only revisions from START up to END (as history -r)",
           &range);
  p.flag("check-head",
         "instead: upgrade a scratch database to every head and compare it with the models, as "
         "retort check does",
         &head_check);
  p.repeated("models", "GLOB", "with --check-head: model files instead of retort.ini's models",
             &models);
  if (!ctx.parse(p)) return kExitOk;
  const auto& g = ctx.graph();
  std::vector<char> chosen(g.size(), 1);
  if (!range.empty())
    chosen = select_history_range(g, range, []() -> std::vector<size_t> {
      throw Error("retort test runs on scratch databases: its range cannot count from current")
          .usage();
    });
  // The configured database only says which kind of database to test on.
  auto configured = ctx.url_if_set();
  DatabaseUrl near =
      configured ? *configured : parse_database_url("sqlite:///retort-test.db", "retort test");
  const Backend& backend = backend_of(near);
  MigrateOptions options = ctx.migrate_options();
  options.verbosity = ctx.verbosity() > 1 ? 1 : 0;
  if (head_check) {
    if (!range.empty()) throw Error("--check-head tests every head: leave out -r").usage();
    return check_head(ctx, backend, near, models, options);
  }

  int passed = 0, failed = 0, tested = 0;
  for (size_t i : g.topological_order()) {
    if (!chosen[i]) continue;
    const Revision& r = g.at(i);
    ++tested;
    auto start = std::chrono::steady_clock::now();
    std::ostringstream log;
    try {
      StairwayOutcome outcome;
      {
        auto scratch = backend.scratch_database(near);
        DriverOptions o;
        auto driver = open_driver(scratch->url(), o);
        outcome = run_stairway(g, i, *driver, options, log);
      }  // the driver closes before its scratch database goes
      auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
      ++passed;
      if (ctx.verbosity() > 1) ctx.out() << log.str();
      char took[32];
      std::snprintf(took, sizeof took, "%.1f ms", ms);
      if (ctx.verbosity() > 0)
        ctx.out() << "ok   " << r.id << ", " << r.message
                  << (outcome.downgrade_tested
                          ? " (up, down, up: " + std::string(took) + ")"
                          : std::string(" (upgrade only: the downgrade is marked irreversible, "
                                        "so it and the second upgrade were not run)"))
                  << "\n";
    } catch (const Error& e) {
      ++failed;
      ctx.out() << log.str() << "FAIL " << r.id << ", " << r.message << ": "
                << (e.file().empty()
                        ? ""
                        : e.file() + (e.line() ? ":" + std::to_string(e.line()) : "") + ": ")
                << e.what() << "\n";
      for (const auto& h : e.hints())
        ctx.out() << "  hint: " << h << "\n";
    }
  }
  if (ctx.verbosity() > 0 || failed)
    ctx.out() << tested << (tested == 1 ? " revision" : " revisions") << " tested: " << passed
              << " passed, " << failed << " failed\n";
  if (failed)
    throw Error(std::to_string(failed) + (failed == 1 ? " revision" : " revisions") +
                " failed the stairway test");
  return kExitOk;
}

}  // namespace retort

// Applies a plan to a database through the driver interface: one transaction
// per revision holding its SQL and its bookkeeping, re-checked under the
// write lock so concurrent deployers never apply a revision twice. Also
// renders the same work as an offline SQL script.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/driver.h"
#include "core/error.h"
#include "core/plan.h"
#include "core/revision_graph.h"
#include "core/target.h"
#include "migrate/progress.h"

namespace retort {

struct MigrateOptions {
  std::string version_table = "retort_version";
  std::string log_table = "retort_log";
  bool allow_edited = false;
  // false: the whole run in one transaction (retort.ini transaction_per_migration)
  bool transaction_per_migration = true;
  int verbosity = 1;  // 0 quiet, 1 normal, 2 verbose
  // Called after each revision's step, with how long it took (committed; in
  // a one-transaction run, done inside the run's transaction): the
  // embedding API (runtime/) reports per-revision progress through it.
  std::function<void(const Revision&, Direction, double ms)> on_step;
};

class Migrator {
 public:
  Migrator(const RevisionGraph& g, Driver& d, MigrateOptions options, std::ostream& out);

  void upgrade(const Target& target);
  void downgrade(const Target& target);
  // Downgrades `rev` and whatever depends on it, and nothing else: unlike
  // ID-1, a sibling branch stays (the stairway test's one step down).
  void downgrade_revision(size_t rev);
  // Several targets record several heads (resolve_stamp in plan.h).
  void stamp(const std::vector<Target>& targets, bool purge);
  void stamp(const Target& target, bool purge) { stamp(std::vector<Target>{target}, purge); }
  // Records what a person did about a partly applied revision: finished it
  // (`applied`: the revision counts as applied) or undid what ran (it does
  // not), with a log row saying so. Throws when `rev` is not partial.
  void resolve(const std::string& rev, bool applied);

  // Revisions left partly applied (migrate/progress.h).
  std::vector<Partial> partials();

  // The version table's rows, as stored (empty when it does not exist yet).
  std::vector<std::string> stored_heads();
  // The stored rows as revisions; an id no file defines, or rows that
  // contradict each other (a revision beside its own ancestor), are errors.
  std::vector<size_t> applied_heads();
  // Applied revisions whose file no longer matches what was applied, as
  // Errors naming each; empty when all match.
  std::vector<Error> edited_revisions(const std::vector<size_t>& heads);

 private:
  struct StepClock;
  class RunTransaction;
  // Where a run starts: the heads the version table holds and the goal.
  struct Start {
    Goal goal;
    std::vector<size_t> heads;
  };

  // `fixed`: the goal to reach instead of the one `target` names.
  void run(Direction dir, const Target& target, const Goal* fixed = nullptr);
  // Creates the bookkeeping tables, reads the heads, resolves the goal and
  // refuses edited revisions: under the write lock, in the run's first
  // transaction.
  Start plan_run(Direction dir, const Target& target, const Goal* fixed);
  // transaction_per_migration = false: every step in `run`.
  void run_in_one_transaction(const std::vector<Step>& steps, std::vector<size_t> heads,
                              RunTransaction& run);
  // One transaction per revision, planning again whenever another deployer
  // moved the database first.
  void run_per_revision(Direction dir, const Goal& goal, std::vector<Step> steps,
                        std::vector<size_t> heads);
  // One step in its own transaction (two for a transaction:false section).
  // False when another deployer moved the database from `expected` first
  // (nothing was done).
  bool apply(const Step& step, const std::vector<size_t>& before, const std::vector<size_t>& after,
             const std::string& expected);
  bool apply_in_transaction(const Step& step, const std::vector<size_t>& before,
                            const std::vector<size_t>& after, const std::string& expected,
                            const StepClock& clock);
  bool apply_outside_transaction(const Step& step, const std::vector<size_t>& before,
                                 const std::vector<size_t>& after, const std::string& expected,
                                 const StepClock& clock);
  // One step of a one-transaction run.
  void apply_in_run(const Step& step, const std::vector<size_t>& before,
                    const std::vector<size_t>& after, RunTransaction& run);
  // Shows the step's title and runs its section.
  void run_section(const Step& step);
  // The step's bookkeeping: the version table moved and its log row.
  std::string record(const Step& step, const std::vector<size_t>& before,
                     const std::vector<size_t>& after, const StepClock& clock) const;
  // After a failed step: shows what the database said and rethrows `e` (the
  // exception being handled) with what happened and where the database is
  // (`at`), or throws the interruption instead.
  [[noreturn]] void fail(Error& e, const Step& step, const std::vector<size_t>& at, bool in_run,
                         bool recorded_outside);
  // After a step: its time and the database's messages.
  void report_applied(const Step& step, const StepClock& clock);
  std::vector<size_t> heads_now();  // in a transaction of its own
  void ensure_bookkeeping();
  // The version and log tables as the database resolves their names now,
  // qualified, so that a revision's search_path cannot move them.
  void resolve_bookkeeping();
  // After a revision: its session settings undone, its messages shown.
  void after_step();
  // Stops the run if SIGINT or SIGTERM arrived, saying where the database is.
  void check_interrupted(const std::vector<size_t>& at) const;
  void show_messages();
  std::string where(const std::vector<size_t>& at) const;  // "base" or the ids
  // Whether a section runs as one transaction: false for transaction:false,
  // and for a statement the database commits as it runs.
  bool atomic(const Section& sec) const;
  // Runs a section that cannot be rolled back statement by statement,
  // recording each in the progress table; continues a partial run of it.
  void run_statements(const Step& step, const Revision& r, const Section& sec);
  // Refuses a plan that would pass a partly applied revision by.
  void check_partials(const std::vector<Step>& steps) const;
  std::vector<std::string> ids(const std::vector<size_t>& idx) const;
  std::string step_title(const Step& step) const;

  const RevisionGraph& g_;
  Driver& d_;
  MigrateOptions o_;
  std::ostream& out_;
  std::string version_table_, log_table_;  // resolved; empty until resolve_bookkeeping()
  bool version_table_exists_ = false;
  std::vector<DatabaseMessage> messages_;  // of the step being applied
  std::vector<Partial> partials_;          // read at the start of a run
  bool progress_row_ = false;              // the step being applied has one
  bool progress_table_ready_ = false;      // created (if missing) in this run
  bool partial_failure_ = false;           // its failure left it partly applied
};

// The version table's rows, as stored (empty when it does not exist yet).
std::vector<std::string> read_heads(Driver& d, const std::string& version_table);

// The version table's rows and the revisions left partly applied, read
// once the names are resolved (for `current`).
struct StoredState {
  std::vector<std::string> heads;
  std::vector<Partial> partials;
};
StoredState read_state(Driver& d, const std::string& version_table);

// Rows of a version table that cannot all be true: the same revision twice,
// or a revision beside one of its own ancestors. Empty when they agree.
std::vector<std::string> contradictory_heads(const RevisionGraph& g,
                                             const std::vector<size_t>& heads);

// Writes the SQL script that `upgrade`/`downgrade` over `range` would run,
// bookkeeping included, without touching a database.
void write_offline_script(const RevisionGraph& g, const Backend& backend,
                          const MigrateOptions& options, Direction dir, const TargetRange& range,
                          std::ostream& out);

}  // namespace retort

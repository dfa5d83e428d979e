#include "migrate/migrator.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <ostream>

#include "backend/backend.h"
#include "core/error.h"
#include "core/interrupt.h"
#include "core/text.h"
#include "sql/statements.h"

namespace retort {

namespace {

using Clock = std::chrono::system_clock;

std::string iso_time(Clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string current_user() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return std::to_string(geteuid());
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return {};
  return buf;
}

const Section& section_of(const Revision& r, Direction dir) {
  return dir == Direction::kUpgrade ? r.upgrade : r.downgrade;
}

// Refuses a downgrade through an irreversible revision before anything runs.
void check_reversible(const RevisionGraph& g, const std::vector<Step>& steps) {
  for (const auto& s : steps) {
    const Revision& r = g.at(s.rev);
    if (s.dir == Direction::kDowngrade && r.downgrade.irreversible)
      throw Error("revision " + r.id + " (" + r.message +
                  ") is irreversible; nothing was downgraded")
          .at(r.path, r.downgrade.marker_line)
          .hint("downgrade to " + r.id +
                " or a later revision instead, or, if you reversed it by "
                "hand, record that with `retort stamp`");
  }
}

// Refuses a plan that holds text no database runs as written (a psql
// meta-command, COPY FROM STDIN, an unclosed quote, transaction control in a
// transactional section), before anything runs, so a file the build's lint
// would have refused never leaves a run half done.
void check_runnable(const RevisionGraph& g, const std::vector<Step>& steps,
                    const sql::LexerOptions& options) {
  ErrorList errors;
  for (const auto& s : steps)
    check_section(g.at(s.rev), section_of(g.at(s.rev), s.dir), errors, options);
  errors.throw_if_any();
}

// What to do after a failed revision: an error in the SQL names its file; a
// lock or a full disk (even when met inside the file) is about the database.
std::string next_step(const Error& e) {
  if (e.file().empty() || e.is_transient()) return ". Run the command again once that is resolved";
  if (e.is_rows())
    return ". Rows already in the database break it: fix them (or the file) and run the command "
           "again";
  return ". Fix the file and run the command again";
}

std::string sorted_key(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return join(v, ",");
}

}  // namespace

Migrator::Migrator(const RevisionGraph& g, Driver& d, MigrateOptions options, std::ostream& out)
    : g_(g), d_(d), o_(std::move(options)), out_(out) {}

std::vector<std::string> Migrator::ids(const std::vector<size_t>& idx) const {
  std::vector<std::string> out;
  for (size_t i : idx)
    out.push_back(g_.at(i).id);
  return out;
}

namespace {

struct ResolvedTable {
  std::string name;  // schema.table, or as configured when no schema applies
  bool exists = false;
};

// How the database resolves a bookkeeping table's configured name now. A
// view, or a name that only differs in case from an existing table where
// the database tells case apart, is an error: recording revisions there
// would make the version table lie.
ResolvedTable resolve_table(Driver& d, const std::string& configured, const std::string& setting) {
  const BookkeepingSql& dialect = d.bookkeeping();
  Rows found = d.query(dialect.find_table_query(configured));
  if (!found.empty()) {
    const auto& row = found.front();
    std::string qualified = row.at(1) + "." + row.at(2);
    if (row.at(0) != "table")
      throw Error(setting + " = " + configured + " names a " + row.at(0) + " (" + qualified +
                  "), not a table")
          .hint("retort records revisions in a table of its own: set " + setting +
                " in retort.ini to a name no other object has, or drop the " + row.at(0));
    return {qualified, true};
  }
  if (std::string lower = to_lower(configured); lower != configured) {
    Rows other = d.query(dialect.find_table_query(lower));
    if (!other.empty())
      throw Error(setting + " = " + configured + " does not exist, but " + other.front().at(1) +
                  "." + other.front().at(2) + " does")
          .hint("the database tells quoted names apart by case: set " + setting + " = " + lower +
                " in retort.ini to use the existing table");
  }
  if (configured.find('.') != std::string::npos) return {configured, false};
  Rows schema = d.query(dialect.current_schema_query());
  if (schema.empty() || schema.front().empty() || schema.front().front().empty())
    return {configured, false};
  return {schema.front().front() + "." + configured, false};
}

}  // namespace

std::vector<std::string> read_heads(Driver& d, const std::string& version_table) {
  ResolvedTable t = resolve_table(d, version_table, "version_table");
  if (!t.exists) return {};
  std::vector<std::string> out;
  for (auto& row : d.query(d.bookkeeping().select_heads(t.name)))
    out.push_back(row.at(0));
  return out;
}

StoredState read_state(Driver& d, const std::string& version_table) {
  ResolvedTable t = resolve_table(d, version_table, "version_table");
  StoredState out;
  if (!t.exists) return out;
  for (auto& row : d.query(d.bookkeeping().select_heads(t.name)))
    out.heads.push_back(row.at(0));
  out.partials = read_partials(d, progress_table(t.name));
  return out;
}

std::vector<std::string> contradictory_heads(const RevisionGraph& g,
                                             const std::vector<size_t>& heads) {
  std::vector<std::string> out;
  for (size_t i = 0; i < heads.size(); ++i)
    for (size_t j = 0; j < heads.size(); ++j) {
      if (i == j) continue;
      const std::string& a = g.at(heads[i]).id;
      const std::string& b = g.at(heads[j]).id;
      if (heads[i] == heads[j]) {
        if (i < j) out.push_back(a + " is recorded twice");
      } else if (is_ancestor(g, heads[i], heads[j])) {
        out.push_back(a + " is recorded beside " + b + ", which already includes it");
      }
    }
  return out;
}

void Migrator::resolve_bookkeeping() {
  if (!version_table_.empty()) return;
  ResolvedTable v = resolve_table(d_, o_.version_table, "version_table");
  ResolvedTable l = resolve_table(d_, o_.log_table, "log_table");
  version_table_ = v.name;
  version_table_exists_ = v.exists;
  log_table_ = l.name;
}

std::vector<std::string> Migrator::stored_heads() {
  resolve_bookkeeping();
  if (!version_table_exists_) return {};
  std::vector<std::string> out;
  for (auto& row : d_.query(d_.bookkeeping().select_heads(version_table_)))
    out.push_back(row.at(0));
  return out;
}

std::vector<size_t> Migrator::applied_heads() {
  auto heads = heads_from_ids(g_, stored_heads(), o_.version_table);
  auto wrong = contradictory_heads(g_, heads);
  if (!wrong.empty()) {
    Error e("the version table " + version_table_ + " in " + d_.describe() +
            " contradicts itself: " + join(wrong, "; "));
    e.hint("its rows were changed by hand or by another tool; nothing was done");
    e.hint(
        "look at the schema, then record where it really is with `retort stamp --purge "
        "<revision>`");
    throw e;
  }
  return heads;
}

void Migrator::ensure_bookkeeping() {
  resolve_bookkeeping();
  d_.execute(d_.bookkeeping().create_bookkeeping(version_table_, log_table_), {});
  version_table_exists_ = true;
}

std::vector<Error> Migrator::edited_revisions(const std::vector<size_t>& heads) {
  std::vector<Error> out;
  resolve_bookkeeping();
  if (!resolve_table(d_, log_table_, "log_table").exists) return out;
  std::map<std::string, std::string> applied;  // the latest upgrade wins
  for (auto& row : d_.query(d_.bookkeeping().select_checksums(log_table_)))
    applied[row.at(0)] = row.at(1);
  auto live = g_.ancestors(heads, true);
  for (size_t i = 0; i < g_.size(); ++i) {
    if (!live[i]) continue;
    const Revision& r = g_.at(i);
    auto it = applied.find(r.id);
    if (it == applied.end() || it->second.empty()) continue;  // stamped, not run
    if (it->second != r.upgrade.checksum())
      out.push_back(
          Error("revision " + r.id + " was edited after it was applied to " + d_.describe())
              .at(r.path, r.upgrade.marker_line)
              .hint("the database ran a different upgrade section; revert the edit "
                    "and put the change in a new revision (retort revision -m ...)")
              .hint("if the edit is harmless (comments, formatting), pass "
                    "--allow-edited"));
  }
  return out;
}

std::string Migrator::step_title(const Step& s) const {
  const Revision& r = g_.at(s.rev);
  std::string from = join(r.down_revisions, ", ");
  // A revision may have no message: then no dangling ", ".
  const std::string message = r.message.empty() ? "" : ", " + r.message;
  if (s.dir == Direction::kUpgrade) return "Running upgrade " + from + " -> " + r.id + message;
  return "Running downgrade " + r.id + " -> " + from + message;
}

std::string Migrator::where(const std::vector<size_t>& at) const {
  return at.empty() ? std::string("base") : join(ids(at), ", ");
}

void Migrator::check_interrupted(const std::vector<size_t>& at) const {
  if (int sig = interrupted_by())
    throw Error("interrupted by " + signal_name(sig) + "; the database is at " + where(at))
        .exits(128 + sig);
}

void Migrator::after_step() {
  d_.reset_session();
  for (auto& m : d_.take_messages())
    messages_.push_back(std::move(m));
}

void Migrator::show_messages() {
  // WARNINGs always; NOTICE and INFO (RAISE NOTICE progress) with -v.
  for (const auto& m : messages_)
    if (o_.verbosity > 1 || (o_.verbosity > 0 && m.severity == "WARNING"))
      out_ << "  " << m.severity << ": " << m.text << "\n";
  messages_.clear();
}

namespace {

// Whether the version table's rows, read under the write lock, are still
// those the plan was made from.
bool unmoved(const Rows& rows, const std::string& expected) {
  std::vector<std::string> now;
  for (const auto& row : rows)
    now.push_back(row.at(0));
  return sorted_key(now) == expected;
}

// Lets SIGINT and SIGTERM stop the driver's running statement.
void stop_driver(void* d) noexcept {
  static_cast<Driver*>(d)->interrupt();
}

}  // namespace

// When a step began, for its log row and the time shown.
struct Migrator::StepClock {
  Clock::time_point started = Clock::now();
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

// The transaction of a run with transaction_per_migration = false: it holds
// the planning and every revision, except that it commits before a section
// that cannot run in a transaction and begins again once that section is
// recorded. What it last committed is where a failure takes the database.
class Migrator::RunTransaction {
 public:
  explicit RunTransaction(Driver& d) : d_(d) {}
  void begin() { tx_.emplace(d_); }
  void commit(const std::vector<size_t>& heads) {
    tx_->commit();
    tx_.reset();
    mark_committed(heads);
  }
  // The database is at `heads` even if the run fails from now on.
  void mark_committed(const std::vector<size_t>& heads) { committed_ = heads; }
  const std::vector<size_t>& committed() const { return committed_; }

 private:
  Driver& d_;
  std::optional<Transaction> tx_;
  std::vector<size_t> committed_;
};

void Migrator::run_section(const Step& step) {
  const Revision& r = g_.at(step.rev);
  const Section& sec = section_of(r, step.dir);
  if (o_.verbosity > 0) out_ << step_title(step) << std::flush;
  // What cannot be rolled back runs statement by statement, recorded.
  if (atomic(sec))
    d_.execute(sec.sql, SqlOrigin{r.path, sec.first_line, r.id});
  else
    run_statements(step, r, sec);
}

std::string Migrator::record(const Step& step, const std::vector<size_t>& before,
                             const std::vector<size_t>& after, const StepClock& clock) const {
  const Revision& r = g_.at(step.rev);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  clock.t0)
                .count();
  LogRecord log{r.id,
                step.dir == Direction::kUpgrade ? "upgrade" : "downgrade",
                section_of(r, step.dir).checksum(),
                iso_time(clock.started),
                iso_time(Clock::now()),
                ms,
                current_user(),
                host_name()};
  return d_.bookkeeping().move_heads(version_table_, ids(before), ids(after)) +
         d_.bookkeeping().insert_log(log_table_, log) +
         (progress_row_ ? delete_partial(d_.bookkeeping(), progress_table(version_table_), r.id)
                        : std::string());
}

void Migrator::fail(Error& e, const Step& step, const std::vector<size_t>& at, bool in_run,
                    bool recorded_outside) {
  const Revision& r = g_.at(step.rev);
  const Section& sec = section_of(r, step.dir);
  if (o_.verbosity > 0) out_ << std::endl;
  for (auto& m : d_.take_messages())
    messages_.push_back(std::move(m));
  show_messages();
  // run_statements() said exactly what the revision left.
  if (partial_failure_) {
    if (int sig = interrupted_by())
      throw Error("interrupted by " + signal_name(sig) + ": " + e.what())
          .at(e.file(), e.line())
          .exits(128 + sig);
    e.hint("the database is at " + where(at) + ", with " + r.id + " partly applied");
    throw;
  }
  std::string what =
      recorded_outside ? "revision " + r.id + " ran outside a transaction and was recorded"
      : !atomic(sec)   ? (step.dir == Direction::kUpgrade
                              ? "revision " + r.id +
                                  " was not applied: its first statement failed, so nothing "
                                    "of it ran"
                              : "the downgrade of " + r.id +
                                  " did not start: its first statement failed, so it stays "
                                    "applied")
      : in_run         ? std::string("the run's transaction was rolled back")
                       : "revision " + r.id + " was rolled back";
  // Whatever the database said about being stopped, this is what happened.
  if (int sig = interrupted_by())
    throw Error("interrupted by " + signal_name(sig) + ": " + what + "; the database is at " +
                where(at))
        .exits(128 + sig);
  e.hint(what + "; the database is at " + where(at) + next_step(e));
  throw;  // e, with its hint
}

void Migrator::report_applied(const Step& step, const StepClock& clock) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - clock.t0)
          .count();
  if (o_.verbosity > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " (%.1f ms)", ms);
    out_ << buf << "\n";
    if (o_.verbosity > 1) out_ << "  from " << g_.at(step.rev).path << "\n";
  }
  show_messages();
  if (o_.on_step) o_.on_step(g_.at(step.rev), step.dir, ms);
}

bool Migrator::apply_in_transaction(const Step& step, const std::vector<size_t>& before,
                                    const std::vector<size_t>& after, const std::string& expected,
                                    const StepClock& clock) {
  Transaction tx(d_, d_.bookkeeping().select_heads(version_table_));
  if (!unmoved(tx.first_rows(), expected)) return false;
  run_section(step);
  // The revision's session settings are undone first, so the bookkeeping
  // runs as retort connected, whatever search_path or role the SQL chose.
  tx.record_and_commit(record(step, before, after, clock));
  return true;
}

bool Migrator::apply_outside_transaction(const Step& step, const std::vector<size_t>& before,
                                         const std::vector<size_t>& after,
                                         const std::string& expected, const StepClock& clock) {
  // One read outside a transaction is as consistent as one inside.
  if (!unmoved(d_.query(d_.bookkeeping().select_heads(version_table_)), expected)) return false;
  // Statements that cannot run in a transaction (VACUUM, CREATE INDEX
  // CONCURRENTLY) or that commit as they run (MariaDB's DDL) run first; the
  // bookkeeping commits only once they all succeeded.
  run_section(step);
  try {
    Transaction tx(d_);
    tx.record_and_commit(record(step, before, after, clock));
  } catch (Error& e) {
    // The statements ran and their progress row says so: the next run
    // records the revision without running them again.
    partial_failure_ = true;
    const Revision& r = g_.at(step.rev);
    throw Error("revision " + r.id +
                " ran all its statements, but recording it failed: " + e.what())
        .category(e.category())
        .hint("run the command again once that is resolved: it records " + r.id +
              " without running its statements again");
  }
  return true;
}

bool Migrator::apply(const Step& step, const std::vector<size_t>& before,
                     const std::vector<size_t>& after, const std::string& expected) {
  const StepClock clock;
  progress_row_ = false;
  partial_failure_ = false;
  try {
    // Under the write lock, confirm no other deployer moved the database
    // since we planned; if one did, the caller plans again.
    bool applied = atomic(section_of(g_.at(step.rev), step.dir))
                       ? apply_in_transaction(step, before, after, expected, clock)
                       : apply_outside_transaction(step, before, after, expected, clock);
    if (!applied) return false;
    after_step();
  } catch (Error& e) {
    fail(e, step, before, /*in_run=*/false, /*recorded_outside=*/false);
  }
  report_applied(step, clock);
  return true;
}

void Migrator::apply_in_run(const Step& step, const std::vector<size_t>& before,
                            const std::vector<size_t>& after, RunTransaction& run) {
  const StepClock clock;
  progress_row_ = false;
  partial_failure_ = false;
  bool recorded_outside = false;  // a section outside the transaction ran and was recorded
  try {
    if (atomic(section_of(g_.at(step.rev), step.dir))) {
      run_section(step);
      d_.reset_and_record(record(step, before, after, clock), /*and_commit=*/false);
      after_step();
    } else {
      // A section that cannot run in a transaction commits what came
      // before, as Alembic's autocommit_block does, and its own bookkeeping
      // commits as soon as it succeeded: what ran outside a transaction
      // cannot be rolled back with the rest.
      run.commit(before);
      run_section(step);
      Transaction own(d_);
      own.record_and_commit(record(step, before, after, clock));
      run.mark_committed(after);
      recorded_outside = true;
      after_step();
      run.begin();
    }
  } catch (Error& e) {
    // A failure takes the run's transaction back to its last commit, except
    // in a section that runs outside it (that commit was just before it).
    fail(e, step, recorded_outside ? after : run.committed(), /*in_run=*/true, recorded_outside);
  }
  report_applied(step, clock);
}

bool Migrator::atomic(const Section& sec) const {
  if (!sec.transactional) return false;
  const Backend& b = d_.backend();
  if (b.capabilities().transactional_ddl) return true;
  for (const auto& span : sql::split_statements(sec.sql, b.lexer_options()))
    if (b.commits_implicitly(std::string_view(sec.sql).substr(span.begin, span.end - span.begin)))
      return false;
  return true;
}

namespace {

const Partial* partial_of(const std::vector<Partial>& all, const std::string& rev) {
  for (const auto& p : all)
    if (p.revision == rev) return &p;
  return nullptr;
}

// "statements 1-2 of 3 ran", "statement 1 of 3 ran"
std::string ran_text(int done, int total) {
  std::string n = done == 1 ? "statement 1" : "statements 1-" + std::to_string(done);
  return n + " of " + std::to_string(total) + " ran";
}

// The first line of a database's message, bounded, for the progress row.
std::string error_summary(const Error& e) {
  std::string_view w = e.what();
  std::string line(trim(w.substr(0, w.find('\n'))));
  return line.size() > 500 ? line.substr(0, 500) : line;
}

}  // namespace

void Migrator::run_statements(const Step& step, const Revision& r, const Section& sec) {
  const Backend& b = d_.backend();
  const BookkeepingSql& bk = d_.bookkeeping();
  const std::string table = progress_table(version_table_);
  const auto spans = sql::split_statements(sec.sql, b.lexer_options());
  const std::string why =
      !sec.transactional
          ? std::string(" outside a transaction (transaction:false), so they stay applied")
          : " and cannot be rolled back on " + std::string(b.title()) +
                ", which commits each DDL statement as it runs it";
  auto line_of = [&](size_t i) { return line_at(sec.sql, spans[i].begin, sec.first_line); };
  Partial p;
  p.revision = r.id;
  p.direction = step.dir;
  p.total = static_cast<int>(spans.size());
  p.checksum = statements_checksum(sec.sql, spans, 0);
  // A new progress row goes in with the first statement's record, so a
  // revision whose first statement fails never had one.
  bool row_written = false;
  if (const Partial* earlier = partial_of(partials_, r.id)) {
    // check_partials() let only this revision, in this direction, through.
    partial_failure_ = true;  // the refusals below say what is there
    if (earlier->running > 0)
      throw Error("revision " + r.id + " is partly applied (" +
                  ran_text(earlier->done, earlier->total) + ") and statement " +
                  std::to_string(earlier->running) +
                  " was running when the run stopped: whether it took effect is unknown")
          .at(r.path)
          .hint("look at the schema: finish the revision by hand and run `retort resolve " + r.id +
                " --applied`, or undo what ran and run `retort resolve " + r.id +
                " --rolled-back`");
    if (earlier->total != p.total ||
        earlier->checksum != statements_checksum(sec.sql, spans, earlier->done))
      throw Error("revision " + r.id + " is partly applied (" +
                  ran_text(earlier->done, earlier->total) +
                  "), but its file no longer holds those statements as they ran")
          .at(r.path)
          .hint("restore statements 1-" + std::to_string(earlier->done) +
                " as they were (only what failed may change), then run the command again")
          .hint("or repair the database by hand and record it with `retort resolve " + r.id +
                " --applied` or `--rolled-back`");
    partial_failure_ = false;
    p.done = earlier->done;
    p.checksum = earlier->checksum;
    row_written = true;
    if (o_.verbosity > 0 && p.done < p.total)
      out_ << " (continuing at statement " << p.done + 1 << " of " << p.total << ")" << std::flush;
    else if (o_.verbosity > 0)
      out_ << " (its statements had all run; recording it)" << std::flush;
  } else if (!progress_table_ready_) {
    ensure_progress_table(d_, table);
    progress_table_ready_ = true;
  }
  progress_row_ = true;
  for (size_t i = static_cast<size_t>(p.done); i < spans.size(); ++i) {
    std::string_view stmt =
        std::string_view(sec.sql).substr(spans[i].begin, spans[i].end - spans[i].begin);
    SqlOrigin at{r.path, line_of(i), r.id};
    Partial next = p;
    next.done = static_cast<int>(i) + 1;
    next.checksum = statements_checksum(sec.sql, spans, i + 1);
    try {
      auto write = [&](const Partial& row) {
        return row_written ? update_partial(bk, table, row) : insert_partial(bk, table, row);
      };
      if (!d_.execute_recorded(stmt, at, write(next))) {
        // Marked as running first: a run killed inside it leaves "may have run".
        Partial running = p;
        running.running = next.done;
        d_.execute(write(running), {});
        row_written = true;
        d_.execute(stmt, at);
        d_.execute(update_partial(bk, table, next), {});
      }
      row_written = true;
    } catch (Error& e) {
      // The database answered: the statement did not take effect. A lost
      // connection leaves the row as it is ("may have run").
      bool known = e.category() != ErrorCategory::kConnection;
      Partial failed = p;
      failed.failed_line = line_of(i);
      failed.error = error_summary(e);
      if (known && row_written) {
        try {
          d_.execute(failed.done == 0 ? delete_partial(bk, table, r.id)
                                      : update_partial(bk, table, failed),
                     {});
        } catch (const Error&) {  // the row says "running"; still true
        }
      }
      if (known && failed.done == 0) {
        progress_row_ = false;
        throw;  // nothing ran: the caller reports a revision not applied
      }
      partial_failure_ = true;
      const std::string ran = p.done > 0 ? ran_text(p.done, p.total) + why + "; " : "";
      const std::string which =
          "statement " + std::to_string(i + 1) + " (line " + std::to_string(line_of(i)) + ")";
      Error out(known ? "revision " + r.id + " is partly applied: " + ran + which +
                            " failed: " + e.what()
                      : "revision " + r.id + " may be partly applied: " + ran +
                            "the connection was lost while " + which +
                            " ran, so whether it took effect is unknown: " + e.what());
      out.at(e.file(), e.line()).category(e.category());
      for (const auto& h : e.hints())
        out.hint(h);
      if (p.done > 0)
        out.hint("fix statement " + std::to_string(i + 1) + " and run the command again: it " +
                 "continues there while statements 1-" + std::to_string(p.done) + " are unchanged");
      out.hint("or undo what ran by hand and run `retort resolve " + r.id + " --rolled-back`");
      throw out;
    }
    p = next;
  }
}

void Migrator::check_partials(const std::vector<Step>& steps) const {
  for (const auto& p : partials_) {
    const std::string dir = p.direction == Direction::kUpgrade ? "upgrade" : "downgrade";
    if (!steps.empty() && g_.at(steps.front().rev).id == p.revision &&
        steps.front().dir == p.direction)
      continue;
    Error e("revision " + p.revision + " is partly applied (" + p.summary() + ")" +
            (p.failed_line > 0 ? "; statement " + std::to_string(p.done + 1) + " (line " +
                                     std::to_string(p.failed_line) + ") failed: " + p.error
                               : std::string()));
    e.hint("this run would pass it by and leave its statements behind; nothing was done");
    e.hint("continue it with `retort " + dir + "` to a target that includes it, or repair it by " +
           "hand and record that with `retort resolve " + p.revision +
           " --applied` or `--rolled-back`");
    throw e;
  }
}

std::vector<Partial> Migrator::partials() {
  resolve_bookkeeping();
  return read_partials(d_, progress_table(version_table_));
}

void Migrator::resolve(const std::string& rev, bool applied) {
  std::optional<RunLock> lock;
  if (d_.backend().capabilities().advisory_locks) lock.emplace(d_, o_.version_table);
  Transaction tx(d_);
  ensure_bookkeeping();
  auto all = partials();
  const size_t index = g_.index_of(g_.resolve(rev));
  const std::string& id = g_.at(index).id;
  const Partial* p = partial_of(all, id);
  if (!p) {
    std::string which;
    for (const auto& q : all)
      which += (which.empty() ? "" : ", ") + q.revision;
    throw Error("revision " + id + " is not partly applied")
        .hint(all.empty() ? std::string("no revision is: there is nothing to resolve")
                          : "partly applied: " + which);
  }
  auto heads = applied_heads();
  // The revision counts as applied, or not; where its partial run was going
  // decides which of the two moves the version table.
  bool moves = applied == (p->direction == Direction::kUpgrade);
  auto after = moves ? heads_after(g_, heads, Step{index, p->direction}) : heads;
  auto now = iso_time(Clock::now());
  std::string sql = d_.bookkeeping().move_heads(version_table_, ids(heads), ids(after)) +
                    d_.bookkeeping().insert_log(
                        // The log's direction column holds 16 characters.
                        log_table_, {id, applied ? "resolve-applied" : "resolve-reverted", "", now,
                                     now, 0, current_user(), host_name()}) +
                    delete_partial(d_.bookkeeping(), progress_table(version_table_), id);
  d_.execute(sql, {});
  tx.commit();
  if (o_.verbosity > 0)
    out_ << "Resolved " << id << " as " << (applied ? "applied" : "rolled back")
         << "; the database is at " << where(after) << "\n";
}

Migrator::Start Migrator::plan_run(Direction dir, const Target& target, const Goal* fixed) {
  ensure_bookkeeping();
  Start start;
  start.heads = applied_heads();
  partials_ = read_partials(d_, progress_table(version_table_));
  start.goal = fixed                        ? *fixed
               : dir == Direction::kUpgrade ? resolve_upgrade(g_, target, start.heads)
                                            : resolve_downgrade(g_, target, start.heads);
  if (!o_.allow_edited) {
    auto edited = edited_revisions(start.heads);
    if (!edited.empty()) {
      ErrorList list;
      for (auto& e : edited)
        list.add(std::move(e));
      list.throw_if_any();
    }
  }
  return start;
}

void Migrator::run_in_one_transaction(const std::vector<Step>& steps, std::vector<size_t> heads,
                                      RunTransaction& run) {
  run.mark_committed(heads);
  for (const auto& step : steps) {
    check_interrupted(run.committed());
    auto after = heads_after(g_, heads, step);
    apply_in_run(step, heads, after, run);
    heads = std::move(after);
  }
  run.commit(heads);
  check_interrupted(heads);
}

std::vector<size_t> Migrator::heads_now() {
  Transaction tx(d_);
  auto now = applied_heads();
  tx.commit();
  return now;
}

void Migrator::run_per_revision(Direction dir, const Goal& goal, std::vector<Step> steps,
                                std::vector<size_t> heads) {
  std::string expected = sorted_key(ids(heads));
  // Each replan follows another deployer's commit, so a run that replans
  // more often than there are revisions, or finds the database where it
  // just failed to find it, reads the version table wrongly: stop.
  size_t replans = 0;
  for (size_t k = 0; k < steps.size();) {
    check_interrupted(heads);
    auto after = heads_after(g_, heads, steps[k]);
    if (apply(steps[k], heads, after, expected)) {
      heads = std::move(after);
      expected = sorted_key(ids(heads));
      ++k;
      continue;
    }
    // Another deployer moved the database: plan again from where it is now.
    // The goal stays fixed, so a relative target never walks further.
    std::vector<size_t> now = heads_now();
    if (sorted_key(ids(now)) == expected || ++replans > 2 * g_.size() + 16)
      throw Error("the version table " + version_table_ + " reads as " + where(now) +
                  " outside the write transaction but differently inside it")
          .hint("nothing more was applied; give the version_table setting in the report")
          .internal();
    heads = std::move(now);
    steps = plan_steps(g_, goal, heads);
    if (dir == Direction::kDowngrade) check_reversible(g_, steps);
    expected = sorted_key(ids(heads));
    k = 0;
  }
  check_interrupted(heads);
}

void Migrator::run(Direction dir, const Target& target, const Goal* fixed) {
  progress_table_ready_ = false;
  InterruptScope interruptible(stop_driver, &d_);
  check_interrupted({});
  // Other deployers wait here for the whole run, then find nothing to do.
  std::optional<RunLock> lock;
  // With transaction_per_migration = false this transaction carries the
  // whole run; otherwise it ends once the plan is made.
  RunTransaction run(d_);
  Start start;
  try {
    if (d_.backend().capabilities().advisory_locks) lock.emplace(d_, o_.version_table);
    run.begin();
    // Tables, heads, goal and the edit check, all under the write lock.
    start = plan_run(dir, target, fixed);
    if (o_.transaction_per_migration) run.commit(start.heads);
  } catch (const Error&) {
    // A lock wait or a read that the signal cut short.
    if (int sig = interrupted_by())
      throw Error("interrupted by " + signal_name(sig) +
                  " before any revision ran; nothing was "
                  "applied")
          .exits(128 + sig);
    throw;
  }
  std::vector<Step> steps = plan_steps(g_, start.goal, start.heads);
  if (dir == Direction::kDowngrade) check_reversible(g_, steps);
  check_runnable(g_, steps, d_.backend().lexer_options());
  check_partials(steps);
  if (steps.empty()) {
    if (!o_.transaction_per_migration) run.commit(start.heads);
    if (o_.verbosity > 0)
      out_ << "Nothing to do: the database is at " << where(start.heads) << "\n";
    return;
  }
  if (!o_.transaction_per_migration)
    return run_in_one_transaction(steps, std::move(start.heads), run);
  run_per_revision(dir, start.goal, std::move(steps), std::move(start.heads));
}

void Migrator::upgrade(const Target& target) {
  run(Direction::kUpgrade, target);
}
void Migrator::downgrade(const Target& target) {
  run(Direction::kDowngrade, target);
}

void Migrator::downgrade_revision(size_t rev) {
  Goal goal;
  goal.dir = Direction::kDowngrade;
  goal.unwanted = g_.descendants({rev}, true);
  Target t;
  t.kind = Target::kRevision;
  t.revision = t.text = g_.at(rev).id;
  run(Direction::kDowngrade, t, &goal);
}

void Migrator::stamp(const std::vector<Target>& targets, bool purge) {
  InterruptScope interruptible(stop_driver, &d_);
  check_interrupted({});
  std::optional<RunLock> lock;
  if (d_.backend().capabilities().advisory_locks) lock.emplace(d_, o_.version_table);
  Transaction tx(d_);
  ensure_bookkeeping();
  std::vector<std::string> stored = stored_heads();
  // Rows that contradict each other are repaired by --purge or by stamping
  // base; anything else would plan from them.
  std::vector<size_t> heads;
  const bool to_base = targets.size() == 1 && targets.front().kind == Target::kBase;
  if (!purge) heads = to_base ? heads_from_ids(g_, stored, o_.version_table) : applied_heads();
  auto after = resolve_stamp(g_, targets, heads);
  auto after_ids = ids(after);
  std::string sql = d_.bookkeeping().move_heads(version_table_, stored, after_ids);
  // Every change of the version table leaves a row in the log: "stamp" for
  // a revision recorded, "unstamp" for one taken out without its downgrade.
  auto now = iso_time(Clock::now());
  auto log = [&](const std::string& id, const char* direction) {
    sql += d_.bookkeeping().insert_log(
        log_table_, {id, direction, "", now, now, 0, current_user(), host_name()});
  };
  for (const auto& id : stored)
    if (std::find(after_ids.begin(), after_ids.end(), id) == after_ids.end()) log(id, "unstamp");
  for (const auto& id : after_ids)
    if (std::find(stored.begin(), stored.end(), id) == stored.end()) log(id, "stamp");
  d_.execute(sql, {});
  check_interrupted(heads);
  tx.commit();
  if (o_.verbosity > 0)
    out_ << "Stamped " << d_.describe() << ": " << (stored.empty() ? "base" : join(stored, ", "))
         << " -> " << (after_ids.empty() ? "base" : join(after_ids, ", ")) << "\n";
}

void write_offline_script(const RevisionGraph& g, const Backend& backend, const MigrateOptions& o,
                          Direction dir, const TargetRange& range, std::ostream& out) {
  const auto owned_dialect = backend.bookkeeping();
  const BookkeepingSql& dialect = *owned_dialect;
  std::vector<size_t> heads;
  if (range.from.kind != Target::kBase) {
    if (range.from.counts_from_database())
      throw Error("offline mode has no database to count from: '" + range.from.text +
                  "' needs a starting revision")
          .usage();
    heads = resolve_stamp(g, range.from, {});
  } else if (dir == Direction::kDowngrade) {
    if (range.has_from)
      throw Error(
          "a downgrade cannot start at base: FROM:TO goes from the later revision to the "
          "earlier one")
          .hint("write `retort downgrade " + range.to.text + ":base --sql`")
          .usage();
    throw Error("offline downgrade needs a starting point: write FROM:TO, e.g. head:base").usage();
  }
  Goal goal = dir == Direction::kUpgrade ? resolve_upgrade(g, range.to, heads)
                                         : resolve_downgrade(g, range.to, heads);
  auto steps = plan_steps(g, goal, heads);
  if (dir == Direction::kDowngrade) check_reversible(g, steps);
  check_runnable(g, steps, backend.lexer_options());
  auto id_list = [&](const std::vector<size_t>& idx) {
    std::vector<std::string> v;
    for (size_t i : idx)
      v.push_back(g.at(i).id);
    return v;
  };
  out << "-- retort " << (dir == Direction::kUpgrade ? "upgrade" : "downgrade") << " "
      << (range.from.kind == Target::kBase ? std::string("base") : range.from.text) << ":"
      << range.to.text << " for " << dialect.name() << ", " << steps.size() << " revision(s)\n\n";
  // transaction_per_migration = false: one transaction for the whole script,
  // broken only around sections that cannot run inside one.
  const bool one = !o.transaction_per_migration;
  out << dialect.begin_transaction() << "\n"
      << dialect.create_bookkeeping(o.version_table, o.log_table);
  if (!one) out << dialect.commit_transaction() << "\n";
  for (const auto& step : steps) {
    const Revision& r = g.at(step.rev);
    const Section& sec = section_of(r, step.dir);
    auto after = heads_after(g, heads, step);
    std::string from = join(r.down_revisions, ", ");
    out << "\n-- "
        << (step.dir == Direction::kUpgrade ? "Running upgrade " + from + " -> " + r.id
                                            : "Running downgrade " + r.id + " -> " + from)
        << (r.message.empty() ? "" : ", " + r.message) << "\n-- " << r.path << "\n";
    std::string body(trim(sec.sql));
    // A section may end without ';' (or with a comment); the bookkeeping after
    // it must still start a statement of its own.
    if (!body.empty()) {
      size_t last_line = body.rfind('\n');
      std::string_view tail =
          trim(std::string_view(body).substr(last_line == std::string::npos ? 0 : last_line + 1));
      if (tail.substr(0, 2) == "--" || tail.empty() || tail.back() != ';') body += "\n;";
    }
    LogRecord log{r.id,
                  step.dir == Direction::kUpgrade ? "upgrade" : "downgrade",
                  sec.checksum(),
                  "",
                  "",
                  -1,
                  "",
                  ""};
    // As in a live run: the revision's session settings are undone before
    // the bookkeeping, and what ran outside a transaction is recorded at once.
    std::string bookkeeping = dialect.reset_session() +
                              dialect.move_heads(o.version_table, id_list(heads), id_list(after)) +
                              dialect.insert_log(o.log_table, log);
    if (one) {
      if (!sec.transactional) out << dialect.commit_transaction() << "\n";
      if (!body.empty()) out << body << "\n";
      if (!sec.transactional)
        out << dialect.begin_transaction() << "\n"
            << bookkeeping << dialect.commit_transaction() << "\n"
            << dialect.begin_transaction() << "\n";
      else
        out << bookkeeping;
    } else if (sec.transactional) {
      out << dialect.begin_transaction() << "\n";
      if (!body.empty()) out << body << "\n";
      out << bookkeeping << dialect.commit_transaction() << "\n";
    } else {
      if (!body.empty()) out << body << "\n";
      out << dialect.begin_transaction() << "\n"
          << bookkeeping << dialect.commit_transaction() << "\n";
    }
    heads = std::move(after);
  }
  if (one) out << dialect.commit_transaction() << "\n";
}

}  // namespace retort

// upgrade, downgrade, current, status and is_current: the tool's Migrator
// on a connection opened from a URL, as `retort upgrade` runs it.
#include "runtime/core_names.h"

#include "backend/native.h"
#include "runtime/script_impl.h"

#include <algorithm>
#include <ostream>
#include <streambuf>

namespace retort {
inline namespace v1 {

namespace {

// Hands each complete line written to it to a callback.
class LineSink final : public std::streambuf {
 public:
  explicit LineSink(const std::function<void(std::string_view)>& f) : f_(f) {}
  ~LineSink() override {
    if (!line_.empty()) emit();
  }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return 0;
    if (c == '\n')
      emit();
    else
      line_ += static_cast<char>(c);
    return c;
  }

 private:
  void emit() {
    if (f_) f_(redact_secrets(line_));
    line_.clear();
  }
  const std::function<void(std::string_view)>& f_;
  std::string line_;
};

core::DatabaseUrl parse_url(const std::string& text) {
  core::DatabaseUrl u = parse_database_url(text, "the application");
  register_secret(u.password);
  for (const auto& kv : u.query)
    if (kv.first == "password") register_secret(kv.second);
  return u;
}

core::MigrateOptions migrate_options(const Script::Impl& s, bool allow_edited, int verbosity) {
  core::MigrateOptions o;
  o.version_table = s.version_table;
  o.log_table = s.log_table;
  o.transaction_per_migration = s.settings.transaction_per_migration;
  o.allow_edited = allow_edited;
  o.verbosity = verbosity;
  return o;
}

std::unique_ptr<core::Driver> connect(const std::string& url, bool create, int lock_timeout_ms) {
  core::DriverOptions o;
  o.create_if_missing = create;
  o.lock_timeout_ms = lock_timeout_ms;
  return open_driver(parse_url(url), o);
}

std::unique_ptr<core::Driver> adopt(sqlite3* db, int lock_timeout_ms) {
  core::DriverOptions o;
  o.lock_timeout_ms = lock_timeout_ms;
  return adopt_sqlite3(db, o);
}

int timeout_ms(const Options& o) {
  auto ms = o.lock_timeout.count();
  return static_cast<int>(std::clamp<decltype(ms)>(ms, 0, 7LL * 24 * 3600 * 1000));
}

Direction public_direction(core::Direction d) {
  return d == core::Direction::kUpgrade ? Direction::kUpgrade : Direction::kDowngrade;
}

Result migrate(const Script& script, core::Driver& d, const std::string& target,
               const Options& options, core::Direction dir) {
  const Script::Impl& s = script.impl();
  Result result;
  core::MigrateOptions mo = migrate_options(s, options.allow_edited, options.on_log ? 1 : 0);
  mo.on_step = [&](const core::Revision& r, core::Direction step_dir, double ms) {
    Applied a{r.id, r.message, public_direction(step_dir),
              std::chrono::microseconds(static_cast<long long>(ms * 1000))};
    result.applied.push_back(a);
    if (options.on_progress) options.on_progress(a);
  };
  LineSink sink(options.on_log);
  std::ostream out(&sink);
  core::Migrator m(s.graph, d, mo, out);
  core::Target t = parse_target(target);
  if (dir == core::Direction::kUpgrade)
    m.upgrade(t);
  else
    m.downgrade(t);
  result.heads = m.stored_heads();
  return result;
}

Status read_status(const Script::Impl& s, core::Driver* d) {
  const core::RevisionGraph& g = s.graph;
  Status st;
  std::vector<size_t> heads;
  if (d) {
    std::ostream none(nullptr);
    core::Migrator m(g, *d, migrate_options(s, false, 0), none);
    st.heads = m.stored_heads();
    heads = m.applied_heads();
    for (const core::Partial& p : m.partials())
      st.partial.push_back(
          {p.revision, public_direction(p.direction), p.done, p.total, p.summary()});
  }
  auto applied = g.ancestors(heads, true);
  for (size_t i : g.topological_order())
    if (applied[i]) st.applied.push_back(g.at(i).id);
  core::Target all;
  all.kind = core::Target::kHeads;
  all.text = "heads";
  for (const auto& step : plan_steps(g, resolve_upgrade(g, all, heads), heads))
    st.pending.push_back(g.at(step.rev).id);
  return st;
}

bool current_from(const Script& script, const Status& st) {
  if (!st.partial.empty()) return false;
  for (const auto& h : script.heads())
    if (std::find(st.applied.begin(), st.applied.end(), h) == st.applied.end()) return false;
  return true;
}

}  // namespace

Result upgrade(const Script& script, const std::string& url, const std::string& target,
               const Options& options) {
  return translate_errors(&script.impl(), [&] {
    auto d = connect(url, /*create=*/true, timeout_ms(options));
    return migrate(script, *d, target, options, core::Direction::kUpgrade);
  });
}

Result downgrade(const Script& script, const std::string& url, const std::string& target,
                 const Options& options) {
  return translate_errors(&script.impl(), [&] {
    auto d = connect(url, /*create=*/false, timeout_ms(options));
    if (!d)
      throw core::Error("the database " + parse_url(url).redacted() +
                        " does not exist yet, so there is nothing to downgrade")
          .hint("check the database URL");
    return migrate(script, *d, target, options, core::Direction::kDowngrade);
  });
}

std::vector<std::string> current(const Script& script, const std::string& url) {
  return translate_errors(&script.impl(), [&] {
    auto d = connect(url, /*create=*/false, 60000);
    return d ? read_heads(*d, script.impl().version_table) : std::vector<std::string>{};
  });
}

Status status(const Script& script, const std::string& url) {
  return translate_errors(&script.impl(), [&] {
    auto d = connect(url, /*create=*/false, 60000);
    return read_status(script.impl(), d.get());
  });
}

bool is_current(const Script& script, const std::string& url) {
  return current_from(script, status(script, url));
}

Result upgrade(const Script& script, sqlite3* db, const std::string& target,
               const Options& options) {
  return translate_errors(&script.impl(), [&] {
    auto d = adopt(db, timeout_ms(options));
    return migrate(script, *d, target, options, core::Direction::kUpgrade);
  });
}

Result downgrade(const Script& script, sqlite3* db, const std::string& target,
                 const Options& options) {
  return translate_errors(&script.impl(), [&] {
    auto d = adopt(db, timeout_ms(options));
    return migrate(script, *d, target, options, core::Direction::kDowngrade);
  });
}

std::vector<std::string> current(const Script& script, sqlite3* db) {
  return translate_errors(&script.impl(), [&] {
    auto d = adopt(db, 60000);
    return read_heads(*d, script.impl().version_table);
  });
}

Status status(const Script& script, sqlite3* db) {
  return translate_errors(&script.impl(), [&] {
    auto d = adopt(db, 60000);
    return read_status(script.impl(), d.get());
  });
}

bool is_current(const Script& script, sqlite3* db) {
  return current_from(script, status(script, db));
}

}  // namespace v1
}  // namespace retort

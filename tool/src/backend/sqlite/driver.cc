// The SQLite driver: the only file that includes <sqlite3.h>.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "backend/driver.h"
#include "backend/sqlite/sqlite.h"
#include "core/error.h"
#include "core/sql_statements.h"
#include "core/text.h"
#include "sql/lexer.h"

namespace retort {

namespace {

int authorize(void* self, int action, const char*, const char*, const char*, const char*);
int busy_wait(void* self, int count);

// The per-connection settings a revision can change with PRAGMA and that
// would otherwise carry into the next revision and the bookkeeping
// (journal_mode is handled apart: WAL is a property of the file).
constexpr const char* kSessionPragmas[] = {
    "foreign_keys",
    "recursive_triggers",
    "legacy_alter_table",
    "ignore_check_constraints",
    "reverse_unordered_selects",
    "query_only",
    "trusted_schema",
    "automatic_index",
    "cache_size",
    "temp_store",
    "secure_delete",
    "cell_size_check",
    "defer_foreign_keys",
    "writable_schema",
    "cache_spill",
    "synchronous",
    "locking_mode",
    "journal_size_limit",
    "analysis_limit",
    "mmap_size",
    "count_changes",
    "full_column_names",
    "short_column_names",
    "empty_result_callbacks",
    "threads",
};

// Only these words in a revision can change the session: anything else
// leaves nothing to reset, and most revisions pay nothing for it.
bool may_change_session(std::string_view sql) {
  std::string lower = to_lower(sql);
  for (const char* w : {"pragma", "attach", "temp"})
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

class SqliteDriver final : public Driver {
 public:
  SqliteDriver(const DatabaseUrl& url, const DriverOptions& options)
      : url_(url), options_(options), bookkeeping_(make_sqlite_bookkeeping()) {}

  ~SqliteDriver() override {
    if (borrowed_) {
      // The application's connection goes back without retort's handlers.
      sqlite3_set_authorizer(db_, nullptr, nullptr);
      sqlite3_busy_handler(db_, nullptr, nullptr);
    } else if (db_) {
      sqlite3_close_v2(db_);
    }
  }

  // A connection the application opened: used as it is and left open.
  void adopt(sqlite3* db) {
    if (!sqlite3_get_autocommit(db))
      throw Error("the application's SQLite connection to " + url_.database +
                  " is inside a transaction: nothing was done")
          .hint("commit or roll back first: retort runs each revision in a transaction of its own");
    db_ = db;
    borrowed_ = true;
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_set_authorizer(db_, authorize, this);
    sqlite3_busy_handler(db_, busy_wait, this);
  }

  // Returns false when the file does not exist and may not be created.
  bool open() {
    const std::string& path = url_.database;
    OpenParams params = read_params();
    // Always a file: URI, so that mode, cache and the rest mean what SQLite
    // says they mean, with or without SQLAlchemy's ?uri=true.
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    const bool memory = url_.is_memory() || params.memory;
    if (memory) {
      flags |= SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY;
    } else {
      struct stat st {};
      bool exists = ::stat(path.c_str(), &st) == 0;
      if (!exists && !options_.create_if_missing) return false;
      if (exists && S_ISDIR(st.st_mode))
        throw Error("database path " + path + " (from " + url_.source + ") is a directory")
            .hint("point the sqlite:/// URL at a file");
      // SQLite would block reading a FIFO forever, and /dev/zero never ends.
      if (exists && !S_ISREG(st.st_mode))
        throw Error("database path " + path + " (from " + url_.source +
                    ") is not a regular file (a named pipe, device or socket)")
            .hint("point the sqlite:/// URL at a database file");
      if (!exists && params.no_create)
        throw Error("SQLite database " + path + " (from " + url_.source +
                    ") does not exist, and the URL's mode=" + params.mode +
                    " does not let retort create it")
            .hint("create it first, or drop mode=" + params.mode + " from the URL");
      if (!exists) {
        auto dir = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
          throw Error("cannot create SQLite database " + path + " (from " + url_.source +
                      "): directory " + dir.string() + " does not exist")
              .hint("create the directory, or fix the URL");
      }
      flags |= SQLITE_OPEN_CREATE;
    }
    std::string uri = "file:" + uri_path(memory && path.empty() ? ":memory:" : path) +
                      (params.uri_query.empty() ? "" : "?" + params.uri_query);
    int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      throw Error("cannot open SQLite database " + path + " (from " + url_.source + "): " + msg)
          .hint("check the path and its permissions");
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_set_authorizer(db_, authorize, this);
    sqlite3_busy_handler(db_, busy_wait, this);
    // Reading the schema proves the file really is a SQLite database.
    char* err = nullptr;
    rc = sqlite3_exec(db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xff) == SQLITE_NOTADB)
        throw Error(path + " (from " + url_.source + ") is not a SQLite database")
            .hint("check database_url: it points at a file of another kind");
      if ((rc & 0xff) == SQLITE_BUSY) throw locked_error();
      throw Error("cannot read SQLite database " + path + ": " + msg);
    }
    return true;
  }

  const BookkeepingSql& bookkeeping() const override { return *bookkeeping_; }
  const Backend& backend() const override { return sqlite_backend(); }
  std::string describe() const override { return url_.redacted(); }

  void begin() override {
    if (sqlite3_db_readonly(db_, "main") == 1 && read_only_mode())
      throw Error("SQLite database " + url_.database + " was opened read-only (mode=ro in the " +
                  "URL from " + url_.source + "): nothing was changed")
          .hint("drop mode=ro from the URL to let retort write");
    if (sqlite3_db_readonly(db_, "main") == 1)
      throw Error("SQLite database " + url_.database + " is read-only")
          .hint(
              "check the file's permissions and those of its directory (SQLite writes a "
              "journal beside it)");
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if ((rc & 0xff) == SQLITE_BUSY) throw locked_error();
    if (rc != SQLITE_OK) throw sqlite_error("cannot begin a transaction", rc);
    in_transaction_ = true;
  }

  void commit() override {
    int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      Error e = sqlite_error("cannot commit", rc);
      rollback();
      throw e;
    }
    in_transaction_ = false;
  }

  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_transaction_ = false;
  }

  void execute(std::string_view sql, const SqlOrigin& origin) override {
    if (!origin.file.empty() && may_change_session(sql)) {
      if (!snapshot_) take_snapshot();
      session_dirty_ = true;
    }
    const char* const start = sql.data();
    const char* const end = start + sql.size();
    const char* cursor = start;
    while (cursor < end) {
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      // Start at the statement's first word, so its reported line is right;
      // an unterminated comment is left for SQLite to report.
      cursor = start + sql::skip_trivia(sql, static_cast<size_t>(cursor - start),
                                        sql::LexerOptions::sqlite());
      if (cursor == end) break;
      // Inside retort's transaction, BEGIN/COMMIT/ROLLBACK are refused at
      // prepare time (by the authorizer), before they can commit anything.
      guard_transaction_ = in_transaction_;
      int rc = sqlite3_prepare_v2(db_, cursor, static_cast<int>(end - cursor), &stmt, &tail);
      guard_transaction_ = false;
      size_t stmt_offset = static_cast<size_t>(cursor - start);
      if (rc == SQLITE_AUTH && in_transaction_) {
        throw transaction_control_error(sql, {stmt_offset, sql.size()}, origin.file,
                                        origin.first_line);
      }
      if (rc != SQLITE_OK) {
        int err_off = sqlite3_error_offset(db_);
        size_t at = stmt_offset + (err_off >= 0 ? static_cast<size_t>(err_off) : 0);
        throw statement_error(sql, at, origin, rc, std::string_view(cursor, end - cursor));
      }
      if (!stmt) {  // only comments or whitespace remained
        cursor = tail;
        continue;
      }
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
      std::string_view text(cursor, static_cast<size_t>(tail - cursor));
      sqlite3_finalize(stmt);
      if (rc != SQLITE_DONE) throw statement_error(sql, stmt_offset, origin, rc, text);
      if (in_transaction_ && sqlite3_get_autocommit(db_)) {
        in_transaction_ = false;
        throw Error("this statement ended retort's transaction: " + statement_excerpt(text))
            .at(origin.file, line_at(sql, stmt_offset, origin.first_line))
            .hint(kOwnTransactionHint);
      }
      cursor = tail;
    }
  }

  Rows query(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) throw sqlite_error("query failed", rc);
    Rows rows;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      int n = sqlite3_column_count(stmt);
      for (int i = 0; i < n; ++i) {
        auto* v = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        if (v)
          row.emplace_back(std::string(v, static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
        else
          row.emplace_back();
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    if ((rc & 0xff) == SQLITE_BUSY) throw locked_error();
    if (rc != SQLITE_DONE) throw sqlite_error("query failed", rc);
    return rows;
  }

  void reset_session() override {
    if (!session_dirty_) return;
    const bool in_tx = !sqlite3_get_autocommit(db_);
    for (const auto& [name, value] : snapshot_->pragmas)
      if (pragma(name) != value) exec_or_throw("PRAGMA " + name + " = " + value);
    // Not readable, and off unless a revision turned it on.
    exec_or_throw("PRAGMA case_sensitive_like = 0");
    if (!in_tx) {
      std::string mode = pragma("journal_mode");
      if (mode != snapshot_->journal_mode && mode != "wal" && snapshot_->journal_mode != "wal")
        exec_or_throw("PRAGMA journal_mode = " + snapshot_->journal_mode);
      for (auto& row : query("SELECT name FROM pragma_database_list WHERE name NOT IN ('main', "
                             "'temp')"))
        if (std::find(snapshot_->databases.begin(), snapshot_->databases.end(), row[0]) ==
            snapshot_->databases.end())
          exec_or_throw("DETACH DATABASE " + quote_sql_string(row[0]));
    }
    for (auto& row : query("SELECT type, name FROM temp.sqlite_schema WHERE type IN ('table', "
                           "'view', 'trigger') ORDER BY type = 'table'"))
      exec_or_throw("DROP " + to_upper_word(row[0]) + " IF EXISTS temp." +
                    bookkeeping_->quote_name(row[1]));
    // PRAGMA busy_timeout replaces the busy handler that --lock-timeout and
    // Ctrl-C rely on.
    sqlite3_busy_handler(db_, busy_wait, this);
    // foreign_keys and DETACH cannot change inside a transaction: again
    // once it has ended.
    session_dirty_ = in_tx;
  }

  // sqlite3_interrupt may be called from another thread or a signal handler.
  void interrupt() noexcept override {
    stop_requested_.store(true);
    sqlite3_interrupt(db_);
  }

  // sqlite3_busy_timeout's wait, but one that interrupt() ends at once.
  int wait_while_busy(int count) {
    using namespace std::chrono;
    if (count == 0) busy_since_ = steady_clock::now();
    if (stop_requested_.load()) return 0;
    auto limit = milliseconds(options_.lock_timeout_ms);
    auto waited = steady_clock::now() - busy_since_;
    if (waited >= limit) return 0;
    auto pause = std::min<steady_clock::duration>(milliseconds(count < 10 ? 1 << (count / 2) : 25),
                                                  limit - waited);
    std::this_thread::sleep_for(pause);
    return 1;
  }

 private:
  // What the URL's query asks of SQLite.
  struct OpenParams {
    std::string uri_query;   // passed on in the file: URI
    std::string mode;        // as given
    bool memory = false;     // mode=memory
    bool no_create = false;  // mode=ro or mode=rw
  };

  // SQLAlchemy's pysqlite parameters (uri, timeout, check_same_thread) and
  // SQLite's URI parameters; any other is an error, not silently ignored.
  OpenParams read_params() {
    OpenParams p;
    auto fail = [&](const std::string& what) {
      return Error("SQLite URL parameter " + what + " (in the URL from " + url_.source + ")");
    };
    auto one_of = [&](const std::string& k, const std::string& v,
                      std::initializer_list<const char*> allowed) {
      for (const char* a : allowed)
        if (v == a) return;
      std::string list;
      for (const char* a : allowed)
        list += std::string(list.empty() ? "" : ", ") + a;
      throw fail(k + "=" + v + " is not one of " + list);
    };
    for (const auto& [k, v] : url_.query) {
      if (k == "uri") {
        one_of(k, v, {"true", "false"});  // retort always opens a file: URI
        continue;
      }
      if (k == "check_same_thread") {
        one_of(k, v, {"true", "false"});  // retort uses a connection from one thread only
        continue;
      }
      if (k == "timeout") {
        // pysqlite's busy timeout, in seconds: how long to wait for a lock.
        char* end = nullptr;
        double secs = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0' || !(secs >= 0 && secs <= 86400))
          throw fail("timeout=" + v + " is not a number of seconds from 0 to 86400");
        options_.lock_timeout_ms = static_cast<int>(secs * 1000);
        continue;
      }
      if (k == "mode") {
        one_of(k, v, {"ro", "rw", "rwc", "memory"});
        p.mode = v;
        p.memory = v == "memory";
        p.no_create = v == "ro" || v == "rw";
      } else if (k == "cache") {
        one_of(k, v, {"shared", "private"});
      } else if (k == "immutable" || k == "nolock" || k == "psow") {
        one_of(k, v, {"0", "1", "true", "false", "yes", "no", "on", "off"});
      } else if (k != "vfs") {
        throw fail("'" + k + "' is not known")
            .hint(
                "retort takes mode, cache, vfs, immutable, nolock and psow (SQLite's URI "
                "parameters) and uri, timeout and check_same_thread (SQLAlchemy's)");
      }
      p.uri_query += (p.uri_query.empty() ? "" : "&") + uri_escape(k) + "=" + uri_escape(v);
    }
    return p;
  }

  bool read_only_mode() const {
    for (const auto& [k, v] : url_.query)
      if (k == "mode" && v == "ro") return true;
    return false;
  }

  // SQLite's file: URIs decode %HH; '?' and '#' would end the path.
  static std::string uri_escape(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      if (c == '%' || c == '?' || c == '#' || c == '&' || c == '=' || c < 0x21 || c >= 0x7f) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out;
  }
  static std::string uri_path(const std::string& path) {
    // "file://x" would name a host; a relative path must not start with "//".
    std::string p = uri_escape(path);
    size_t first = p.find_first_not_of('/');
    return first != std::string::npos && first > 1 ? p.substr(first - 1) : p;
  }

  struct Snapshot {
    std::vector<std::pair<std::string, std::string>> pragmas;
    std::string journal_mode;
    std::vector<std::string> databases;
  };

  std::string pragma(const std::string& name) {
    Rows r = query("PRAGMA " + name);
    return r.empty() || r[0].empty() ? std::string() : r[0][0].text();
  }

  void take_snapshot() {
    Snapshot s;
    for (const char* name : kSessionPragmas) {
      Rows r = query(std::string("PRAGMA ") + name);
      if (!r.empty() && !r[0].empty()) s.pragmas.emplace_back(name, r[0][0]);
    }
    s.journal_mode = pragma("journal_mode");
    for (auto& row : query("SELECT name FROM pragma_database_list"))
      s.databases.push_back(row[0]);
    snapshot_ = std::move(s);
  }

  static std::string to_upper_word(std::string s) {
    for (char& c : s)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  void exec_or_throw(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return;
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw Error("cannot restore the session after a revision (" + sql + "): " + msg)
        .hint("a revision changed a setting retort cannot put back")
        .internal();
  }

  Error locked_error() const {
    char waited[32];
    std::snprintf(waited, sizeof waited, "%g", options_.lock_timeout_ms / 1000.0);
    return Error("SQLite database " + url_.database + " is locked by another process (waited " +
                 waited + " s)")
        .hint(
            "another retort or the application holds a write lock; retry, or raise "
            "--lock-timeout")
        .lock();
  }

  // A lock, a full disk, a read-only file or a failing write: the database
  // is in the way, whatever SQL was running.
  static bool is_database_fault(int rc) {
    int primary = rc & 0xff;
    return primary == SQLITE_FULL || primary == SQLITE_READONLY || primary == SQLITE_BUSY ||
           primary == SQLITE_IOERR;
  }

  Error sqlite_error(const std::string& what, int rc) const {
    if ((rc & 0xff) == SQLITE_FULL)
      return Error(what + ": the disk is full (" + url_.database + ")")
          .hint("free some space and run again")
          .resource();
    if ((rc & 0xff) == SQLITE_READONLY)
      return Error(what + ": SQLite database " + url_.database + " is read-only")
          .hint("check the permissions of the file and its directory")
          .resource();
    if ((rc & 0xff) == SQLITE_BUSY) return locked_error();
    if ((rc & 0xff) == SQLITE_IOERR) {
      int os_errno = sqlite3_system_errno(db_);
      return Error(what + ": SQLite could not write " + url_.database + " (" +
                   (os_errno ? std::strerror(os_errno) : sqlite3_errmsg(db_)) + ")")
          .hint("check free space, file size limits (ulimit -f) and the disk itself")
          .resource();
    }
    return Error(what + ": " + sqlite3_errmsg(db_));
  }

  Error statement_error(std::string_view sql, size_t offset, const SqlOrigin& origin, int rc,
                        std::string_view statement) const {
    Error e = is_database_fault(rc) ? sqlite_error("cannot run the statement", rc)
                                    : Error(sqlite3_errmsg(db_));
    e.at(origin.file, origin.file.empty() ? 0 : line_at(sql, offset, origin.first_line));
    // A constraint, or a STRICT column's type, that rows already there break.
    if ((rc & 0xff) == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_MISMATCH) e.rows();
    if (std::strstr(sqlite3_errmsg(db_), "syntax error")) e.syntax();
    // "cannot VACUUM from within a transaction", and the like.
    if (std::strstr(sqlite3_errmsg(db_), "within a transaction")) e.hint(kOutsideTransactionHint);
    e.hint("in statement: " + statement_excerpt(statement));
    return e;
  }

  DatabaseUrl url_;
  DriverOptions options_;
  std::unique_ptr<BookkeepingSql> bookkeeping_;
  sqlite3* db_ = nullptr;
  bool borrowed_ = false;  // the application's (adopt()): never closed here
  bool in_transaction_ = false;
  std::optional<Snapshot> snapshot_;  // taken before the first revision that may change it
  bool session_dirty_ = false;
  std::atomic<bool> stop_requested_{false};  // set by interrupt(), from a signal handler
  std::chrono::steady_clock::time_point busy_since_;

 public:
  bool guard_transaction_ = false;  // read by authorize()
};

int authorize(void* self, int action, const char*, const char*, const char*, const char*) {
  bool guard = static_cast<SqliteDriver*>(self)->guard_transaction_;
  return guard && action == SQLITE_TRANSACTION ? SQLITE_DENY : SQLITE_OK;
}

int busy_wait(void* self, int count) {
  return static_cast<SqliteDriver*>(self)->wait_while_busy(count);
}

}  // namespace

std::unique_ptr<Driver> adopt_sqlite_connection(void* handle, const DriverOptions& options) {
  auto* db = static_cast<sqlite3*>(handle);
  DatabaseUrl url;
  url.backend = sqlite_backend().name();
  url.form = UrlForm::kFilePath;
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  url.database = file && *file ? file : ":memory:";
  url.source = "the application's connection";
  if (!db)
    throw Error("the application's SQLite connection is a null pointer")
        .hint("pass the sqlite3* that sqlite3_open_v2() gave");
  auto d = std::make_unique<SqliteDriver>(url, options);
  d->adopt(db);
  return d;
}

std::unique_ptr<Driver> open_sqlite_driver(const DatabaseUrl& url, const DriverOptions& options) {
  // Memory statistics (sqlite3_memory_used() and friends, which retort never
  // asks for) take a global mutex around every allocation: about a tenth of
  // the schema parse that the first statement on a database of 1,000 tables
  // pays. Only possible before SQLite's first use in the process; later,
  // sqlite3_config() refuses and nothing changes.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  auto d = std::make_unique<SqliteDriver>(url, options);
  if (!d->open()) return nullptr;
  return d;
}

}  // namespace retort

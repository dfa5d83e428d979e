// A connection to one database, as the migrator uses it: transactions,
// statements with their origin for errors, the run lock, session resets and
// interrupts. Each backend implements it in backend/<db>/driver.cc, the only
// file that includes that database's C API; backend.h opens one.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/bookkeeping.h"
#include "core/database_url.h"

namespace retort {

class Backend;

// Where SQL came from, so an error can name the file and line.
struct SqlOrigin {
  std::string file;    // empty for retort's own statements
  int first_line = 1;  // line of the first byte of the SQL in that file
  std::string revision;
};

struct DriverOptions {
  bool create_if_missing = true;  // false: read-only commands never create a database
  int lock_timeout_ms = 60000;    // how long to wait for another deployer
};

// One value of a query's result: the text the database gave, or NULL. It
// reads, and compares, as its text ("" for NULL) wherever the two need no
// telling apart, so is_null() is the one way to ask.
class Value {
 public:
  Value() = default;                                                 // NULL
  Value(std::string text) : text_(std::move(text)), null_(false) {}  // NOLINT: a value is text
  Value(const char* text) : Value(std::string(text)) {}              // NOLINT
  bool is_null() const { return null_; }
  const std::string& text() const { return text_; }
  operator const std::string&() const { return text_; }
  operator std::string_view() const { return text_; }
  bool empty() const { return text_.empty(); }
  const char* c_str() const { return text_.c_str(); }
  friend bool operator==(const Value& a, const Value& b) { return a.text_ == b.text_; }
  friend bool operator==(const Value& v, const std::string& s) { return v.text_ == s; }
  friend bool operator==(const Value& v, const char* s) { return v.text_ == s; }
  // Messages are built from values: concatenate as the text.
  friend std::string operator+(std::string a, const Value& v) { return a += v.text_; }
  friend std::string operator+(const Value& v, std::string_view b) {
    return v.text_ + std::string(b);
  }
  friend std::string operator+(const char* a, const Value& v) { return a + v.text_; }

 private:
  std::string text_;
  bool null_ = true;
};
using Row = std::vector<Value>;
using Rows = std::vector<Row>;

// For statements a database refuses inside a transaction block.
inline constexpr const char* kOutsideTransactionHint =
    "this statement cannot run inside a transaction: put it in a section of its own marked "
    "`-- migrate:upgrade transaction:false` (or `-- migrate:downgrade transaction:false`), "
    "which runs outside one";

// Something the database said while running a revision's SQL without
// failing it (PostgreSQL's RAISE NOTICE and WARNING).
struct DatabaseMessage {
  std::string severity;  // as the database names it: WARNING, NOTICE, INFO
  std::string text;
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual const BookkeepingSql& bookkeeping() const = 0;
  // What it is a connection to, for its Capabilities.
  virtual const Backend& backend() const = 0;
  virtual std::string describe() const = 0;  // the URL, password masked

  // A write transaction; waits up to the lock timeout for other writers.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Runs every statement of `sql` as the database itself parses it. On
  // failure throws Error at origin.file and the failing statement's line.
  virtual void execute(std::string_view sql, const SqlOrigin& origin) = 0;
  // Runs one statement and then `record` (retort's bookkeeping of it) as
  // one command, which the server finishes even when retort dies between
  // the two, outside any transaction. False, having run nothing, where the
  // database cannot (the caller then records before and after).
  virtual bool execute_recorded(std::string_view statement, const SqlOrigin& origin,
                                std::string_view record) {
    (void)statement;
    (void)origin;
    (void)record;
    return false;
  }
  virtual Rows query(std::string_view sql) = 0;

  // begin(), then query(sql) in the new transaction, which a failed query
  // rolls back. A driver may send both at once (one round trip).
  virtual Rows begin_with_query(std::string_view sql) {
    begin();
    try {
      return query(sql);
    } catch (...) {
      rollback();
      throw;
    }
  }
  // What ends a revision: reset_session(), retort's own statements `sql`
  // (its bookkeeping), then, with `and_commit`, commit(). A driver may send
  // them all at once (one round trip), failing as each step would.
  virtual void reset_and_record(std::string_view sql, bool and_commit) {
    reset_session();
    execute(sql, {});
    if (and_commit) commit();
  }

  // Held for a whole upgrade, downgrade or stamp so that a second deployer
  // waits (up to the lock timeout, then throws) instead of interleaving.
  // Keyed on the version table. A no-op where begin() already excludes
  // other writers (SQLite's BEGIN IMMEDIATE).
  virtual void lock_run(const std::string& version_table) { (void)version_table; }
  virtual void unlock_run() noexcept {}

  // Returns the session to the state it had when the driver connected
  // (settings, role, search_path, pragmas, attached databases, temporary
  // objects), so that each revision runs as if it were the first of the run
  // and retort's bookkeeping never runs under a revision's settings. Inside a
  // transaction a driver resets what can be reset there and the rest at its
  // next call outside one.
  virtual void reset_session() = 0;

  // Asks the running statement to stop, from a signal handler: must be
  // async-signal-safe. The statement then fails and its transaction rolls back.
  virtual void interrupt() noexcept {}

  // Messages the database sent while running a revision's SQL, since the last call.
  virtual std::vector<DatabaseMessage> take_messages() { return {}; }
};

// Holds the driver's run lock for its lifetime; never throws from its destructor.
class RunLock {
 public:
  RunLock(Driver& d, const std::string& version_table) : d_(d) { d_.lock_run(version_table); }
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock() { d_.unlock_run(); }

 private:
  Driver& d_;
};

// Rolls back in its destructor unless committed; never throws from it.
class Transaction {
 public:
  explicit Transaction(Driver& d) : d_(d) { d_.begin(); }
  // Begins with a first query, whose rows first_rows() gives
  // (Driver::begin_with_query).
  Transaction(Driver& d, std::string_view first_query)
      : d_(d), first_rows_(d_.begin_with_query(first_query)) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (!done_) d_.rollback();
  }
  const Rows& first_rows() const { return first_rows_; }
  void commit() {
    d_.commit();
    done_ = true;
  }
  // Resets the session, runs retort's own `sql` and commits
  // (Driver::reset_and_record).
  void record_and_commit(std::string_view sql) {
    d_.reset_and_record(sql, /*and_commit=*/true);
    done_ = true;
  }

 private:
  Driver& d_;
  Rows first_rows_;
  bool done_ = false;
};

}  // namespace retort

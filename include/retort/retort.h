// retort's runtime: migrations compiled into an application, applied by the
// same migrator, drivers and bookkeeping as the `retort` tool.
//
// retort_embed_migrations(<target>) in CMake generates <name>.h, which
// declares `const retort::Script& <name>();`. Then, at start-up:
//
//   retort::upgrade(app_migrations(), "sqlite:////var/lib/app/app.db");
//
// Every function throws retort::Error. This header includes only the C++
// standard library; SQLite's connection type is declared, not included.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;  // <sqlite3.h>'s connection, for the overloads below

namespace retort {

// v1: the names of this interface, kept apart from the tool's own (which
// live in namespace retort too) and from later versions of it.
inline namespace v1 {

// One revision file as the build embedded it: its name as messages show it
// and its full text. Written by the generated <name>.cc.
struct ScriptFile {
  const char* path;
  const char* text;
  std::size_t size;
};

// Settings of the retort.ini the migrations were embedded with, so that the
// application and `retort` read and write the same tables.
struct ScriptSettings {
  const char* version_table = "retort_version";
  const char* log_table = "retort_log";
  bool transaction_per_migration = true;
};

struct SectionInfo {
  int first_line = 0;   // 1-based line of the file where the SQL starts
  int marker_line = 0;  // line of the "-- migrate:..." marker; 0 when absent
  bool transactional = true;
  bool irreversible = false;
  std::string checksum;  // as the tool records it in the log table
};

struct RevisionInfo {
  std::string id;
  std::vector<std::string> parents;  // down_revision; several for a merge
  std::vector<std::string> depends_on;
  std::vector<std::string> labels;  // branch_labels
  std::string message;
  std::string file;  // as embedded, e.g. migrations/versions/2026…_users.sql
  int id_line = 0;
  SectionInfo upgrade;
  SectionInfo downgrade;
};

// The embedded revisions, parsed and checked as the tool parses and checks
// revision files. Cheap to copy.
class Script {
 public:
  // Throws Error naming the file and line of every problem.
  Script(const ScriptFile* files, std::size_t count, ScriptSettings settings = {});

  // In file-name order.
  const std::vector<RevisionInfo>& revisions() const;
  std::vector<std::string> heads() const;
  const ScriptSettings& settings() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

// What kind of problem an Error is.
enum class ErrorKind {
  kInput,       // a revision, a URL, a target or a setting is wrong
  kSyntax,      // the database refused a statement as written
  kData,        // rows already in the database break a statement
  kConnection,  // the server cannot be reached, or the connection was lost
  kLock,        // another run (the tool's or an application's) held the lock too long
  kResource,    // a full disk, a read-only file
  kInternal,    // a bug in retort
};

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string file, int line, std::string revision,
        std::string database_code, std::vector<std::string> hints, ErrorKind kind);

  const std::string& file() const { return file_; }  // "" when no file is at fault
  int line() const { return line_; }                 // 0 when unknown
  const std::string& revision() const { return revision_; }
  // SQLSTATE (PostgreSQL), the server's error number (MariaDB), the result
  // code (SQLite); "" when the database said nothing.
  const std::string& database_code() const { return database_code_; }
  const std::vector<std::string>& hints() const { return hints_; }
  ErrorKind kind() const { return kind_; }
  // As the tool prints it: "file:line: message" and a "  hint: " line each.
  std::string format() const;

 private:
  std::string file_;
  int line_;
  std::string revision_;
  std::string database_code_;
  std::vector<std::string> hints_;
  ErrorKind kind_;
};

enum class Direction { kUpgrade, kDowngrade };

// One revision a run applied (or reverted).
struct Applied {
  std::string revision;
  std::string message;
  Direction direction = Direction::kUpgrade;
  std::chrono::microseconds duration{0};
};

struct Options {
  // How long to wait for another run (the tool's, or another process's).
  std::chrono::milliseconds lock_timeout{60000};
  // After each revision is committed.
  std::function<void(const Applied&)> on_progress;
  // Each line the tool would print for the same run ("Running upgrade …").
  std::function<void(std::string_view line)> on_log;
  // Run even when an applied revision's embedded text differs from what
  // was applied (the tool's --allow-edited).
  bool allow_edited = false;
};

struct Result {
  std::vector<Applied> applied;    // in the order they ran; empty: nothing to do
  std::vector<std::string> heads;  // where the database is now; empty: base
};

// A revision whose statements ran in part and cannot be rolled back.
struct PartialInfo {
  std::string revision;
  Direction direction = Direction::kUpgrade;
  int done = 0;         // statements that ran
  int total = 0;        // statements in the section
  std::string summary;  // "partial: 2 of 3 statements"
};

struct Status {
  std::vector<std::string> heads;    // the version table's rows; empty: base
  std::vector<std::string> applied;  // every applied revision, parents first
  std::vector<std::string> pending;  // what upgrade to head would apply, in order
  std::vector<PartialInfo> partial;
};

// `url`: sqlite:///relative.db, sqlite:////absolute.db, postgresql://…,
// mariadb://… as the tool takes them. `target`: head, heads, +N, an id …
Result upgrade(const Script& script, const std::string& url, const std::string& target = "head",
               const Options& options = {});
// `target`: -1 (one step), -N, base, an id …
Result downgrade(const Script& script, const std::string& url, const std::string& target = "-1",
                 const Options& options = {});
// The version table's rows; empty when nothing is applied or the database
// does not exist yet.
std::vector<std::string> current(const Script& script, const std::string& url);
Status status(const Script& script, const std::string& url);
// True when every head of the script is applied and nothing is partial.
bool is_current(const Script& script, const std::string& url);

// The same on the application's own open SQLite connection, which is used
// as it is and left open: no second connection, and the schema SQLite has
// already read is not read again. It must not be inside a transaction.
// While a call runs, retort's busy handler (Options::lock_timeout) and
// authorizer are set on it; afterwards it has none (set your
// sqlite3_busy_timeout() again if you use one).
Result upgrade(const Script& script, sqlite3* db, const std::string& target = "head",
               const Options& options = {});
Result downgrade(const Script& script, sqlite3* db, const std::string& target = "-1",
                 const Options& options = {});
std::vector<std::string> current(const Script& script, sqlite3* db);
Status status(const Script& script, sqlite3* db);
bool is_current(const Script& script, sqlite3* db);

}  // namespace v1
}  // namespace retort

// The one error type retort throws: it carries where the problem is (file and
// line, revision), what the database said, and what the user should do next.
// Errors are thrown from deep code and caught once, in main().
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace retort {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

// What kind of problem an error is, which decides what the user is told to
// do: fix the input (kInput, kSyntax), wait or free something and run again
// (kConnection, kLock, kResource), fix the rows or the revision (kData), or
// report a bug (kInternal).
enum class ErrorCategory {
  kInput,       // a file, a setting or an argument is wrong (the default)
  kSyntax,      // the database refused a statement as written
  kData,        // the SQL is sound, rows already there break it
  kConnection,  // the server cannot be reached, or the connection was lost
  kLock,        // another session holds a lock past the timeout
  kResource,    // a full disk, a read-only file, a failing write
  kInternal,    // retort contradicts itself: a bug
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}

  // Fluent setters so a throw site reads as one sentence:
  //   throw Error("unknown header").at(path, line).hint("...");
  Error& at(std::string file, int line = 0) {
    file_ = std::move(file);
    line_ = line;
    return *this;
  }
  Error& hint(std::string text) {
    hints_.push_back(std::move(text));
    return *this;
  }
  Error& usage() {
    exit_code_ = kExitUsage;
    return *this;
  }
  // Another exit status: 128 + the signal that stopped a run.
  Error& exits(int code) {
    exit_code_ = code;
    return *this;
  }
  Error& category(ErrorCategory c) {
    category_ = c;
    return *this;
  }
  // The SQL is not at fault, the database is (kConnection, kLock,
  // kResource): the same command can succeed once that is resolved, so
  // nobody should be told to edit the file.
  Error& connection() { return category(ErrorCategory::kConnection); }
  Error& lock() { return category(ErrorCategory::kLock); }
  Error& resource() { return category(ErrorCategory::kResource); }
  // The SQL is sound but rows already in the database break it (a value too
  // long, a duplicate key, a NULL where NOT NULL is wanted): the data or the
  // file may need the fix.
  Error& rows() { return category(ErrorCategory::kData); }
  Error& syntax() { return category(ErrorCategory::kSyntax); }
  // main() prints it as an internal error and asks for a report.
  Error& internal() { return category(ErrorCategory::kInternal); }
  // Further problems found in the same pass (every bad file, not just the first).
  Error& also(Error other) {
    more_.push_back(std::move(other));
    return *this;
  }

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::vector<std::string>& hints() const { return hints_; }
  const std::vector<Error>& more() const { return more_; }
  int exit_code() const { return exit_code_; }
  ErrorCategory category() const { return category_; }
  bool is_transient() const {
    return category_ == ErrorCategory::kConnection || category_ == ErrorCategory::kLock ||
           category_ == ErrorCategory::kResource;
  }
  bool is_rows() const { return category_ == ErrorCategory::kData; }

  // "retort: error: path:line: message" lines, then "  hint: ..." lines.
  std::string format() const;

 private:
  std::string file_;
  int line_ = 0;
  std::vector<std::string> hints_;
  std::vector<Error> more_;
  int exit_code_ = kExitFailure;
  ErrorCategory category_ = ErrorCategory::kInput;
};

// The last hint of every internal error, and of what main() catches that is
// not an Error.
extern const char* const kReportBugHint;

// Collects problems so a pass can report all of them at once; throws if any.
class ErrorList {
 public:
  void add(Error e) { errors_.push_back(std::move(e)); }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  void throw_if_any();

 private:
  std::vector<Error> errors_;
};

// Secrets (database passwords) are registered as soon as they are read, and
// everything retort prints goes through redact_secrets(), so a password that
// a database echoes back in an error still never reaches the terminal.
void register_secret(const std::string& secret);
std::string redact_secrets(std::string text);

}  // namespace retort

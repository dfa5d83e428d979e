// What every command needs: the global options, the config, the revision
// graph and a database connection, each loaded only when first asked for.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/url.h"
#include "cli/arg_parser.h"
#include "core/config.h"
#include "core/revision_graph.h"
#include "core/revision_index.h"
#include "core/script_directory.h"
#include "migrate/migrator.h"

namespace retort {

struct GlobalOptions {
  std::string config;
  std::string url;
  std::string default_url;
  std::string script_location;
  bool quiet = false;
  bool verbose = false;
};

// Adds the options every command takes, before its name or after, writing
// into `g`; a value set before parsing stays unless the option is given.
void add_global_options(ArgParser& p, GlobalOptions& g);

// --lock-timeout's ceiling: a week, and in milliseconds still an int.
constexpr int kMaxLockTimeoutSeconds = 7 * 24 * 3600;

class Context {
 public:
  Context(std::vector<std::string> args, GlobalOptions globals, std::ostream& out);
  // A Context lives as long as its command, and the process ends with it:
  // the revision graphs are left for the process's end to free (as
  // clang's -disable-free does), not freed revision by revision.
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Adds the global options to `p` and parses the command's arguments.
  // Returns false when --help was printed.
  bool parse(ArgParser& p);

  const Config& config();
  ScriptDirectory scripts() {
    return ScriptDirectory{config().script_location, default_index_dir()};
  }
  // The revision graph; commands that never look at SQL pass kHeaders to
  // skip reading the sections.
  const RevisionGraph& graph(ParseDepth depth = ParseDepth::kFull);
  DatabaseUrl url();
  // The URL when one is set anywhere (url() throws when none is).
  std::optional<DatabaseUrl> url_if_set();
  // nullptr when create_if_missing is false and the database does not exist.
  std::unique_ptr<Driver> connect(bool create_if_missing, int lock_timeout_s = 60);
  MigrateOptions migrate_options(bool allow_edited = false);
  int verbosity() const { return globals_.quiet ? 0 : (globals_.verbose ? 2 : 1); }
  std::ostream& out() { return out_; }

 private:
  std::vector<std::string> args_;
  GlobalOptions globals_;
  std::ostream& out_;
  std::optional<Config> config_;
  std::unique_ptr<RevisionGraph> full_graph_, header_graph_;  // never replaced once built
};

// Reads a value from the environment variable `var` when it is set and not
// empty (for MSG= and REV= from make), else returns `fallback`.
std::string from_env_or(const std::string& var, const std::string& fallback);

// The revision message from -m, or from environment variable `env_var` when
// given (make's MSG=). Empty is a usage error that shows how to pass it.
std::string required_message(const std::string& message, const std::string& env_var);

}  // namespace retort

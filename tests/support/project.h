// A throwaway migration project in a temp dir: retort.ini, the template,
// versions/, and a SQLite database file, plus helpers to write revisions
// and run retort inside it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sqlite_inspect.h"
#include "temp_dir.h"
#include "tool_runner.h"

namespace retort::test {

struct RevisionSpec {
  std::string id;
  std::string down;  // comma-separated parents, empty for a root
  std::string upgrade;
  std::string downgrade;
  std::string message;            // default: "rev <id>"
  std::string extra_headers;      // e.g. "-- branch_labels: x\n"
  std::string upgrade_options;    // e.g. " transaction:false"
  std::string downgrade_options;  // e.g. " irreversible"
};

class Project {
 public:
  Project();
  const std::string& root() const { return dir_.path(); }
  std::string versions() const { return dir_ / "migrations/versions"; }
  std::string db() const { return dir_ / "app.db"; }

  // Writes versions/<file>.sql (file defaults to "<n>_<id>.sql" in call order).
  std::string add(const RevisionSpec& spec, const std::string& file = {});
  // A linear chain r0001..rNNNN creating tables t1..tN.
  std::vector<std::string> add_chain(int n);

  RunResult run(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {}) const;

  std::vector<std::string> heads() const;  // version table rows, sorted
  std::vector<std::string> tables() const { return sqlite_tables(db()); }
  int log_count(const std::string& revision, const std::string& direction) const;

 private:
  TempDir dir_;
  int files_ = 0;
};

std::string render_revision(const RevisionSpec& spec);

}  // namespace retort::test

// A throwaway migration project in a temp dir: retort.ini, the template,
// versions/, and a database of its own (a SQLite file, or a fresh database on
// the test PostgreSQL server), plus helpers to write revisions, run retort
// inside it, and read the database back without going through retort.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "backend_fixture.h"
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
  // On each backend: Project p(GENERATE(all_backends())) (backend_fixture.h).
  explicit Project(std::string backend = "sqlite");
  const std::string& backend() const { return backend_; }
  // What differs between databases: ask the fixture, never the name.
  const BackendFixture& fixture() const { return fixture_; }
  const FixtureDatabase& database() const { return database_; }
  const std::string& text(const std::string& key) const { return fixture_.text(key); }
  const std::vector<std::string>& texts(const std::string& key) const {
    return fixture_.texts(key);
  }
  const std::string& root() const { return dir_.path(); }
  std::string versions() const { return dir_ / "migrations/versions"; }
  std::string db() const { return dir_ / "app.db"; }                // a SQLite project's file
  const std::string& url() const { return database_.project_url; }  // as written in retort.ini

  // First column of the rows a query returns, read directly from the database.
  std::vector<std::string> column(const std::string& sql) const;
  std::string value(const std::string& sql) const;  // first row, or ""
  void exec(const std::string& sql) const;
  // Runs an SQL script file with the database's own client (sqlite3 or psql).
  void run_client_script(const std::string& path) const;

  // Writes versions/<file>.sql (file defaults to "<n>_<id>.sql" in call order).
  std::string add(const RevisionSpec& spec, const std::string& file = {});
  // A linear chain r0001..rNNNN creating tables t1..tN.
  std::vector<std::string> add_chain(int n);

  RunResult run(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {}) const;

  std::vector<std::string> heads() const;  // version table rows, sorted
  // User tables and the version and log tables, sorted. The progress table,
  // which the first revision run statement by statement makes (on MariaDB
  // every DDL revision), is left out: partial_state_test looks at it.
  std::vector<std::string> tables() const;
  int log_count(const std::string& revision, const std::string& direction) const;

 private:
  std::string backend_;
  const BackendFixture& fixture_;
  TempDir dir_;
  FixtureDatabase database_;
  int files_ = 0;
};

std::string render_revision(const RevisionSpec& spec);

}  // namespace retort::test

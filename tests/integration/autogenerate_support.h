// Helpers of the autogenerate integration tests (autogenerate_test.cc,
// autogenerate_pg_test.cc), for both backends: a project with models, the
// schema-pair corpus, and reading a schema back from the database or from
// models, as a canonical text to compare. Where the databases differ, the
// helpers ask the backend's fixture (backend_fixture.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "project.h"
#include "schema/schema_model.h"

namespace retort::test {

// A project whose retort.ini also says `models = models/*.sql` (line 4).
struct ModelProject : Project {
  explicit ModelProject(std::string backend = "sqlite");
  void models(const std::string& sql) const;  // writes models/schema.sql
};

// A canonical text of a schema: what "the schema equals B" means for the
// backend of that name.
std::string dump(const Schema& s, const std::string& backend);

// The project's database as autogenerate reads it, without retort's tables.
Schema db_schema(const Project& p);
// The schema that `sql` as the models builds, on the project's backend.
Schema model_schema(const Project& p, const std::string& sql);
// `models` with the project's database's text for each expression the
// server reads the same (Backend::align_spelling), as autogenerate compares.
Schema as_database_spells(const Project& p, Schema models);

// The schema-pair corpus (kSchemaPairsDir): one directory per scenario,
// holding <backend>.sql for each registered backend, or <backend>.skip whose
// one line says why that backend has none.
std::vector<std::string> scenarios();  // their names, sorted
// The names of the files in a scenario's directory, sorted.
std::vector<std::string> scenario_file_names(const std::string& scenario);
// A scenario on one backend: the paths of its pair and of its .skip, each
// empty when there is no such file.
struct ScenarioFiles {
  std::string pair, skip;
};
ScenarioFiles scenario_files(const std::string& scenario, const std::string& backend);
// The reason a .skip file gives: its one line; empty unless the file holds
// exactly one line that is not blank.
std::string skip_reason(const std::string& path);

// One file of the schema-pair corpus: its scenario, the schema before
// (-- @a), after (-- @b), and rows to insert before the upgrade (-- @rows).
struct Pair {
  std::string name, a, b, rows;
};
Pair read_pair(const std::string& path);
// The pairs of a backend, sorted by scenario.
std::vector<std::string> pair_files(const std::string& backend);

// count(*) of each table of `s`, by its key, read from the project's database.
std::map<std::string, std::string> row_counts(const Project& p, const Schema& s);
// The project's revision files, sorted.
std::vector<std::string> revision_files(const Project& p);
// The upgrade part of a revision file's text.
std::string upgrade_of(const std::string& revision_text);

}  // namespace retort::test

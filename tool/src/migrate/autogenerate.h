// Autogenerate's pipeline: load the models (SQL files declaring the wanted
// schema) into a scratch database of the target's kind so the database itself
// parses them, introspect the scratch and the target into schema models,
// diff, lower for the dialect, and render the upgrade and its inverse.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "backend/driver.h"
#include "core/config.h"
#include "core/revision_graph.h"
#include "migrate/migrator.h"
#include "schema/ops.h"
#include "schema/schema_model.h"

namespace retort {

// The model files the globs name, relative to `base_dir`, sorted, each once.
// A directory stands for its *.sql files. A glob that matches nothing is an
// error naming it and `where` it was set.
std::vector<std::string> resolve_model_files(const std::vector<std::string>& globs,
                                             const std::string& base_dir, const std::string& where);

// Runs the model files in a scratch database of kind `backend` and reads the
// schema back. A failing statement is an error at its model file and line.
Schema load_models(const std::vector<std::string>& files, const std::string& backend,
                   const std::vector<std::string>& exclude_tables);

// Throws "Target database is not up to date" unless the database (nullptr:
// it does not exist yet) is at the revision graph's head(s).
void require_at_head(const RevisionGraph& g, Driver* driver, const MigrateOptions& options);

struct SchemaChanges {
  std::vector<Op> changes;  // as diffed, one per difference, for `retort check`
  std::string upgrade_sql;
  std::string downgrade_sql;
  bool empty() const { return changes.empty(); }
};

SchemaChanges compare_schemas(const Schema& current, const Schema& desired,
                              const std::string& backend);

// The whole pipeline for the `revision --autogenerate` and `check` commands.
struct AutogenerateRequest {
  const Config* config = nullptr;
  std::vector<std::string> model_globs;  // overrides config->models when not empty
  const RevisionGraph* graph = nullptr;
  Driver* target = nullptr;  // nullptr: the database does not exist yet
  std::string backend;       // of the target URL
  MigrateOptions migrate;
};
SchemaChanges autogenerate(const AutogenerateRequest& request);

}  // namespace retort

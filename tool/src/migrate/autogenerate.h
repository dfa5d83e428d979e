// Autogenerate's pipeline: the target's backend loads the models (SQL files
// declaring the wanted schema) into a scratch of its own kind so the database
// itself parses them and reads the target; the generic diff compares the two
// schema models, and the backend's schema dialect lowers and renders the
// upgrade and its inverse.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "backend/backend.h"
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

// Throws "Target database is not up to date" unless the database (nullptr:
// it does not exist yet) is at the revision graph's head(s).
void require_at_head(const RevisionGraph& g, Driver* driver, const MigrateOptions& options);

struct SchemaChanges {
  std::vector<Op> changes;  // as diffed, one per difference, for `retort check`
  std::string upgrade_sql;
  std::string downgrade_sql;
  size_t excluded = 0;  // objects the `exclude` setting left out, on either side
  bool empty() const { return changes.empty(); }
};

SchemaChanges compare_schemas(const Schema& current, const Schema& desired,
                              const SchemaDialect& dialect);
// The backend's schema dialect, or the error that it has no autogenerate.
std::unique_ptr<SchemaDialect> schema_dialect_of(const Backend& backend);

// The whole pipeline for the `revision --autogenerate` and `check` commands.
struct AutogenerateRequest {
  const Config* config = nullptr;
  std::vector<std::string> model_globs;  // overrides config->models when not empty
  const RevisionGraph* graph = nullptr;
  Driver* target = nullptr;          // nullptr: the database does not exist yet
  const Backend* backend = nullptr;  // of the target URL
  MigrateOptions migrate;
};
SchemaChanges autogenerate(const AutogenerateRequest& request);

}  // namespace retort

// Everything retort knows about SQLite, behind the Backend in backend.cc:
// the driver (driver.cc, the only file that includes <sqlite3.h>), the
// bookkeeping SQL, the schema reader, the model loader and the rendering of
// schema changes, with SQLite's table rebuilds. Only files in this folder and
// backend/registry.cc include this header.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"

namespace retort {

const Backend& sqlite_backend();

std::unique_ptr<Driver> open_sqlite_driver(const DatabaseUrl& url, const DriverOptions& options);
// A driver over an open sqlite3* (backend/native.h).
std::unique_ptr<Driver> adopt_sqlite_connection(void* db, const DriverOptions& options);
std::unique_ptr<BookkeepingSql> make_sqlite_bookkeeping();
std::unique_ptr<SchemaDialect> make_sqlite_schema_dialect();
// mode, cache, uri, timeout and the file: URI parameters (url.cc).
void check_sqlite_url(const DatabaseUrl& url, const UrlFailure& fail);

// Reads the schema through Driver::query only, in five queries.
Schema introspect_sqlite(Driver& driver, const IntrospectOptions& options);
// Runs the model files in a private in-memory database and reads it back.
Schema load_models_sqlite(const std::vector<std::string>& files,
                          const std::vector<std::string>& exclude_tables);

// What the pragmas leave out of a SQLite table's keys.
struct KeyClauses {
  bool strict = false;
  // Per foreign key, in declaration order (column-level and table-level
  // alike): whether it is deferred.
  std::vector<bool> fk_deferred;
  // ON CONFLICT resolutions other than the default ABORT.
  std::string pk_conflict;
  std::vector<std::pair<std::vector<std::string>, std::string>> unique_conflicts;  // columns
  std::map<std::string, std::string> not_null_conflicts;                           // by column key
};

// Parts of a SQLite CREATE TABLE that its pragmas do not report. Exposed for tests.
struct ParsedCreateTable {
  std::vector<std::pair<std::string, std::string>> column_definitions;  // name, text
  std::vector<Constraint> checks;
  bool without_rowid = false;
  bool autoincrement = false;
  KeyClauses keys;
};
ParsedCreateTable parse_create_table(const std::string& sql);

}  // namespace retort

// Reads a live database's schema into the schema model. Each database has its
// own reader (SQLite: drivers/sqlite/sqlite_introspect.cc, through the
// driver's query() only); this picks the one for the driver's dialect.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "backend/driver.h"
#include "schema/schema_model.h"

namespace retort {

struct IntrospectOptions {
  std::vector<std::string> exclude_tables;  // retort's own bookkeeping tables
  std::string schema;                       // PostgreSQL: the schema to read; empty: default
};

Schema introspect(Driver& driver, const IntrospectOptions& options);
Schema introspect_sqlite(Driver& driver, const IntrospectOptions& options);

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

// A CREATE INDEX's column elements and WHERE predicate. Exposed for tests.
void parse_create_index(const std::string& sql, Index& index);

}  // namespace retort

// SQLite's bookkeeping SQL.
#include "backend/bookkeeping.h"
#include "backend/sqlite/sqlite.h"
#include "core/text.h"

namespace retort {

namespace {

class SqliteBookkeeping final : public BookkeepingSql {
 public:
  std::string name() const override { return "sqlite"; }
  // IMMEDIATE takes the write lock before the version table is read, so two
  // deployers can never both see the same revision as pending.
  std::string begin_transaction() const override { return "BEGIN IMMEDIATE;"; }
  std::string now() const override { return "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')"; }
  std::string create_bookkeeping(const std::string& version_table,
                                 const std::string& log_table) const override {
    return "CREATE TABLE IF NOT EXISTS " + quote_name(version_table) +
           " (\n  version_num VARCHAR(128) NOT NULL PRIMARY KEY\n);\n"
           "CREATE TABLE IF NOT EXISTS " +
           quote_name(log_table) +
           " (\n"
           "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
           "  revision VARCHAR(128) NOT NULL,\n"
           "  direction VARCHAR(16) NOT NULL,\n"
           "  checksum CHAR(64),\n"
           "  started_at TEXT NOT NULL,\n"
           "  finished_at TEXT NOT NULL,\n"
           "  duration_ms INTEGER,\n"
           "  applied_by TEXT,\n"
           "  host TEXT\n);\n";
  }
  // SQLite matches names without regard to ASCII case, so "Retort_Version"
  // is the table retort_version; a view of that name is reported as one.
  std::string find_table_query(const std::string& table) const override {
    auto dot = table.rfind('.');
    if (dot == std::string::npos) {
      // In main, which always exists: a lookup in the schema SQLite holds
      // in memory, where scanning sqlite_schema would read every row (a
      // fifth of `retort current` beside the schema parse, at 1,000
      // tables). As in sqlite_schema, a virtual or shadow table is a table.
      return "SELECT CASE type WHEN 'view' THEN 'view' ELSE 'table' END, 'main', name FROM "
             "pragma_table_list(" +
             quote_sql_string(table) +
             ") WHERE schema = 'main' AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema')";
    }
    // A schema that is not attached is an error naming it.
    std::string schema = table.substr(0, dot);
    std::string name = table.substr(dot + 1);
    return "SELECT type, " + quote_sql_string(schema) + ", name FROM " + quote_name(schema) +
           ".sqlite_schema WHERE type IN ('table', 'view') AND name = " + quote_sql_string(name) +
           " COLLATE NOCASE";
  }
  // Unqualified names would find a TEMP table first; bookkeeping lives in main.
  std::string current_schema_query() const override { return "SELECT 'main'"; }
};

}  // namespace

std::unique_ptr<BookkeepingSql> make_sqlite_bookkeeping() {
  return std::make_unique<SqliteBookkeeping>();
}

}  // namespace retort

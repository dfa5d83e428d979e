// SQLite's bookkeeping SQL.
#include "core/text.h"
#include "drivers/dialect.h"

namespace retort {

namespace {

class SqliteDialect final : public Dialect {
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
  std::string table_exists_query(const std::string& table) const override {
    auto dot = table.rfind('.');
    std::string schema = dot == std::string::npos ? "main" : table.substr(0, dot);
    std::string name = dot == std::string::npos ? table : table.substr(dot + 1);
    return "SELECT 1 FROM " + quote_name(schema) +
           ".sqlite_schema WHERE type = 'table' AND name = " + quote_sql_string(name);
  }
};

}  // namespace

std::unique_ptr<Dialect> make_sqlite_dialect() {
  return std::make_unique<SqliteDialect>();
}

}  // namespace retort

// The SQL text a database needs for retort's own bookkeeping. The live run
// and the offline --sql script use the very same statements, so what a DBA
// reviews is what runs. No database headers here.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace retort {

struct LogRecord {
  std::string revision;
  std::string direction;                // upgrade, downgrade, stamp
  std::string checksum;                 // of the section applied; empty for stamp
  std::string started_at, finished_at;  // empty: the database's "now" (offline scripts)
  long long duration_ms = -1;           // -1: NULL
  std::string applied_by, host;
};

class BookkeepingSql {
 public:
  virtual ~BookkeepingSql() = default;
  virtual std::string name() const = 0;
  // Opens a transaction that holds the write lock from its first statement.
  virtual std::string begin_transaction() const = 0;
  std::string commit_transaction() const { return "COMMIT;"; }
  virtual std::string create_bookkeeping(const std::string& version_table,
                                         const std::string& log_table) const = 0;
  virtual std::string now() const = 0;
  // How the database resolves `table` now: no row when nothing has that name,
  // else one row (kind, schema, name) where kind is "table", "view" or what
  // else the name is. Resolved as the database does: SQLite ignores ASCII case.
  virtual std::string find_table_query(const std::string& table) const = 0;
  // The schema an unqualified CREATE TABLE puts a table in ("" if none).
  virtual std::string current_schema_query() const = 0;
  // Statements that return a session to its defaults, between revisions of
  // an offline script ("" where a script cannot know them).
  virtual std::string reset_session() const { return ""; }

  // One name quoted as the database quotes names: "name" (`name` in MariaDB).
  virtual std::string quote_identifier(const std::string& name) const;
  // A string literal: 'it''s' (MariaDB's backslash escapes need more).
  virtual std::string string_literal(const std::string& text) const;
  // A time retort took ("2026-12-03 13:00:00.123+00:00", UTC) as a literal
  // the log table's time columns take.
  virtual std::string time_literal(const std::string& utc) const;
  // "schema"."table" from schema.table.
  std::string quote_name(const std::string& dotted) const;
  std::string select_heads(const std::string& version_table) const;
  // Latest upgrade checksum of every revision, for edit detection.
  std::string select_checksums(const std::string& log_table) const;
  // Moves the version table from `before` to `after` heads, as Alembic does:
  // an UPDATE when one head replaces another, else DELETEs and INSERTs.
  std::string move_heads(const std::string& version_table, const std::vector<std::string>& before,
                         const std::vector<std::string>& after) const;
  std::string insert_log(const std::string& log_table, const LogRecord& r) const;
};

}  // namespace retort

// PostgreSQL's bookkeeping SQL. No libpq here: the offline --sql script uses
// these statements without a server.
#include "backend/bookkeeping.h"
#include "backend/postgres/postgres.h"
#include "core/text.h"

namespace retort {

namespace {

class PostgresBookkeeping final : public BookkeepingSql {
 public:
  std::string name() const override { return "postgresql"; }
  // Writers are kept apart by the advisory lock held for the whole run, so
  // a plain BEGIN is enough here.
  std::string begin_transaction() const override { return "BEGIN;"; }
  std::string now() const override { return "pg_catalog.now()"; }
  std::string create_bookkeeping(const std::string& version_table,
                                 const std::string& log_table) const override {
    std::string sql;
    // version_table = schema.table puts the bookkeeping in that schema.
    for (const auto* t : {&version_table, &log_table}) {
      auto dot = t->rfind('.');
      if (dot == std::string::npos) continue;
      std::string create = "CREATE SCHEMA IF NOT EXISTS " + quote_name(t->substr(0, dot)) + ";\n";
      if (sql.find(create) == std::string::npos) sql += create;
    }
    return sql + "CREATE TABLE IF NOT EXISTS " + quote_name(version_table) +
           " (\n  version_num VARCHAR(128) NOT NULL PRIMARY KEY\n);\n"
           "CREATE TABLE IF NOT EXISTS " +
           quote_name(log_table) +
           " (\n"
           "  id BIGSERIAL PRIMARY KEY,\n"
           "  revision VARCHAR(128) NOT NULL,\n"
           "  direction VARCHAR(16) NOT NULL,\n"
           "  checksum CHAR(64),\n"
           "  started_at TIMESTAMPTZ NOT NULL,\n"
           "  finished_at TIMESTAMPTZ NOT NULL,\n"
           "  duration_ms BIGINT,\n"
           "  applied_by TEXT,\n"
           "  host TEXT\n);\n";
  }
  // to_regclass resolves an unqualified name through search_path, exactly as
  // CREATE TABLE above places it, and returns NULL instead of failing.
  std::string find_table_query(const std::string& table) const override {
    return "SELECT CASE WHEN c.relkind IN ('r', 'p') THEN 'table' WHEN c.relkind = 'v' THEN "
           "'view' WHEN c.relkind = 'm' THEN 'materialized view' WHEN c.relkind = 'f' THEN "
           "'foreign table' ELSE 'relation of kind ' || c.relkind::text END, n.nspname, c.relname "
           "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
           "c.relnamespace WHERE c.oid = pg_catalog.to_regclass(" +
           quote_sql_string(quote_name(table)) + ")";
  }
  std::string current_schema_query() const override { return "SELECT pg_catalog.current_schema()"; }
  // What a revision's SET, SET ROLE or SET search_path changed; the session
  // defaults (the connection's own options) come back.
  std::string reset_session() const override {
    return "SET SESSION AUTHORIZATION DEFAULT;\nRESET ALL;\n";
  }
};

}  // namespace

std::unique_ptr<BookkeepingSql> make_postgres_bookkeeping() {
  return std::make_unique<PostgresBookkeeping>();
}

}  // namespace retort

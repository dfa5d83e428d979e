#include "schema/schema_dialect.h"

#include "core/error.h"
#include "schema/postgres_schema.h"
#include "schema/sql_tokens.h"

namespace retort {

std::string SchemaDialect::normalize_default(const std::string& expr) const {
  return normalize_sql(expr);
}

std::string SchemaDialect::render(const std::vector<Op>& ops) const {
  std::string sql;
  for (const auto& op : ops) {
    for (const auto& n : op.notes)
      sql += "-- " + n + "\n";
    sql += render_one(op);
    sql += "\n";
  }
  while (!sql.empty() && sql.back() == '\n')
    sql.pop_back();
  return sql;
}

std::string SchemaDialect::drop_table_sql(const std::string& table) {
  return "-- WARNING: data loss: drops table " + table + " and all its rows\n" + "DROP TABLE " +
         quote_ident(table) + ";\n";
}

// Nothing is lost with a generated column: its values come from the others.
std::string SchemaDialect::drop_column_warning(const std::string& table, const Column& column) {
  if (column.generated) return "";
  return "-- WARNING: data loss: drops column " + table + "." + column.name + " and its values\n";
}

std::unique_ptr<SchemaDialect> make_schema_dialect(const std::string& backend) {
  if (backend == "sqlite") return make_sqlite_schema_dialect();
  if (backend == "postgresql") return make_postgres_schema_dialect();
  throw Error("autogenerate does not support " + backend + " databases yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

}  // namespace retort

#include "schema/schema_dialect.h"

#include "core/error.h"
#include "schema/postgres_schema.h"
#include "schema/sql_tokens.h"

namespace retort {

std::string SchemaDialect::normalize_default(const std::string& expr) const {
  return normalize_sql(expr);
}

std::unique_ptr<SchemaDialect> make_schema_dialect(const std::string& backend) {
  if (backend == "sqlite") return make_sqlite_schema_dialect();
  if (backend == "postgresql") return make_postgres_schema_dialect();
  throw Error("autogenerate does not support " + backend + " databases yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

}  // namespace retort

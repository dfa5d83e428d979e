#include "backend/introspect.h"

#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

Schema introspect(Driver& driver, const IntrospectOptions& options) {
  const std::string dialect = driver.dialect().name();
  if (dialect == "sqlite") return introspect_sqlite(driver, options);
  if (dialect == "postgresql") {
    Schema s = introspect_postgres(driver, options);
    introspect_postgres_enums(driver, options, s);
    return s;
  }
  throw Error("autogenerate cannot read " + dialect + " schemas yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

// Enum types live in the schema the tables are read from, named bare as the
// tables are. A type with no labels has one row with a NULL label.
void introspect_postgres_enums(Driver& d, const IntrospectOptions& o, Schema& s) {
  const std::string ns =
      "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " +
      (o.schema.empty() ? std::string("current_schema()") : quote_sql_string(o.schema)) + ")";
  for (auto& r : d.query("SELECT t.typname, e.enumlabel IS NULL, e.enumlabel FROM "
                         "pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = "
                         "t.oid WHERE t.typtype = 'e' AND t.typnamespace = " +
                         ns + " ORDER BY t.typname, e.enumsortorder")) {
    EnumType& e = s.enums[key_of(r[0])];
    e.name = r[0];
    if (r[1] == "f") e.labels.push_back(r[2]);
  }
}

}  // namespace retort

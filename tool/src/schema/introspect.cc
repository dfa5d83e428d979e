#include "schema/introspect.h"

#include "core/error.h"
#include "schema/postgres_schema.h"

namespace retort {

Schema introspect(Driver& driver, const IntrospectOptions& options) {
  const std::string dialect = driver.dialect().name();
  if (dialect == "sqlite") return introspect_sqlite(driver, options);
  if (dialect == "postgresql") return introspect_postgres(driver, options);
  throw Error("autogenerate cannot read " + dialect + " schemas yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

}  // namespace retort

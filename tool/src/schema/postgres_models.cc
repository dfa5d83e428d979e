// The models into a scratch schema on the target's own server: inside a
// transaction that is always rolled back, so the database is never changed,
// and the server itself parses the models (its types, its functions, its
// extensions already installed there).
#include <unistd.h>

#include <chrono>

#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"
#include "schema/postgres_schema.h"
#include "schema/sql_tokens.h"

namespace retort {

Schema load_models_postgres(Driver& d, const std::vector<std::string>& files,
                            const std::vector<std::string>& exclude_tables) {
  // Unique per process and call: two autogenerates on one server never wait
  // on each other's CREATE SCHEMA.
  auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string scratch =
      "retort_models_" + std::to_string(::getpid()) + "_" + std::to_string(tick % 1000000007);
  Transaction tx(d);
  // First on the search_path, so the models' unqualified names land in it;
  // the rest of the path stays, so types and extensions there still resolve.
  try {
    d.execute("CREATE SCHEMA " + quote_ident(scratch) +
                  ";\nSELECT pg_catalog.set_config('search_path', " +
                  quote_sql_string(quote_ident(scratch)) +
                  " || ', ' || pg_catalog.current_setting('search_path'), true);",
              SqlOrigin{});
  } catch (Error& e) {
    e.hint("autogenerate loads the models into a temporary schema, in a transaction it rolls "
           "back; the database user needs the CREATE privilege on the database for that "
           "(GRANT CREATE ON DATABASE ... TO ...)");
    throw;
  }
  for (const auto& f : files) {
    std::string sql = read_file(f);
    try {
      d.execute(sql, SqlOrigin{display_path(f), 1, {}});
    } catch (Error& e) {
      e.hint("the models are SQL that builds the schema you want; they run in a scratch schema "
             "that is rolled back; fix this statement in " +
             display_path(f));
      throw;
    }
  }
  IntrospectOptions o;
  o.exclude_tables = exclude_tables;
  o.schema = scratch;
  Schema s = introspect_postgres(d, o);
  return s;  // tx rolls back: the scratch schema and everything in it vanish
}

}  // namespace retort

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
  Schema s;
  Rows others;
  {
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
      e.hint(
          "autogenerate loads the models into a temporary schema, in a transaction it rolls "
          "back; the database user needs the CREATE privilege on the database for that "
          "(GRANT CREATE ON DATABASE ... TO ...)");
      throw;
    }
    for (const auto& f : files) {
      std::string sql = read_file(f);
      try {
        d.execute(sql, SqlOrigin{display_path(f), 1, {}});
      } catch (Error& e) {
        e.hint(
            "the models are SQL that builds the schema you want; they run in a scratch schema "
            "that is rolled back; fix this statement in " +
            display_path(f));
        throw;
      }
    }
    IntrospectOptions o;
    o.exclude_tables = exclude_tables;
    o.schema = scratch;
    s = introspect_postgres(d, o);
    introspect_postgres_enums(d, o, s);
    // Other types, free-standing sequences and functions are not diffed:
    // tables that use one the database lacks would fail at upgrade, so say so now.
    const std::string ns =
        "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " + quote_sql_string(scratch) +
        ")";
    others = d.query(
        "SELECT 'type', t.typname FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class c ON "
        "c.oid = t.typrelid WHERE t.typnamespace = " +
        ns +
        " AND t.typtype IN ('d', 'c', 'r') AND (t.typrelid = 0 OR c.relkind = 'c') "
        "UNION ALL SELECT 'sequence', c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace "
        "= " +
        ns +
        " AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE "
        "dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype IN "
        "('a', 'i')) UNION ALL SELECT DISTINCT 'function', p.proname FROM pg_catalog.pg_proc p "
        "WHERE p.pronamespace = " +
        ns +
        " UNION ALL SELECT 'materialized view', c.relname FROM pg_catalog.pg_class c WHERE "
        "c.relnamespace = " +
        ns +
        " AND c.relkind = 'm' UNION ALL SELECT 'trigger', t.tgname FROM pg_catalog.pg_trigger t "
        "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND "
        "c.relnamespace = " +
        ns +
        " UNION ALL SELECT 'exclusion constraint', k.conname FROM pg_catalog.pg_constraint k "
        "WHERE k.contype = 'x' AND k.connamespace = " +
        ns + " ORDER BY 1, 2");
  }  // rolled back: the scratch schema and everything in it vanish
  std::vector<std::string> missing;
  for (const auto& r : others) {
    const std::string &kind = r[0], name = quote_sql_string(quote_ident(r[1]));
    const std::string here =
        "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())";
    std::string exists;
    if (kind == "type")
      exists = "SELECT 1 WHERE pg_catalog.to_regtype(" + name + ") IS NOT NULL";
    else if (kind == "sequence" || kind == "materialized view")
      exists = "SELECT 1 WHERE pg_catalog.to_regclass(" + name + ") IS NOT NULL";
    else if (kind == "function")
      exists = "SELECT 1 FROM pg_catalog.pg_proc p WHERE p.proname = " + quote_sql_string(r[1]) +
               " AND p.pronamespace::regnamespace::text = ANY "
               "(pg_catalog.current_schemas(false))";
    else if (kind == "trigger")
      exists =
          "SELECT 1 FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = "
          "t.tgrelid WHERE t.tgname = " +
          quote_sql_string(r[1]) + " AND c.relnamespace = " + here;
    else
      exists = "SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.contype = 'x' AND k.conname = " +
               quote_sql_string(r[1]) + " AND k.connamespace = " + here;
    if (d.query(exists).empty()) missing.push_back(kind + " " + r[1]);
  }
  if (!missing.empty())
    throw Error("the models create " + join(missing, ", ") +
                ", which autogenerate does not write revisions for, and the database has none "
                "of that name")
        .hint("create " + std::string(missing.size() > 1 ? "them" : "it") +
              " in a hand-written revision first (retort revision --empty -m MESSAGE, then "
              "retort upgrade), and autogenerate again; it compares tables, columns, "
              "constraints, indexes, views and enum types");
  return s;
}

}  // namespace retort

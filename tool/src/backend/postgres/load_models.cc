// The models into a scratch schema on the target's own server: inside a
// transaction that is always rolled back, so the database is never changed,
// and the server itself parses the models (its types, its functions, its
// extensions already installed there).
#include <unistd.h>

#include <chrono>

#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// A catalog row the running transaction wrote: its top-level xid, or one of
// its subtransactions (a DO block with EXCEPTION, a SAVEPOINT). Those are
// newer than the top xid (assigned by CREATE SCHEMA before any model ran) and
// still in progress, unlike rows other sessions committed meanwhile.
std::string written_here(const std::string& xmin) {
  return "CASE WHEN " + xmin +
         " = pg_catalog.pg_current_xact_id()::xid THEN true WHEN pg_catalog.age(" + xmin +
         ") < 0 THEN pg_catalog.pg_xact_status((pg_catalog.pg_current_xact_id()::text::bigint - "
         "pg_catalog.age(" +
         xmin + "))::text::xid8) = 'in progress' ELSE false END";
}

// Objects an extension made are the extension's, never the models' own.
std::string not_extension_member(const std::string& catalog, const std::string& oid) {
  return "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext WHERE ext.classid = "
         "'pg_catalog." +
         catalog + "'::regclass AND ext.objid = " + oid + " AND ext.deptype = 'e')";
}

// What autogenerate cannot compare yet and would get wrong if it went on
// (a partitioned table read as a plain one, its partitions left out): the
// models are refused, naming each, whatever the database holds.
void refuse_unsupported(Driver& d, const std::string& ns) {
  Rows rows = d.query(
      "SELECT 'partitioned table ' || c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace "
      "= " +
      ns +
      " AND c.relkind = 'p' UNION ALL SELECT 'partition ' || c.relname FROM pg_catalog.pg_class c "
      "WHERE c.relnamespace = " +
      ns +
      " AND c.relispartition AND c.relkind IN ('r', 'p') UNION ALL SELECT 'table ' || c.relname || "
      "' INHERITS ' || p.relname FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid "
      "= i.inhrelid JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE c.relnamespace = " +
      ns +
      " AND NOT c.relispartition AND c.relkind = 'r' UNION ALL SELECT 'unlogged table ' || "
      "c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = " +
      ns +
      " AND c.relpersistence = 'u' AND c.relkind IN ('r', 'p') UNION ALL SELECT 'row-level "
      "security on table ' || c.relname FROM pg_catalog.pg_class c WHERE c.relnamespace = " +
      ns +
      " AND c.relrowsecurity UNION ALL SELECT 'policy ' || p.polname || ' on ' || c.relname FROM "
      "pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE "
      "c.relnamespace = " +
      ns + " ORDER BY 1");
  if (rows.empty()) return;
  std::vector<std::string> what;
  for (const auto& r : rows)
    what.push_back(r[0]);
  throw Error("the models hold " + join(what, ", ") +
              ", which autogenerate cannot compare yet on PostgreSQL; it refuses rather than "
              "write a revision that leaves them out or gets them wrong")
      .hint(
          "leave them out of the models and change them in hand-written revisions (retort "
          "revision --empty -m MESSAGE); autogenerate compares tables, columns, constraints, "
          "indexes, views and enum types");
}

// Everything the models created or changed outside the scratch schema: a
// name qualified with another schema (app.t) or a table the models alter but
// never create reaches the real schema, where autogenerate never looks, and
// would be silently ignored. One query over the catalogs' xmin, so it costs
// little; an index, an owned sequence, a row or array type is reported
// through the object it belongs to.
void reject_objects_outside(Driver& d, const std::string& scratch) {
  const std::string relkind =
      "CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' "
      "THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN "
      "'index' WHEN 'f' THEN 'foreign table' ELSE 'type' END";
  // A relation also counts as changed when the models wrote one of its
  // columns, defaults, constraints or triggers (SET NOT NULL touches only
  // pg_attribute).
  auto touched = [&](const std::string& from, const std::string& rel, const std::string& where) {
    return " OR c.oid IN (SELECT " + rel + " FROM pg_catalog." + from + " x WHERE " + where +
           written_here("x.xmin") + ")";
  };
  Rows rows = d.query(
      "WITH f(kind, nsp, name, oid, owner) AS (SELECT " + relkind +
      ", c.relnamespace, c.relname, c.oid, CASE WHEN c.relkind IN ('i', 'I') THEN (SELECT "
      "i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = c.oid) WHEN c.relkind = 'S' "
      "THEN (SELECT dep.refobjid FROM pg_catalog.pg_depend dep WHERE dep.classid = "
      "'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype IN ('a', 'i') "
      "LIMIT 1) END FROM pg_catalog.pg_class c WHERE c.relkind <> 't' AND " +
      not_extension_member("pg_class", "c.oid") + " AND (" + written_here("c.xmin") +
      touched("pg_attribute", "x.attrelid", "") + touched("pg_attrdef", "x.adrelid", "") +
      touched("pg_constraint", "x.conrelid", "x.conrelid <> 0 AND ") +
      touched("pg_trigger", "x.tgrelid", "NOT x.tgisinternal AND ") + ")" +
      // Composite types are in pg_class; arrays, multiranges and range
      // constructors come with the type that made them.
      " UNION ALL SELECT 'type', t.typnamespace, t.typname, t.oid, NULL FROM pg_catalog.pg_type "
      "t WHERE " +
      not_extension_member("pg_type", "t.oid") +
      " AND (t.typtype IN ('b', 'd', 'e', 'r', 'p') AND t.typcategory <> 'A' AND " +
      written_here("t.xmin") + " OR t.oid IN (SELECT x.enumtypid FROM pg_catalog.pg_enum x WHERE " +
      written_here("x.xmin") +
      ") OR t.oid IN (SELECT x.contypid FROM pg_catalog.pg_constraint x WHERE x.contypid <> 0 "
      "AND " +
      written_here("x.xmin") +
      ")) UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
      "ELSE 'function' END, p.pronamespace, p.proname, p.oid, NULL FROM pg_catalog.pg_proc p "
      "WHERE " +
      written_here("p.xmin") +
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = "
      "'pg_catalog.pg_proc'::regclass AND dep.objid = p.oid AND dep.deptype IN ('i', 'e')) "
      "UNION ALL "
      "SELECT 'schema', NULL, n.nspname, n.oid, NULL FROM pg_catalog.pg_namespace n WHERE " +
      written_here("n.xmin") + " AND n.nspname <> " + quote_sql_string(scratch) +
      " AND n.nspname !~ '^pg_(toast_)?temp_') SELECT DISTINCT f.kind, n.nspname, f.name, "
      "pg_catalog.current_setting('retort.target_schema', true), n.nspname IS NULL, "
      "COALESCE(n.nspname, f.name) FROM f LEFT "
      "JOIN pg_catalog.pg_namespace n ON n.oid = f.nsp WHERE (f.nsp IS NULL OR (n.nspname <> " +
      quote_sql_string(scratch) +
      " AND n.nspname <> 'pg_toast' AND n.nspname !~ '^pg_(toast_)?temp_')) AND (f.owner IS "
      "NULL OR f.owner NOT IN (SELECT oid FROM f)) ORDER BY 6, 5 DESC, 3, 1");
  if (rows.empty()) return;
  const std::string& target = rows[0][3];  // empty: no schema on the search_path
  std::vector<std::string> objects, schemas;
  for (const auto& r : rows) {
    if (r[4] == "t") {
      objects.push_back("schema " + r[2]);
      if (r[2] != target) schemas.push_back(r[2]);  // not for a GRANT on public
    } else {
      objects.push_back(r[0] + " " + r[1] + "." + r[2]);
    }
  }
  Error e("the models create or change " + join(objects, ", ") +
          ", which autogenerate does not see: it compares only the database's current schema" +
          (target.empty() ? std::string() : ", " + target + ",") +
          " with what the models create under unqualified names");
  e.hint(
      "name the models' objects unqualified (CREATE TABLE t) or in the schema compared "
      "(public.t, as pg_dump writes them), and have the models create every table they alter "
      "or reference");
  if (!schemas.empty())
    e.hint("other schemas (" + join(schemas, ", ") +
           ") need their own hand-written revision (retort revision --empty -m MESSAGE, then "
           "retort upgrade); leave them out of the models");
  throw e;
}

}  // namespace

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
    // pg_dump's public.t names the schema compared: the models' t.
    const std::string target =
        d.query("SELECT COALESCE(pg_catalog.current_schema()::text, '')").at(0).at(0);
    // First on the search_path, so the models' unqualified names land in it;
    // the rest of the path stays, so types and extensions there still resolve.
    try {
      // The schema autogenerate compares, kept for naming it in errors: the
      // models may set search_path themselves.
      d.execute("CREATE SCHEMA " + quote_ident(scratch) +
                    ";\nSELECT pg_catalog.set_config('retort.target_schema', "
                    "COALESCE(pg_catalog.current_schema()::text, ''), true);"
                    "\nSELECT pg_catalog.set_config('search_path', " +
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
      std::string sql = postgres_models_for_scratch(read_file(f), target, scratch);
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
    reject_objects_outside(d, scratch);
    const std::string scratch_oid =
        "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " + quote_sql_string(scratch) +
        ")";
    refuse_unsupported(d, scratch_oid);
    IntrospectOptions o;
    o.exclude_tables = exclude_tables;
    o.schema = scratch;
    s = introspect_postgres(d, o);
    introspect_postgres_enums(d, o, s);
    // Other types and functions are not diffed:
    // tables that use one the database lacks would fail at upgrade, so say so now.
    const std::string ns =
        "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " + quote_sql_string(scratch) +
        ")";
    others = d.query(
        "SELECT 'type', t.typname FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class c ON "
        "c.oid = t.typrelid WHERE t.typnamespace = " +
        ns + " AND t.typtype IN ('d', 'c', 'r') AND (t.typrelid = 0 OR c.relkind = 'c') AND " +
        not_extension_member("pg_type", "t.oid") +
        "UNION ALL SELECT DISTINCT 'function', p.proname FROM "
        "pg_catalog.pg_proc p WHERE p.pronamespace = " +
        ns + " AND " + not_extension_member("pg_proc", "p.oid") +
        " UNION ALL SELECT 'materialized view', c.relname FROM pg_catalog.pg_class c WHERE "
        "c.relnamespace = " +
        ns + " AND c.relkind = 'm' AND " + not_extension_member("pg_class", "c.oid") +
        " UNION ALL SELECT 'extension', e.extname FROM pg_catalog.pg_extension e WHERE " +
        written_here("e.xmin") +
        " UNION ALL SELECT 'trigger', t.tgname FROM pg_catalog.pg_trigger t "
        "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND "
        "c.relnamespace = " +
        ns +
        " UNION ALL SELECT 'exclusion constraint', k.conname FROM pg_catalog.pg_constraint k "
        "WHERE k.contype = 'x' AND k.connamespace = " +
        ns + " ORDER BY 1, 2");
  }  // rolled back: the scratch schema and everything in it vanish
  std::vector<std::string> missing;
  // The introspection above read every extension the server has in the
  // models' transaction: the models' own are those they created.
  s.extensions.clear();
  for (const auto& r : others) {
    const std::string &kind = r[0], name = quote_sql_string(quote_ident(r[1]));
    if (kind == "extension") {
      s.extensions.insert(r[1]);
      continue;
    }
    const std::string here =
        "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())";
    std::string exists;
    if (kind == "type")
      exists = "SELECT 1 WHERE pg_catalog.to_regtype(" + name + ") IS NOT NULL";
    else if (kind == "materialized view")
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
              "constraints, indexes, views, sequences and enum types");
  return s;
}

}  // namespace retort

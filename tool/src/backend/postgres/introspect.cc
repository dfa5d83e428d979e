// PostgreSQL's schema into the schema model, from pg_catalog through
// Driver::query only (no libpq here, so this is part of the core, not of the
// driver module): four queries whatever the schema's size. Partitions are
// left to their partitioned table. The server's own
// deparsers (format_type, pg_get_expr, pg_get_constraintdef,
// pg_get_indexdef, pg_get_viewdef) give each side of a diff the same
// spelling, so types and expressions compare by meaning.
#include <map>
#include <set>

#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/text.h"
#include "schema/index_sql.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// The index's access method (CREATE INDEX ... USING gin), as pg_get_indexdef
// prints it.
std::string index_method(const std::string& sql) {
  auto t = tokenize_sql(sql);
  for (size_t i = 0; i + 1 < t.size() && !t[i].is('('); ++i)
    if (t[i].is_word("USING")) return to_lower(t[i + 1].text);
  return {};
}

// Separates array elements in one text field: no identifier contains it.
constexpr char kSep = '\x1f';

std::vector<std::string> split_names(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(kSep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

std::string action(const std::string& code) {
  if (code == "r") return "RESTRICT";
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  return "NO ACTION";
}

}  // namespace

// "CHECK ((price > 0)) NOT VALID" -> "(price > 0)".
std::string postgres_check_expression(const std::string& def) {
  auto t = tokenize_sql(def);
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].is('(')) {
      size_t close = matching_paren(t, i);
      if (close >= t.size() || close == i + 1) break;
      return def.substr(t[i + 1].begin, t[close - 1].end - t[i + 1].begin);
    }
  return def;
}

namespace {

// A key's options as the server deparses them: "UNIQUE NULLS NOT DISTINCT
// (a) INCLUDE (b) DEFERRABLE" -> "NULLS NOT DISTINCT INCLUDE (b) DEFERRABLE".
std::string key_options(const std::string& def) {
  auto t = tokenize_sql(def);
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].is('(')) {
      size_t close = matching_paren(t, i);
      if (close >= t.size()) break;
      std::string nulls = i >= 2 && t[i - 2].is_word("NOT") && t[i - 1].is_word("DISTINCT")
                              ? "NULLS NOT DISTINCT "
                              : "";
      return std::string(trim(nulls + std::string(trim(def.substr(t[close].end)))));
    }
  return {};
}

// pg_get_indexdef always qualifies the table (ON public.t); the schema is
// the scratch one on one side of a diff, so the name is written bare.
std::string unqualified_index_sql(const std::string& def, const std::string& table) {
  auto t = tokenize_sql(def);
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!t[i].is_word("ON")) continue;
    size_t first = i + 1;
    if (t[first].is_word("ONLY") && first + 1 < t.size()) ++first;
    size_t last = first;
    while (last + 2 < t.size() && t[last + 1].is('.'))
      last += 2;
    return def.substr(0, t[first].begin) + quote_ident(table) + def.substr(t[last].end);
  }
  return def;
}

std::string strip_semicolon(std::string s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';'))
    s.pop_back();
  return std::string(trim(s));
}

std::string serial_of(const std::string& type) {
  if (type == "integer") return "serial";
  if (type == "bigint") return "bigserial";
  if (type == "smallint") return "smallserial";
  return {};
}

// The schema to read, as SQL for its oid.
std::string namespace_oid(const IntrospectOptions& o) {
  return "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = " +
         (o.schema.empty() ? std::string("current_schema()") : quote_sql_string(o.schema)) + ")";
}

// The bookkeeping tables, by key, whether named bare or schema.table.
std::set<std::string> excluded_keys(const IntrospectOptions& o) {
  std::set<std::string> excluded;
  for (const auto& n : o.exclude_tables) {
    excluded.insert(key_of(n));
    auto dot = n.rfind('.');
    if (dot != std::string::npos) excluded.insert(key_of(n.substr(dot + 1)));
  }
  return excluded;
}

// The schema model keys names without case, as unquoted SQL names are;
// PostgreSQL's quoted "User" and "user" are two objects it cannot tell apart.
[[noreturn]] void refuse_case_twins(const std::string& what, const std::string& a,
                                    const std::string& b, const std::string& where = "") {
  throw Error("PostgreSQL " + what + " " + quote_ident(a) + " and " + quote_ident(b) + where +
              " differ only in the case of their names, which autogenerate cannot tell apart")
      .hint(
          "rename one of them (in the models, or in the database with a hand-written "
          "revision: retort revision --empty -m MESSAGE)");
}

// Tables and views; partitions are read as part of their partitioned table.
void read_relations(Driver& d, const std::string& ns, const std::set<std::string>& excluded,
                    Schema& s) {
  for (auto& r : d.query("SELECT c.relname, c.relkind, CASE WHEN c.relkind = 'v' THEN "
                         "pg_catalog.pg_get_viewdef(c.oid, true) END, "
                         "pg_catalog.obj_description(c.oid, 'pg_class') "
                         "FROM pg_catalog.pg_class c WHERE c.relnamespace = " +
                         ns +
                         " AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition "
                         // An extension's own (PostGIS's spatial_ref_sys) are its to change.
                         "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ext WHERE "
                         "ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid "
                         "AND ext.deptype = 'e') ORDER BY c.relname")) {
    if (excluded.count(key_of(r[0]))) continue;
    if (const Table* t = s.table(r[0])) refuse_case_twins("relations", t->name, r[0]);
    if (auto v = s.views.find(key_of(r[0])); v != s.views.end())
      refuse_case_twins("relations", v->second.name, r[0]);
    if (r[1] == "v") {
      s.views[key_of(r[0])] = View{r[0], strip_semicolon(r[2]), {}};
    } else {
      Table t;
      t.name = r[0];
      t.comment = r[3];
      s.tables[key_of(r[0])] = std::move(t);
    }
  }
}

// What each view reads, from pg_depend through its rewrite rule: names in
// its text (an alias, a column) say nothing about the order views need.
void read_view_dependencies(Driver& d, const std::string& ns, Schema& s) {
  for (auto& [k, v] : s.views)
    v.reads_known = true;
  for (auto& r : d.query("SELECT DISTINCT v.relname, r.relname FROM pg_catalog.pg_depend dep "
                         "JOIN pg_catalog.pg_rewrite w ON w.oid = dep.objid "
                         "JOIN pg_catalog.pg_class v ON v.oid = w.ev_class "
                         "JOIN pg_catalog.pg_class r ON r.oid = dep.refobjid "
                         "WHERE dep.classid = 'pg_catalog.pg_rewrite'::regclass AND "
                         "dep.refclassid = 'pg_catalog.pg_class'::regclass AND r.oid <> v.oid "
                         "AND v.relkind = 'v' AND v.relnamespace = " +
                         ns + " AND r.relnamespace = " + ns + " ORDER BY 1, 2")) {
    auto it = s.views.find(key_of(r[0]));
    if (it != s.views.end()) it->second.reads.push_back(r[1]);
  }
}

// One row of read_columns()'s query. Generated and identity columns and
// serials read as they are written in CREATE TABLE, not as the default the
// server stores for them.
Column column_from_row(const Row& r) {
  Column c;
  c.name = r[1];
  c.type = r[2];
  c.not_null = r[3] == "t";
  c.collation = r[8];
  c.comment = r[9];
  const std::string &expr = r[4], &identity = r[5], &generated = r[6];
  bool has_default = !r[4].is_null();
  if (!generated.empty()) {
    c.generated = true;
    c.definition = "GENERATED ALWAYS AS (" + expr + ") STORED";
  } else if (identity == "a") {
    c.default_sql = "GENERATED ALWAYS AS IDENTITY";
  } else if (identity == "d") {
    c.default_sql = "GENERATED BY DEFAULT AS IDENTITY";
  } else if (has_default) {
    c.default_sql = expr;  // a serial's: see read_sequences()
  }
  return c;
}

void read_columns(Driver& d, const std::string& ns, Schema& s) {
  for (auto& r : d.query(
           "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
           "a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), "
           "a.attidentity, a.attgenerated, EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep "
           "JOIN pg_catalog.pg_class sq ON sq.oid = dep.objid AND sq.relkind = 'S' "
           "WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = "
           "'pg_catalog.pg_class'::regclass AND dep.refobjid = a.attrelid AND dep.refobjsubid = "
           "a.attnum AND dep.deptype = 'a'), "
           // A collation other than the type's own, named as pg_dump would.
           "CASE WHEN a.attcollation <> ty.typcollation THEN "
           "pg_catalog.quote_ident(co.collname) END, "
           "pg_catalog.col_description(a.attrelid, a.attnum) "
           "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
           "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
           "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
           "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
           "WHERE c.relnamespace = " +
           ns +
           " AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
           "ORDER BY c.relname, a.attnum")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end()) continue;
    if (const Column* twin = it->second.column(r[1]))
      refuse_case_twins("columns", twin->name, r[1], " of table " + it->second.name);
    it->second.columns.push_back(column_from_row(r));
  }
}

// The largest value of a sequence's type, its default MAXVALUE.
std::string type_max(const std::string& type) {
  if (type == "smallint") return "32767";
  if (type == "integer") return "2147483647";
  return "9223372036854775807";
}

// The sequence a default's nextval('name'::regclass) names, as the server
// prints it (quoted only where the name needs it); empty for another default.
std::string nextval_sequence(const std::string& expr) {
  const std::string head = "nextval('", tail = "'::regclass)";
  if (expr.size() <= head.size() + tail.size() || expr.compare(0, head.size(), head) != 0 ||
      expr.compare(expr.size() - tail.size(), tail.size(), tail) != 0)
    return {};
  std::string lit = expr.substr(head.size(), expr.size() - head.size() - tail.size()), name;
  for (size_t i = 0; i < lit.size(); ++i) {
    if (lit[i] == '\'' && i + 1 < lit.size() && lit[i + 1] == '\'') ++i;
    name += lit[i];
  }
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    std::string bare;
    for (size_t i = 1; i + 1 < name.size(); ++i) {
      if (name[i] == '"' && name[i + 1] == '"') ++i;
      bare += name[i];
    }
    return bare;
  }
  if (name.find('.') != std::string::npos) return {};  // another schema's
  return name;
}

std::string type_min(const std::string& type) {
  if (type == "smallint") return "-32768";
  if (type == "integer") return "-2147483648";
  return "-9223372036854775808";
}

// An identity's sequence options that are not the defaults for its type
// and direction, as CREATE TABLE writes them after AS IDENTITY.
std::string identity_options(const Sequence& q) {
  const bool up = q.increment.empty() || q.increment[0] != '-';
  const std::string min = up ? "1" : type_min(q.type), max = up ? type_max(q.type) : "-1";
  std::vector<std::string> o;
  if (q.start != (up ? q.min : q.max)) o.push_back("START WITH " + q.start);
  if (q.increment != "1") o.push_back("INCREMENT BY " + q.increment);
  if (q.min != min) o.push_back("MINVALUE " + q.min);
  if (q.max != max) o.push_back("MAXVALUE " + q.max);
  if (q.cache != "1") o.push_back("CACHE " + q.cache);
  if (q.cycle) o.push_back("CYCLE");
  return join(o, " ");
}

// A serial's sequence: owned by its column, named as serial names it, of
// the column's type, with every option at its default and the column's
// default its nextval. Anything else is a sequence of its own (pg_dump's
// serial spelling with another name, AS bigint on an integer, START 1000).
bool is_serials_own(const Sequence& q, const Table& t, const Column& c) {
  return same_name(q.owner_table, t.name) && same_name(q.owner_column, c.name) &&
         q.name == t.name + "_" + c.name + "_seq" && q.type == c.type && q.start == "1" &&
         q.increment == "1" && q.min == "1" && q.max == type_max(q.type) && q.cache == "1" &&
         !q.cycle && c.default_sql && nextval_sequence(*c.default_sql) == q.name &&
         !serial_of(c.type).empty();
}

// Sequences that no identity column owns (an identity's options are its
// column's); a serial's own is read as the column's type, serial.
void read_sequences(Driver& d, const std::string& ns, Schema& s) {
  for (auto& r : d.query(
           "SELECT c.relname, pg_catalog.format_type(q.seqtypid, NULL), q.seqstart, "
           "q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle, t.relname, a.attname, "
           "dep.deptype "
           "FROM pg_catalog.pg_sequence q JOIN pg_catalog.pg_class c ON c.oid = q.seqrelid "
           "LEFT JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::regclass "
           "AND dep.objid = c.oid AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND "
           "dep.deptype IN ('a', 'i') LEFT JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid "
           "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = "
           "dep.refobjsubid WHERE c.relnamespace = " +
           ns +
           " AND NOT EXISTS (SELECT 1 FROM "
           "pg_catalog.pg_depend ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND "
           "ext.objid = c.oid AND ext.deptype = 'e') ORDER BY 1")) {
    Sequence q;
    q.name = r[0];
    q.type = r[1];
    q.start = r[2];
    q.increment = r[3];
    q.min = r[4];
    q.max = r[5];
    q.cache = r[6];
    q.cycle = r[7] == "t";
    q.owner_table = r[8];
    q.owner_column = r[9];
    if (r[10] == "i") {
      // An identity's options are its column's: GENERATED ... AS IDENTITY (...).
      auto t = s.tables.find(key_of(q.owner_table));
      if (t == s.tables.end()) continue;
      for (auto& c : t->second.columns)
        if (same_name(c.name, q.owner_column) && c.default_sql) {
          std::string o = identity_options(q);
          if (!o.empty()) *c.default_sql += " (" + o + ")";
        }
      continue;
    }
    if (!q.owner_table.empty()) {
      auto t = s.tables.find(key_of(q.owner_table));
      if (t == s.tables.end()) continue;  // a table not compared (retort's own)
      bool serial = false;
      for (auto& c : t->second.columns)
        if (is_serials_own(q, t->second, c)) {
          c.type = serial_of(c.type);
          c.default_sql.reset();
          serial = true;
        }
      if (serial) continue;
    }
    s.sequences[key_of(q.name)] = std::move(q);
  }
}

// The names of the attributes numbered in array `keys` of relation `rel`, in
// the array's order, as one text field split_names() takes apart.
std::string attribute_names(const std::string& rel, const std::string& keys) {
  return "pg_catalog.array_to_string(ARRAY(SELECT a.attname FROM pg_catalog.unnest(" + keys +
         ") WITH ORDINALITY AS u(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = " + rel +
         " AND a.attnum = u.n ORDER BY u.i), chr(31))";
}

// One row of read_constraints()'s query.
Constraint constraint_from_row(const Row& r) {
  Constraint k;
  k.name = r[1];
  const std::string& type = r[2];
  if (type == "p" || type == "u") {
    k.kind = type == "p" ? Constraint::Kind::kPrimaryKey : Constraint::Kind::kUnique;
    k.columns = split_names(r[4]);
    k.expression = key_options(r[3]);
  } else if (type == "c") {
    k.kind = Constraint::Kind::kCheck;
    k.expression = postgres_check_expression(r[3]);
  } else {
    k.kind = Constraint::Kind::kForeignKey;
    k.columns = split_names(r[4]);
    k.ref_table = r[5];
    k.ref_columns = split_names(r[6]);
    k.on_delete = action(r[7]);
    k.on_update = action(r[8]);
    if (r[9] == "f") k.expression = "MATCH FULL";
  }
  // Keys and foreign keys keep their options in `expression`, so a change
  // in them is a difference too.
  if (type == "f" && r[10] == "t") {
    if (!k.expression.empty()) k.expression += " ";
    k.expression += r[11] == "t" ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE";
  }
  k.not_valid = r[12] == "f";
  return k;
}

void read_constraints(Driver& d, const std::string& ns, Schema& s) {
  for (auto& r : d.query("SELECT c.relname, k.conname, k.contype, "
                         "pg_catalog.pg_get_constraintdef(k.oid, true), " +
                         attribute_names("k.conrelid", "k.conkey") + ", f.relname, " +
                         attribute_names("k.confrelid", "k.confkey") +
                         ", k.confdeltype, k.confupdtype, k.confmatchtype, k.condeferrable, "
                         "k.condeferred, k.convalidated "
                         "FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = "
                         "k.conrelid LEFT JOIN pg_catalog.pg_class f ON f.oid = k.confrelid "
                         "WHERE c.relnamespace = " +
                         ns +
                         " AND k.contype IN ('p', 'u', 'f', 'c') "
                         "ORDER BY c.relname, k.contype = 'p' DESC, k.conname")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end()) continue;
    it->second.constraints.push_back(constraint_from_row(r));
  }
}

// An index that implements a key or an exclusion constraint belongs to the
// constraint, not to the schema's indexes.
void read_indexes(Driver& d, const std::string& ns, Schema& s) {
  for (auto& r : d.query("SELECT i.relname, t.relname, x.indisunique, "
                         "pg_catalog.pg_get_indexdef(x.indexrelid) "
                         "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = "
                         "x.indexrelid JOIN pg_catalog.pg_class t ON t.oid = x.indrelid "
                         "WHERE t.relnamespace = " +
                         ns +
                         " AND t.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM "
                         "pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid AND "
                         "k.contype IN ('p', 'u', 'x')) ORDER BY i.relname")) {
    if (!s.tables.count(key_of(r[1]))) continue;
    Index ix;
    ix.name = r[0];
    ix.table = r[1];
    ix.unique = r[2] == "t";
    ix.sql = unqualified_index_sql(r[3], r[1]);
    parse_create_index(ix.sql, ix);
    ix.method = index_method(ix.sql);
    s.indexes[key_of(ix.name)] = std::move(ix);
  }
}

}  // namespace

Schema introspect_postgres(Driver& d, const IntrospectOptions& o) {
  const std::string ns = namespace_oid(o);
  Schema s;
  read_relations(d, ns, excluded_keys(o), s);
  read_view_dependencies(d, ns, s);
  read_columns(d, ns, s);
  read_constraints(d, ns, s);
  read_indexes(d, ns, s);
  read_sequences(d, ns, s);
  for (auto& r : d.query("SELECT extname FROM pg_catalog.pg_extension"))
    s.extensions.insert(r[0]);
  return s;
}

// Enum types live in the schema the tables are read from, named bare as the
// tables are. A type with no labels has one row with a NULL label.
void introspect_postgres_enums(Driver& d, const IntrospectOptions& o, Schema& s) {
  for (auto& r : d.query("SELECT t.typname, e.enumlabel FROM "
                         "pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = "
                         "t.oid WHERE t.typtype = 'e' AND NOT EXISTS (SELECT 1 FROM "
                         "pg_catalog.pg_depend ext WHERE ext.classid = "
                         "'pg_catalog.pg_type'::regclass AND ext.objid = t.oid AND ext.deptype "
                         "= 'e') AND t.typnamespace = " +
                         namespace_oid(o) + " ORDER BY t.typname, e.enumsortorder")) {
    EnumType& e = s.enums[key_of(r[0])];
    e.name = r[0];
    if (!r[1].is_null()) e.labels.push_back(r[1]);
  }
}

}  // namespace retort

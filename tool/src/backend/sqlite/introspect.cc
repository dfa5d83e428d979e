// SQLite's schema into the schema model, through Driver::query only (this
// file does not include <sqlite3.h>): sqlite_schema and the table-valued
// pragmas table_xinfo, index_list, index_xinfo and foreign_key_list, joined
// so a whole schema is read in five queries whatever its size. CHECK
// constraints, column texts, STRICT, foreign keys' deferral and ON CONFLICT
// clauses come from parsing the CREATE TABLE, since no pragma reports them.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "backend/sqlite/sqlite.h"
#include "core/text.h"
#include "schema/index_sql.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// Table-level and column-level CHECKs in the element tokens [b, e).
void collect_checks(const std::string& sql, const std::vector<SqlToken>& t, size_t b, size_t e,
                    std::vector<Constraint>& out) {
  for (size_t i = b; i < e; ++i) {
    if (!t[i].is_word("CHECK") || i + 1 >= e || !t[i + 1].is('(')) continue;
    size_t close = matching_paren(t, i + 1);
    if (close >= e) break;
    Constraint c;
    c.kind = Constraint::Kind::kCheck;
    if (i >= b + 2 && t[i - 2].is_word("CONSTRAINT")) c.name = unquote_name(t[i - 1]);
    c.expression = text_between(sql, t, i + 2, close - 1);
    out.push_back(std::move(c));
    i = close;
  }
}

bool is_constraint_start(const SqlToken& t) {
  return t.is_word("CONSTRAINT") || t.is_word("PRIMARY") || t.is_word("UNIQUE") ||
         t.is_word("CHECK") || t.is_word("FOREIGN");
}

std::string strip_as(const std::string& sql) {
  auto t = tokenize_sql(sql);
  int depth = 0;
  for (size_t i = 2; i < t.size(); ++i) {
    if (t[i].is('(')) ++depth;
    if (t[i].is(')')) --depth;
    if (depth == 0 && t[i].is_word("AS")) return std::string(trim(sql.substr(t[i].end)));
  }
  return sql;
}

// The COLLATE of a column definition ("email TEXT COLLATE NOCASE UNIQUE"),
// outside parentheses so a CHECK's or a default's own COLLATE is not it.
// SQLite compares collation names without case; BINARY is the default.
std::string column_collation(const std::string& definition) {
  auto t = tokenize_sql(definition);
  int depth = 0;
  std::string out;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i].is('(')) ++depth;
    if (t[i].is(')')) --depth;
    if (depth == 0 && t[i].is_word("COLLATE")) out = to_lower(unquote_name(t[i + 1]));
  }
  return out == "binary" ? std::string() : out;
}

// ABORT is the default: spelled out or not, it is the same table.
std::string conflict_resolution(const SqlToken& t) {
  std::string r = t.text;
  for (auto& ch : r)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return r == "ABORT" ? std::string() : r;
}

// The key clauses of one element [b, e) of a CREATE TABLE body: a column
// (`column` its name) or a table constraint (`column` empty). DEFERRABLE,
// REFERENCES and ON, unquoted, are always keywords in SQLite's grammar, so at
// an element's top level they mean what they say.
void collect_key_clauses(const std::vector<SqlToken>& t, size_t b, size_t e,
                         const std::string& column, KeyClauses& k) {
  enum class Owner { kNone, kPrimaryKey, kUnique, kNotNull };
  // The constraint an ON CONFLICT here would belong to, and its columns.
  Owner owner = Owner::kNone;
  std::vector<std::string> columns;
  for (size_t i = column.empty() ? b : b + 1; i < e; ++i) {
    const SqlToken& w = t[i];
    if (w.is('(')) {
      size_t end = matching_paren(t, i);
      if (end >= e) break;
      owner = Owner::kNone;
      // A table-level PRIMARY KEY (...) or UNIQUE (...): its columns.
      if (t[i - 1].is_word("KEY") || t[i - 1].is_word("UNIQUE")) {
        owner = t[i - 1].is_word("KEY") ? Owner::kPrimaryKey : Owner::kUnique;
        columns.clear();
        for (auto [cb, ce] : split_top_level(t, i + 1, end))
          if (cb < ce) columns.push_back(unquote_name(t[cb]));
      }
      i = end;
    } else if (w.is_word("REFERENCES")) {
      k.fk_deferred.push_back(false);
      owner = Owner::kNone;
    } else if (w.is_word("DEFERRABLE")) {
      // SQLite applies it to the last key declared, and defers only
      // DEFERRABLE INITIALLY DEFERRED; all the other forms are immediate.
      bool deferred = !t[i - 1].is_word("NOT") && i + 2 < e && t[i + 1].is_word("INITIALLY") &&
                      t[i + 2].is_word("DEFERRED");
      if (!k.fk_deferred.empty()) k.fk_deferred.back() = deferred;
      owner = Owner::kNone;
    } else if (w.is_word("ON") && i + 2 < e && t[i + 1].is_word("CONFLICT")) {
      std::string r = conflict_resolution(t[i + 2]);
      if (owner == Owner::kPrimaryKey) k.pk_conflict = r;
      if (owner == Owner::kUnique && !r.empty()) k.unique_conflicts.emplace_back(columns, r);
      if (owner == Owner::kNotNull) k.not_null_conflicts[key_of(column)] = r;
      i += 2;
    } else if (w.is_word("PRIMARY") || w.is_word("UNIQUE")) {
      owner = w.is_word("PRIMARY") ? Owner::kPrimaryKey : Owner::kUnique;
      columns = {column};
    } else if (w.is_word("NULL")) {
      owner = t[i - 1].is_word("NOT") ? Owner::kNotNull : Owner::kNone;
    } else if (!w.is_word("KEY") && !w.is_word("ASC") && !w.is_word("DESC")) {
      owner = Owner::kNone;
    }
  }
}

}  // namespace

ParsedCreateTable parse_create_table(const std::string& sql) {
  ParsedCreateTable p;
  auto t = tokenize_sql(sql);
  size_t open = body_open(t);
  if (open == t.size()) return p;  // CREATE TABLE ... AS SELECT
  size_t close = matching_paren(t, open);
  for (size_t i = close + 1; i < t.size(); ++i) {
    if (i + 1 < t.size() && t[i].is_word("WITHOUT") && t[i + 1].is_word("ROWID"))
      p.without_rowid = true;
    if (t[i].is_word("STRICT")) p.keys.strict = true;
  }
  for (auto [b, e] : split_top_level(t, open + 1, std::min(close, t.size()))) {
    if (b >= e) continue;
    std::string column;
    if (!is_constraint_start(t[b])) {
      column = unquote_name(t[b]);
      p.column_definitions.emplace_back(column, compact_sql(text_between(sql, t, b, e - 1)));
      for (size_t i = b; i < e; ++i)
        if (t[i].is_word("AUTOINCREMENT")) p.autoincrement = true;
    }
    collect_checks(sql, t, b, e, p.checks);
    collect_key_clauses(t, b, e, column, p.keys);
  }
  return p;
}

namespace {

// Per table key, what its CREATE TABLE says that the pragmas do not.
using Clauses = std::map<std::string, KeyClauses>;

// A virtual table's shadow tables belong to it: never diffed on their own.
std::set<std::string> shadow_tables(Driver& d) {
  std::set<std::string> shadow;
  for (auto& r : d.query("SELECT name FROM pragma_table_list WHERE type = 'shadow'"))
    shadow.insert(key_of(r[0]));
  return shadow;
}

// Columns hold only their definitions until read_columns() fills them in.
Table table_from_sql(const std::string& name, const std::string& sql, Clauses& clauses) {
  Table tb;
  tb.name = name;
  tb.sql = sql;
  if (starts_with_ci(sql, "CREATE VIRTUAL")) {
    tb.is_virtual = true;
    return tb;
  }
  auto parsed = parse_create_table(sql);
  tb.without_rowid = parsed.without_rowid;
  tb.strict = parsed.keys.strict;
  clauses[key_of(name)] = std::move(parsed.keys);
  tb.autoincrement = parsed.autoincrement;
  tb.constraints = std::move(parsed.checks);
  for (auto& [col, text] : parsed.column_definitions) {
    Column c;
    c.name = col;
    c.definition = text;
    tb.columns.push_back(std::move(c));
  }
  return tb;
}

Index index_from_sql(const std::string& name, const std::string& table, const std::string& sql) {
  Index ix;
  ix.name = name;
  ix.table = table;
  ix.sql = sql;
  ix.unique = starts_with_ci(trim(sql.substr(6)), "UNIQUE");
  parse_create_index(sql, ix);
  return ix;
}

// Tables, indexes, views and triggers, from their CREATE statements. SQLite's
// own tables and the bookkeeping tables are left out.
void read_schema_objects(Driver& d, const IntrospectOptions& o, Schema& s, Clauses& clauses) {
  std::set<std::string> excluded;
  for (const auto& n : o.exclude_tables)
    excluded.insert(key_of(n));
  const std::set<std::string> shadow = shadow_tables(d);
  for (auto& r : d.query("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                         "WHERE sql IS NOT NULL ORDER BY rowid")) {
    const std::string &type = r[0], &name = r[1], &table = r[2], &sql = r[3];
    if (excluded.count(key_of(table)) || starts_with_ci(table, "sqlite_") ||
        shadow.count(key_of(table)))
      continue;
    if (type == "table")
      s.tables[key_of(name)] = table_from_sql(name, sql, clauses);
    else if (type == "index")
      s.indexes[key_of(name)] = index_from_sql(name, table, sql);
    else if (type == "view")
      s.views[key_of(name)] = View{name, strip_as(sql), sql};
    else if (type == "trigger")
      s.triggers[key_of(name)] = Trigger{name, table, sql};
  }
}

// Per table key, its primary key's columns: (position in the key, name).
using KeyColumns = std::map<std::string, std::vector<std::pair<int, std::string>>>;

// The primary keys go first among each table's constraints.
void add_primary_keys(KeyColumns& pk_columns, Clauses& clauses, Schema& s) {
  for (auto& [k, cols] : pk_columns) {
    std::sort(cols.begin(), cols.end());
    Table& t = s.tables[k];
    if (cols.size() == 1 && !t.without_rowid)
      t.rowid_alias = to_lower(trim(t.column(cols[0].second)->type)) == "integer";
    Constraint pk;
    pk.kind = Constraint::Kind::kPrimaryKey;
    for (auto& [n, name] : cols)
      pk.columns.push_back(name);
    if (!clauses[k].pk_conflict.empty()) pk.expression = "ON CONFLICT " + clauses[k].pk_conflict;
    auto& cs = s.tables[k].constraints;
    cs.insert(cs.begin(), std::move(pk));
  }
}

// Columns: the pragma is the truth for names, types, NOT NULL, defaults and
// the primary key; the parsed text only supplies each column's definition.
void read_columns(Driver& d, Clauses& clauses, Schema& s) {
  KeyColumns pk_columns;
  std::map<std::string, std::map<std::string, std::string>> definitions;
  for (auto& [k, t] : s.tables)
    for (auto& c : t.columns)
      definitions[k][key_of(c.name)] = c.definition;
  for (auto& [k, t] : s.tables)
    t.columns.clear();
  for (auto& r :
       d.query("SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
               "FROM sqlite_schema AS m, pragma_table_xinfo(m.name) AS p "
               "WHERE m.type = 'table' ORDER BY m.name, p.cid")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end() || it->second.is_virtual) continue;
    Column c;
    c.name = r[1];
    c.type = r[2];
    c.not_null = r[3] == "1";
    if (!r[4].is_null()) c.default_sql = r[4];
    int pk = std::atoi(r[5].c_str());
    int hidden = std::atoi(r[6].c_str());
    if (hidden == 1) continue;  // a virtual table's hidden column
    c.generated = hidden >= 2;
    auto& defs = definitions[it->first];
    if (auto d2 = defs.find(key_of(c.name)); d2 != defs.end()) {
      c.definition = d2->second;
      c.collation = column_collation(c.definition);
    }
    auto& nn = clauses[it->first].not_null_conflicts;
    if (auto x = nn.find(key_of(c.name)); x != nn.end() && c.not_null) c.on_conflict = x->second;
    if (pk > 0) pk_columns[it->first].emplace_back(pk, c.name);
    it->second.columns.push_back(std::move(c));
  }
  add_primary_keys(pk_columns, clauses, s);
}

// Unique constraints are the indexes SQLite made for them (origin 'u').
void read_unique_constraints(Driver& d, Clauses& clauses, Schema& s) {
  std::map<std::pair<std::string, std::string>, Constraint> uniques;
  for (auto& r : d.query("SELECT m.name, il.name, ii.name FROM sqlite_schema AS m, "
                         "pragma_index_list(m.name) AS il, pragma_index_xinfo(il.name) AS ii "
                         "WHERE m.type = 'table' AND il.origin = 'u' AND ii.key = 1 "
                         "ORDER BY m.name, il.name, ii.seqno")) {
    if (!s.tables.count(key_of(r[0]))) continue;
    auto& c = uniques[{key_of(r[0]), r[1]}];
    c.kind = Constraint::Kind::kUnique;
    c.columns.push_back(r[2]);
  }
  for (auto& [k, c] : uniques) {
    // Two UNIQUEs on the same columns make one index, so columns identify it.
    for (auto& [cols, resolution] : clauses[k.first].unique_conflicts)
      if (same_names(cols, c.columns)) c.expression = "ON CONFLICT " + resolution;
    s.tables[k.first].constraints.push_back(std::move(c));
  }
}

// Per (table key, the pragma's id), one foreign key.
using ForeignKeys = std::map<std::pair<std::string, int>, Constraint>;

// SQLite lists foreign keys last-declared first; keep declaration order.
void add_foreign_keys(const ForeignKeys& fks, Clauses& clauses, Schema& s) {
  std::map<std::string, size_t> fk_count, declared;  // per table: all, and seen so far
  for (const auto& [key, fk] : fks)
    ++fk_count[key.first];
  for (auto it = fks.rbegin(); it != fks.rend(); ++it) {
    Constraint c = it->second;
    // The pragma does not report deferral: the CREATE TABLE text, whose keys
    // are in declaration order too, does.
    const auto& deferred = clauses[it->first.first].fk_deferred;
    size_t n = declared[it->first.first]++;
    if (deferred.size() == fk_count[it->first.first] && deferred[n])
      c.expression = "DEFERRABLE INITIALLY DEFERRED";
    // "REFERENCES users" means users' primary key.
    if (c.ref_columns.empty())
      if (const Table* parent = s.table(c.ref_table))
        if (const Constraint* pk = parent->primary_key()) c.ref_columns = pk->columns;
    s.tables[it->first.first].constraints.push_back(std::move(c));
  }
}

void read_foreign_keys(Driver& d, Clauses& clauses, Schema& s) {
  ForeignKeys fks;
  for (auto& r :
       d.query("SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
               "FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f "
               "WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq")) {
    if (!s.tables.count(key_of(r[0]))) continue;
    auto& c = fks[{key_of(r[0]), std::atoi(r[1].c_str())}];
    c.kind = Constraint::Kind::kForeignKey;
    c.ref_table = r[2];
    c.columns.push_back(r[3]);
    if (!r[4].empty()) c.ref_columns.push_back(r[4]);
    c.on_update = r[5];
    c.on_delete = r[6];
  }
  add_foreign_keys(fks, clauses, s);
}

}  // namespace

Schema introspect_sqlite(Driver& d, const IntrospectOptions& o) {
  Schema s;
  Clauses clauses;
  read_schema_objects(d, o, s, clauses);
  read_columns(d, clauses, s);
  read_unique_constraints(d, clauses, s);
  read_foreign_keys(d, clauses, s);
  return s;
}

}  // namespace retort

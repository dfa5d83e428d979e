#include "schema/diff.h"

#include <functional>
#include <set>

#include "core/text.h"
#include "schema/sql_tokens.h"

namespace retort {

namespace {

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string norm_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v)
    out += normalize_sql(s) + ",";
  return out;
}

// Orders `names` so that every table comes after the tables it references
// (among `names`); cycles keep their input order.
std::vector<std::string> referenced_first(const std::vector<std::string>& names,
                                          const Schema& schema) {
  std::set<std::string> wanted;
  for (const auto& n : names)
    wanted.insert(key_of(n));
  std::vector<std::string> out;
  std::set<std::string> done, visiting;
  std::function<void(const std::string&)> visit = [&](const std::string& key) {
    if (done.count(key) || visiting.count(key)) return;
    visiting.insert(key);
    if (const Table* t = schema.table(key))
      for (const auto& c : t->constraints)
        if (c.kind == Constraint::Kind::kForeignKey && wanted.count(key_of(c.ref_table)))
          visit(key_of(c.ref_table));
    visiting.erase(key);
    done.insert(key);
    if (const Table* t = schema.table(key)) out.push_back(t->name);
  };
  for (const auto& n : names)
    visit(key_of(n));
  return out;
}

// PostgreSQL's index access method (CREATE INDEX ... USING gin); empty
// where the statement names none, as SQLite's never do.
std::string index_method(const std::string& sql) {
  auto t = tokenize_sql(sql);
  for (size_t i = 0; i + 1 < t.size() && !t[i].is('('); ++i)
    if (t[i].is_word("USING")) return to_lower(t[i + 1].text);
  return {};
}

}  // namespace

bool same_constraint(const Constraint& a, const Constraint& b, const SchemaDialect&) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    // `expression`: for keys, options such as DEFERRABLE where the database has them.
    case Constraint::Kind::kPrimaryKey:
    case Constraint::Kind::kUnique:
      return same_names(a.columns, b.columns) &&
             normalize_sql(a.expression) == normalize_sql(b.expression);
    case Constraint::Kind::kCheck:
      return normalize_sql(a.expression) == normalize_sql(b.expression);
    case Constraint::Kind::kForeignKey:
      return same_names(a.columns, b.columns) && same_name(a.ref_table, b.ref_table) &&
             same_names(a.ref_columns, b.ref_columns) && upper(a.on_delete) == upper(b.on_delete) &&
             upper(a.on_update) == upper(b.on_update) &&
             normalize_sql(a.expression) == normalize_sql(b.expression);
  }
  return false;
}

bool same_column(const Column& a, const Column& b, const SchemaDialect& d) {
  if (!d.same_type(a.type, b.type) || a.not_null != b.not_null || a.generated != b.generated)
    return false;
  if (a.default_sql.has_value() != b.default_sql.has_value()) return false;
  if (a.default_sql && d.normalize_default(*a.default_sql) != d.normalize_default(*b.default_sql))
    return false;
  if (a.generated && normalize_sql(a.definition) != normalize_sql(b.definition)) return false;
  return true;
}

bool same_index(const Index& a, const Index& b) {
  return same_name(a.table, b.table) && a.unique == b.unique &&
         norm_list(a.elements) == norm_list(b.elements) &&
         normalize_sql(a.where) == normalize_sql(b.where) &&
         index_method(a.sql) == index_method(b.sql);
}

std::vector<Op> diff_schemas(const Schema& from, const Schema& to, const SchemaDialect& d) {
  // Phases, in the order they run.
  std::vector<Op> drop_triggers, drop_views, drop_indexes, drop_constraints, table_changes,
      drop_tables, create_tables, add_columns, add_constraints, create_indexes, create_views,
      create_triggers;

  for (const auto& [k, tr] : from.triggers) {
    auto it = to.triggers.find(k);
    if (it == to.triggers.end() || normalize_sql(it->second.sql) != normalize_sql(tr.sql))
      drop_triggers.push_back({DropTrigger{tr}, {}});
  }
  for (const auto& [k, tr] : to.triggers) {
    auto it = from.triggers.find(k);
    if (it == from.triggers.end() || normalize_sql(it->second.sql) != normalize_sql(tr.sql))
      create_triggers.push_back({CreateTrigger{tr}, {}});
  }
  for (const auto& [k, v] : from.views) {
    auto it = to.views.find(k);
    if (it == to.views.end() || normalize_sql(it->second.definition) != normalize_sql(v.definition))
      drop_views.push_back({DropView{v}, {}});
  }
  for (const auto& [k, v] : to.views) {
    auto it = from.views.find(k);
    if (it == from.views.end() ||
        normalize_sql(it->second.definition) != normalize_sql(v.definition))
      create_views.push_back({CreateView{v}, {}});
  }
  for (const auto& [k, ix] : from.indexes) {
    auto it = to.indexes.find(k);
    if (it == to.indexes.end() || !same_index(it->second, ix))
      drop_indexes.push_back({DropIndex{ix}, {}});
  }
  for (const auto& [k, ix] : to.indexes) {
    auto it = from.indexes.find(k);
    if (it == from.indexes.end() || !same_index(it->second, ix))
      create_indexes.push_back({CreateIndex{ix}, {}});
  }

  // A virtual table that changes at all is dropped and created again.
  auto replaced = [&](const std::string& k) {
    auto a = from.tables.find(k), b = to.tables.find(k);
    if (a == from.tables.end() || b == to.tables.end()) return false;
    if (!a->second.is_virtual && !b->second.is_virtual) return false;
    return a->second.is_virtual != b->second.is_virtual ||
           normalize_sql(a->second.sql) != normalize_sql(b->second.sql);
  };
  std::vector<std::string> dropped, created;
  for (const auto& [k, t] : from.tables)
    if (!to.tables.count(k) || replaced(k)) dropped.push_back(t.name);
  for (const auto& [k, t] : to.tables)
    if (!from.tables.count(k) || replaced(k)) created.push_back(t.name);
  auto drop_order = referenced_first(dropped, from);
  for (auto it = drop_order.rbegin(); it != drop_order.rend(); ++it)
    drop_tables.push_back({DropTable{*from.table(*it)}, {}});
  for (const auto& n : referenced_first(created, to))
    create_tables.push_back({CreateTable{*to.table(n)}, {}});

  for (const auto& [k, a] : from.tables) {
    auto it = to.tables.find(k);
    if (it == to.tables.end() || a.is_virtual || it->second.is_virtual) continue;
    const Table& b = it->second;
    for (const auto& c : a.columns) {
      const Column* nc = b.column(c.name);
      if (!nc)
        table_changes.push_back({DropColumn{b.name, c}, {}});
      else if (!same_column(c, *nc, d))
        table_changes.push_back({AlterColumn{b.name, c, *nc}, {}});
    }
    for (const auto& c : b.columns)
      if (!a.column(c.name)) add_columns.push_back({AddColumn{b.name, c}, {}});
    auto contains = [&](const Table& t, const Constraint& c) {
      for (const auto& x : t.constraints)
        if (same_constraint(x, c, d)) return true;
      return false;
    };
    for (const auto& c : a.constraints)
      if (!contains(b, c)) drop_constraints.push_back({DropConstraint{b.name, c}, {}});
    for (const auto& c : b.constraints)
      if (!contains(a, c)) add_constraints.push_back({AddConstraint{b.name, c}, {}});
    if (a.without_rowid != b.without_rowid || a.autoincrement != b.autoincrement ||
        (a.rowid_alias != b.rowid_alias && !a.without_rowid && !b.without_rowid)) {
      // A table option: only a rebuild changes it, in any database that has it.
      RebuildTable r{a, b, {}, {}, {}};
      if (a.without_rowid != b.without_rowid)
        r.reasons.push_back(b.without_rowid ? "becomes WITHOUT ROWID"
                                            : "stops being WITHOUT ROWID");
      if (a.rowid_alias != b.rowid_alias && !a.without_rowid && !b.without_rowid)
        r.reasons.push_back(b.rowid_alias
                                ? "gets its primary key as the rowid (INTEGER PRIMARY KEY)"
                                : "stops using the rowid as its primary key");
      if (a.autoincrement != b.autoincrement)
        r.reasons.push_back(b.autoincrement ? "gains AUTOINCREMENT" : "loses AUTOINCREMENT");
      table_changes.push_back({std::move(r), {}});
    }
  }

  std::vector<Op> out;
  for (auto* phase : {&drop_triggers, &drop_views, &drop_indexes, &drop_constraints, &table_changes,
                      &drop_tables, &create_tables, &add_columns, &add_constraints, &create_indexes,
                      &create_views, &create_triggers})
    for (auto& op : *phase)
      out.push_back(std::move(op));
  annotate_renames(out);
  return out;
}

}  // namespace retort

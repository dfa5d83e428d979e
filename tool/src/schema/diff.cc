#include "schema/diff.h"

#include <algorithm>
#include <functional>
#include <set>

#include "core/text.h"
#include "sql/tokens.h"

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

int array_dims(const std::string& type) {
  int n = 0;
  for (size_t i = type.size(); i >= 2 && type.compare(i - 2, 2, "[]") == 0; i -= 2)
    ++n;
  return n;
}

// The columns of enum `e` in `from` (an AlterEnum runs before the tables
// change), each with its default in `to` when it is still of `e` there.
std::vector<EnumUse> uses_of(const Schema& from, const Schema& to, const EnumType& e) {
  std::vector<EnumUse> out;
  for (const auto& [k, t] : from.tables)
    for (const auto& c : t.columns) {
      const EnumType* x = from.enum_of_type(c.type);
      if (!x || !same_name(x->name, e.name)) continue;
      EnumUse u{t.name, c.name, array_dims(c.type), c.default_sql, c.default_sql};
      const Table* nt = to.table(t.name);
      const Column* nc = nt ? nt->column(c.name) : nullptr;
      if (nc && same_name(nc->type, c.type)) u.default_after = nc->default_sql;
      out.push_back(std::move(u));
    }
  return out;
}

bool uses_enum(const Schema& s, const EnumType& e) {
  for (const auto& [k, t] : s.tables)
    for (const auto& c : t.columns)
      if (const EnumType* x = s.enum_of_type(c.type); x && same_name(x->name, e.name)) return true;
  return false;
}

// Whether a use's default names one of `labels`: a label ADD VALUE adds
// cannot be used before the revision commits.
bool default_names(const std::vector<EnumUse>& uses, const std::set<std::string>& labels) {
  for (const auto& u : uses)
    for (const auto* d : {&u.default_before, &u.default_after})
      for (const auto& l : labels)
        if (*d && (*d)->find(quote_sql_string(l)) != std::string::npos) return true;
  return false;
}

std::set<std::string> labels_only_one_side_has(const EnumType& a, const EnumType& b) {
  std::set<std::string> sa(a.labels.begin(), a.labels.end()), sb(b.labels.begin(), b.labels.end()),
      out;
  for (const auto& l : sa)
    if (!sb.count(l)) out.insert(l);
  for (const auto& l : sb)
    if (!sa.count(l)) out.insert(l);
  return out;
}

// New types are created before the columns that use them and dropped ones
// after; a relabeling runs before the tables change. An enum that columns
// in `to` still use is kept: it was read from outside the models' schema.
void diff_enums(const Schema& from, const Schema& to, std::vector<Op>& create,
                std::vector<Op>& alter, std::vector<Op>& drop) {
  for (const auto& [k, e] : to.enums) {
    auto it = from.enums.find(k);
    if (it == from.enums.end()) {
      create.push_back({CreateEnum{e}, {}});
    } else if (it->second.labels != e.labels) {
      AlterEnum a{it->second, e, uses_of(from, to, it->second), false};
      a.recreate = default_names(a.uses, labels_only_one_side_has(it->second, e));
      alter.push_back({std::move(a), {}});
    }
  }
  for (const auto& [k, e] : from.enums)
    if (!to.enums.count(k) && !uses_enum(to, e)) drop.push_back({DropEnum{e}, {}});
}

// An AlterEnum sets the defaults of its columns: the column's own change
// leaves them alone.
bool default_set_by(const std::vector<Op>& alter_enums, const std::string& table, const Column& c) {
  for (const auto& op : alter_enums)
    for (const auto& u : std::get<AlterEnum>(op.change).uses)
      if (same_name(u.table, table) && same_name(u.column, c.name) &&
          u.default_after != u.default_before)
        return true;
  return false;
}

// The ops of each phase; in_order() lists them in the order they run.
struct Phases {
  std::vector<Op> create_extensions, drop_triggers, drop_views, drop_indexes, drop_constraints,
      release_sequences, create_enums, create_sequences, alter_enums, table_changes, drop_tables,
      drop_sequences, drop_enums, create_tables, add_columns, claim_sequences, add_constraints,
      create_indexes, create_views, create_triggers;

  std::vector<Op> in_order() {
    std::vector<Op> out;
    for (auto* phase : {&create_extensions, &drop_triggers,     &drop_views,   &drop_indexes,
                        &drop_constraints,  &release_sequences, &create_enums, &create_sequences,
                        &alter_enums,       &table_changes,     &drop_tables,  &drop_sequences,
                        &drop_enums,        &create_tables,     &add_columns,  &claim_sequences,
                        &add_constraints,   &create_indexes,    &create_views, &create_triggers})
      for (auto& op : *phase)
        out.push_back(std::move(op));
    return out;
  }
};

Sequence unowned(Sequence q) {
  q.owner_table.clear();
  q.owner_column.clear();
  return q;
}

bool owned(const Sequence& q) {
  return !q.owner_table.empty();
}

// Sequences exist before the defaults that use them and go after them;
// OWNED BY is released before any table changes (a DROP TABLE would take
// the sequence) and set once the owner's column exists.
void diff_sequences(const Schema& from, const Schema& to, Phases& p) {
  for (const auto& [k, a] : from.sequences) {
    auto it = to.sequences.find(k);
    if (it == to.sequences.end()) {
      if (owned(a)) p.release_sequences.push_back({AlterSequence{a, unowned(a)}, {}});
      p.drop_sequences.push_back({DropSequence{unowned(a)}, {}});
      continue;
    }
    const Sequence& b = it->second;
    bool same_owner =
        same_name(a.owner_table, b.owner_table) && same_name(a.owner_column, b.owner_column);
    if (same_owner) {
      if (!a.same_options(b)) p.release_sequences.push_back({AlterSequence{a, b}, {}});
      continue;
    }
    Sequence between = unowned(b);
    if (owned(a) || !a.same_options(b))
      p.release_sequences.push_back({AlterSequence{a, between}, {}});
    if (owned(b)) p.claim_sequences.push_back({AlterSequence{between, b}, {}});
  }
  for (const auto& [k, b] : to.sequences) {
    if (from.sequences.count(k)) continue;
    p.create_sequences.push_back({CreateSequence{unowned(b)}, {}});
    if (owned(b)) p.claim_sequences.push_back({AlterSequence{unowned(b), b}, {}});
  }
}

// Triggers, views and indexes have no ALTER here: a changed one is dropped
// and created again.
void diff_triggers(const Schema& from, const Schema& to, Phases& p) {
  for (const auto& [k, tr] : from.triggers) {
    auto it = to.triggers.find(k);
    if (it == to.triggers.end() || normalize_sql(it->second.sql) != normalize_sql(tr.sql))
      p.drop_triggers.push_back({DropTrigger{tr}, {}});
  }
  for (const auto& [k, tr] : to.triggers) {
    auto it = from.triggers.find(k);
    if (it == from.triggers.end() || normalize_sql(it->second.sql) != normalize_sql(tr.sql))
      p.create_triggers.push_back({CreateTrigger{tr}, {}});
  }
}

void diff_views(const Schema& from, const Schema& to, Phases& p) {
  for (const auto& [k, v] : from.views) {
    auto it = to.views.find(k);
    if (it == to.views.end() || normalize_sql(it->second.definition) != normalize_sql(v.definition))
      p.drop_views.push_back({DropView{v}, {}});
  }
  for (const auto& [k, v] : to.views) {
    auto it = from.views.find(k);
    if (it == from.views.end() ||
        normalize_sql(it->second.definition) != normalize_sql(v.definition))
      p.create_views.push_back({CreateView{v}, {}});
  }
}

void diff_indexes(const Schema& from, const Schema& to, Phases& p) {
  for (const auto& [k, ix] : from.indexes) {
    auto it = to.indexes.find(k);
    if (it == to.indexes.end() || !same_index(it->second, ix))
      p.drop_indexes.push_back({DropIndex{ix}, {}});
  }
  for (const auto& [k, ix] : to.indexes) {
    auto it = from.indexes.find(k);
    if (it == from.indexes.end() || !same_index(it->second, ix))
      p.create_indexes.push_back({CreateIndex{ix}, {}});
  }
}

// A virtual table that changes at all is dropped and created again.
bool replaced(const Schema& from, const Schema& to, const std::string& k) {
  auto a = from.tables.find(k), b = to.tables.find(k);
  if (a == from.tables.end() || b == to.tables.end()) return false;
  if (!a->second.is_virtual && !b->second.is_virtual) return false;
  return a->second.is_virtual != b->second.is_virtual ||
         normalize_sql(a->second.sql) != normalize_sql(b->second.sql);
}

// Tables created and dropped whole: referenced ones are created first and
// dropped last, so every foreign key has its table.
void diff_table_set(const Schema& from, const Schema& to, Phases& p) {
  std::vector<std::string> dropped, created;
  for (const auto& [k, t] : from.tables)
    if (!to.tables.count(k) || replaced(from, to, k)) dropped.push_back(t.name);
  for (const auto& [k, t] : to.tables)
    if (!from.tables.count(k) || replaced(from, to, k)) created.push_back(t.name);
  auto drop_order = referenced_first(dropped, from);
  for (auto it = drop_order.rbegin(); it != drop_order.rend(); ++it)
    p.drop_tables.push_back({DropTable{*from.table(*it)}, {}});
  for (const auto& n : referenced_first(created, to))
    p.create_tables.push_back({CreateTable{*to.table(n)}, {}});
}

void diff_columns(const Schema& from, const Schema& to, const Table& a, const Table& b,
                  const SchemaDialect& d, Phases& p) {
  for (const auto& c : a.columns) {
    const Column* nc = b.column(c.name);
    if (!nc) {
      p.table_changes.push_back({DropColumn{b.name, c}, {}});
    } else if (!same_column(c, *nc, d)) {
      Column wanted = *nc;
      if (default_set_by(p.alter_enums, b.name, c)) wanted.default_sql = c.default_sql;
      if (!same_column(c, wanted, d))
        p.table_changes.push_back(
            {AlterColumn{b.name, c, wanted, from.enum_of_type(c.type) || to.enum_of_type(nc->type)},
             {}});
    }
  }
  for (const auto& c : b.columns)
    if (!a.column(c.name)) p.add_columns.push_back({AddColumn{b.name, c}, {}});
}

bool has_constraint(const Table& t, const Constraint& c, const SchemaDialect& d) {
  for (const auto& x : t.constraints)
    if (same_constraint(x, c, d)) return true;
  return false;
}

// Constraints are compared by meaning, not name, so a changed one is dropped
// and added.
void diff_constraints(const Table& a, const Table& b, const SchemaDialect& d, Phases& p) {
  for (const auto& c : a.constraints)
    if (!has_constraint(b, c, d)) p.drop_constraints.push_back({DropConstraint{b.name, c}, {}});
  for (const auto& c : b.constraints)
    if (!has_constraint(a, c, d)) p.add_constraints.push_back({AddConstraint{b.name, c}, {}});
}

// A table in both schemas, `a` as it is and `b` as it is to be.
void diff_table(const Schema& from, const Schema& to, const Table& a, const Table& b,
                const SchemaDialect& d, Phases& p) {
  diff_columns(from, to, a, b, d, p);
  if (a.comment != b.comment)
    p.table_changes.push_back({SetTableComment{b.name, a.comment, b.comment}, {}});
  if (a.options != b.options)
    p.table_changes.push_back({SetTableOptions{b.name, a.options, b.options}, {}});
  diff_constraints(a, b, d, p);
  // A table option that only a rebuild changes, in a database that has it.
  if (auto reasons = d.rebuild_reasons(a, b); !reasons.empty())
    p.table_changes.push_back({RebuildTable{a, b, {}, {}, std::move(reasons)}, {}});
}

// Virtual tables are left out: one that changes is replaced whole.
void diff_kept_tables(const Schema& from, const Schema& to, const SchemaDialect& d, Phases& p) {
  for (const auto& [k, a] : from.tables) {
    auto it = to.tables.find(k);
    if (it != to.tables.end() && !a.is_virtual && !it->second.is_virtual)
      diff_table(from, to, a, it->second, d, p);
  }
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
  if (!d.same_type(a.type, b.type) || a.not_null != b.not_null || a.generated != b.generated ||
      a.collation != b.collation || a.on_conflict != b.on_conflict || a.comment != b.comment ||
      normalize_sql(a.on_update) != normalize_sql(b.on_update))
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
         normalize_sql(a.options) == normalize_sql(b.options) && a.method == b.method;
}

std::vector<Op> diff_schemas(const Schema& from, const Schema& to, const SchemaDialect& d) {
  Phases p;
  diff_triggers(from, to, p);
  diff_views(from, to, p);
  diff_indexes(from, to, p);
  diff_enums(from, to, p.create_enums, p.alter_enums, p.drop_enums);
  diff_sequences(from, to, p);
  // The models name only the extensions they create: one the database has
  // and the models do not is left alone, never dropped.
  for (const auto& e : to.extensions)
    if (!from.extensions.count(e)) p.create_extensions.push_back({CreateExtension{e}, {}});
  diff_table_set(from, to, p);
  diff_kept_tables(from, to, d, p);
  std::vector<Op> out = p.in_order();
  annotate_renames(out);
  return out;
}

}  // namespace retort

// SQLite's side of autogenerate: types compare by affinity, and every change
// its ALTER TABLE cannot make (anything but adding or dropping a plain
// column) becomes the documented rebuild: create the new table under a
// scratch name, copy the rows, drop the old table, rename, recreate indexes
// and triggers, and check foreign keys before the revision commits.
#include <map>
#include <set>

#include "backend/sqlite/sqlite.h"
#include "core/error.h"
#include "core/text.h"
#include "schema/diff.h"
#include "schema/schema_dialect.h"
#include "sql/tokens.h"

namespace retort {

namespace {

enum class Affinity { kInteger, kText, kBlob, kReal, kNumeric };

// SQLite's rules, in its order (https://sqlite.org/datatype3.html 3.1).
Affinity affinity(const std::string& declared) {
  std::string t = to_lower(declared);
  if (t.find("int") != std::string::npos) return Affinity::kInteger;
  if (t.find("char") != std::string::npos || t.find("clob") != std::string::npos ||
      t.find("text") != std::string::npos)
    return Affinity::kText;
  if (t.find("blob") != std::string::npos || trim(t).empty()) return Affinity::kBlob;
  if (t.find("real") != std::string::npos || t.find("floa") != std::string::npos ||
      t.find("doub") != std::string::npos)
    return Affinity::kReal;
  return Affinity::kNumeric;
}

bool is_expression_default(const std::string& d) {
  auto t = trim(d);
  return (!t.empty() && t[0] == '(') || starts_with_ci(t, "CURRENT_");
}

// A column ALTER TABLE can add and drop as it is: no constraint names it, it
// is not generated, and a NOT NULL one has a constant default.
bool plain_column(const Column& c, const Table& t) {
  if (c.generated || c.definition.empty()) return false;
  if (c.not_null && !c.default_sql) return false;
  if (c.default_sql && is_expression_default(*c.default_sql)) return false;
  for (const auto& k : t.constraints) {
    for (const auto& col : k.columns)
      if (same_name(col, c.name)) return false;
    if (k.kind == Constraint::Kind::kCheck && sql_mentions(k.expression, c.name)) return false;
  }
  return true;
}

std::string table_of(const Op& op) {
  if (auto* x = std::get_if<AddColumn>(&op.change)) return x->table;
  if (auto* x = std::get_if<DropColumn>(&op.change)) return x->table;
  if (auto* x = std::get_if<AlterColumn>(&op.change)) return x->table;
  if (auto* x = std::get_if<AddConstraint>(&op.change)) return x->table;
  if (auto* x = std::get_if<DropConstraint>(&op.change)) return x->table;
  if (auto* x = std::get_if<RebuildTable>(&op.change)) return x->to.name;
  return {};
}

// The CREATE TABLE text with its name replaced.
std::string renamed_create(const std::string& sql, const std::string& new_name) {
  auto t = tokenize_sql(sql);
  size_t i = 0;
  while (i < t.size() && !t[i].is_word("TABLE"))
    ++i;
  ++i;
  if (i + 2 < t.size() && t[i].is_word("IF") && t[i + 1].is_word("NOT") &&
      t[i + 2].is_word("EXISTS"))
    i += 3;
  if (i >= t.size()) throw Error("cannot read the CREATE TABLE statement: " + sql);
  size_t last = i;
  if (last + 2 < t.size() && t[last + 1].is('.')) last += 2;
  return sql.substr(0, t[i].begin) + quote_ident(new_name) + sql.substr(t[last].end);
}

std::string terminated(std::string sql) {
  while (!sql.empty() &&
         (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
    sql.pop_back();
  return sql + ";\n";
}

std::string column_definition(const Column& c) {
  if (!c.definition.empty()) return c.definition;
  std::string s = quote_ident(c.name);
  if (!c.type.empty()) s += " " + c.type;
  if (c.not_null) s += " NOT NULL";
  if (c.default_sql) s += " DEFAULT " + *c.default_sql;
  return s;
}

std::string create_table_sql(const Table& t) {
  if (!t.sql.empty()) return terminated(t.sql);
  std::vector<std::string> parts;
  for (const auto& c : t.columns)
    parts.push_back("  " + column_definition(c));
  for (const auto& k : t.constraints)
    parts.push_back("  " + describe(k));
  return "CREATE TABLE " + quote_ident(t.name) + " (\n" + join(parts, ",\n") + "\n)" +
         (t.without_rowid ? " WITHOUT ROWID" : "") + ";\n";
}

std::string create_index_sql(const Index& ix) {
  if (!ix.sql.empty()) return terminated(ix.sql);
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + quote_ident(ix.name) +
         " ON " + quote_ident(ix.table) + " (" + join(ix.elements, ", ") + ")" +
         (ix.where.empty() ? "" : " WHERE " + ix.where) + ";\n";
}

std::string create_view_sql(const View& v) {
  if (!v.sql.empty()) return terminated(v.sql);
  return "CREATE VIEW " + quote_ident(v.name) + " AS " + terminated(v.definition);
}

class SqliteSchemaDialect final : public SchemaDialect {
 public:
  std::string name() const override { return "sqlite"; }

  bool same_type(const std::string& a, const std::string& b) const override {
    return affinity(a) == affinity(b);
  }

  std::vector<std::string> rebuild_reasons(const Table& a, const Table& b) const override {
    std::vector<std::string> r;
    if (a.without_rowid != b.without_rowid)
      r.push_back(b.without_rowid ? "becomes WITHOUT ROWID" : "stops being WITHOUT ROWID");
    if (a.strict != b.strict) r.push_back(b.strict ? "becomes STRICT" : "stops being STRICT");
    if (a.rowid_alias != b.rowid_alias && !a.without_rowid && !b.without_rowid)
      r.push_back(b.rowid_alias ? "gets its primary key as the rowid (INTEGER PRIMARY KEY)"
                                : "stops using the rowid as its primary key");
    if (a.autoincrement != b.autoincrement)
      r.push_back(b.autoincrement ? "gains AUTOINCREMENT" : "loses AUTOINCREMENT");
    return r;
  }

  std::string normalize_default(const std::string& expr) const override {
    std::string n = SchemaDialect::normalize_default(expr);
    if (n == "true") return "1";
    if (n == "false") return "0";
    return n;
  }

  bool is_narrowing(const std::string& from, const std::string& to) const override {
    Affinity a = affinity(from), b = affinity(to);
    // TEXT '007' in an INTEGER column becomes 7: the text is gone.
    return a != b && (a == Affinity::kText || a == Affinity::kBlob) && b != Affinity::kText &&
           b != Affinity::kBlob;
  }

  std::vector<Op> lower(std::vector<Op> ops, const Schema& from, const Schema& to) const override {
    std::set<std::string> rebuild;
    for (const auto& op : ops) {
      std::string t = table_of(op);
      if (t.empty()) continue;
      bool plain = false;
      if (auto* x = std::get_if<AddColumn>(&op.change))
        plain = plain_column(x->column, *to.table(t));
      else if (auto* y = std::get_if<DropColumn>(&op.change))
        plain = plain_column(y->column, *from.table(t));
      if (!plain) rebuild.insert(key_of(t));
    }
    std::vector<Op> out;
    std::set<std::string> emitted;
    for (auto& op : ops) {
      std::string t = table_of(op);
      if (t.empty() || !rebuild.count(key_of(t))) {
        out.push_back(std::move(op));
        continue;
      }
      if (!emitted.insert(key_of(t)).second) continue;
      const Table& a = *from.table(t);
      const Table& b = *to.table(t);
      RebuildTable r{a, b, {}, {}, {}};
      // Indexes and triggers both sides share go with the table; the others
      // have their own drop (earlier) and create (later) ops.
      for (const Index* ix : to.indexes_on(t)) {
        auto old = from.indexes.find(key_of(ix->name));
        if (old != from.indexes.end() && same_index(old->second, *ix)) r.indexes.push_back(*ix);
      }
      for (const Trigger* tr : to.triggers_on(t)) {
        auto old = from.triggers.find(key_of(tr->name));
        if (old != from.triggers.end() && normalize_sql(old->second.sql) == normalize_sql(tr->sql))
          r.triggers.push_back(*tr);
      }
      out.push_back({std::move(r), {}});
    }
    // ALTER TABLE checks every view, and fails on one over a dropped view.
    std::set<std::string> dropped_views;
    for (const auto& op : out)
      if (auto* v = std::get_if<DropView>(&op.change)) dropped_views.insert(v->view.name);
    out = recreate_dependent_views(std::move(out), dropped_views, from, to,
                                   "recreated below: it reads a view that changes");
    annotate_renames(out);
    return out;
  }

  std::string render(const std::vector<Op>& ops) const override {
    std::string sql;
    std::vector<const Table*> rebuilt;
    for (const auto& op : ops)
      if (auto* r = std::get_if<RebuildTable>(&op.change)) rebuilt.push_back(&r->to);
    const std::string guard = "_retort_rebuild_guard";
    if (!rebuilt.empty())
      sql +=
          "-- SQLite table rebuilds follow. They need foreign key enforcement off (SQLite's\n"
          "-- default, and retort's), so that dropping the old table deletes nothing else.\n"
          "CREATE TEMP TABLE " +
          guard +
          " (\n  foreign_keys_off INTEGER CHECK (foreign_keys_off),\n"
          "  foreign_key_violations INTEGER CHECK (foreign_key_violations = 0)\n);\n"
          "INSERT INTO " +
          guard + " SELECT foreign_keys = 0, 0 FROM pragma_foreign_keys;\n\n";
    sql += SchemaDialect::render(ops);
    std::vector<std::string> checked;
    for (const Table* t : rebuilt) {
      bool has_fk = false;
      for (const auto& k : t->constraints)
        has_fk |= k.kind == Constraint::Kind::kForeignKey;
      if (has_fk) checked.push_back(t->name);
    }
    if (!rebuilt.empty()) {
      sql += "\n\n";
      if (!checked.empty()) {
        sql += "-- Stop before commit if a rebuilt table's rows break a foreign key.\n";
        for (const auto& t : checked)
          sql += "INSERT INTO " + guard + " SELECT 1, count(*) FROM pragma_foreign_key_check(" +
                 quote_sql_string(t) + ");\n";
      }
      sql += "DROP TABLE temp." + guard + ";\n";
    }
    while (!sql.empty() && sql.back() == '\n')
      sql.pop_back();
    return sql;
  }

 private:
  std::string render_one(const Op& op) const override {
    const Change& c = op.change;
    if (auto* x = std::get_if<CreateTable>(&c)) return create_table_sql(x->table);
    if (auto* x = std::get_if<DropTable>(&c)) return drop_table_sql(x->table.name);
    if (auto* x = std::get_if<AddColumn>(&c))
      return "ALTER TABLE " + quote_ident(x->table) + " ADD COLUMN " +
             column_definition(x->column) + ";\n";
    if (auto* x = std::get_if<DropColumn>(&c))
      return drop_column_warning(x->table, x->column) + "ALTER TABLE " + quote_ident(x->table) +
             " DROP COLUMN " + quote_ident(x->column.name) + ";\n";
    if (auto* x = std::get_if<CreateIndex>(&c)) return create_index_sql(x->index);
    if (auto* x = std::get_if<DropIndex>(&c))
      return "DROP INDEX " + quote_ident(x->index.name) + ";\n";
    if (auto* x = std::get_if<CreateView>(&c)) return create_view_sql(x->view);
    if (auto* x = std::get_if<DropView>(&c))
      return "DROP VIEW " + quote_ident(x->view.name) + ";\n";
    if (auto* x = std::get_if<CreateTrigger>(&c)) return terminated(x->trigger.sql);
    if (auto* x = std::get_if<DropTrigger>(&c))
      return "DROP TRIGGER " + quote_ident(x->trigger.name) + ";\n";
    if (auto* x = std::get_if<RebuildTable>(&c)) return render_rebuild(*x);
    throw Error("'" + describe(op) + "' reached SQLite rendering unlowered").internal();
  }

  std::string render_rebuild(const RebuildTable& r) const {
    const Table &a = r.from, &b = r.to;
    const std::string name = b.name, scratch = "_retort_new_" + b.name;
    std::string sql = "-- Rebuild " + name + ": SQLite's ALTER TABLE cannot make these changes:\n";
    Schema sa, sb;
    sa.tables[key_of(name)] = a;
    sb.tables[key_of(name)] = b;
    for (const auto& op : diff_schemas(sa, sb, *this)) {
      if (auto* opt = std::get_if<RebuildTable>(&op.change)) {
        for (const auto& why : opt->reasons)
          sql += "--   " + name + " " + why + "\n";
        continue;
      }
      sql += "--   " + describe(op) + "\n";
    }
    for (const auto& c : a.columns)
      if (!b.column(c.name)) sql += drop_column_warning(name, c);
    for (const auto& c : b.columns)
      if (const Column* old = a.column(c.name); old && is_narrowing(old->type, c.type))
        sql += "-- WARNING: data loss: " + name + "." + c.name + " changes from " + old->type +
               " to " + c.type + "; values that convert lose their text form\n";
    for (const auto& c : b.columns)
      if (const Column* old = a.column(c.name);
          (!old || !old->not_null) && c.not_null && !c.default_sql && !c.generated)
        sql += "-- NOTE: " + name + "." + c.name +
               " is NOT NULL without a default: existing rows need a value, or the copy fails\n";
    std::vector<std::string> into, select;
    for (const auto& c : b.columns) {
      const Column* old = a.column(c.name);
      if (!old || c.generated || old->generated) continue;
      into.push_back(quote_ident(c.name));
      std::string value = quote_ident(old->name);
      // Rows with NULL in a column that becomes NOT NULL take its default.
      if (c.not_null && !old->not_null && c.default_sql)
        value = "coalesce(" + value + ", " + *c.default_sql + ")";
      select.push_back(value);
    }
    sql += terminated(renamed_create(create_table_sql(b), scratch));
    if (!into.empty())
      sql += "INSERT INTO " + quote_ident(scratch) + " (" + join(into, ", ") + ")\n  SELECT " +
             join(select, ", ") + " FROM " + quote_ident(a.name) + ";\n";
    sql += "DROP TABLE " + quote_ident(a.name) + ";\n";
    // Legacy mode: the rename leaves views and triggers that name the table
    // alone; they point at the new table once it has the old name.
    sql += "PRAGMA legacy_alter_table = ON;\n";
    sql += "ALTER TABLE " + quote_ident(scratch) + " RENAME TO " + quote_ident(name) + ";\n";
    sql += "PRAGMA legacy_alter_table = OFF;\n";
    for (const auto& ix : r.indexes)
      sql += create_index_sql(ix);
    for (const auto& tr : r.triggers)
      sql += terminated(tr.sql);
    return sql;
  }
};

}  // namespace

std::unique_ptr<SchemaDialect> make_sqlite_schema_dialect() {
  return std::make_unique<SqliteSchemaDialect>();
}

}  // namespace retort

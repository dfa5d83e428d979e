// PostgreSQL's side of autogenerate: types compare by their canonical names,
// and every change is a plain ALTER TABLE (ADD/DROP COLUMN, ALTER COLUMN
// TYPE ... USING, SET/DROP NOT NULL, SET/DROP DEFAULT, ADD/DROP CONSTRAINT),
// CREATE/DROP INDEX or CREATE/DROP VIEW: no table rebuilds.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/text.h"
#include "schema/diff.h"
#include "schema/view_order.h"
#include "sql/tokens.h"

namespace retort {

namespace {

std::string collapse_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      space = !out.empty();
      continue;
    }
    if (space && ch != '(' && ch != ')' && ch != ',' && ch != '[' && ch != ']' &&
        out.back() != '(' && out.back() != ',')
      out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// "character varying(20)" -> {"character varying", "(20)", ""}; "int[]" -> {"int", "", "[]"}.
struct TypeParts {
  std::string name, args, array;
};

TypeParts split_type(const std::string& t) {
  TypeParts p;
  std::string s = t;
  while (s.size() >= 2 && s.compare(s.size() - 2, 2, "[]") == 0) {
    p.array += "[]";
    s.erase(s.size() - 2);
  }
  auto open = s.find('(');
  if (open == std::string::npos) {
    p.name = std::string(trim(s));
    return p;
  }
  auto close = s.find(')', open);
  p.name = std::string(trim(s.substr(0, open)));
  p.args = s.substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
  // timestamp(3) with time zone: the suffix belongs to the name.
  if (close != std::string::npos && close + 1 < s.size())
    p.name += " " + std::string(trim(s.substr(close + 1)));
  return p;
}

bool is_identity(const std::optional<std::string>& d) {
  return d && starts_with_ci(*d, "GENERATED ");
}

std::optional<std::string> plain_default(const Column& c) {
  if (is_identity(c.default_sql)) return std::nullopt;
  return c.default_sql;
}

std::string serial_base(const std::string& canonical) {
  if (canonical == "serial") return "integer";
  if (canonical == "bigserial") return "bigint";
  if (canonical == "smallserial") return "smallint";
  return canonical;
}

bool is_serial(const std::string& type) {
  std::string c = canonical_postgres_type(type);
  return serial_base(c) != c;
}

// An explicit cast to varchar(n), char(n) or bit(n) cuts a value that is too
// long; the assignment cast ALTER COLUMN ... TYPE makes without USING fails
// instead, and every type has one to the string types.
bool fails_when_too_long(const std::string& canonical_type) {
  TypeParts p = split_type(canonical_type);
  return !p.args.empty() && p.array.empty() &&
         (p.name == "character varying" || p.name == "character" || p.name == "bit" ||
          p.name == "bit varying");
}

std::string column_definition(const Column& c) {
  std::string s = quote_ident(c.name) + " " + c.type;
  if (!c.collation.empty()) s += " COLLATE " + c.collation;
  if (c.generated) s += " " + c.definition;
  if (is_identity(c.default_sql))
    s += " " + *c.default_sql;
  else if (c.default_sql)
    s += " DEFAULT " + *c.default_sql;
  if (c.not_null) s += " NOT NULL";
  return s;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  for (const auto& n : names)
    q.push_back(quote_ident(n));
  return join(q, ", ");
}

std::string options(const std::string& text) {
  return text.empty() ? std::string() : " " + text;
}

std::string label_list(const std::vector<std::string>& labels) {
  std::vector<std::string> q;
  for (const auto& l : labels)
    q.push_back(quote_sql_string(l));
  return join(q, ", ");
}

std::string constraint_body(const Constraint& k) {
  switch (k.kind) {
    case Constraint::Kind::kPrimaryKey:
      return "PRIMARY KEY (" + quoted_list(k.columns) + ")" + options(k.expression);
    case Constraint::Kind::kUnique:
      // NULLS NOT DISTINCT comes before the columns, the other options after.
      if (starts_with_ci(k.expression, "NULLS NOT DISTINCT"))
        return "UNIQUE NULLS NOT DISTINCT (" + quoted_list(k.columns) + ")" +
               options(std::string(trim(k.expression.substr(18))));
      return "UNIQUE (" + quoted_list(k.columns) + ")" + options(k.expression);
    case Constraint::Kind::kCheck:
      return "CHECK (" + k.expression + ")";
    case Constraint::Kind::kForeignKey: {
      std::string s =
          "FOREIGN KEY (" + quoted_list(k.columns) + ") REFERENCES " + quote_ident(k.ref_table);
      if (!k.ref_columns.empty()) s += " (" + quoted_list(k.ref_columns) + ")";
      std::string rest = k.expression;
      if (starts_with_ci(rest, "MATCH FULL")) {
        s += " MATCH FULL";
        rest = std::string(trim(rest.substr(10)));
      }
      if (k.on_delete != "NO ACTION") s += " ON DELETE " + k.on_delete;
      if (k.on_update != "NO ACTION") s += " ON UPDATE " + k.on_update;
      return s + options(rest);
    }
  }
  return {};
}

std::string constraint_sql(const Constraint& k) {
  return (k.name.empty() ? std::string() : "CONSTRAINT " + quote_ident(k.name) + " ") +
         constraint_body(k);
}

std::string terminated(std::string sql) {
  while (!sql.empty() &&
         (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
    sql.pop_back();
  return sql + ";\n";
}

// COMMENT ON TABLE "t" IS '...' / COMMENT ON COLUMN "t"."c" IS NULL.
std::string comment_sql(const std::string& on, const std::string& text) {
  return "COMMENT ON " + on + " IS " + (text.empty() ? "NULL" : quote_sql_string(text)) + ";\n";
}

std::string column_comment_sql(const std::string& table, const Column& c) {
  return comment_sql("COLUMN " + quote_ident(table) + "." + quote_ident(c.name), c.comment);
}

std::string create_table_sql(const Table& t) {
  std::vector<std::string> parts;
  for (const auto& c : t.columns)
    parts.push_back("  " + column_definition(c));
  for (const auto& k : t.constraints)
    parts.push_back("  " + constraint_sql(k));
  std::string sql = "CREATE TABLE " + quote_ident(t.name) + " (\n" + join(parts, ",\n") + "\n);\n";
  if (!t.comment.empty()) sql += comment_sql("TABLE " + quote_ident(t.name), t.comment);
  for (const auto& c : t.columns)
    if (!c.comment.empty()) sql += column_comment_sql(t.name, c);
  return sql;
}

std::string create_index_sql(const Index& ix) {
  if (!ix.sql.empty()) return terminated(ix.sql);
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX " + quote_ident(ix.name) +
         " ON " + quote_ident(ix.table) + " (" + join(ix.elements, ", ") + ")" +
         (ix.where.empty() ? "" : " WHERE " + ix.where) + ";\n";
}

int constraint_rank_add(const Constraint& k) {
  switch (k.kind) {
    case Constraint::Kind::kPrimaryKey:
      return 0;
    case Constraint::Kind::kUnique:
      return 1;
    case Constraint::Kind::kCheck:
      return 2;
    case Constraint::Kind::kForeignKey:
      return 3;
  }
  return 4;
}

// "GENERATED ... AS IDENTITY (START WITH 10 CYCLE)" -> {"START WITH": "10",
// "CYCLE": ""}, as introspection writes the options.
std::map<std::string, std::string> identity_option_map(const std::string& identity) {
  std::map<std::string, std::string> out;
  auto open = identity.find('('), close = identity.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::vector<std::string> words;
  for (const auto& w : split_list(identity.substr(open + 1, close - open - 1), ' '))
    words.push_back(to_lower(w));
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if ((w == "start" || w == "increment") && i + 2 < words.size()) {
      out[w == "start" ? "START WITH" : "INCREMENT BY"] = words[i + 2];
      i += 2;
    } else if ((w == "minvalue" || w == "maxvalue" || w == "cache") && i + 1 < words.size()) {
      out[w == "minvalue" ? "MINVALUE" : w == "maxvalue" ? "MAXVALUE" : "CACHE"] = words[++i];
    } else if (w == "cycle") {
      out["CYCLE"] = "";
    }
  }
  return out;
}

// ALTER COLUMN's "SET INCREMENT BY 5 SET NO MINVALUE ..." from one identity's
// options to another's; an option dropped goes back to its default.
std::string identity_option_changes(const std::string& from, const std::string& to) {
  auto a = identity_option_map(from), b = identity_option_map(to);
  std::vector<std::string> sets;
  for (const char* key : {"INCREMENT BY", "MINVALUE", "MAXVALUE", "START WITH", "CACHE"}) {
    auto x = a.find(key), y = b.find(key);
    if ((x == a.end()) == (y == b.end()) && (x == a.end() || x->second == y->second)) continue;
    const std::string k = key;
    if (y != b.end())
      sets.push_back("SET " + k + " " + y->second);
    else if (k == "MINVALUE" || k == "MAXVALUE")
      sets.push_back("SET NO " + k);
    else if (k == "START WITH")
      sets.push_back("SET START WITH " + (b.count("MINVALUE") ? b["MINVALUE"] : std::string("1")));
    else
      sets.push_back("SET " + k + " 1");
  }
  if (a.count("CYCLE") != b.count("CYCLE"))
    sets.push_back(b.count("CYCLE") ? "SET CYCLE" : "SET NO CYCLE");
  return join(sets, " ");
}

std::string table_of(const Op& op) {
  if (auto* x = std::get_if<DropColumn>(&op.change)) return x->table;
  if (auto* x = std::get_if<AlterColumn>(&op.change)) return x->table;
  return {};
}

class PostgresSchemaDialect final : public SchemaDialect {
 public:
  std::string name() const override { return "postgresql"; }

  bool same_type(const std::string& a, const std::string& b) const override {
    return canonical_postgres_type(a) == canonical_postgres_type(b);
  }

  bool is_narrowing(const std::string& from, const std::string& to) const override {
    std::string a = serial_base(canonical_postgres_type(from));
    std::string b = serial_base(canonical_postgres_type(to));
    if (a == b || b == "text") return false;
    static const std::map<std::string, std::set<std::string>> widening = {
        {"smallint", {"integer", "bigint", "numeric", "real", "double precision"}},
        {"integer", {"bigint", "numeric", "double precision"}},
        {"bigint", {"numeric"}},
        {"real", {"double precision"}},
        {"date", {"timestamp without time zone", "timestamp with time zone"}},
    };
    if (auto it = widening.find(a); it != widening.end() && it->second.count(b)) return false;
    TypeParts pa = split_type(a), pb = split_type(b);
    if (pa.name == pb.name && pa.array == pb.array) {
      if (pb.args.empty()) return false;  // varchar(20) -> varchar, numeric(5,2) -> numeric
      if (pa.name == "numeric" && !pa.args.empty()) {
        // numeric(p,s): neither fewer digits before the point nor after it.
        int p1 = 0, s1 = 0, p2 = 0, s2 = 0;
        std::sscanf(pa.args.c_str(), "(%d,%d)", &p1, &s1);
        std::sscanf(pb.args.c_str(), "(%d,%d)", &p2, &s2);
        return s2 < s1 || p2 - s2 < p1 - s1;
      }
      if (!pa.args.empty() && pa.args.find(',') == std::string::npos &&
          pb.args.find(',') == std::string::npos)
        return std::atoi(pb.args.c_str() + 1) < std::atoi(pa.args.c_str() + 1);
    }
    if (pb.name == "character varying" && pb.args.empty() && pa.array == pb.array) return false;
    return true;
  }

  std::vector<Op> lower(std::vector<Op> ops, const Schema& from, const Schema& to) const override {
    // A view over a column that changes type or goes away, or over a view
    // that is dropped, blocks the change: drop it first and create it again last.
    std::set<std::string> touched;
    for (const auto& op : ops) {
      if (auto* e = std::get_if<AlterEnum>(&op.change)) {
        // Recreated in one direction or the other: its columns change type.
        for (const auto& u : e->uses)
          touched.insert(key_of(u.table));
      } else if (auto* a = std::get_if<AlterColumn>(&op.change)) {
        if (!same_type(a->from.type, a->to.type) || a->from.collation != a->to.collation ||
            a->from.generated != a->to.generated || a->from.definition != a->to.definition)
          touched.insert(key_of(a->table));
      } else if (!table_of(op).empty()) {
        touched.insert(key_of(table_of(op)));
      }
    }
    // Within the constraint phases: foreign keys are dropped before the keys
    // they reference, and added after them.
    auto drop_rank = [](const Op& op) {
      auto* d = std::get_if<DropConstraint>(&op.change);
      return d && d->constraint.kind == Constraint::Kind::kForeignKey ? 0 : 1;
    };
    auto add_rank = [](const Op& op) {
      auto* a = std::get_if<AddConstraint>(&op.change);
      return a ? constraint_rank_add(a->constraint) : 0;
    };
    auto sort_run = [&](auto pred, auto rank) {
      for (size_t i = 0; i < ops.size();) {
        if (!pred(ops[i])) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < ops.size() && pred(ops[j]))
          ++j;
        std::stable_sort(ops.begin() + static_cast<long>(i), ops.begin() + static_cast<long>(j),
                         [&](const Op& x, const Op& y) { return rank(x) < rank(y); });
        i = j;
      }
    };
    sort_run([](const Op& op) { return std::holds_alternative<DropConstraint>(op.change); },
             drop_rank);
    sort_run([](const Op& op) { return std::holds_alternative<AddConstraint>(op.change); },
             add_rank);
    ops = keep_what_a_column_rebuild_takes(std::move(ops), from, to);
    std::set<std::string> names;
    for (const auto& t : touched)
      names.insert(from.tables.count(t) ? from.tables.at(t).name : t);
    for (const auto& op : ops)
      if (auto* v = std::get_if<DropView>(&op.change)) names.insert(v->view.name);
    std::vector<Op> out = recreate_dependent_views(
        std::move(ops), names, from, to, "recreated below: it reads a table or view that changes");
    order_views(out);
    split_cyclic_foreign_keys(out);
    annotate_renames(out);
    return out;
  }

  // A column made again (into, out of or within a generated one: DROP
  // COLUMN, ADD COLUMN) loses the indexes and constraints that use it; the
  // ones both schemas have are dropped before it and made again after.
  // (Views over it are recreated through `touched`.)
  std::vector<Op> keep_what_a_column_rebuild_takes(std::vector<Op> ops, const Schema& from,
                                                   const Schema& to) const {
    std::set<std::string> handled_indexes;
    for (const auto& op : ops) {
      if (auto* x = std::get_if<DropIndex>(&op.change))
        handled_indexes.insert(key_of(x->index.name));
      if (auto* x = std::get_if<CreateIndex>(&op.change))
        handled_indexes.insert(key_of(x->index.name));
    }
    std::vector<Op> out;
    for (auto& op : ops) {
      auto* a = std::get_if<AlterColumn>(&op.change);
      if (!a || !(a->from.generated || a->to.generated)) {
        out.push_back(std::move(op));
        continue;
      }
      const std::string table = a->table, column = a->to.name;
      std::vector<Op> after;
      for (const Index* ix : from.indexes_on(table)) {
        auto it = to.indexes.find(key_of(ix->name));
        if (handled_indexes.count(key_of(ix->name)) || it == to.indexes.end() ||
            !uses_column(*ix, column))
          continue;
        handled_indexes.insert(key_of(ix->name));
        out.push_back({DropIndex{*ix}, {"created again below: it uses " + table + "." + column}});
        after.push_back({CreateIndex{it->second}, {}});
      }
      const Table *ta = from.table(table), *tb = to.table(table);
      if (ta && tb)
        for (const auto& k : ta->constraints) {
          if (!uses_column(k, column)) continue;
          const Constraint* kept = nullptr;
          for (const auto& other : tb->constraints)
            if (same_constraint(k, other, *this)) kept = &other;
          if (!kept || constraint_op_exists(ops, table, k)) continue;
          out.push_back(
              {DropConstraint{table, k}, {"added again below: it uses " + table + "." + column}});
          after.push_back({AddConstraint{table, *kept}, {}});
        }
      out.push_back(std::move(op));
      for (auto& x : after)
        out.push_back(std::move(x));
    }
    return out;
  }

  static bool uses_column(const Index& ix, const std::string& column) {
    for (const auto& e : ix.elements)
      if (sql_mentions(e, column)) return true;
    return sql_mentions(ix.where, column) || sql_mentions(ix.options, column);
  }

  static bool uses_column(const Constraint& k, const std::string& column) {
    for (const auto& c : k.columns)
      if (same_name(c, column)) return true;
    return k.kind == Constraint::Kind::kCheck && sql_mentions(k.expression, column);
  }

  // Whether the ops already drop or add this constraint of `table`.
  static bool constraint_op_exists(const std::vector<Op>& ops, const std::string& table,
                                   const Constraint& k) {
    for (const auto& op : ops) {
      if (auto* d = std::get_if<DropConstraint>(&op.change))
        if (same_name(d->table, table) && same_name(d->constraint.name, k.name)) return true;
      if (auto* d = std::get_if<AddConstraint>(&op.change))
        if (same_name(d->table, table) && same_name(d->constraint.name, k.name)) return true;
    }
    return false;
  }

  // Tables that reference each other (a cycle) cannot all be created with
  // their foreign keys: a foreign key to a table created later is added
  // after the last CREATE TABLE, and one to a table dropped earlier is
  // dropped before the first DROP TABLE.
  static void split_cyclic_foreign_keys(std::vector<Op>& ops) {
    std::map<std::string, size_t> created, dropped;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (auto* c = std::get_if<CreateTable>(&ops[i].change)) created[key_of(c->table.name)] = i;
      if (auto* d = std::get_if<DropTable>(&ops[i].change)) dropped[key_of(d->table.name)] = i;
    }
    std::vector<Op> adds, drops;
    auto split = [](Table& t, const std::map<std::string, size_t>& at, size_t here, bool later,
                    auto make, std::vector<Op>& into) {
      auto& cs = t.constraints;
      for (auto it = cs.begin(); it != cs.end();) {
        auto ref = at.find(key_of(it->ref_table));
        bool move = it->kind == Constraint::Kind::kForeignKey && ref != at.end() &&
                    !same_name(it->ref_table, t.name) &&
                    (later ? ref->second > here : ref->second < here);
        if (!move) {
          ++it;
          continue;
        }
        into.push_back({make(t.name, *it), {}});
        it = cs.erase(it);
      }
    };
    size_t last_create = 0, first_drop = ops.size();
    for (size_t i = 0; i < ops.size(); ++i) {
      if (auto* c = std::get_if<CreateTable>(&ops[i].change)) {
        last_create = i;
        split(
            c->table, created, i, true,
            [](const std::string& t, const Constraint& k) -> Change {
              return AddConstraint{t, k};
            },
            adds);
      }
      if (auto* d = std::get_if<DropTable>(&ops[i].change)) {
        first_drop = std::min(first_drop, i);
        split(
            d->table, dropped, i, false,
            [](const std::string& t, const Constraint& k) -> Change {
              return DropConstraint{t, k};
            },
            drops);
      }
    }
    if (!adds.empty())
      ops.insert(ops.begin() + static_cast<long>(last_create) + 1, adds.begin(), adds.end());
    if (!drops.empty())
      ops.insert(ops.begin() + static_cast<long>(first_drop), drops.begin(), drops.end());
  }

 private:
  std::string render_one(const Op& op) const override {
    const Change& c = op.change;
    if (auto* x = std::get_if<CreateTable>(&c)) return create_table_sql(x->table);
    if (auto* x = std::get_if<SetTableComment>(&c))
      return comment_sql("TABLE " + quote_ident(x->table), x->to);
    if (auto* x = std::get_if<DropTable>(&c)) return drop_table_sql(x->table.name);
    if (auto* x = std::get_if<AddColumn>(&c)) return add_column(x->table, x->column);
    if (auto* x = std::get_if<DropColumn>(&c)) return drop_column(x->table, x->column);
    if (auto* x = std::get_if<AlterColumn>(&c)) return alter_column(*x);
    if (auto* x = std::get_if<AddConstraint>(&c))
      return "ALTER TABLE " + quote_ident(x->table) + " ADD " + constraint_sql(x->constraint) +
             (x->constraint.not_valid ? " NOT VALID" : "") + ";\n";
    if (auto* x = std::get_if<DropConstraint>(&c)) {
      if (x->constraint.name.empty())
        throw Error("cannot drop an unnamed constraint on " + x->table).internal();
      return "ALTER TABLE " + quote_ident(x->table) + " DROP CONSTRAINT " +
             quote_ident(x->constraint.name) + ";\n";
    }
    if (auto* x = std::get_if<CreateIndex>(&c)) return create_index_sql(x->index);
    if (auto* x = std::get_if<DropIndex>(&c))
      return "DROP INDEX " + quote_ident(x->index.name) + ";\n";
    if (auto* x = std::get_if<CreateView>(&c))
      return "CREATE VIEW " + quote_ident(x->view.name) + " AS\n" + terminated(x->view.definition);
    if (auto* x = std::get_if<DropView>(&c))
      return "DROP VIEW " + quote_ident(x->view.name) + ";\n";
    if (auto* x = std::get_if<CreateTrigger>(&c)) return terminated(x->trigger.sql);
    if (auto* x = std::get_if<DropTrigger>(&c))
      return "DROP TRIGGER " + quote_ident(x->trigger.name) + " ON " +
             quote_ident(x->trigger.table) + ";\n";
    if (auto* x = std::get_if<CreateEnum>(&c)) return create_enum_sql(x->type);
    if (auto* x = std::get_if<DropEnum>(&c))
      return "DROP TYPE " + quote_ident(x->type.name) + ";\n";
    if (auto* x = std::get_if<AlterEnum>(&c))
      return !x->recreate && only_adds_labels(x->from, x->to) ? add_enum_labels(*x)
                                                              : recreate_enum(*x);
    if (auto* x = std::get_if<CreateExtension>(&c))
      return "CREATE EXTENSION IF NOT EXISTS " + quote_ident(x->name) + ";\n";
    if (auto* x = std::get_if<DropExtension>(&c))
      return "DROP EXTENSION IF EXISTS " + quote_ident(x->name) + ";\n";
    if (auto* x = std::get_if<CreateSequence>(&c)) return create_sequence_sql(x->sequence);
    if (auto* x = std::get_if<DropSequence>(&c))
      return "DROP SEQUENCE " + quote_ident(x->sequence.name) + ";\n";
    if (auto* x = std::get_if<AlterSequence>(&c)) return alter_sequence_sql(*x);
    throw Error("'" + describe(op) + "' has no PostgreSQL rendering").internal();
  }

  // Every option written out, as pg_dump does: the defaults depend on the
  // type and the increment's sign, which may change later.
  static std::string create_sequence_sql(const Sequence& q) {
    return "CREATE SEQUENCE " + quote_ident(q.name) + " AS " + q.type + " START WITH " + q.start +
           " INCREMENT BY " + q.increment + " MINVALUE " + q.min + " MAXVALUE " + q.max +
           " CACHE " + q.cache + (q.cycle ? " CYCLE" : "") + ";\n";
  }

  // Only what changes. START WITH changes where RESTART begins, not the
  // sequence's current value.
  static std::string alter_sequence_sql(const AlterSequence& x) {
    const Sequence &a = x.from, &b = x.to;
    std::string clauses;
    if (a.type != b.type) clauses += " AS " + b.type;
    if (a.increment != b.increment) clauses += " INCREMENT BY " + b.increment;
    if (a.min != b.min || a.type != b.type) clauses += " MINVALUE " + b.min;
    if (a.max != b.max || a.type != b.type) clauses += " MAXVALUE " + b.max;
    if (a.start != b.start) clauses += " START WITH " + b.start;
    if (a.cache != b.cache) clauses += " CACHE " + b.cache;
    if (a.cycle != b.cycle) clauses += b.cycle ? " CYCLE" : " NO CYCLE";
    if (!same_name(a.owner_table, b.owner_table) || !same_name(a.owner_column, b.owner_column))
      clauses += b.owner_table.empty() ? std::string(" OWNED BY NONE")
                                       : " OWNED BY " + quote_ident(b.owner_table) + "." +
                                             quote_ident(b.owner_column);
    return clauses.empty() ? std::string()
                           : "ALTER SEQUENCE " + quote_ident(b.name) + clauses + ";\n";
  }

  static std::string add_column(const std::string& table, const Column& col) {
    std::string sql;
    if (col.not_null && !col.default_sql && !col.generated && !is_serial(col.type))
      sql += "-- NOTE: " + table + "." + col.name +
             " is NOT NULL without a default: this fails if the table has rows\n";
    sql += "ALTER TABLE " + quote_ident(table) + " ADD COLUMN " + column_definition(col) + ";\n";
    return col.comment.empty() ? sql : sql + column_comment_sql(table, col);
  }

  static std::string drop_column(const std::string& table, const Column& col) {
    return drop_column_warning(table, col) + "ALTER TABLE " + quote_ident(table) + " DROP COLUMN " +
           quote_ident(col.name) + ";\n";
  }

  static std::string create_enum_sql(const EnumType& e) {
    return "CREATE TYPE " + quote_ident(e.name) + " AS ENUM (" + label_list(e.labels) + ");\n";
  }

  // ALTER TYPE ... ADD VALUE for each new label, in its place: appended at
  // the end, else after the label before it (old, or added just above), or
  // before the first old label. PostgreSQL 12+ runs it in the revision's
  // transaction; the label is usable once that commits.
  static std::string add_enum_labels(const AlterEnum& x) {
    const auto &old = x.from.labels, &now = x.to.labels;
    auto is_old = [&](const std::string& l) {
      return std::find(old.begin(), old.end(), l) != old.end();
    };
    std::string sql;
    for (size_t i = 0; i < now.size(); ++i) {
      if (is_old(now[i])) continue;
      bool appended = std::none_of(now.begin() + static_cast<long>(i), now.end(), is_old);
      sql += "ALTER TYPE " + quote_ident(x.to.name) + " ADD VALUE " + quote_sql_string(now[i]);
      if (!appended && i > 0)
        sql += " AFTER " + quote_sql_string(now[i - 1]);
      else if (!appended)
        sql += " BEFORE " + quote_sql_string(*std::find_if(now.begin(), now.end(), is_old));
      sql += ";\n";
    }
    for (const auto& u : x.uses)
      if (u.default_before != u.default_after) sql += set_default(u);
    return sql;
  }

  static std::string set_default(const EnumUse& u) {
    const std::string alter =
        "ALTER TABLE " + quote_ident(u.table) + " ALTER COLUMN " + quote_ident(u.column) + " ";
    return u.default_after ? alter + "SET DEFAULT " + *u.default_after + ";\n"
                           : alter + "DROP DEFAULT;\n";
  }

  // PostgreSQL cannot drop or move a label: the type is renamed away, made
  // again with the new labels, its columns converted through text (their
  // defaults dropped first: they cast to the old type), and the old dropped.
  static std::string recreate_enum(const AlterEnum& x) {
    const std::string name = quote_ident(x.to.name), old = quote_ident(x.to.name + "_old");
    std::string sql;
    std::vector<std::string> gone;
    for (const auto& l : x.from.labels)
      if (std::find(x.to.labels.begin(), x.to.labels.end(), l) == x.to.labels.end())
        gone.push_back(quote_sql_string(l));
    if (!gone.empty())
      sql += "-- WARNING: data loss: rows holding removed label" +
             std::string(gone.size() > 1 ? "s " : " ") + join(gone, ", ") + " fail the upgrade\n";
    else if (only_adds_labels(x.from, x.to))
      sql += "-- NOTE: " + x.to.name +
             " is created again, not given labels with ADD VALUE: a default here names a new "
             "label, which ADD VALUE would not let this revision use\n";
    else
      sql += "-- NOTE: the labels of " + x.to.name +
             " change order: the type is created again and its columns converted\n";
    sql += "ALTER TYPE " + name + " RENAME TO " + old + ";\n" + create_enum_sql(x.to);
    for (const auto& u : x.uses) {
      const std::string alter =
          "ALTER TABLE " + quote_ident(u.table) + " ALTER COLUMN " + quote_ident(u.column) + " ";
      std::string dims;
      for (int i = 0; i < u.array_dims; ++i)
        dims += "[]";
      if (u.default_before) sql += alter + "DROP DEFAULT;\n";
      sql += alter + "TYPE " + name + dims + " USING " + quote_ident(u.column) + "::text" + dims +
             "::" + name + dims + ";\n";
      if (u.default_after) sql += alter + "SET DEFAULT " + *u.default_after + ";\n";
    }
    return sql + "DROP TYPE " + old + ";\n";
  }

  std::string alter_column(const AlterColumn& x) const {
    const Column &a = x.from, &b = x.to;
    if (a.generated || b.generated) return drop_column(x.table, a) + add_column(x.table, b);
    const std::string t = quote_ident(x.table), col = quote_ident(b.name);
    const std::string alter = "ALTER TABLE " + t + " ALTER COLUMN " + col + " ";
    std::string sql;
    std::string base_a = serial_base(canonical_postgres_type(a.type));
    std::string base_b = serial_base(canonical_postgres_type(b.type));
    bool type_changed = base_a != base_b;
    // A new collation is set with the type, which must be named again.
    bool collation_changed = a.collation != b.collation;
    bool serial_a = is_serial(a.type), serial_b = is_serial(b.type);
    auto def_a = plain_default(a), def_b = plain_default(b);
    bool same_default =
        def_a && def_b && normalize_default(*def_a) == normalize_default(*def_b) && !type_changed;
    // The old default may not cast to the new type: drop it first.
    if (def_a && !same_default) sql += alter + "DROP DEFAULT;\n";
    bool id_a = is_identity(a.default_sql), id_b = is_identity(b.default_sql);
    if (id_a && !id_b) sql += alter + "DROP IDENTITY;\n";
    if (id_a && id_b && normalize_sql(*a.default_sql) != normalize_sql(*b.default_sql)) {
      bool always_a = starts_with_ci(*a.default_sql, "GENERATED ALWAYS");
      bool always_b = starts_with_ci(*b.default_sql, "GENERATED ALWAYS");
      if (always_a != always_b)
        sql += alter + "SET GENERATED " + (always_b ? "ALWAYS" : "BY DEFAULT") + ";\n";
      std::string sets = identity_option_changes(*a.default_sql, *b.default_sql);
      if (!sets.empty()) sql += alter + sets + ";\n";
    }
    if (serial_a && !serial_b) {
      sql += alter + "DROP DEFAULT;\n";
      sql += "DO $$ BEGIN EXECUTE 'DROP SEQUENCE ' || pg_catalog.pg_get_serial_sequence(" +
             quote_sql_string(t) + ", " + quote_sql_string(b.name) + "); END $$;\n";
    }
    if (type_changed || collation_changed) {
      if (type_changed && is_narrowing(base_a, base_b))
        sql += "-- WARNING: data loss: " + x.table + "." + b.name + " changes from " + a.type +
               " to " + b.type + "; values that do not fit fail the upgrade or lose precision\n";
      sql += alter + "TYPE " + base_b;
      if (collation_changed)
        sql += " COLLATE " + (b.collation.empty() ? std::string("\"default\"") : b.collation);
      // An enum casts to and from text only.
      bool via_text = x.enum_cast && base_a != "text" && base_b != "text";
      if (type_changed && !fails_when_too_long(base_b))
        sql += " USING " + col + (via_text ? "::text" : "") + "::" + base_b;
      sql += ";\n";
    }
    if (serial_b && !serial_a) {
      std::string seq = x.table + "_" + b.name + "_seq";
      sql += "CREATE SEQUENCE " + quote_ident(seq) + " AS " + base_b + " OWNED BY " + t + "." +
             col + ";\n";
      sql += alter + "SET DEFAULT nextval(" + quote_sql_string(quote_ident(seq)) + "::regclass);\n";
      sql += "SELECT pg_catalog.setval(" + quote_sql_string(quote_ident(seq)) + ", coalesce(max(" +
             col + "), 0) + 1, false) FROM " + t + ";\n";
    }
    if (!a.not_null && b.not_null) {
      if (def_b)
        sql += "UPDATE " + t + " SET " + col + " = " + *def_b + " WHERE " + col + " IS NULL;\n";
      else if (!serial_b && !id_b)
        sql += "-- NOTE: " + x.table + "." + b.name +
               " becomes NOT NULL without a default: rows with NULL there fail the upgrade\n";
      sql += alter + "SET NOT NULL;\n";
    }
    if (a.not_null && !b.not_null) sql += alter + "DROP NOT NULL;\n";
    if (id_b && !id_a) {
      sql += alter + "ADD " + *b.default_sql + ";\n";
      sql += "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(" + quote_sql_string(t) +
             ", " + quote_sql_string(b.name) + "), coalesce(max(" + col +
             "), 0) + 1, false) FROM " + t + ";\n";
    }
    if (def_b && !same_default) sql += alter + "SET DEFAULT " + *def_b + ";\n";
    if (a.comment != b.comment) sql += column_comment_sql(x.table, b);
    return sql;
  }
};

}  // namespace

std::string canonical_postgres_type(const std::string& type) {
  std::string s = collapse_spaces(to_lower(trim(type)));
  TypeParts p = split_type(s);
  static const std::map<std::string, std::string> aliases = {
      {"int", "integer"},
      {"int4", "integer"},
      {"int8", "bigint"},
      {"int2", "smallint"},
      {"serial4", "serial"},
      {"serial8", "bigserial"},
      {"serial2", "smallserial"},
      {"float8", "double precision"},
      {"float", "double precision"},
      {"float4", "real"},
      {"bool", "boolean"},
      {"varchar", "character varying"},
      {"char", "character"},
      {"bpchar", "character"},
      {"decimal", "numeric"},
      {"timestamp", "timestamp without time zone"},
      {"timestamptz", "timestamp with time zone"},
      {"time", "time without time zone"},
      {"timetz", "time with time zone"},
      {"varbit", "bit varying"},
  };
  std::string name = p.name;
  if (name == "float" && !p.args.empty()) {
    name = std::atoi(p.args.c_str() + 1) <= 24 ? "real" : "double precision";
    p.args.clear();
  }
  if (auto it = aliases.find(name); it != aliases.end()) name = it->second;
  if (name == "character" && p.args.empty()) p.args = "(1)";
  if (name == "numeric" && !p.args.empty() && p.args.find(',') == std::string::npos)
    p.args.insert(p.args.size() - 1, ",0");
  // timestamp(3) without time zone keeps its precision before the zone.
  std::string zone;
  for (const char* z : {" without time zone", " with time zone"}) {
    std::string zs = z;
    if (name.size() > zs.size() && name.compare(name.size() - zs.size(), zs.size(), zs) == 0) {
      zone = zs;
      name.erase(name.size() - zs.size());
      break;
    }
  }
  if ((name == "timestamp" || name == "time") && zone.empty()) zone = " without time zone";
  std::string args = p.args;
  for (auto& ch : args)
    if (std::isspace(static_cast<unsigned char>(ch))) ch = ' ';
  args.erase(std::remove(args.begin(), args.end(), ' '), args.end());
  return name + args + zone + p.array;
}

std::unique_ptr<SchemaDialect> make_postgres_schema_dialect() {
  return std::make_unique<PostgresSchemaDialect>();
}

}  // namespace retort

// MariaDB's side of autogenerate: types compare by meaning (int(11) is int,
// BOOL is tinyint(1)), and every change is a plain ALTER TABLE with
// backtick-quoted names: ADD/DROP COLUMN placed with FIRST/AFTER, MODIFY
// COLUMN with the whole new definition, ADD/DROP PRIMARY KEY, FOREIGN KEY
// and CONSTRAINT ... CHECK, CREATE/DROP INDEX ... ON, table options; CREATE
// TABLE holds its keys, as SHOW CREATE TABLE writes them.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "backend/mariadb/mariadb.h"
#include "core/error.h"
#include "core/text.h"
#include "schema/diff.h"
#include "schema/view_order.h"
#include "sql/tokens.h"

namespace retort {

namespace {

std::string q(std::string_view name) {
  return quote_mariadb_name(name);
}

// "int(10) unsigned zerofill" -> {"int", "(10)", "unsigned zerofill"};
// "enum('a','b')" -> {"enum", "('a','b')", ""}. Quotes inside the
// parentheses are skipped over.
struct TypeParts {
  std::string name, args, rest;
};

TypeParts split_type(const std::string& t) {
  TypeParts p;
  size_t open = t.find('(');
  if (open == std::string::npos) {
    // Words after the name: "double precision", "int unsigned".
    p.name = t;
    return p;
  }
  size_t i = open + 1;
  char quote = 0;
  int depth = 1;
  for (; i < t.size() && depth > 0; ++i) {
    char c = t[i];
    if (quote) {
      if (c == '\\' && i + 1 < t.size())
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    }
  }
  p.name = std::string(trim(t.substr(0, open)));
  p.args = t.substr(open, i - open);
  p.rest = std::string(trim(t.substr(i)));
  return p;
}

// Outside quotes: lower case, runs of spaces made one, none next to ( ) ,.
std::string squeeze(const std::string& s) {
  std::string out;
  char quote = 0;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      out += c;
      if (c == '\\' && i + 1 < s.size())
        out += s[++i];
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space && c != '(' && c != ')' && c != ',' && out.back() != '(' && out.back() != ',')
      out += ' ';
    space = false;
    if (c == '\'' || c == '"') quote = c;
    out += quote ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

const std::set<std::string>& integer_types() {
  static const std::set<std::string> s = {"tinyint", "smallint", "mediumint", "int", "bigint"};
  return s;
}

int integer_rank(const std::string& name) {
  static const std::map<std::string, int> rank = {
      {"tinyint", 1}, {"smallint", 2}, {"mediumint", 3}, {"int", 4}, {"bigint", 5}};
  auto it = rank.find(name);
  return it == rank.end() ? 0 : it->second;
}

// Decimal digits an integer type holds (signed): 127, 32767, ...
int integer_digits(const std::string& name) {
  static const std::map<std::string, int> digits = {
      {"tinyint", 3}, {"smallint", 5}, {"mediumint", 7}, {"int", 10}, {"bigint", 19}};
  auto it = digits.find(name);
  return it == digits.end() ? 0 : it->second;
}

// Characters a text type holds, at one byte each (the least it holds).
long long text_capacity(const TypeParts& p) {
  if (p.name == "tinytext") return 255;
  if (p.name == "text") return 65535;
  if (p.name == "mediumtext") return 16777215;
  if (p.name == "longtext" || p.name == "json") return 4294967295LL;
  if ((p.name == "varchar" || p.name == "char") && !p.args.empty())
    return std::atoll(p.args.c_str() + 1);
  return -1;
}

std::vector<std::string> enum_labels(const std::string& args) {
  std::vector<std::string> out;
  auto t = tokenize_sql(args);
  for (const auto& tok : t)
    if (tok.kind == SqlToken::kString) out.push_back(tok.text);
  return out;
}

bool is_string_type(const std::string& canonical) {
  TypeParts p = split_type(canonical);
  static const std::set<std::string> names = {"char",       "varchar",  "tinytext", "text",
                                              "mediumtext", "longtext", "enum",     "set"};
  return names.count(p.name) > 0;
}

std::string charset_of(const std::string& collation) {
  if (collation == "binary") return collation;
  return collation.substr(0, collation.find('_'));
}

bool is_auto_increment(const Column& c) {
  return c.default_sql && normalize_sql(*c.default_sql) == "auto_increment";
}

// A default MariaDB writes bare: a literal, NULL, or CURRENT_TIMESTAMP;
// any other expression goes in parentheses.
bool bare_default(const std::string& d) {
  std::string t(trim(d));
  if (t.empty()) return true;
  char c = t[0];
  if (c == '\'' || c == '"' || c == '-' || c == '+' || c == '.' ||
      std::isdigit(static_cast<unsigned char>(c)))
    return true;
  std::string l = to_lower(t);
  if (l == "null" || l == "true" || l == "false") return true;
  if ((l[0] == 'b' || l[0] == 'x') && t.size() > 1 && t[1] == '\'') return true;
  return l.rfind("current_timestamp", 0) == 0 || l.rfind("now(", 0) == 0 ||
         l.rfind("localtimestamp", 0) == 0;
}

std::string column_definition(const Column& c) {
  std::string s = q(c.name) + " " + c.type;
  if (!c.collation.empty())
    s += " CHARACTER SET " + charset_of(c.collation) + " COLLATE " + c.collation;
  if (c.generated) {
    s += " " + c.definition;
  } else {
    s += c.not_null ? " NOT NULL" : " NULL";
    if (is_auto_increment(c))
      s += " AUTO_INCREMENT";
    else if (c.default_sql)
      s += " DEFAULT " +
           (bare_default(*c.default_sql) ? *c.default_sql : "(" + *c.default_sql + ")");
    if (!c.on_update.empty()) s += " ON UPDATE " + c.on_update;
  }
  if (!c.comment.empty()) s += " COMMENT " + quote_mariadb_string(c.comment);
  return s;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names)
    out.push_back(q(n));
  return join(out, ", ");
}

std::string foreign_key_body(const Constraint& k) {
  std::string s = "FOREIGN KEY (" + quoted_list(k.columns) + ") REFERENCES " + q(k.ref_table);
  if (!k.ref_columns.empty()) s += " (" + quoted_list(k.ref_columns) + ")";
  if (k.on_delete != "NO ACTION") s += " ON DELETE " + k.on_delete;
  if (k.on_update != "NO ACTION") s += " ON UPDATE " + k.on_update;
  return s;
}

// As a line of CREATE TABLE or after ALTER TABLE ... ADD.
std::string constraint_sql(const Constraint& k) {
  std::string named = k.name.empty() ? std::string() : "CONSTRAINT " + q(k.name) + " ";
  switch (k.kind) {
    case Constraint::Kind::kPrimaryKey:
      return "PRIMARY KEY (" + quoted_list(k.columns) + ")";
    case Constraint::Kind::kUnique:
      return named + "UNIQUE (" + quoted_list(k.columns) + ")";
    case Constraint::Kind::kCheck:
      return named + "CHECK (" + k.expression + ")";
    case Constraint::Kind::kForeignKey:
      return named + foreign_key_body(k);
  }
  return {};
}

// FULLTEXT, SPATIAL, UNIQUE or nothing, before KEY or INDEX.
std::string index_kind(const Index& ix) {
  if (ix.method == "fulltext") return "FULLTEXT ";
  if (ix.method == "spatial") return "SPATIAL ";
  return ix.unique ? "UNIQUE " : "";
}

std::string index_using(const Index& ix) {
  if (ix.method.empty() || ix.method == "fulltext" || ix.method == "spatial") return {};
  std::string m = ix.method;
  for (auto& ch : m)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return " USING " + m;
}

std::string index_elements(const Index& ix) {
  return "(" + join(ix.elements, ", ") + ")";
}

std::string table_options_sql(const std::map<std::string, std::string>& options) {
  std::string s;
  for (const char* key : {"ENGINE", "DEFAULT CHARSET", "COLLATE"}) {
    auto it = options.find(key);
    if (it != options.end()) s += std::string(s.empty() ? "" : " ") + key + "=" + it->second;
  }
  for (const auto& [k, v] : options)
    if (k != "ENGINE" && k != "DEFAULT CHARSET" && k != "COLLATE")
      s += std::string(s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

std::string create_table_sql(const Table& t, const std::vector<Index>& indexes) {
  std::vector<std::string> parts;
  for (const auto& c : t.columns)
    parts.push_back("  " + column_definition(c));
  for (const auto& k : t.constraints)
    if (k.kind == Constraint::Kind::kPrimaryKey) parts.push_back("  " + constraint_sql(k));
  for (const auto& ix : indexes)
    parts.push_back("  " + index_kind(ix) + "KEY " + q(ix.name) + " " + index_elements(ix) +
                    index_using(ix));
  for (const auto& k : t.constraints)
    if (k.kind != Constraint::Kind::kPrimaryKey) parts.push_back("  " + constraint_sql(k));
  std::string sql = "CREATE TABLE " + q(t.name) + " (\n" + join(parts, ",\n") + "\n)";
  std::string options = table_options_sql(t.options);
  if (!options.empty()) sql += " " + options;
  if (!t.comment.empty()) sql += " COMMENT=" + quote_mariadb_string(t.comment);
  return sql + ";\n";
}

std::string terminated(std::string sql) {
  while (!sql.empty() &&
         (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
    sql.pop_back();
  return sql + ";\n";
}

std::string position_sql(const std::optional<std::string>& after) {
  if (!after) return {};
  return after->empty() ? " FIRST" : " AFTER " + q(*after);
}

bool is_foreign_key_op(const Op& op, bool add) {
  if (add) {
    auto* a = std::get_if<AddConstraint>(&op.change);
    return a && a->constraint.kind == Constraint::Kind::kForeignKey;
  }
  auto* d = std::get_if<DropConstraint>(&op.change);
  return d && d->constraint.kind == Constraint::Kind::kForeignKey;
}

// The column before `name` in `t`: "" when it is the first.
std::optional<std::string> column_before(const Table* t, const std::string& name) {
  if (!t) return std::nullopt;
  for (size_t i = 0; i < t->columns.size(); ++i)
    if (same_name(t->columns[i].name, name)) return i == 0 ? std::string() : t->columns[i - 1].name;
  return std::nullopt;
}

size_t column_position(const Table* t, const std::string& name) {
  if (t)
    for (size_t i = 0; i < t->columns.size(); ++i)
      if (same_name(t->columns[i].name, name)) return i;
  return 0;
}

class MariadbSchemaDialect final : public SchemaDialect {
 public:
  std::string name() const override { return "mariadb"; }

  bool same_type(const std::string& a, const std::string& b) const override {
    return canonical_mariadb_type(a) == canonical_mariadb_type(b);
  }

  bool is_narrowing(const std::string& from, const std::string& to) const override {
    std::string a = canonical_mariadb_type(from), b = canonical_mariadb_type(to);
    if (a == b) return false;
    TypeParts pa = split_type(a), pb = split_type(b);
    // "int unsigned": the name's first word, and the rest.
    auto base = [](const TypeParts& p) { return p.name.substr(0, p.name.find(' ')); };
    auto is_unsigned = [](const std::string& t) {
      return t.find(" unsigned") != std::string::npos;
    };
    std::string na = base(pa), nb = base(pb);
    if (integer_types().count(na) && integer_types().count(nb)) {
      bool ua = is_unsigned(a), ub = is_unsigned(b);
      if (ua == ub) return integer_rank(nb) < integer_rank(na);
      if (ua) return integer_rank(nb) <= integer_rank(na);  // to signed: one size up
      return true;                                          // negatives do not fit
    }
    if (integer_types().count(na) && nb == "decimal" && !pb.args.empty()) {
      int p = 0, s = 0;
      std::sscanf(pb.args.c_str(), "(%d,%d)", &p, &s);
      return p - s < integer_digits(na) + (is_unsigned(a) && na == "bigint" ? 1 : 0);
    }
    if (integer_types().count(na) && nb == "double") return na == "bigint";
    if (na == "float" && nb == "double") return false;
    if (na == "decimal" && nb == "decimal") {
      int p1 = 0, s1 = 0, p2 = 0, s2 = 0;
      std::sscanf(pa.args.c_str(), "(%d,%d)", &p1, &s1);
      std::sscanf(pb.args.c_str(), "(%d,%d)", &p2, &s2);
      return s2 < s1 || p2 - s2 < p1 - s1;
    }
    long long ca = text_capacity(pa), cb = text_capacity(pb);
    if (ca >= 0 && cb >= 0) return cb < ca;
    // Any value reads as text that long.
    if (cb >= 65535 && pa.name != "blob" && pa.name.find("blob") == std::string::npos) return false;
    if ((na == "enum" || na == "set") && na == nb) {
      auto la = enum_labels(pa.args), lb = enum_labels(pb.args);
      for (const auto& l : la)
        if (std::find(lb.begin(), lb.end(), l) == lb.end()) return true;
      return false;
    }
    if (na == "date" && (nb == "datetime" || nb == "timestamp")) return false;
    if ((na == "datetime" || na == "timestamp" || na == "time") && na == nb)
      return std::atoi(pb.args.empty() ? "0" : pb.args.c_str() + 1) <
             std::atoi(pa.args.empty() ? "0" : pa.args.c_str() + 1);
    if ((na == "varbinary" || na == "binary") && (nb == "varbinary" || nb == "blob"))
      return nb == "varbinary" && std::atoll(pb.args.c_str() + 1) < std::atoll(pa.args.c_str() + 1);
    return true;
  }

  std::vector<Op> lower(std::vector<Op> ops, const Schema& from, const Schema& to) const override {
    fold_indexes(ops);
    fill_collations(ops, from, to);
    place_columns(ops, from, to);
    keep_auto_increment_keyed(ops, from, to);
    release_foreign_keys(ops, from, to);
    // Foreign keys are dropped before anything else (the index one uses
    // cannot go first), and added after everything (after the index it
    // uses, or MariaDB makes one of its own named like the key).
    std::vector<Op> out, rest, fk_adds;
    for (auto& op : ops) {
      if (is_foreign_key_op(op, false))
        out.push_back(std::move(op));
      else if (is_foreign_key_op(op, true))
        fk_adds.push_back(std::move(op));
      else
        rest.push_back(std::move(op));
    }
    out.insert(out.end(), std::make_move_iterator(rest.begin()),
               std::make_move_iterator(rest.end()));
    // Views and triggers come last in the diff's order; the keys go before them.
    size_t at = out.size();
    while (at > 0 && (std::holds_alternative<CreateView>(out[at - 1].change) ||
                      std::holds_alternative<CreateTrigger>(out[at - 1].change)))
      --at;
    out.insert(out.begin() + static_cast<long>(at), std::make_move_iterator(fk_adds.begin()),
               std::make_move_iterator(fk_adds.end()));
    order_views(out);
    split_cyclic_foreign_keys(out);
    annotate_renames(out, q);
    return out;
  }

  // The rename notes name the columns and tables as MariaDB quotes them,
  // also on the reversed list the downgrade is rendered from.
  std::string render(const std::vector<Op>& ops) const override {
    std::vector<Op> annotated = ops;
    annotate_renames(annotated, q);
    return SchemaDialect::render(annotated);
  }

 private:
  // An AUTO_INCREMENT column must be a key's first column at every step
  // (error 1075): it becomes one after its primary key is added, stops
  // being one before its primary key is dropped, and while a primary key is
  // replaced it is a plain column.
  static void keep_auto_increment_keyed(std::vector<Op>& ops, const Schema& from,
                                        const Schema& to) {
    auto pk_op = [](const Op& op, bool add, const std::string& table) {
      if (add) {
        auto* a = std::get_if<AddConstraint>(&op.change);
        return a && a->constraint.kind == Constraint::Kind::kPrimaryKey &&
               same_name(a->table, table);
      }
      auto* d = std::get_if<DropConstraint>(&op.change);
      return d && d->constraint.kind == Constraint::Kind::kPrimaryKey && same_name(d->table, table);
    };
    auto find = [&](bool add, const std::string& table) {
      for (size_t i = 0; i < ops.size(); ++i)
        if (pk_op(ops[i], add, table)) return i;
      return ops.size();
    };
    // Columns that turn AUTO_INCREMENT go right after the key is added, and
    // the ones that stop being so right before it is dropped.
    auto moves = [&](const Op& op) {
      auto* x = std::get_if<AlterColumn>(&op.change);
      if (!x || is_auto_increment(x->from) == is_auto_increment(x->to)) return false;
      return find(is_auto_increment(x->to), x->table) < ops.size();
    };
    std::vector<bool> move;
    for (const auto& op : ops)
      move.push_back(moves(op));
    std::vector<Op> moved, rest;
    for (size_t i = 0; i < ops.size(); ++i)
      (move[i] ? moved : rest).push_back(std::move(ops[i]));
    ops.clear();
    auto push_moved = [&](const std::string& table, bool gains) {
      for (auto& m : moved) {
        auto& x = std::get<AlterColumn>(m.change);
        if (same_name(x.table, table) && is_auto_increment(x.to) == gains) ops.push_back(m);
      }
    };
    for (auto& op : rest) {
      if (auto* d = std::get_if<DropConstraint>(&op.change);
          d && d->constraint.kind == Constraint::Kind::kPrimaryKey)
        push_moved(d->table, false);
      const auto* a = std::get_if<AddConstraint>(&op.change);
      std::string added = a && a->constraint.kind == Constraint::Kind::kPrimaryKey ? a->table : "";
      ops.push_back(std::move(op));
      if (!added.empty()) push_moved(added, true);
    }
    // A primary key replaced under a column that stays AUTO_INCREMENT.
    for (const auto& [k, ta] : from.tables) {
      const Table* tb = to.table(ta.name);
      size_t drop = find(false, ta.name), add = find(true, ta.name);
      if (!tb || drop == ops.size() || add == ops.size() || add < drop) continue;
      for (const auto& c : ta.columns) {
        const Column* cb = tb->column(c.name);
        if (!is_auto_increment(c) || !cb || !is_auto_increment(*cb)) continue;
        bool altered = false;
        for (const auto& op : ops)
          if (auto* x = std::get_if<AlterColumn>(&op.change);
              x && same_name(x->table, ta.name) && same_name(x->to.name, c.name))
            altered = true;
        if (altered) continue;
        Column plain = c;
        plain.default_sql.reset();
        ops.insert(ops.begin() + static_cast<long>(add) + 1,
                   {AlterColumn{ta.name, plain, *cb, false},
                    {"AUTO_INCREMENT again, now that its key is there"}});
        ops.insert(ops.begin() + static_cast<long>(drop),
                   {AlterColumn{ta.name, c, plain, false},
                    {"not AUTO_INCREMENT while its primary key is replaced"}});
        drop = find(false, ta.name);
        add = find(true, ta.name);
      }
    }
  }

  // While a foreign key is there, MariaDB refuses to drop an index or a
  // primary key it uses, on either side (errors 1553 and 150), and to change
  // the type of a column it holds or references (1832, 1833): a kept key is
  // dropped first and added again last, around the change.
  void release_foreign_keys(std::vector<Op>& ops, const Schema& from, const Schema& to) const {
    struct Use {
      std::string table;
      std::vector<std::string> columns;  // an index's, leading first; or the one column changed
      bool index;
      std::string why;
    };
    std::vector<Use> uses;
    for (const auto& op : ops) {
      if (auto* d = std::get_if<DropIndex>(&op.change)) {
        Use u{d->index.table, {}, true, d->index.name + " changes under it"};
        for (const auto& e : d->index.elements)
          if (auto t = tokenize_sql(e); !t.empty()) u.columns.push_back(unquote_name(t[0]));
        uses.push_back(std::move(u));
      } else if (auto* k = std::get_if<DropConstraint>(&op.change);
                 k && k->constraint.kind == Constraint::Kind::kPrimaryKey) {
        uses.push_back({k->table, k->constraint.columns, true,
                        "the primary key of " + k->table + " changes under it"});
      } else if (auto* c = std::get_if<AlterColumn>(&op.change);
                 c &&
                 (!same_type(c->from.type, c->to.type) || c->from.collation != c->to.collation)) {
        uses.push_back(
            {c->table, {c->to.name}, false, c->table + "." + c->to.name + " changes under it"});
      }
    }
    // Whether `cols` of `table` are what `use` drops or changes.
    auto touches = [](const Use& use, const std::string& table,
                      const std::vector<std::string>& cols) {
      if (!same_name(use.table, table)) return false;
      if (!use.index) {
        for (const auto& c : cols)
          if (same_name(c, use.columns[0])) return true;
        return false;
      }
      return cols.size() <= use.columns.size() &&
             same_names(cols, std::vector<std::string>(
                                  use.columns.begin(),
                                  use.columns.begin() + static_cast<long>(cols.size())));
    };
    std::vector<Op> added;
    for (const auto& [key, ta] : from.tables) {
      const Table* tb = to.table(ta.name);
      if (!tb) continue;
      for (const auto& k : ta.constraints) {
        if (k.kind != Constraint::Kind::kForeignKey) continue;
        const Use* use = nullptr;
        for (const auto& u : uses)
          if (touches(u, ta.name, k.columns) || touches(u, k.ref_table, k.ref_columns)) use = &u;
        const Constraint* kept = nullptr;
        for (const auto& kb : tb->constraints)
          if (same_constraint(kb, k, *this)) kept = &kb;
        if (!use || !kept) continue;
        bool handled = false;  // dropped (or changed) by the diff already
        for (const auto& x : ops)
          if (auto* dc = std::get_if<DropConstraint>(&x.change);
              dc && same_name(dc->table, ta.name) && same_constraint(dc->constraint, k, *this))
            handled = true;
        if (handled) continue;
        added.push_back(
            {DropConstraint{ta.name, k}, {"dropped and added again below: " + use->why}});
        added.push_back({AddConstraint{tb->name, *kept}, {}});
      }
    }
    for (auto& op : added)
      ops.push_back(std::move(op));
  }

  // A new table's indexes go in its CREATE TABLE, and a dropped table's
  // with its DROP TABLE: MariaDB's own index for a foreign key would
  // otherwise take the name first, and an index a foreign key needs cannot
  // be dropped before it.
  static void fold_indexes(std::vector<Op>& ops) {
    std::map<std::string, size_t> created, dropped;
    for (size_t i = 0; i < ops.size(); ++i) {
      if (auto* c = std::get_if<CreateTable>(&ops[i].change)) created[key_of(c->table.name)] = i;
      if (auto* d = std::get_if<DropTable>(&ops[i].change)) dropped[key_of(d->table.name)] = i;
    }
    std::vector<Op> out;
    for (auto& op : ops) {
      if (auto* c = std::get_if<CreateIndex>(&op.change)) {
        auto it = created.find(key_of(c->index.table));
        if (it != created.end()) {
          std::get<CreateTable>(ops[it->second].change).indexes.push_back(c->index);
          continue;
        }
      }
      if (auto* d = std::get_if<DropIndex>(&op.change)) {
        auto it = dropped.find(key_of(d->index.table));
        if (it != dropped.end()) {
          std::get<DropTable>(ops[it->second].change).indexes.push_back(d->index);
          continue;
        }
      }
      out.push_back(op);
    }
    // The CreateTable and DropTable ops were copied before they got their
    // indexes: take them again.
    for (auto& op : out) {
      if (auto* c = std::get_if<CreateTable>(&op.change))
        *c = std::get<CreateTable>(ops[created[key_of(c->table.name)]].change);
      if (auto* d = std::get_if<DropTable>(&op.change))
        *d = std::get<DropTable>(ops[dropped[key_of(d->table.name)]].change);
    }
    ops = std::move(out);
  }

  // A table whose default collation changes keeps its columns' own: each
  // string column that follows the table's default is changed with it,
  // named explicitly on both sides so that either direction sets it.
  void fill_collations(std::vector<Op>& ops, const Schema& from, const Schema& to) const {
    for (size_t i = 0; i < ops.size(); ++i) {
      auto* o = std::get_if<SetTableOptions>(&ops[i].change);
      if (!o) continue;
      auto fa = o->from.find("COLLATE"), fb = o->to.find("COLLATE");
      if (fa == o->from.end() || fb == o->to.end() || fa->second == fb->second) continue;
      const std::string table = o->table, old_collation = fa->second, new_collation = fb->second;
      const Table* ta = from.table(table);
      const Table* tb = to.table(table);
      if (!ta || !tb) continue;
      std::vector<Op> added;
      for (const auto& cb : tb->columns) {
        const Column* ca = ta->column(cb.name);
        if (!ca) continue;
        Column a = *ca, b = cb;
        if (is_string_type(canonical_mariadb_type(a.type)) && a.collation.empty())
          a.collation = old_collation;
        if (is_string_type(canonical_mariadb_type(b.type)) && b.collation.empty())
          b.collation = new_collation;
        bool altered = false;
        for (auto& x : ops)
          if (auto* alter = std::get_if<AlterColumn>(&x.change);
              alter && same_name(alter->table, table) && same_name(alter->to.name, b.name)) {
            alter->from.collation = a.collation;
            alter->to.collation = b.collation;
            altered = true;
          }
        if (!altered && a.collation != b.collation)
          added.push_back({AlterColumn{table, a, b, false}, {}});
      }
      // Right after the table's own change; each names its collation.
      ops.insert(ops.begin() + static_cast<long>(i) + 1, added.begin(), added.end());
      i += added.size();
    }
  }

  // Columns keep their place: an added one goes after the column before it
  // in the new table, and a dropped one (which the downgrade adds back)
  // remembers the one before it in the old. Drops run last column first, so
  // that the downgrade adds them back first column first.
  static void place_columns(std::vector<Op>& ops, const Schema& from, const Schema& to) {
    for (auto& op : ops) {
      if (auto* a = std::get_if<AddColumn>(&op.change))
        a->after = column_before(to.table(a->table), a->column.name);
      if (auto* d = std::get_if<DropColumn>(&op.change))
        d->after = column_before(from.table(d->table), d->column.name);
      // Dropped and added again at once: after the nearest column both sides have.
      if (auto* x = std::get_if<AlterColumn>(&op.change)) {
        const Table *ta = from.table(x->table), *tb = to.table(x->table);
        if (!ta || !tb) continue;
        x->after = std::string();
        for (const auto& c : tb->columns) {
          if (same_name(c.name, x->to.name)) break;
          if (ta->column(c.name)) x->after = c.name;
        }
      }
    }
    std::vector<size_t> drops;
    for (size_t i = 0; i < ops.size(); ++i)
      if (std::holds_alternative<DropColumn>(ops[i].change)) drops.push_back(i);
    std::vector<Op> sorted;
    for (size_t i : drops)
      sorted.push_back(ops[i]);
    std::stable_sort(sorted.begin(), sorted.end(), [&](const Op& x, const Op& y) {
      const auto& a = std::get<DropColumn>(x.change);
      const auto& b = std::get<DropColumn>(y.change);
      if (!same_name(a.table, b.table)) return key_of(a.table) < key_of(b.table);
      return column_position(from.table(a.table), a.column.name) >
             column_position(from.table(b.table), b.column.name);
    });
    for (size_t k = 0; k < drops.size(); ++k)
      ops[drops[k]] = std::move(sorted[k]);
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
                    bool add, std::vector<Op>& into) {
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
        if (add)
          into.push_back({AddConstraint{t.name, *it}, {}});
        else
          into.push_back({DropConstraint{t.name, *it}, {}});
        it = cs.erase(it);
      }
    };
    size_t last_create = 0, first_drop = ops.size();
    for (size_t i = 0; i < ops.size(); ++i) {
      if (auto* c = std::get_if<CreateTable>(&ops[i].change)) {
        last_create = i;
        split(c->table, created, i, true, true, adds);
      }
      if (auto* d = std::get_if<DropTable>(&ops[i].change)) {
        first_drop = std::min(first_drop, i);
        split(d->table, dropped, i, false, false, drops);
      }
    }
    if (!adds.empty())
      ops.insert(ops.begin() + static_cast<long>(last_create) + 1, adds.begin(), adds.end());
    if (!drops.empty())
      ops.insert(ops.begin() + static_cast<long>(first_drop), drops.begin(), drops.end());
  }

  std::string render_one(const Op& op) const override {
    const Change& c = op.change;
    if (auto* x = std::get_if<CreateTable>(&c)) return create_table_sql(x->table, x->indexes);
    if (auto* x = std::get_if<DropTable>(&c))
      return "-- WARNING: data loss: drops table " + x->table.name + " and all its rows\n" +
             "DROP TABLE " + q(x->table.name) + ";\n";
    if (auto* x = std::get_if<AddColumn>(&c)) return add_column(*x);
    if (auto* x = std::get_if<DropColumn>(&c)) return drop_column(x->table, x->column);
    if (auto* x = std::get_if<AlterColumn>(&c)) return alter_column(*x);
    if (auto* x = std::get_if<AddConstraint>(&c)) return add_constraint(x->table, x->constraint);
    if (auto* x = std::get_if<DropConstraint>(&c)) return drop_constraint(x->table, x->constraint);
    if (auto* x = std::get_if<CreateIndex>(&c))
      return "CREATE " + index_kind(x->index) + "INDEX " + q(x->index.name) + " ON " +
             q(x->index.table) + " " + index_elements(x->index) + index_using(x->index) + ";\n";
    if (auto* x = std::get_if<DropIndex>(&c))
      return "DROP INDEX " + q(x->index.name) + " ON " + q(x->index.table) + ";\n";
    if (auto* x = std::get_if<CreateView>(&c))
      return "CREATE OR REPLACE VIEW " + q(x->view.name) + " AS " + terminated(x->view.definition);
    if (auto* x = std::get_if<DropView>(&c)) return "DROP VIEW " + q(x->view.name) + ";\n";
    if (auto* x = std::get_if<CreateTrigger>(&c)) return terminated(x->trigger.sql);
    if (auto* x = std::get_if<DropTrigger>(&c)) return "DROP TRIGGER " + q(x->trigger.name) + ";\n";
    if (auto* x = std::get_if<SetTableComment>(&c))
      return "ALTER TABLE " + q(x->table) + " COMMENT=" + quote_mariadb_string(x->to) + ";\n";
    if (auto* x = std::get_if<SetTableOptions>(&c)) return set_table_options(*x);
    throw Error("'" + describe(op) + "' has no MariaDB rendering").internal();
  }

  static std::string add_column(const AddColumn& x) {
    std::string sql;
    const Column& col = x.column;
    if (col.not_null && !col.default_sql && !col.generated)
      sql += "-- NOTE: " + x.table + "." + col.name +
             " is NOT NULL without a default: rows already there get the type's implicit "
             "default (0, '', the zero date)\n";
    return sql + "ALTER TABLE " + q(x.table) + " ADD COLUMN " + column_definition(col) +
           position_sql(x.after) + ";\n";
  }

  static std::string drop_column(const std::string& table, const Column& col) {
    return drop_column_warning(table, col) + "ALTER TABLE " + q(table) + " DROP COLUMN " +
           q(col.name) + ";\n";
  }

  static std::string add_constraint(const std::string& table, const Constraint& k) {
    std::string sql;
    if (k.kind == Constraint::Kind::kPrimaryKey && !k.name.empty() && k.name != "PRIMARY")
      sql += "-- NOTE: MariaDB names every primary key PRIMARY\n";
    return sql + "ALTER TABLE " + q(table) + " ADD " + constraint_sql(k) + ";\n";
  }

  static std::string drop_constraint(const std::string& table, const Constraint& k) {
    const std::string alter = "ALTER TABLE " + q(table) + " ";
    if (k.kind == Constraint::Kind::kPrimaryKey) return alter + "DROP PRIMARY KEY;\n";
    if (k.name.empty()) throw Error("cannot drop an unnamed constraint on " + table).internal();
    switch (k.kind) {
      case Constraint::Kind::kForeignKey:
        return alter + "DROP FOREIGN KEY " + q(k.name) + ";\n";
      case Constraint::Kind::kUnique:
        return alter + "DROP INDEX " + q(k.name) + ";\n";
      default:
        return alter + "DROP CONSTRAINT " + q(k.name) + ";\n";
    }
  }

  static std::string set_table_options(const SetTableOptions& x) {
    std::map<std::string, std::string> changed;
    for (const auto& [k, v] : x.to) {
      auto it = x.from.find(k);
      if (it == x.from.end() || it->second != v) changed[k] = v;
    }
    // A collation names its character set, which goes with it.
    if (changed.count("COLLATE") && x.to.count("DEFAULT CHARSET"))
      changed["DEFAULT CHARSET"] = x.to.at("DEFAULT CHARSET");
    if (changed.count("DEFAULT CHARSET") && x.to.count("COLLATE"))
      changed["COLLATE"] = x.to.at("COLLATE");
    std::string sql;
    if (changed.count("ENGINE"))
      sql += "-- NOTE: " + x.table + " is copied to the " + changed.at("ENGINE") +
             " engine: every row is rewritten, and the table is locked meanwhile\n";
    return sql + "ALTER TABLE " + q(x.table) + " " + table_options_sql(changed) + ";\n";
  }

  std::string alter_column(const AlterColumn& x) const {
    const Column &a = x.from, &b = x.to;
    const std::string t = q(x.table);
    if ((a.generated || b.generated) && (a.generated != b.generated || stored(a) != stored(b)))
      return "-- NOTE: " + x.table + "." + b.name +
             " is dropped and added again: MariaDB cannot change a column into or out of a "
             "generated one, nor between VIRTUAL and STORED\n" +
             drop_column(x.table, a) + "ALTER TABLE " + t + " ADD COLUMN " + column_definition(b) +
             position_sql(x.after) + ";\n";
    std::string sql;
    bool type_changed = !same_type(a.type, b.type);
    if (type_changed && is_narrowing(a.type, b.type))
      sql += "-- WARNING: data loss: " + x.table + "." + b.name + " changes from " + a.type +
             " to " + b.type + "; values that do not fit fail the upgrade\n";
    if (!a.not_null && b.not_null && !b.generated) {
      if (b.default_sql && !is_auto_increment(b))
        sql += "UPDATE " + t + " SET " + q(b.name) + " = " +
               (bare_default(*b.default_sql) ? *b.default_sql : "(" + *b.default_sql + ")") +
               " WHERE " + q(b.name) + " IS NULL;\n";
      else
        sql += "-- NOTE: " + x.table + "." + b.name +
               " becomes NOT NULL without a default: rows with NULL there fail the upgrade\n";
    }
    return sql + "ALTER TABLE " + t + " MODIFY COLUMN " + column_definition(b) + ";\n";
  }

  static bool stored(const Column& c) {
    return c.generated && to_lower(c.definition).find(" stored") != std::string::npos;
  }
};

}  // namespace

std::string canonical_mariadb_type(const std::string& type) {
  std::string s = squeeze(std::string(trim(type)));
  TypeParts p = split_type(s);
  // Words after the arguments, or after a name without any.
  std::string rest = p.rest;
  std::string name = p.name;
  for (const char* word : {" unsigned", " signed", " zerofill"}) {
    size_t at = name.find(word);
    if (at != std::string::npos) {
      rest = std::string(trim(name.substr(at) + " " + rest));
      name = name.substr(0, at);
    }
  }
  static const std::map<std::string, std::string> aliases = {
      {"integer", "int"},
      {"int4", "int"},
      {"int8", "bigint"},
      {"int2", "smallint"},
      {"int1", "tinyint"},
      {"int3", "mediumint"},
      {"middleint", "mediumint"},
      {"dec", "decimal"},
      {"numeric", "decimal"},
      {"fixed", "decimal"},
      {"double precision", "double"},
      {"real", "double"},
      {"float8", "double"},
      {"float4", "float"},
      {"character varying", "varchar"},
      {"char varying", "varchar"},
      {"character", "char"},
      {"long varchar", "mediumtext"},
      {"long", "mediumtext"},
      {"long varbinary", "mediumblob"},
  };
  if (auto it = aliases.find(name); it != aliases.end()) name = it->second;
  std::string args = p.args;
  if (name == "bool" || name == "boolean") {
    name = "tinyint";
    args = "(1)";
  }
  if (integer_types().count(name) && !(name == "tinyint" && args == "(1)")) args.clear();
  if (name == "decimal") {
    if (args.empty()) args = "(10,0)";
    if (args.find(',') == std::string::npos) args.insert(args.size() - 1, ",0");
  }
  if ((name == "char" || name == "binary" || name == "bit") && args.empty()) args = "(1)";
  if ((name == "timestamp" || name == "datetime" || name == "time") && args == "(0)") args.clear();
  if (name == "year") args.clear();
  if (name == "float" && !args.empty() && args.find(',') == std::string::npos) {
    name = std::atoi(args.c_str() + 1) <= 24 ? "float" : "double";
    args.clear();
  }
  // Unsigned before zerofill, which implies it; signed is the default.
  std::vector<std::string> words;
  bool zerofill = rest.find("zerofill") != std::string::npos;
  if (rest.find("unsigned") != std::string::npos || zerofill) words.emplace_back("unsigned");
  if (zerofill) words.emplace_back("zerofill");
  std::string out = name + args;
  for (const auto& w : words)
    out += " " + w;
  return out;
}

std::unique_ptr<SchemaDialect> make_mariadb_schema_dialect() {
  return std::make_unique<MariadbSchemaDialect>();
}

}  // namespace retort

// Expressions compared by meaning: where the database and the models spell
// a CHECK, a default, a generated column, an index or a view differently,
// both texts go through the same server round trip (parsed into a temporary
// object and deparsed again, until the text no longer changes). When they
// then agree, the models take the database's text, so the diff sees no
// change. pg_dump's `(v)::text = ANY ((ARRAY['a'::character varying])::text[])`
// and a revision's `v IN ('a')` deparse differently once, the same after.
#include <optional>
#include <set>

#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/text.h"
#include "schema/diff.h"
#include "schema/index_sql.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// Round trips stop here at the latest: the server's deparse of its own
// deparse is stable after one more pass in every case seen.
constexpr int kMaxPasses = 3;

// One side's table, made again as a temporary table with the same columns,
// defaults, generated expressions and checks, and what the server read back.
struct Respelled {
  std::map<std::string, std::string> defaults, generated;  // by column key
  std::vector<std::string> checks;                         // in the table's order
};

std::string generated_expression(const Column& c) {
  // "GENERATED ALWAYS AS (expr) STORED" -> "expr"
  auto t = tokenize_sql(c.definition);
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].is('(')) {
      size_t close = matching_paren(t, i);
      if (close >= t.size() || close == i + 1) break;
      return c.definition.substr(t[i + 1].begin, t[close - 1].end - t[i + 1].begin);
    }
  return c.definition;
}

bool is_identity(const Column& c) {
  return c.default_sql && starts_with_ci(*c.default_sql, "GENERATED ");
}

// Runs `body` in a savepoint; a statement the server refuses (a type or a
// function only the models have) leaves the texts as they are.
template <typename F>
bool attempt(Driver& d, F body) {
  d.execute("SAVEPOINT retort_respell", SqlOrigin{});
  try {
    body();
    d.execute("RELEASE SAVEPOINT retort_respell", SqlOrigin{});
    return true;
  } catch (const Error&) {
    d.execute("ROLLBACK TO SAVEPOINT retort_respell; RELEASE SAVEPOINT retort_respell",
              SqlOrigin{});
    return false;
  }
}

class Respeller {
 public:
  explicit Respeller(Driver& d) : d_(d) {}

  // The table's expressions as the server spells them, to a fixed point.
  std::optional<Respelled> table(const Table& t) {
    std::vector<Column> columns = t.columns;
    std::vector<std::string> checks;
    for (const auto& k : t.constraints)
      if (k.kind == Constraint::Kind::kCheck) checks.push_back(k.expression);
    Respelled out;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      std::optional<Respelled> r = once(columns, checks);
      if (!r) return pass == 0 ? std::nullopt : std::optional<Respelled>(out);
      bool stable = r->checks == checks;
      for (auto& c : columns) {
        auto k = key_of(c.name);
        auto it = r->defaults.find(k);
        if (c.default_sql && !is_identity(c) && !c.generated && it != r->defaults.end()) {
          stable = stable && c.default_sql == it->second;
          c.default_sql = it->second;
        }
        auto g = r->generated.find(k);
        if (c.generated && g != r->generated.end()) {
          stable = stable && generated_expression(c) == g->second;
          c.definition = "GENERATED ALWAYS AS (" + g->second + ") STORED";
        }
      }
      checks = r->checks;
      out = std::move(*r);
      if (stable) break;
    }
    return out;
  }

  // An index's definition as the server spells it, on a copy of `table`.
  std::optional<Index> index(const Index& ix, const Table& table) {
    std::string sql = ix.sql;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      std::optional<std::string> again;
      const std::string tmp = next_name();
      attempt(d_, [&] {
        create_table(tmp, table.columns, {});
        d_.execute(on_table(sql, "pg_temp." + quote_ident(tmp)), SqlOrigin{});
        Rows r = d_.query(
            "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM "
            "pg_catalog.pg_index i WHERE i.indrelid = " +
            regclass(tmp));
        if (r.size() == 1) again = on_table(r[0][0], quote_ident(ix.table));
        d_.execute("DROP TABLE pg_temp." + quote_ident(tmp), SqlOrigin{});
      });
      if (!again) return std::nullopt;
      bool stable = *again == sql;
      sql = *again;
      if (stable) break;
    }
    Index out = ix;
    out.sql = sql;
    out.elements.clear();
    out.where.clear();
    out.options.clear();
    parse_create_index(out.sql, out);
    return out;
  }

  // A view's SELECT as the server spells it.
  std::optional<std::string> view(const std::string& definition) {
    std::string def = definition;
    for (int pass = 0; pass < kMaxPasses; ++pass) {
      std::optional<std::string> again;
      const std::string tmp = next_name();
      attempt(d_, [&] {
        d_.execute("CREATE TEMPORARY VIEW " + quote_ident(tmp) + " AS " + def, SqlOrigin{});
        Rows r = d_.query("SELECT pg_catalog.pg_get_viewdef(" + regclass(tmp) + ", true)");
        if (r.size() == 1) again = std::string(trim(r[0][0]));
        d_.execute("DROP VIEW pg_temp." + quote_ident(tmp), SqlOrigin{});
      });
      if (!again) return std::nullopt;
      while (!again->empty() && again->back() == ';')
        again->pop_back();
      bool stable = *again == def;
      def = *again;
      if (stable) break;
    }
    return def;
  }

 private:
  std::string next_name() { return "retort_respell_" + std::to_string(++n_); }

  static std::string regclass(const std::string& tmp) {
    return quote_sql_string("pg_temp." + quote_ident(tmp)) + "::regclass";
  }

  // `sql` (a CREATE INDEX) with its table replaced by `table` (SQL text).
  // The index keeps its name: the temporary one is in pg_temp, apart.
  static std::string on_table(const std::string& sql, const std::string& table) {
    auto t = tokenize_sql(sql);
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (!t[i].is_word("ON")) continue;
      size_t first = i + 1;
      if (t[first].is_word("ONLY") && first + 1 < t.size()) ++first;
      size_t last = first;
      while (last + 2 < t.size() && t[last + 1].is('.'))
        last += 2;
      return sql.substr(0, t[first].begin) + table + sql.substr(t[last].end);
    }
    return sql;
  }

  void create_table(const std::string& tmp, const std::vector<Column>& columns,
                    const std::vector<std::string>& checks) {
    std::vector<std::string> parts;
    for (const auto& c : columns) {
      std::string s = quote_ident(c.name) + " " + c.type;
      if (!c.collation.empty()) s += " COLLATE " + c.collation;
      if (c.generated)
        s += " " + c.definition;
      else if (is_identity(c))
        s += " " + *c.default_sql;
      else if (c.default_sql)
        s += " DEFAULT " + *c.default_sql;
      parts.push_back(s);
    }
    for (size_t i = 0; i < checks.size(); ++i)
      parts.push_back("CONSTRAINT " + quote_ident("retort_check_" + std::to_string(i)) +
                      " CHECK (" + checks[i] + ")");
    d_.execute("CREATE TEMPORARY TABLE " + quote_ident(tmp) + " (" + join(parts, ", ") + ")",
               SqlOrigin{});
  }

  std::optional<Respelled> once(const std::vector<Column>& columns,
                                const std::vector<std::string>& checks) {
    Respelled r;
    const std::string tmp = next_name();
    bool ok = attempt(d_, [&] {
      create_table(tmp, columns, checks);
      for (auto& row : d_.query("SELECT a.attname, a.attgenerated, "
                                "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) FROM "
                                "pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_attribute a ON "
                                "a.attrelid = ad.adrelid AND a.attnum = ad.adnum WHERE "
                                "ad.adrelid = " +
                                regclass(tmp)))
        (row[1].empty() ? r.defaults : r.generated)[key_of(row[0])] = row[2];
      r.checks.assign(checks.size(), std::string());
      for (auto& row : d_.query("SELECT k.conname, pg_catalog.pg_get_constraintdef(k.oid, true) "
                                "FROM pg_catalog.pg_constraint k WHERE k.contype = 'c' AND "
                                "k.conrelid = " +
                                regclass(tmp))) {
        size_t i = std::stoul(row[0].text().substr(std::string("retort_check_").size()));
        if (i < checks.size()) r.checks[i] = postgres_check_expression(row[1]);
      }
      d_.execute("DROP TABLE pg_temp." + quote_ident(tmp), SqlOrigin{});
    });
    if (!ok) return std::nullopt;
    return r;
  }

  Driver& d_;
  int n_ = 0;
};

bool same_text(const std::string& a, const std::string& b) {
  return normalize_sql(a) == normalize_sql(b);
}

// Whether the two tables spell a check, a default or a generated column
// differently, so that a round trip may tell whether they mean the same.
bool spelled_apart(const Table& a, const Table& b) {
  std::vector<std::string> ca, cb;
  for (const auto& k : a.constraints)
    if (k.kind == Constraint::Kind::kCheck) ca.push_back(normalize_sql(k.expression));
  for (const auto& k : b.constraints)
    if (k.kind == Constraint::Kind::kCheck) cb.push_back(normalize_sql(k.expression));
  if (std::set<std::string>(ca.begin(), ca.end()) != std::set<std::string>(cb.begin(), cb.end()))
    return true;
  for (const auto& c : b.columns) {
    const Column* o = a.column(c.name);
    if (!o) continue;
    if (c.default_sql && o->default_sql && !same_text(*c.default_sql, *o->default_sql)) return true;
    if (c.generated && o->generated && !same_text(c.definition, o->definition)) return true;
  }
  return false;
}

void align_table(Respeller& rs, const Table& current, Table& desired) {
  if (!spelled_apart(current, desired)) return;
  auto a = rs.table(current), b = rs.table(desired);
  if (!a || !b) return;
  std::vector<const Constraint*> current_checks;
  for (const auto& k : current.constraints)
    if (k.kind == Constraint::Kind::kCheck) current_checks.push_back(&k);
  size_t j = 0;
  for (auto& k : desired.constraints) {
    if (k.kind != Constraint::Kind::kCheck) continue;
    const std::string& mine = b->checks[j++];
    for (size_t i = 0; i < current_checks.size(); ++i)
      if (!mine.empty() && a->checks[i] == mine) {
        k.expression = current_checks[i]->expression;
        break;
      }
  }
  for (auto& c : desired.columns) {
    const Column* o = current.column(c.name);
    if (!o) continue;
    const std::string k = key_of(c.name);
    auto da = a->defaults.find(k), db = b->defaults.find(k);
    if (c.default_sql && o->default_sql && !is_identity(c) && da != a->defaults.end() &&
        db != b->defaults.end() && da->second == db->second)
      c.default_sql = o->default_sql;
    auto ga = a->generated.find(k), gb = b->generated.find(k);
    if (c.generated && o->generated && ga != a->generated.end() && gb != b->generated.end() &&
        ga->second == gb->second)
      c.definition = o->definition;
  }
}

}  // namespace

void align_postgres_spelling(Driver& d, const Schema& current, Schema& desired) {
  Transaction tx(d);  // rolled back: the temporary objects go with it
  Respeller rs(d);
  for (auto& [k, t] : desired.tables)
    if (const Table* o = current.table(k)) align_table(rs, *o, t);
  for (auto& [k, ix] : desired.indexes) {
    auto o = current.indexes.find(k);
    if (o == current.indexes.end() || same_index(o->second, ix)) continue;
    const Table *ta = current.table(o->second.table), *tb = desired.table(ix.table);
    if (!ta || !tb || ix.sql.empty() || o->second.sql.empty()) continue;
    auto a = rs.index(o->second, *ta), b = rs.index(ix, *tb);
    if (a && b && same_index(*a, *b)) ix = o->second;
  }
  for (auto& [k, v] : desired.views) {
    auto o = current.views.find(k);
    if (o == current.views.end() || same_text(o->second.definition, v.definition)) continue;
    auto a = rs.view(o->second.definition), b = rs.view(v.definition);
    if (a && b && *a == *b) v.definition = o->second.definition;
  }
}

}  // namespace retort

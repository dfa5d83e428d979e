// MariaDB's schema into the schema model, from information_schema through
// Driver::query only (no libmariadb here, so this is part of the core, not of
// the driver module): one function per catalog query, seven queries whatever
// the schema's size. The server deparses defaults, generation expressions,
// checks and views itself, so each side of a diff has the same spelling.
#include <map>
#include <set>

#include "backend/mariadb/mariadb.h"
#include "core/error.h"
#include "core/text.h"
#include "sql/tokens.h"

namespace retort {

namespace {

// The database to read, as an SQL string, and its name.
struct Target {
  std::string sql;   // 'name'
  std::string name;  // as the server spells it
};

Target target_of(Driver& d, const IntrospectOptions& o) {
  std::string name = o.schema;
  if (name.empty()) {
    Rows r = d.query("SELECT DATABASE()");
    if (r.empty() || r[0].empty() || r[0][0].is_null())
      throw Error("no MariaDB database is selected: the URL names none")
          .hint("name the database in the URL: mariadb://user@host/DATABASE");
    name = r[0][0].text();
  }
  return {quote_mariadb_string(name), name};
}

// The bookkeeping tables, by key, whether named bare or database.table.
std::set<std::string> excluded_keys(const IntrospectOptions& o) {
  std::set<std::string> excluded;
  for (const auto& n : o.exclude_tables) {
    excluded.insert(key_of(n));
    auto dot = n.rfind('.');
    if (dot != std::string::npos) excluded.insert(key_of(n.substr(dot + 1)));
  }
  return excluded;
}

// The schema model keys names without case; MariaDB's table names on Linux
// have it (`User` and `user` are two tables), which autogenerate cannot tell apart.
[[noreturn]] void refuse_case_twins(const std::string& what, const std::string& a,
                                    const std::string& b) {
  throw Error("MariaDB " + what + " " + quote_mariadb_name(a) + " and " + quote_mariadb_name(b) +
              " differ only in the case of their names, which autogenerate cannot tell apart")
      .hint(
          "rename one of them (in the models, or in the database with a hand-written "
          "revision: retort revision --empty -m MESSAGE)");
}

// The collation's character set: utf8mb4_unicode_ci -> utf8mb4.
std::string charset_of(const std::string& collation) {
  if (collation == "binary") return collation;
  return collation.substr(0, collation.find('_'));
}

void read_tables(Driver& d, const Target& db, const std::set<std::string>& excluded, Schema& s) {
  for (auto& r :
       d.query("SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT "
               "FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
               db.sql + " AND TABLE_TYPE IN ('BASE TABLE', 'VIEW') ORDER BY TABLE_NAME")) {
    if (excluded.count(key_of(r[0]))) continue;
    if (const Table* t = s.table(r[0])) refuse_case_twins("tables", t->name, r[0]);
    if (auto v = s.views.find(key_of(r[0])); v != s.views.end())
      refuse_case_twins("tables", v->second.name, r[0]);
    if (r[1] == "VIEW") {
      s.views[key_of(r[0])] = View{r[0], {}, {}};
      continue;
    }
    Table t;
    t.name = r[0];
    t.comment = r[4];
    if (!r[2].is_null()) t.options["ENGINE"] = r[2].text();
    if (!r[3].is_null()) {
      t.options["COLLATE"] = r[3].text();
      t.options["DEFAULT CHARSET"] = charset_of(r[3]);
    }
    s.tables[key_of(r[0])] = std::move(t);
  }
}

// EXTRA holds auto_increment, "on update current_timestamp()", and
// "VIRTUAL GENERATED" or "STORED GENERATED".
Column column_from_row(const Row& r, const std::string& table_collation) {
  Column c;
  c.name = r[1];
  c.type = r[2];
  c.not_null = r[3] == "NO";
  const std::string extra = to_lower(r[5].text());
  const std::string& def = r[4];
  // 10.2+: NULL for none, the word NULL for DEFAULT NULL (what a nullable
  // column has anyway), 'quoted' for a string, else the expression.
  if (!r[4].is_null() && def != "NULL") c.default_sql = def;
  if (extra.find("auto_increment") != std::string::npos) c.default_sql = "AUTO_INCREMENT";
  if (auto at = extra.find("on update "); at != std::string::npos) {
    std::string rest = r[5].text().substr(at + 10);
    c.on_update = std::string(trim(rest.substr(0, rest.find(' ', rest.find(')')))));
  }
  if (extra.find("generated") != std::string::npos && !r[7].is_null()) {
    c.generated = true;
    c.default_sql.reset();
    c.definition = "GENERATED ALWAYS AS (" + r[7].text() + ")" +
                   (extra.find("stored") != std::string::npos ? " STORED" : " VIRTUAL");
  }
  if (!r[6].is_null() && r[6].text() != table_collation) c.collation = r[6];
  c.comment = r[8];
  return c;
}

void read_columns(Driver& d, const Target& db, Schema& s) {
  for (auto& r : d.query("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
                         "COLUMN_DEFAULT, EXTRA, COLLATION_NAME, GENERATION_EXPRESSION, "
                         "COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
                         db.sql + " ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end() || it->second.name != r[0].text()) continue;
    Table& t = it->second;
    t.columns.push_back(column_from_row(r, t.options["COLLATE"]));
  }
}

// The primary key is a constraint; every other key, unique ones too, is an
// index (MariaDB has no unique constraint apart from its unique index).
void read_keys(Driver& d, const Target& db, Schema& s) {
  std::map<std::string, Index> found;  // by "table.name", in the map's order
  for (auto& r : d.query("SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, "
                         "INDEX_TYPE, COLLATION FROM information_schema.STATISTICS WHERE "
                         "TABLE_SCHEMA = " +
                         db.sql + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end() || it->second.name != r[0].text()) continue;
    Table& t = it->second;
    if (r[1] == "PRIMARY") {
      if (t.constraints.empty() || t.constraints.front().kind != Constraint::Kind::kPrimaryKey) {
        Constraint pk;
        pk.kind = Constraint::Kind::kPrimaryKey;
        pk.name = "PRIMARY";
        t.constraints.insert(t.constraints.begin(), pk);
      }
      t.constraints.front().columns.push_back(r[3]);
      continue;
    }
    Index& ix = found[key_of(t.name + "." + r[1].text())];
    ix.name = r[1];
    ix.table = t.name;
    ix.unique = r[2] == "0";
    std::string type = to_lower(r[5].text());
    ix.method = type == "btree" ? std::string() : type;
    std::string element = quote_mariadb_name(r[3].text());
    // A spatial key reports a SUB_PART of its own (32) that CREATE refuses.
    if (!r[4].is_null() && ix.method != "spatial") element += "(" + r[4].text() + ")";
    if (r[6] == "D") element += " DESC";
    ix.elements.push_back(element);
  }
  for (auto& [k, ix] : found)
    s.indexes[k] = std::move(ix);
}

// RESTRICT is what InnoDB does without an action, and NO ACTION means the same.
std::string action(const std::string& rule) {
  return rule == "RESTRICT" ? "NO ACTION" : rule;
}

void read_foreign_keys(Driver& d, const Target& db, Schema& s) {
  Constraint* current = nullptr;
  std::string current_key;
  for (auto& r :
       d.query("SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, "
               "k.REFERENCED_COLUMN_NAME, c.UPDATE_RULE, c.DELETE_RULE FROM "
               "information_schema.KEY_COLUMN_USAGE k JOIN "
               "information_schema.REFERENTIAL_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = "
               "k.CONSTRAINT_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.CONSTRAINT_NAME = "
               "k.CONSTRAINT_NAME WHERE k.TABLE_SCHEMA = " +
               db.sql +
               " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, "
               "k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end() || it->second.name != r[0].text()) continue;
    const std::string key = r[0].text() + "\x1f" + r[1].text();
    if (!current || key != current_key) {
      Constraint fk;
      fk.kind = Constraint::Kind::kForeignKey;
      fk.name = r[1];
      fk.ref_table = r[3];
      fk.on_update = action(r[5]);
      fk.on_delete = action(r[6]);
      it->second.constraints.push_back(std::move(fk));
      current = &it->second.constraints.back();
      current_key = key;
    }
    current->columns.push_back(r[2]);
    current->ref_columns.push_back(r[4]);
  }
}

// A JSON column is longtext with a CHECK (json_valid(`c`)) of its own name
// that MariaDB adds: it reads as json, without the check or its collation.
bool is_json_check(const Table& t, const Row& r) {
  if (r[2] != "Column") return false;
  const Column* c = t.column(r[1]);
  return c && c->name == r[1].text() && to_lower(c->type) == "longtext" &&
         normalize_sql(r[3].text()) == normalize_sql("json_valid(" + quote_ident(c->name) + ")");
}

void read_checks(Driver& d, const Target& db, Schema& s) {
  for (auto& r : d.query("SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM "
                         "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
                         db.sql + " ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
    auto it = s.tables.find(key_of(r[0]));
    if (it == s.tables.end() || it->second.name != r[0].text()) continue;
    Table& t = it->second;
    if (is_json_check(t, r)) {
      for (auto& c : t.columns)
        if (c.name == r[1].text()) {
          c.type = "json";
          c.collation.clear();
        }
      continue;
    }
    Constraint k;
    k.kind = Constraint::Kind::kCheck;
    k.name = r[1];
    k.expression = r[3];
    t.constraints.push_back(std::move(k));
  }
}

// `db`.`t`.`c` -> `t`.`c`: the database's own name, which differs between
// the scratch and the target, is taken off every name it qualifies.
std::string unqualified(const std::string& sql, const std::string& db) {
  const std::string quoted = quote_mariadb_name(db);
  std::string out;
  auto tokens = tokenize_sql(sql);
  size_t at = 0;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const SqlToken& t = tokens[i];
    if (t.kind == SqlToken::kQuotedName && t.text == quoted && tokens[i + 1].is('.')) {
      out += sql.substr(at, t.begin - at);
      at = tokens[i + 1].end;
    }
  }
  return out + sql.substr(at);
}

void read_views(Driver& d, const Target& db, Schema& s) {
  for (auto& r : d.query("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION FROM "
                         "information_schema.VIEWS WHERE TABLE_SCHEMA = " +
                         db.sql + " ORDER BY TABLE_NAME")) {
    auto it = s.views.find(key_of(r[0]));
    if (it == s.views.end()) continue;
    std::string def = unqualified(r[1], db.name);
    if (r[2] == "CASCADED")
      def += " WITH CASCADED CHECK OPTION";
    else if (r[2] == "LOCAL")
      def += " WITH LOCAL CHECK OPTION";
    it->second.definition = def;
  }
}

void read_triggers(Driver& d, const Target& db, Schema& s) {
  for (auto& r : d.query("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, "
                         "EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS "
                         "WHERE TRIGGER_SCHEMA = " +
                         db.sql + " ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER")) {
    if (!s.table(r[1])) continue;
    Trigger tr;
    tr.name = r[0];
    tr.table = r[1];
    tr.sql = "CREATE TRIGGER " + quote_mariadb_name(tr.name) + " " + r[2].text() + " " +
             r[3].text() + " ON " + quote_mariadb_name(tr.table) + " FOR EACH ROW " +
             unqualified(r[4], db.name);
    s.triggers[key_of(tr.name)] = std::move(tr);
  }
}

}  // namespace

Schema introspect_mariadb(Driver& d, const IntrospectOptions& o) {
  const Target db = target_of(d, o);
  Schema s;
  read_tables(d, db, excluded_keys(o), s);
  read_columns(d, db, s);
  read_keys(d, db, s);
  read_foreign_keys(d, db, s);
  read_checks(d, db, s);
  read_views(d, db, s);
  read_triggers(d, db, s);
  return s;
}

std::string quote_mariadb_name(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + '`';
}

std::string quote_mariadb_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + '\'';
}

}  // namespace retort

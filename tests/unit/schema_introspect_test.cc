// SQLite introspection: models loaded into a scratch database and read back
// through the pragmas and the parsed CREATE statements.
#include <catch2/catch.hpp>

#include "backend/sqlite/sqlite.h"
#include "core/error.h"
#include "expect_error.h"
#include "migrate/autogenerate.h"
#include "temp_dir.h"

using namespace retort;
using Catch::Matchers::Contains;
using retort::test::expect_error;
using retort::test::TempDir;
using retort::test::write_text;

namespace {

Schema load(const std::string& sql) {
  TempDir d;
  write_text(d / "m.sql", sql);
  return load_models_sqlite({d / "m.sql"}, {"retort_version"});
}

// Each constraint of `t` as describe() shows it, in table order.
std::vector<std::string> described(const Table& t) {
  std::vector<std::string> out;
  for (const auto& k : t.constraints)
    out.push_back(describe(k));
  return out;
}

}  // namespace

TEST_CASE("columns: types as declared, NOT NULL, defaults, primary key, generated") {
  auto s = load(
      "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name varchar(20) NOT NULL DEFAULT "
      "'x', at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, n, g TEXT GENERATED ALWAYS AS (upper(name)));");
  const Table* t = s.table("T");
  REQUIRE(t);
  REQUIRE(t->columns.size() == 5);
  CHECK(t->columns[1].type == "varchar(20)");
  CHECK(t->columns[1].not_null);
  CHECK(t->columns[1].default_sql == "'x'");
  CHECK(t->columns[1].definition == "name varchar(20) NOT NULL DEFAULT 'x'");
  CHECK(t->columns[2].default_sql == "CURRENT_TIMESTAMP");
  CHECK(t->columns[3].type.empty());
  CHECK_FALSE(t->columns[3].default_sql.has_value());
  CHECK(t->columns[4].generated);
  CHECK(t->autoincrement);
  REQUIRE(t->primary_key());
  CHECK(t->primary_key()->columns == std::vector<std::string>{"id"});
}

TEST_CASE("constraints: composite keys, uniques, foreign keys with actions, checks") {
  auto s = load(
      "CREATE TABLE p (a INT, b INT, PRIMARY KEY (a, b));\n"
      "CREATE TABLE c (id INTEGER PRIMARY KEY, pa INT, pb INT, u TEXT UNIQUE, "
      "  x INT CONSTRAINT x_pos CHECK (x > 0), "
      "  FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE ON UPDATE SET NULL, "
      "  UNIQUE (pa, u), CHECK (pa <> pb));\n"
      "CREATE TABLE d (id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c);");
  const Table* c = s.table("c");
  REQUIRE(c);
  CHECK(described(*c) ==
        std::vector<std::string>{
            "PRIMARY KEY (id)", "CHECK (x > 0)", "CHECK (pa <> pb)", "UNIQUE (u)", "UNIQUE (pa, u)",
            "FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE ON UPDATE SET NULL"});
  CHECK(c->constraints[1].name == "x_pos");
  // "REFERENCES c" means c's primary key.
  const Table* d = s.table("d");
  REQUIRE(d->constraints.back().ref_columns == std::vector<std::string>{"id"});
  CHECK(s.table("p")->primary_key()->columns == std::vector<std::string>{"a", "b"});
}

TEST_CASE("indexes (unique, partial, expression), views and triggers") {
  auto s = load(
      "CREATE TABLE t (a TEXT, b INT);\n"
      "CREATE UNIQUE INDEX ux ON t (lower(a), b DESC) WHERE b > 0;\n"
      "CREATE INDEX IF NOT EXISTS ix ON t (a COLLATE NOCASE);\n"
      "CREATE VIEW v (x) AS SELECT a FROM t;\n"
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\n"
      "CREATE TABLE retort_version (version_num TEXT);");
  REQUIRE(s.indexes.size() == 2);
  const Index& ux = s.indexes.at("ux");
  CHECK(ux.unique);
  CHECK(ux.elements == std::vector<std::string>{"lower(a)", "b DESC"});
  CHECK(ux.where == "b > 0");
  CHECK(s.indexes.at("ix").elements == std::vector<std::string>{"a COLLATE NOCASE"});
  CHECK_FALSE(s.indexes.at("ix").unique);
  CHECK(s.views.at("v").definition == "SELECT a FROM t");
  CHECK(s.triggers.at("tr").table == "t");
  CHECK_FALSE(s.table("retort_version"));  // excluded
}

TEST_CASE("parse_create_table finds checks inside quotes and nested parentheses") {
  auto p = parse_create_table(
      "CREATE TABLE \"t\" (\"a,b\" TEXT CHECK (\"a,b\" IN ('x,y', ')')), c INT, "
      "CHECK ((c + 1) * 2 > 0)) WITHOUT ROWID");
  REQUIRE(p.column_definitions.size() == 2);
  CHECK(p.column_definitions[0].first == "a,b");
  REQUIRE(p.checks.size() == 2);
  CHECK(p.checks[0].expression == "\"a,b\" IN ('x,y', ')')");
  CHECK(p.checks[1].expression == "(c + 1) * 2 > 0");
  CHECK(p.without_rowid);
}

TEST_CASE("foreign keys: deferral read from the text, in declaration order") {
  auto s = load(
      "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);\n"
      "CREATE TABLE c (a INT REFERENCES p DEFERRABLE INITIALLY DEFERRED, b TEXT, "
      "  c INT REFERENCES p (id) NOT DEFERRABLE INITIALLY DEFERRED, "
      // A DEFERRABLE after other column constraints still belongs to the key.
      "  d INT REFERENCES p NOT NULL DEFAULT 0 deferrable initially deferred, "
      "  e INT REFERENCES p DEFERRABLE INITIALLY IMMEDIATE, "
      "  FOREIGN KEY (b) REFERENCES p (code) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
      "  FOREIGN KEY (c) REFERENCES p (id) DEFERRABLE);");
  const Table* c = s.table("c");
  REQUIRE(c);
  CHECK(described(*c) ==
        std::vector<std::string>{"FOREIGN KEY (a) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED",
                                 "FOREIGN KEY (c) REFERENCES p (id)",
                                 "FOREIGN KEY (d) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED",
                                 "FOREIGN KEY (e) REFERENCES p (id)",
                                 "FOREIGN KEY (b) REFERENCES p (code) ON DELETE CASCADE DEFERRABLE "
                                 "INITIALLY DEFERRED",
                                 "FOREIGN KEY (c) REFERENCES p (id)"});
}

TEST_CASE("describe shows a key's options where SQL puts them") {
  Constraint fk;
  fk.kind = Constraint::Kind::kForeignKey;
  fk.columns = {"a", "b"};
  fk.ref_table = "p";
  fk.ref_columns = {"x", "y"};
  fk.on_delete = "CASCADE";
  fk.expression = "MATCH FULL DEFERRABLE INITIALLY DEFERRED";
  CHECK(describe(fk) ==
        "FOREIGN KEY (a, b) REFERENCES p (x, y) MATCH FULL ON DELETE CASCADE DEFERRABLE "
        "INITIALLY DEFERRED");
  Constraint u;
  u.columns = {"a"};
  u.expression = "DEFERRABLE";
  CHECK(describe(u) == "UNIQUE (a) DEFERRABLE");
}

TEST_CASE("STRICT, alone or with WITHOUT ROWID in either order") {
  auto s = load(
      "CREATE TABLE a (id INTEGER PRIMARY KEY) STRICT;\n"
      "CREATE TABLE b (k TEXT PRIMARY KEY) WITHOUT ROWID, strict;\n"
      "CREATE TABLE c (k TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;\n"
      "CREATE TABLE d (\"strict\" INT, k TEXT PRIMARY KEY) WITHOUT ROWID;\n"
      "CREATE TABLE e (id INT);");
  CHECK(s.table("a")->strict);
  CHECK_FALSE(s.table("a")->without_rowid);
  CHECK(s.table("b")->strict);
  CHECK(s.table("b")->without_rowid);
  CHECK(s.table("c")->strict);
  CHECK(s.table("c")->without_rowid);
  CHECK_FALSE(s.table("d")->strict);
  CHECK(s.table("d")->without_rowid);
  CHECK_FALSE(s.table("e")->strict);
}

TEST_CASE("ON CONFLICT clauses of keys and NOT NULL; ABORT is the default") {
  auto s = load(
      "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT REPLACE, "
      "  u TEXT UNIQUE ON CONFLICT IGNORE, "
      "  v TEXT NOT NULL ON CONFLICT fail CHECK (v <> ''), "
      "  w TEXT NOT NULL ON CONFLICT ABORT UNIQUE, "
      "  \"conflict\" INT REFERENCES t ON DELETE CASCADE, x INT, y INT, "
      "  UNIQUE (x, y) ON CONFLICT ROLLBACK, UNIQUE (\"conflict\"), "
      "  CHECK (x > 0) ON CONFLICT REPLACE);\n"
      "CREATE TABLE k (a TEXT, b TEXT NOT NULL, PRIMARY KEY (a DESC, b) ON CONFLICT IGNORE);");
  const Table* t = s.table("t");
  REQUIRE(t);
  CHECK(described(*t) ==
        std::vector<std::string>{"PRIMARY KEY (id) ON CONFLICT REPLACE", "CHECK (v <> '')",
                                 "CHECK (x > 0)", "UNIQUE (u) ON CONFLICT IGNORE", "UNIQUE (w)",
                                 "UNIQUE (x, y) ON CONFLICT ROLLBACK", "UNIQUE (conflict)",
                                 "FOREIGN KEY (conflict) REFERENCES t (id) ON "
                                 "DELETE CASCADE"});
  CHECK(t->column("v")->on_conflict == "FAIL");
  CHECK(t->column("w")->on_conflict.empty());
  CHECK(t->column("u")->on_conflict.empty());
  CHECK(describe(*s.table("k")->primary_key()) == "PRIMARY KEY (a, b) ON CONFLICT IGNORE");
  CHECK(s.table("k")->column("b")->on_conflict.empty());
}

TEST_CASE("a model that fails names its file and line") {
  TempDir d;
  write_text(d / "a.sql", "CREATE TABLE a (id INT);\n");
  write_text(d / "b.sql", "-- b\n\nCREATE TABLE b (id INT REFERENCES);\n");
  auto e = expect_error([&] { load_models_sqlite({d / "a.sql", d / "b.sql"}, {}); });
  CHECK(e.file() == d / "b.sql");
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Contains("syntax error"));
}

TEST_CASE("model globs resolve against the config's directory, sorted, each file once") {
  TempDir d;
  write_text(d / "models/b.sql", "");
  write_text(d / "models/a.sql", "");
  write_text(d / "extra/c.sql", "");
  write_text(d / "models/notes.txt", "");
  auto files = resolve_model_files({"models/*.sql", "models/a.sql", "extra"}, d.path(), "test");
  CHECK(files ==
        std::vector<std::string>{d / "models/a.sql", d / "models/b.sql", d / "extra/c.sql"});
  auto e =
      expect_error([&] { resolve_model_files({"nope/*.sql"}, d.path(), "retort.ini:3 (models)"); });
  CHECK_THAT(e.what(),
             Contains("models glob 'nope/*.sql' (from retort.ini:3 (models)) matches no file"));
  auto none = expect_error([&] { resolve_model_files({}, d.path(), "x"); });
  CHECK_THAT(none.what(), Contains("no models are configured"));
}

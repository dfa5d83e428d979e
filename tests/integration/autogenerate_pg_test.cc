// retort revision --autogenerate and retort check against PostgreSQL: the
// PostgreSQL schema-pair corpus round trip (apply A, autogenerate to B,
// upgrade, compare, downgrade, compare, autogenerate again), and the
// messages that differ from SQLite's: model errors at the file's line, types
// by meaning, data-loss warnings, and the database left untouched by the
// scratch schema.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/database_url.h"
#include "core/text.h"
#include "drivers/driver.h"
#include "project.h"
#include "schema/autogenerate.h"
#include "schema/postgres_schema.h"
#include "schema/sql_tokens.h"

using namespace retort::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

// What "the schema equals B" means: names (constraints keep theirs on
// PostgreSQL), canonical types, nullability, defaults, constraints, indexes
// and views, as the server deparses them.
std::string dump(const retort::Schema& s) {
  std::ostringstream out;
  for (const auto& [k, t] : s.tables) {
    out << "table " << k << "\n";
    // By name: a column added back by a downgrade comes last on PostgreSQL.
    auto columns = t.columns;
    std::sort(columns.begin(), columns.end(),
              [](const auto& x, const auto& y) { return x.name < y.name; });
    for (const auto& c : columns)
      out << "  column " << c.name << " " << c.type << (c.not_null ? " not null" : "")
          << (c.default_sql ? " default " + retort::normalize_sql(*c.default_sql) : "")
          << (c.generated ? " " + c.definition : "") << "\n";
    std::vector<std::string> cons;
    for (auto c : t.constraints) {
      if (c.kind == retort::Constraint::Kind::kCheck)
        c.expression = retort::normalize_sql(c.expression);
      std::string options = c.kind == retort::Constraint::Kind::kCheck ? "" : c.expression;
      cons.push_back(c.name + ": " + retort::describe(c) + (options.empty() ? "" : " " + options));
    }
    std::sort(cons.begin(), cons.end());
    for (const auto& c : cons)
      out << "  " << c << "\n";
  }
  for (const auto& [k, ix] : s.indexes)
    out << "index " << k << " " << ix.sql << "\n";
  for (const auto& [k, v] : s.views)
    out << "view " << k << " " << retort::normalize_sql(v.definition) << "\n";
  return out.str();
}

std::unique_ptr<retort::Driver> connect(const Project& p) {
  return retort::open_driver(retort::parse_database_url(p.url(), "test"), {});
}

retort::Schema db_schema(const Project& p) {
  auto d = connect(p);
  return retort::introspect_postgres(*d, {{"retort_version", "retort_log"}, {}});
}

retort::Schema model_schema(const Project& p, const std::string& sql) {
  TempDir tmp;
  write_text(tmp / "m.sql", sql);
  auto d = connect(p);
  return retort::load_models_postgres(*d, {tmp / "m.sql"}, {});
}

struct Pair {
  std::string name, a, b, rows;
};

Pair read_pair(const std::string& path) {
  Pair p;
  p.name = fs::path(path).stem().string();
  std::string* cur = nullptr;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    if (line == "-- @a")
      cur = &p.a;
    else if (line == "-- @b")
      cur = &p.b;
    else if (line == "-- @rows")
      cur = &p.rows;
    else if (cur)
      *cur += line + "\n";
  }
  return p;
}

std::vector<std::string> pair_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(std::string(RETORT_SOURCE_DIR) +
                                              "/tests/fixtures/schema_pairs_postgresql"))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> row_counts(const Project& p, const retort::Schema& s) {
  std::map<std::string, std::string> out;
  for (const auto& [k, t] : s.tables)
    out[k] = p.value("SELECT count(*) FROM " + retort::quote_ident(t.name));
  return out;
}

std::vector<std::string> revision_files(const Project& p) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(p.versions()))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct PgModelProject : Project {
  PgModelProject() : Project("postgresql") {
    write_text(root() + "/retort.ini",
               read_text(root() + "/retort.ini") + "models = models/*.sql\n");
  }
  void models(const std::string& sql) const { write_text(root() + "/models/schema.sql", sql); }
};

std::string upgrade_of(const std::string& revision_text) {
  return revision_text.substr(0, revision_text.find("-- migrate:downgrade"));
}

}  // namespace

TEST_CASE("the PostgreSQL corpus has at least 40 schema pairs") {
  CHECK(pair_files().size() >= 40);
}

TEST_CASE("PostgreSQL schema pairs round-trip: upgrade to B, downgrade to A, then nothing to do") {
  auto file = GENERATE(from_range(pair_files()));
  Pair pair = read_pair(file);
  INFO("pair " << pair.name);
  PgModelProject p;
  auto schema_a = model_schema(p, pair.a), schema_b = model_schema(p, pair.b);

  p.models(pair.a);
  if (!pair.a.empty()) {
    auto first = p.run({"revision", "-m", "a"});
    INFO(first.all());
    REQUIRE(first.exit_code == 0);
  }
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  if (!pair.rows.empty()) p.exec(pair.rows);
  auto rows_a = row_counts(p, schema_a);
  REQUIRE(dump(db_schema(p)) == dump(schema_a));

  p.models(pair.b);
  auto gen = p.run({"revision", "-m", "b"});
  INFO(gen.all());
  REQUIRE(gen.exit_code == 0);
  REQUIRE_THAT(gen.out, Contains("Generating "));
  INFO(read_text(revision_files(p).back()));
  CHECK(p.run({"check"}).exit_code == 1);

  auto up = p.run({"upgrade"});
  INFO(up.all());
  REQUIRE(up.exit_code == 0);
  CHECK(dump(db_schema(p)) == dump(schema_b));
  auto rows_b = row_counts(p, schema_b);
  for (const auto& [t, n] : rows_a)
    if (rows_b.count(t)) CHECK(rows_b[t] == n);

  auto again = p.run({"revision", "-m", "again"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("No changes detected"));
  CHECK(p.run({"check"}).exit_code == 0);

  auto down = p.run({"downgrade", "-1"});
  INFO(down.all());
  REQUIRE(down.exit_code == 0);
  CHECK(dump(db_schema(p)) == dump(schema_a));
  auto rows_back = row_counts(p, schema_a);
  for (const auto& [t, n] : rows_a)
    if (rows_b.count(t)) CHECK(rows_back[t] == n);
}

TEST_CASE("PostgreSQL: types compare by meaning, not spelling") {
  PgModelProject p;
  p.models(
      "CREATE TABLE t (id serial PRIMARY KEY, n INT4, s varchar(20), r float8, b bool DEFAULT "
      "true, at timestamptz, CHECK (n > 0));\n"
      "CREATE INDEX ix_t ON t (n);\n");
  REQUIRE(p.run({"revision", "-m", "t"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models(
      "create table T (\"id\" SERIAL4 primary key, N integer, s character varying(20), r double "
      "precision, b boolean default TRUE, at timestamp with time zone, check ((n>0)));\n"
      "create index IX_T on t (\"n\");\n");
  auto r = p.run({"revision", "-m", "respelled"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("No changes detected"));
  CHECK(p.run({"check"}).exit_code == 0);
}

TEST_CASE("PostgreSQL: the revision marks data loss and possible renames for the reviewer") {
  PgModelProject p;
  p.models(
      "CREATE TABLE users (id integer PRIMARY KEY, name text, bio text);\n"
      "CREATE TABLE old_logs (id integer PRIMARY KEY);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models(
      "CREATE TABLE users (id integer PRIMARY KEY, full_name text, bio varchar(200));\n"
      "CREATE TABLE logs (id integer PRIMARY KEY);\n");
  auto r = p.run({"revision", "-m", "b"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Detected drop column users.name"));
  std::string up = upgrade_of(read_text(revision_files(p).back()));
  CHECK_THAT(up, Contains("-- WARNING: data loss: drops table old_logs and all its rows\n"
                          "DROP TABLE \"old_logs\";"));
  CHECK_THAT(up, Contains("-- WARNING: data loss: drops column users.name and its values\n"
                          "ALTER TABLE \"users\" DROP COLUMN \"name\";"));
  CHECK_THAT(up, Contains("-- WARNING: data loss: users.bio changes from text to character "
                          "varying(200)"));
  CHECK_THAT(up, Contains("ALTER TABLE \"users\" ALTER COLUMN \"bio\" TYPE character "
                          "varying(200) USING \"bio\"::character varying(200);"));
  CHECK_THAT(up, Contains("ALTER TABLE \"users\" RENAME COLUMN \"name\" TO \"full_name\";"));
  CHECK_THAT(up, Contains("ALTER TABLE \"old_logs\" RENAME TO \"logs\";"));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
}

TEST_CASE("PostgreSQL: a column becoming NOT NULL takes its default where it was NULL") {
  PgModelProject p;
  p.models("CREATE TABLE users (id integer PRIMARY KEY, nick text);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.exec("INSERT INTO users VALUES (1, NULL), (2, 'g');");
  p.models("CREATE TABLE users (id integer PRIMARY KEY, nick text NOT NULL DEFAULT 'anon');\n");
  REQUIRE(p.run({"revision", "-m", "b"}).exit_code == 0);
  auto up = p.run({"upgrade"});
  INFO(up.all());
  REQUIRE(up.exit_code == 0);
  CHECK(p.column("SELECT id || ':' || nick FROM users ORDER BY id") ==
        std::vector<std::string>{"1:anon", "2:g"});
}

TEST_CASE("PostgreSQL: the models' scratch schema leaves the database as it was") {
  PgModelProject p;
  p.models(
      "CREATE TABLE users (id integer PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM users;\n");
  auto c = p.run({"check"});
  CHECK(c.exit_code == 1);
  CHECK_THAT(c.out, Contains("  add table users\n"));
  CHECK_THAT(c.out, Contains("  add view v\n"));
  CHECK(p.value("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'retort_models%'") == "0");
  CHECK(p.value("SELECT count(*) FROM pg_class WHERE relname IN ('users', 'v')") == "0");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto ok = p.run({"check"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "No changes detected: the models match the database\n");
  p.models(
      "CREATE TABLE users (id integer PRIMARY KEY, email text);\n"
      "CREATE VIEW v AS SELECT id FROM users;\n");
  auto diff = p.run({"check"});
  CHECK(diff.exit_code == 1);
  CHECK(diff.out ==
        "The models differ from the database at head (1 difference):\n"
        "  add column users.email text\n"
        "Write the revision with: retort revision --autogenerate -m MESSAGE (make db-new "
        "MSG=...)\n");
}

TEST_CASE("PostgreSQL: a model error names the file and the line of the error") {
  PgModelProject p;
  p.models(
      "CREATE TABLE ok (id integer PRIMARY KEY);\n\nCREATE TABLE bad (\n  id integer PRIMARY "
      "KEY,\n  n nosuchtype\n);\n");
  auto bad = p.run({"revision", "-m", "x"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("models/schema.sql:5: type \"nosuchtype\" does not exist"));
  CHECK(revision_files(p).empty());
  CHECK(p.value("SELECT count(*) FROM pg_class WHERE relname = 'ok'") == "0");
}

TEST_CASE("PostgreSQL: types the models create need a hand-written revision first") {
  PgModelProject p;
  p.models(
      "CREATE TYPE mood AS ENUM ('ok', 'meh');\n"
      "CREATE TABLE people (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');\n");
  auto r = p.run({"revision", "-m", "people"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("the models create type mood, which autogenerate does not write "
                             "revisions for, and the database has none of that name"));
  CHECK_THAT(r.err, Contains("retort revision --empty -m MESSAGE"));
  CHECK(revision_files(p).empty());
  // With the type created by hand, the tables that use it are autogenerated.
  p.add({"t1", "", "CREATE TYPE mood AS ENUM ('ok', 'meh');", "DROP TYPE mood;"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto gen = p.run({"revision", "-m", "people"});
  INFO(gen.all());
  REQUIRE(gen.exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                "'people'::regclass AND attname = 'm'") == "mood");
  CHECK_THAT(p.run({"check"}).out, Contains("No changes detected"));
}

TEST_CASE("PostgreSQL: objects autogenerate does not diff are named, not silently left out") {
  PgModelProject p;
  p.models(
      "CREATE TABLE t (id integer PRIMARY KEY, n integer);\n"
      "CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
      "CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();\n");
  auto r = p.run({"check"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("the models create function touch, materialized view mv, trigger "
                             "t_touch, which autogenerate does not write revisions for"));
}

// PostgreSQL introspection from pg_catalog into the schema model, against a
// real server: types, serial and identity columns, defaults, keys, foreign
// key actions, checks, partial and expression indexes, views, and the
// scratch schema that loads the models and leaves nothing behind.
#include <catch2/catch.hpp>

#include "backend/backend.h"
#include "backend/postgres/postgres.h"
#include "backend/url.h"
#include "core/database_url.h"
#include "core/error.h"
#include "expect_error.h"
#include "pg_server.h"
#include "temp_dir.h"

using namespace retort;
using retort::test::expect_error;
using retort::test::PgServer;
using retort::test::TempDir;
using retort::test::write_text;

namespace {

struct Db {
  std::string name = PgServer::get().create_database();
  std::unique_ptr<Driver> driver =
      open_driver(parse_database_url(PgServer::get().url(name), "test"), {});
  Schema read() { return introspect_postgres(*driver, {{"skip_me"}, {}}); }
};

}  // namespace

TEST_CASE("PostgreSQL introspection: columns, serial, identity and generated") {
  Db db;
  PgServer::get().psql(db.name,
                       "CREATE TABLE t (id serial PRIMARY KEY, big bigint GENERATED ALWAYS AS "
                       "IDENTITY, n INT4 NOT NULL DEFAULT 0, s varchar(20), at timestamptz DEFAULT "
                       "now(), twice integer GENERATED ALWAYS AS (n * 2) STORED);"
                       "CREATE TABLE skip_me (id integer);");
  Schema s = db.read();
  REQUIRE(s.tables.size() == 1);
  const Table& t = s.tables.at("t");
  REQUIRE(t.columns.size() == 6);
  CHECK(t.columns[0].type == "serial");
  CHECK_FALSE(t.columns[0].default_sql);
  CHECK(t.columns[0].not_null);
  CHECK(t.columns[1].type == "bigint");
  CHECK(t.columns[1].default_sql == "GENERATED ALWAYS AS IDENTITY");
  CHECK(t.columns[2].type == "integer");
  CHECK(t.columns[2].default_sql == "0");
  CHECK(t.columns[3].type == "character varying(20)");
  CHECK_FALSE(t.columns[3].not_null);
  CHECK(t.columns[4].type == "timestamp with time zone");
  CHECK(t.columns[4].default_sql == "now()");
  CHECK(t.columns[5].generated);
  CHECK(t.columns[5].definition == "GENERATED ALWAYS AS ((n * 2)) STORED");
  REQUIRE(t.primary_key());
  CHECK(t.primary_key()->name == "t_pkey");
}

TEST_CASE("PostgreSQL introspection: names that differ only in case are refused, not merged") {
  Db tables;
  PgServer::get().psql(tables.name,
                       "CREATE TABLE \"User\" (id int PRIMARY KEY); CREATE TABLE \"user\" (id "
                       "int PRIMARY KEY);");
  auto e = expect_error([&] { tables.read(); });
  // In the server's name order, whatever its collation.
  CHECK_THAT(e.what(), Catch::Contains("PostgreSQL relations \"") && Catch::Contains("\"User\"") &&
                           Catch::Contains("\"user\"") &&
                           Catch::Contains("differ only in the case of their names"));
  Db columns;
  PgServer::get().psql(columns.name, "CREATE TABLE t (id int, \"A\" int, a int);");
  auto c = expect_error([&] { columns.read(); });
  CHECK_THAT(c.what(), Catch::Contains("PostgreSQL columns \"A\" and \"a\" of table t differ only "
                                       "in the case of their names"));
  CHECK_THAT(c.hints().at(0), Catch::Contains("rename one of them"));
  // One mixed-case name alone is fine.
  Db one;
  PgServer::get().psql(one.name, "CREATE TABLE \"User\" (\"Email Addr\" text, id int);");
  Schema s = one.read();
  REQUIRE(s.table("User"));
  CHECK(s.table("User")->columns.size() == 2);
}

TEST_CASE("PostgreSQL introspection: constraints, indexes and views") {
  Db db;
  PgServer::get().psql(
      db.name,
      "CREATE TABLE p (a integer, b integer, PRIMARY KEY (a, b), code text UNIQUE);"
      "CREATE TABLE c (id integer PRIMARY KEY, pa integer, pb integer, qty integer CHECK (qty > "
      "0), FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE SET NULL ON UPDATE CASCADE);"
      "CREATE INDEX ix_c_qty ON c (qty) WHERE qty > 10;"
      "CREATE UNIQUE INDEX ux_p_code ON p (lower(code));"
      "CREATE VIEW v AS SELECT id FROM c WHERE qty > 1;");
  Schema s = db.read();
  const Table& c = s.tables.at("c");
  const Constraint* fk = nullptr;
  const Constraint* check = nullptr;
  for (const auto& k : c.constraints) {
    if (k.kind == Constraint::Kind::kForeignKey) fk = &k;
    if (k.kind == Constraint::Kind::kCheck) check = &k;
  }
  REQUIRE(fk);
  CHECK(fk->columns == std::vector<std::string>{"pa", "pb"});
  CHECK(fk->ref_table == "p");
  CHECK(fk->ref_columns == std::vector<std::string>{"a", "b"});
  CHECK(fk->on_delete == "SET NULL");
  CHECK(fk->on_update == "CASCADE");
  REQUIRE(check);
  CHECK(check->name == "c_qty_check");
  CHECK(check->expression == "qty > 0");
  const Table& p = s.tables.at("p");
  REQUIRE(p.primary_key());
  CHECK(p.primary_key()->columns == std::vector<std::string>{"a", "b"});
  // The unique constraint's index is the constraint's, not an index of its own.
  CHECK(s.indexes.size() == 2);
  const Index& partial = s.indexes.at("ix_c_qty");
  CHECK(partial.elements == std::vector<std::string>{"qty"});
  CHECK(partial.where == "(qty > 10)");
  CHECK(partial.sql == "CREATE INDEX ix_c_qty ON \"c\" USING btree (qty) WHERE (qty > 10)");
  const Index& expr = s.indexes.at("ux_p_code");
  CHECK(expr.unique);
  CHECK(expr.elements == std::vector<std::string>{"lower(code)"});
  REQUIRE(s.views.count("v"));
  CHECK(s.views.at("v").definition == "SELECT c.id\n   FROM c\n  WHERE c.qty > 1");
}

TEST_CASE("PostgreSQL models load into a scratch schema that is rolled back") {
  Db db;
  TempDir tmp;
  write_text(tmp / "a.sql", "CREATE TABLE users (id integer PRIMARY KEY);\n");
  write_text(
      tmp / "b.sql",
      "CREATE INDEX ix_users ON users (id);\n\nCREATE VIEW v AS\n  SELECT nope FROM users;\n");
  Schema ok = load_models_postgres(*db.driver, {tmp / "a.sql"}, {});
  CHECK(ok.tables.count("users"));
  try {
    load_models_postgres(*db.driver, {tmp / "a.sql", tmp / "b.sql"}, {});
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "column \"nope\" does not exist (SQLSTATE 42703)");
    CHECK(e.file().find("b.sql") != std::string::npos);
    CHECK(e.line() == 4);
  }
  CHECK(db.read().tables.empty());
  CHECK(PgServer::get().psql(db.name,
                             "SELECT count(*) FROM pg_namespace WHERE nspname LIKE "
                             "'retort_models%'") == "0\n");
}

// Models that name a schema reach past the scratch schema into the real one,
// where autogenerate never looks: refused, naming each object, never ignored.
namespace {

const char* const kUnqualifiedHint =
    "name the models' objects unqualified (CREATE TABLE t) or in the schema compared "
    "(public.t, as pg_dump writes them), and have the models create every table they alter "
    "or reference";

std::string outside_message(const std::string& objects) {
  return "the models create or change " + objects +
         ", which autogenerate does not see: it compares only the database's current schema, "
         "public, with what the models create under unqualified names";
}

Error load_error(Db& db, const std::string& models) {
  TempDir tmp;
  write_text(tmp / "models.sql", models);
  return expect_error([&] { load_models_postgres(*db.driver, {tmp / "models.sql"}, {}); });
}

}  // namespace

TEST_CASE("PostgreSQL models: a public.-qualified table is the models' own") {
  Db db;
  TempDir tmp;
  write_text(tmp / "models.sql",
             "SET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n"
             "\\restrict abc123\nCREATE TABLE public.t (id integer PRIMARY KEY, body text);\n"
             "ALTER TABLE public.t OWNER TO nobody_here;\nGRANT SELECT ON public.t TO PUBLIC;\n"
             "CREATE INDEX t_body ON public.t USING btree (body);\n"
             "CREATE VIEW public.v AS SELECT t.id FROM public.t;\n\\unrestrict abc123\n");
  Schema s = load_models_postgres(*db.driver, {tmp / "models.sql"}, {});
  REQUIRE(s.tables.count("t"));
  CHECK(s.indexes.count("t_body"));
  REQUIRE(s.views.count("v"));
  CHECK(s.views.at("v").definition.find("public") == std::string::npos);
  // Rolled back: the models never reach the database.
  CHECK(db.read().tables.empty());
  // A table of the database the models alter without creating it is not theirs.
  PgServer::get().psql(db.name, "CREATE TABLE existing (id integer, name text);");
  expect_error([&] {
    TempDir other;
    write_text(other / "models.sql",
               "ALTER TABLE public.existing ALTER COLUMN name SET NOT NULL;\n");
    load_models_postgres(*db.driver, {other / "models.sql"}, {});
  });
  // A DO block runs as the models load: its public.later is theirs too.
  TempDir body;
  write_text(body / "models.sql",
             "DO $$ BEGIN CREATE TABLE public.later (id integer); EXCEPTION WHEN others THEN "
             "NULL; END $$;\n");
  CHECK(load_models_postgres(*db.driver, {body / "models.sql"}, {}).tables.count("later"));
  CHECK(db.read().tables.count("existing"));
  CHECK_FALSE(db.read().tables.count("later"));
}

TEST_CASE("PostgreSQL models: CREATE SCHEMA and tables in it are refused") {
  Db db;
  Error e = load_error(db,
                       "CREATE SCHEMA app;\nCREATE TABLE app.t (id serial PRIMARY KEY);\n"
                       "CREATE TABLE users (id integer PRIMARY KEY);\n");
  CHECK(std::string(e.what()) == outside_message("schema app, table app.t"));
  CHECK(e.hints() ==
        std::vector<std::string>{kUnqualifiedHint,
                                 "other schemas (app) need their own hand-written revision "
                                 "(retort revision --empty -m MESSAGE, then retort upgrade); "
                                 "leave them out of the models"});
  CHECK(PgServer::get().psql(db.name, "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'") ==
        "0\n");
}

TEST_CASE("PostgreSQL models: a public.-qualified enum type and its uses are the models'") {
  Db db;
  TempDir tmp;
  write_text(tmp / "models.sql",
             "CREATE TYPE public.mood AS ENUM ('happy', 'sad');\n"
             "CREATE TABLE people (id integer PRIMARY KEY, m public.mood);\n");
  Schema s = load_models_postgres(*db.driver, {tmp / "models.sql"}, {});
  REQUIRE(s.enums.count("mood"));
  CHECK(s.tables.at("people").columns[1].type == "mood");
}

TEST_CASE("PostgreSQL models: unqualified models that use the database's types load") {
  Db db;
  // The database's own enum, table and sequences already exist in public.
  PgServer::get().psql(db.name,
                       "CREATE TYPE mood AS ENUM ('happy', 'sad');"
                       "CREATE TABLE users (id serial PRIMARY KEY, m mood);");
  TempDir tmp;
  write_text(tmp / "models.sql",
             "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, m mood);\n"
             "ALTER TABLE users ALTER COLUMN m SET DEFAULT 'happy';\n"
             "CREATE INDEX ix_users_name ON users (name);\n"
             "CREATE TABLE posts (id bigserial PRIMARY KEY, user_id integer REFERENCES users,\n"
             "  body text, tags text[] DEFAULT '{}');\n"
             "CREATE UNIQUE INDEX ux_posts_body ON posts (lower(body));\n"
             "CREATE VIEW recent AS SELECT id, body FROM posts;\n"
             "CREATE TYPE color AS ENUM ('red');\n");
  Schema s = load_models_postgres(*db.driver, {tmp / "models.sql"}, {});
  REQUIRE(s.tables.count("users"));
  CHECK(s.tables.at("users").columns.size() == 3);
  CHECK(s.tables.at("users").columns[0].type == "serial");
  CHECK(s.tables.at("posts").columns[0].type == "bigserial");
  CHECK(s.indexes.count("ix_users_name"));
  CHECK(s.indexes.count("ux_posts_body"));
  CHECK(s.views.count("recent"));
  CHECK(s.tables.at("users").columns[2].type == "mood");
  CHECK(s.enums.count("color"));
  // The database is as it was.
  CHECK(db.read().tables.at("users").columns.size() == 2);
}

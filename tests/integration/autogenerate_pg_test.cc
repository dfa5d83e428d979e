// retort revision --autogenerate and retort check against PostgreSQL: the
// cases of its own (the corpus round trip and the checks shared with SQLite
// are in autogenerate_test.cc): a column made NOT NULL takes its default, the
// database is left untouched by the scratch schema, model errors at the
// file's line, enum types, and the objects autogenerate does not diff.
#include <catch2/catch.hpp>

#include "autogenerate_support.h"
#include "pg_server.h"
#include "temp_dir.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("PostgreSQL: a column becoming NOT NULL takes its default where it was NULL") {
  ModelProject p("postgresql");
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

TEST_CASE("PostgreSQL: a shorter varchar fails on a value too long instead of cutting it") {
  ModelProject p("postgresql");
  p.models("CREATE TABLE users (id integer PRIMARY KEY, nick varchar(20), code text);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.exec("INSERT INTO users VALUES (1, 'abcdefghij', 'abcdefghij');");
  p.models("CREATE TABLE users (id integer PRIMARY KEY, nick varchar(5), code char(5));\n");
  REQUIRE(p.run({"revision", "-m", "b"}).exit_code == 0);
  auto up = p.run({"upgrade"});
  INFO(up.all());
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains("value too long for type character varying(5)"));
  CHECK_THAT(up.err, Contains("Rows already in the database break it: fix them (or the file)"));
  CHECK(p.run({"current"}).out.find("(head)") == std::string::npos);
  CHECK(p.column("SELECT nick || ':' || code FROM users") ==
        std::vector<std::string>{"abcdefghij:abcdefghij"});
  // Values that fit are converted (char pads, and || trims the padding).
  p.exec("UPDATE users SET nick = 'ada', code = 'x';");
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.column("SELECT nick || ':' || code || ':' || octet_length(code) FROM users") ==
        std::vector<std::string>{"ada:x:5"});
}

TEST_CASE("PostgreSQL: the models' scratch schema leaves the database as it was") {
  ModelProject p("postgresql");
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
  ModelProject p("postgresql");
  p.models(
      "CREATE TABLE ok (id integer PRIMARY KEY);\n\nCREATE TABLE bad (\n  id integer PRIMARY "
      "KEY,\n  n nosuchtype\n);\n");
  auto bad = p.run({"revision", "-m", "x"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("models/schema.sql:5: type \"nosuchtype\" does not exist"));
  CHECK(revision_files(p).empty());
  CHECK(p.value("SELECT count(*) FROM pg_class WHERE relname = 'ok'") == "0");
}

TEST_CASE("PostgreSQL: types other than enums need a hand-written revision first") {
  ModelProject p("postgresql");
  p.models(
      "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);\n"
      "CREATE TABLE items (id integer PRIMARY KEY, n positive NOT NULL DEFAULT 1);\n");
  auto r = p.run({"revision", "-m", "items"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("the models create type positive, which autogenerate does not write "
                             "revisions for, and the database has none of that name"));
  CHECK_THAT(r.err, Contains("retort revision --empty -m MESSAGE"));
  CHECK(revision_files(p).empty());
  // With the type created by hand, the tables that use it are autogenerated.
  p.add(
      {"t1", "", "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);", "DROP DOMAIN positive;"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto gen = p.run({"revision", "-m", "items"});
  INFO(gen.all());
  REQUIRE(gen.exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.value("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                "'items'::regclass AND attname = 'n'") == "positive");
  CHECK_THAT(p.run({"check"}).out, Contains("No changes detected"));
}

namespace {

// The text of the revision written with `-m message`: several can share a
// second, so the file names do not sort by age.
std::string revision_text(const Project& p, const std::string& message) {
  for (const auto& f : revision_files(p))
    if (f.size() > message.size() + 5 &&
        f.compare(f.size() - message.size() - 5, std::string::npos, "_" + message + ".sql") == 0)
      return read_text(f);
  return {};
}

std::string downgrade_of(const std::string& revision_text) {
  auto at = revision_text.find("-- migrate:downgrade");
  return at == std::string::npos ? std::string() : revision_text.substr(at);
}

}  // namespace

TEST_CASE("PostgreSQL: enum types are created, given labels in place, and recreated to lose one") {
  ModelProject p("postgresql");
  p.models(
      "CREATE TYPE mood AS ENUM ('ok', 'meh');\n"
      "CREATE TABLE people (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');\n");
  auto c = p.run({"check"});
  CHECK(c.exit_code == 1);
  CHECK_THAT(c.out, Contains("  add enum mood ('ok', 'meh')\n"));
  REQUIRE(p.run({"revision", "-m", "people"}).exit_code == 0);
  std::string first = revision_text(p, "people");
  // The type before the table that uses it; dropped after it.
  CHECK(first.find("CREATE TYPE \"mood\" AS ENUM ('ok', 'meh');") <
        first.find("CREATE TABLE \"people\""));
  CHECK(downgrade_of(first).find("DROP TABLE \"people\"") <
        downgrade_of(first).find("DROP TYPE \"mood\";"));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);

  // New labels first, in the middle and last: ADD VALUE in place; the
  // downgrade cannot drop them, so it recreates the type.
  p.models(
      "CREATE TYPE mood AS ENUM ('great', 'ok', 'fine', 'meh', 'awful');\n"
      "CREATE TABLE people (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');\n");
  auto gen = p.run({"revision", "-m", "more"});
  INFO(gen.all());
  REQUIRE(gen.exit_code == 0);
  CHECK_THAT(gen.out, Contains("change enum mood: ('ok', 'meh') -> ('great', 'ok', 'fine', "
                               "'meh', 'awful')"));
  std::string more = revision_text(p, "more");
  INFO(more);
  CHECK_THAT(upgrade_of(more), Contains("ALTER TYPE \"mood\" ADD VALUE 'great' BEFORE 'ok';\n"
                                        "ALTER TYPE \"mood\" ADD VALUE 'fine' AFTER 'ok';\n"
                                        "ALTER TYPE \"mood\" ADD VALUE 'awful';\n"));
  CHECK_THAT(upgrade_of(more), !Contains("RENAME"));
  CHECK_THAT(downgrade_of(more),
             Contains("-- WARNING: data loss: rows holding removed labels 'great', 'fine', "
                      "'awful' fail the upgrade\n"
                      "ALTER TYPE \"mood\" RENAME TO \"mood_old\";\n"
                      "CREATE TYPE \"mood\" AS ENUM ('ok', 'meh');\n"
                      "ALTER TABLE \"people\" ALTER COLUMN \"m\" DROP DEFAULT;\n"
                      "ALTER TABLE \"people\" ALTER COLUMN \"m\" TYPE \"mood\" USING "
                      "\"m\"::text::\"mood\";\n"
                      "ALTER TABLE \"people\" ALTER COLUMN \"m\" SET DEFAULT 'ok'::mood;\n"
                      "DROP TYPE \"mood_old\";\n"));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.value("SELECT enum_range(NULL::mood)::text") == "{great,ok,fine,meh,awful}");
  p.exec("INSERT INTO people VALUES (1, 'fine'), (2, DEFAULT);");

  // A label removed while a row holds it: the upgrade fails and changes nothing.
  p.models(
      "CREATE TYPE mood AS ENUM ('great', 'ok', 'meh', 'awful');\n"
      "CREATE TABLE people (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');\n");
  REQUIRE(p.run({"revision", "-m", "less"}).exit_code == 0);
  CHECK_THAT(upgrade_of(revision_text(p, "less")),
             Contains("-- WARNING: data loss: rows holding removed label 'fine' fail the "
                      "upgrade\n"));
  auto fails = p.run({"upgrade"});
  CHECK(fails.exit_code != 0);
  CHECK_THAT(fails.all(), Contains("invalid input value for enum mood: \"fine\""));
  CHECK(p.value("SELECT enum_range(NULL::mood)::text") == "{great,ok,fine,meh,awful}");
  p.exec("UPDATE people SET m = 'meh' WHERE m = 'fine';");
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.value("SELECT enum_range(NULL::mood)::text") == "{great,ok,meh,awful}");
  CHECK(p.column("SELECT id || ':' || m FROM people ORDER BY id") ==
        std::vector<std::string>{"1:meh", "2:ok"});
  CHECK_THAT(p.run({"check"}).out, Contains("No changes detected"));
}

TEST_CASE("PostgreSQL: objects autogenerate does not diff are named, not silently left out") {
  ModelProject p("postgresql");
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

TEST_CASE("PostgreSQL: partitions, inheritance, UNLOGGED and row-level security are refused") {
  ModelProject p("postgresql");
  p.models(
      "CREATE TABLE m (id integer, at date) PARTITION BY RANGE (at);\n"
      "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
      "CREATE TABLE base (id integer);\nCREATE TABLE child (extra text) INHERITS (base);\n"
      "CREATE UNLOGGED TABLE cache (k text);\n"
      "CREATE TABLE secret (id integer);\nALTER TABLE secret ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY own ON secret USING (id > 0);\n");
  auto r = p.run({"check"});
  INFO(r.all());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("the models hold partition m_2024, partitioned table m, policy own "
                             "on secret, row-level security on table secret, table child "
                             "INHERITS base, unlogged table cache, which autogenerate cannot "
                             "compare yet on PostgreSQL"));
  CHECK_THAT(r.err, Contains("hint: leave them out of the models"));
  CHECK(revision_files(p).empty());
}

TEST_CASE("PostgreSQL: an extension's objects are its own, never the models'") {
  ModelProject p("postgresql");
  // Created by a hand-written revision: the models may then name it.
  p.add({"r0001", "", "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n", "DROP EXTENSION pgcrypto;\n"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models(
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
      "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), h bytea);\n");
  auto r = p.run({"revision", "--autogenerate", "-m", "t"});
  INFO(r.all());
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Detected add table t"));
  CHECK(r.out.find("function") == std::string::npos);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.run({"check"}).exit_code == 0);
}

TEST_CASE("PostgreSQL: an extension the models create is created first, not its functions") {
  ModelProject p("postgresql");
  p.models(
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
      "CREATE TABLE t (id integer PRIMARY KEY, h bytea DEFAULT digest('x', 'sha256'));\n");
  auto r = p.run({"revision", "-m", "crypto"});
  INFO(r.all());
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Detected add extension pgcrypto"));
  CHECK(r.out.find("function") == std::string::npos);
  std::string up = upgrade_of(read_text(revision_files(p).back()));
  auto ext = up.find("CREATE EXTENSION IF NOT EXISTS \"pgcrypto\";");
  CHECK(ext != std::string::npos);
  CHECK(ext < up.find("CREATE TABLE"));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.value("SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'") == "1");
  auto again = p.run({"check"});
  INFO(again.all());
  CHECK(again.exit_code == 0);
  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.value("SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'") == "0");
}

TEST_CASE("PostgreSQL: a hand-written CHECK, default, index and view match pg_dump's spelling") {
  ModelProject p("postgresql");
  p.add({"r0001", "",
         "CREATE TABLE items (id integer PRIMARY KEY, kind varchar(10) DEFAULT 'a' "
         "CHECK (kind IN ('a', 'b')));\n"
         "CREATE INDEX items_ab ON items (id) WHERE kind IN ('a', 'b');\n"
         "CREATE VIEW ab AS SELECT id FROM items WHERE kind IN ('a', 'b');\n",
         "DROP VIEW ab;\nDROP TABLE items;\n"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models(
      "CREATE TABLE items (\n    id integer NOT NULL,\n    kind character varying(10) DEFAULT "
      "'a'::character varying,\n    CONSTRAINT items_kind_check CHECK (((kind)::text = ANY "
      "((ARRAY['a'::character varying, 'b'::character varying])::text[])))\n);\n"
      "ALTER TABLE ONLY items ADD CONSTRAINT items_pkey PRIMARY KEY (id);\n"
      "CREATE INDEX items_ab ON items USING btree (id) WHERE ((kind)::text = ANY "
      "((ARRAY['a'::character varying, 'b'::character varying])::text[]));\n"
      "CREATE VIEW ab AS\n SELECT items.id\n   FROM items\n  WHERE ((items.kind)::text = ANY "
      "((ARRAY['a'::character varying, 'b'::character varying])::text[]));\n");
  auto r = p.run({"check"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("No changes detected"));
  // A real difference is still one.
  p.models(
      "CREATE TABLE items (id integer PRIMARY KEY, kind varchar(10) DEFAULT 'a' "
      "CHECK (kind IN ('a', 'c')));\n"
      "CREATE INDEX items_ab ON items (id) WHERE kind IN ('a', 'b');\n"
      "CREATE VIEW ab AS SELECT id FROM items WHERE kind IN ('a', 'b');\n");
  auto changed = p.run({"check"});
  CHECK(changed.exit_code == 1);
  CHECK_THAT(changed.out, Contains("items"));
}

namespace {

// A schema of `tables` tables as a real project holds them: serials,
// identities, sequences of their own, checks pg_dump respells, foreign keys,
// partial and expression indexes, views over views, functions used by
// defaults and a trigger, comments and enums.
std::string real_schema(int tables) {
  std::string sql =
      "CREATE TYPE state AS ENUM ('new', 'done');\n"
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at = now(); "
      "RETURN NEW; END $$;\n"
      "CREATE FUNCTION double_it(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS "
      "'SELECT $1 * 2';\n"
      "CREATE SEQUENCE shared_numbers AS bigint START WITH 1000 INCREMENT BY 5;\n";
  for (int i = 0; i < tables; ++i) {
    const std::string t = "t" + std::to_string(i), prev = "t" + std::to_string(i - 1);
    sql += "CREATE TABLE " + t + " (id " +
           (i % 3 == 0 ? "serial"
                       : "integer GENERATED BY "
                         "DEFAULT AS IDENTITY") +
           " PRIMARY KEY, kind varchar(10) NOT NULL DEFAULT 'a' CHECK (kind IN ('a', 'b', "
           "'c')), n integer DEFAULT double_it(2), no bigint DEFAULT "
           "nextval('shared_numbers'), s state DEFAULT 'new', at timestamptz DEFAULT now(), "
           "total numeric GENERATED ALWAYS AS (n * 2) STORED" +
           (i > 0 ? ", parent integer REFERENCES " + prev + " ON DELETE CASCADE" : "") + ");\n";
    sql += "CREATE INDEX " + t + "_open ON " + t + " (id) WHERE kind IN ('a', 'b');\n";
    sql += "CREATE INDEX " + t + "_lower ON " + t + " (lower(kind));\n";
    sql += "COMMENT ON TABLE " + t + " IS 'table " + t + "';\n";
    if (i % 5 == 0) {
      sql += "CREATE VIEW v" + std::to_string(i) + " AS SELECT id, kind AS k FROM " + t +
             " WHERE kind IN ('a', 'b');\n";
      sql += "CREATE VIEW w" + std::to_string(i) + " AS SELECT id, k FROM v" + std::to_string(i) +
             ";\n";
      sql += "CREATE TRIGGER " + t + "_touch BEFORE UPDATE ON " + t +
             " FOR EACH ROW EXECUTE FUNCTION touch();\n";
    }
  }
  // pg_dump's serial spelling under another name.
  sql +=
      "CREATE TABLE legacy (id integer NOT NULL, n text);\n"
      "CREATE SEQUENCE legacy_tmp_id_seq AS integer;\n"
      "ALTER SEQUENCE legacy_tmp_id_seq OWNED BY legacy.id;\n"
      "ALTER TABLE legacy ALTER COLUMN id SET DEFAULT nextval('legacy_tmp_id_seq');\n";
  return sql;
}

}  // namespace

TEST_CASE("PostgreSQL: pg_dump --schema-only of the database at head, as the models, matches") {
  ModelProject p("postgresql");
  // Functions and triggers are not autogenerated: a hand-written revision.
  p.add({"r0001", "", real_schema(55), "SELECT 1;\n"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models("");  // makes models/
  const std::string models = p.root() + "/models/schema.sql";
  auto dumped = run_command(
      {PgServer::get().program("pg_dump"), "--schema-only", "-f", models, "-d", p.database().url});
  INFO(dumped.output);
  REQUIRE(dumped.status == 0);
  const std::string text = read_text(models);
  REQUIRE_THAT(text, Contains("CREATE TABLE public.t54"));
  REQUIRE_THAT(text, Contains("OWNER TO"));
  auto r = p.run({"check"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK(r.out == "No changes detected: the models match the database\n");
  // The same dump with one table changed by hand is one difference.
  write_text(models, text + "ALTER TABLE public.t3 ADD COLUMN extra text;\n");
  auto changed = p.run({"check"});
  CHECK(changed.exit_code == 1);
  CHECK_THAT(changed.out, Contains("(1 difference):\n  add column t3.extra text\n"));
}

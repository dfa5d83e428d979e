// PostgreSQL's schema dialect without a server: types by canonical name,
// which type changes can lose data, and the exact SQL of each change.
#include <catch2/catch.hpp>

#include "backend/postgres/postgres.h"
#include "migrate/autogenerate.h"

using namespace retort;
using Catch::Matchers::Contains;

namespace {

Column col(const std::string& name, const std::string& type, bool not_null = false,
           std::optional<std::string> def = std::nullopt) {
  Column c;
  c.name = name;
  c.type = type;
  c.not_null = not_null;
  c.default_sql = std::move(def);
  return c;
}

Schema one_table(std::vector<Column> columns, std::vector<Constraint> constraints = {}) {
  Schema s;
  Table t;
  t.name = "users";
  t.columns = std::move(columns);
  t.constraints = std::move(constraints);
  s.tables["users"] = t;
  return s;
}

Constraint pk(const std::string& name, std::vector<std::string> cols) {
  Constraint c;
  c.kind = Constraint::Kind::kPrimaryKey;
  c.name = name;
  c.columns = std::move(cols);
  return c;
}

}  // namespace

TEST_CASE("PostgreSQL types compare by their canonical names") {
  CHECK(canonical_postgres_type("INT") == "integer");
  CHECK(canonical_postgres_type("int4") == "integer");
  CHECK(canonical_postgres_type("varchar(20)") == "character varying(20)");
  CHECK(canonical_postgres_type("Character  Varying (20)") == "character varying(20)");
  CHECK(canonical_postgres_type("timestamptz") == "timestamp with time zone");
  CHECK(canonical_postgres_type("timestamp(3)") == "timestamp(3) without time zone");
  CHECK(canonical_postgres_type("timestamp(3) with time zone") == "timestamp(3) with time zone");
  CHECK(canonical_postgres_type("decimal(10, 2)") == "numeric(10,2)");
  CHECK(canonical_postgres_type("numeric(10)") == "numeric(10,0)");
  CHECK(canonical_postgres_type("float") == "double precision");
  CHECK(canonical_postgres_type("float(10)") == "real");
  CHECK(canonical_postgres_type("bool") == "boolean");
  CHECK(canonical_postgres_type("char") == "character(1)");
  CHECK(canonical_postgres_type("int[]") == "integer[]");
  CHECK(canonical_postgres_type("serial4") == "serial");
  auto d = make_postgres_schema_dialect();
  CHECK(d->same_type("int8", "BIGINT"));
  CHECK_FALSE(d->same_type("varchar(20)", "varchar(21)"));
}

TEST_CASE("PostgreSQL: which type changes can lose data") {
  auto d = make_postgres_schema_dialect();
  CHECK_FALSE(d->is_narrowing("integer", "bigint"));
  CHECK_FALSE(d->is_narrowing("smallint", "integer"));
  CHECK_FALSE(d->is_narrowing("varchar(20)", "varchar(100)"));
  CHECK_FALSE(d->is_narrowing("varchar(20)", "text"));
  CHECK_FALSE(d->is_narrowing("integer", "text"));
  CHECK_FALSE(d->is_narrowing("real", "double precision"));
  CHECK_FALSE(d->is_narrowing("numeric(8,2)", "numeric"));
  CHECK(d->is_narrowing("bigint", "integer"));
  CHECK(d->is_narrowing("text", "integer"));
  CHECK(d->is_narrowing("varchar(100)", "varchar(20)"));
  CHECK(d->is_narrowing("double precision", "real"));
  CHECK(d->is_narrowing("timestamptz", "date"));
  CHECK_FALSE(d->is_narrowing("numeric(8,2)", "numeric(12,4)"));
  CHECK(d->is_narrowing("numeric(8,2)", "numeric(8,3)"));
  CHECK(d->is_narrowing("numeric(8,2)", "numeric(8,1)"));
}

TEST_CASE("PostgreSQL: columns change with plain ALTER TABLE, never a rebuild") {
  auto a = one_table({col("id", "integer", true), col("n", "text")}, {pk("users_pkey", {"id"})});
  auto b = one_table({col("id", "integer", true), col("n", "integer", true, "0")},
                     {pk("users_pkey", {"id"})});
  auto changes = compare_schemas(a, b, *make_postgres_schema_dialect());
  CHECK(changes.upgrade_sql ==
        "-- WARNING: data loss: users.n changes from text to integer; values that do not fit "
        "fail the upgrade or lose precision\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" TYPE integer USING \"n\"::integer;\n"
        "UPDATE \"users\" SET \"n\" = 0 WHERE \"n\" IS NULL;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" SET NOT NULL;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" SET DEFAULT 0;");
  CHECK(changes.downgrade_sql ==
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" DROP DEFAULT;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" TYPE text USING \"n\"::text;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"n\" DROP NOT NULL;");
}

TEST_CASE("PostgreSQL: added and dropped columns, constraints and tables") {
  auto a = one_table({col("id", "integer", true)}, {pk("users_pkey", {"id"})});
  Constraint check;
  check.kind = Constraint::Kind::kCheck;
  check.name = "users_age_check";
  check.expression = "age > 0";
  auto b = one_table({col("id", "integer", true), col("age", "integer")},
                     {pk("users_pkey", {"id"}), check});
  auto changes = compare_schemas(a, b, *make_postgres_schema_dialect());
  CHECK(changes.upgrade_sql ==
        "ALTER TABLE \"users\" ADD COLUMN \"age\" integer;\n\n"
        "ALTER TABLE \"users\" ADD CONSTRAINT \"users_age_check\" CHECK (age > 0);");
  CHECK(changes.downgrade_sql ==
        "ALTER TABLE \"users\" DROP CONSTRAINT \"users_age_check\";\n\n"
        "-- WARNING: data loss: drops column users.age and its values\n"
        "ALTER TABLE \"users\" DROP COLUMN \"age\";");
  auto created = compare_schemas(Schema{}, b, *make_postgres_schema_dialect());
  CHECK(created.upgrade_sql ==
        "CREATE TABLE \"users\" (\n"
        "  \"id\" integer NOT NULL,\n"
        "  \"age\" integer,\n"
        "  CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\"),\n"
        "  CONSTRAINT \"users_age_check\" CHECK (age > 0)\n"
        ");");
  CHECK(created.downgrade_sql ==
        "-- WARNING: data loss: drops table users and all its rows\nDROP TABLE \"users\";");
}

TEST_CASE("PostgreSQL: serial and identity columns") {
  auto a = one_table({col("id", "integer", true)});
  auto serial = one_table({col("id", "serial", true)});
  auto up = compare_schemas(a, serial, *make_postgres_schema_dialect());
  CHECK_THAT(up.upgrade_sql,
             Contains("CREATE SEQUENCE \"users_id_seq\" AS integer OWNED BY \"users\".\"id\";"));
  CHECK_THAT(up.upgrade_sql, Contains("SET DEFAULT nextval('\"users_id_seq\"'::regclass);"));
  CHECK_THAT(up.downgrade_sql, Contains("DROP SEQUENCE"));
  auto identity =
      one_table({col("id", "integer", true, std::string("GENERATED BY DEFAULT AS IDENTITY"))});
  auto id = compare_schemas(a, identity, *make_postgres_schema_dialect());
  CHECK_THAT(id.upgrade_sql, Contains("ALTER TABLE \"users\" ALTER COLUMN \"id\" ADD GENERATED BY "
                                      "DEFAULT AS IDENTITY;"));
  CHECK_THAT(id.downgrade_sql,
             Contains("ALTER TABLE \"users\" ALTER COLUMN \"id\" DROP IDENTITY;"));
  auto always =
      one_table({col("id", "integer", true, std::string("GENERATED ALWAYS AS IDENTITY"))});
  CHECK(compare_schemas(identity, always, *make_postgres_schema_dialect()).upgrade_sql ==
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET GENERATED ALWAYS;");
}

TEST_CASE("PostgreSQL: foreign keys are dropped before, and added after, the keys they use") {
  Schema a, b;
  Table parent;
  parent.name = "parent";
  parent.columns = {col("a", "integer", true), col("b", "integer", true)};
  parent.constraints = {pk("parent_pkey", {"a"})};
  Table child;
  child.name = "child";
  child.columns = {col("pa", "integer"), col("pb", "integer")};
  Constraint fk;
  fk.kind = Constraint::Kind::kForeignKey;
  fk.name = "child_fkey";
  fk.columns = {"pa"};
  fk.ref_table = "parent";
  fk.ref_columns = {"a"};
  child.constraints = {fk};
  a.tables["child"] = child;
  a.tables["parent"] = parent;
  parent.constraints = {pk("parent_pkey", {"a", "b"})};
  fk.columns = {"pa", "pb"};
  fk.ref_columns = {"a", "b"};
  fk.on_delete = "CASCADE";
  child.constraints = {fk};
  b.tables["child"] = child;
  b.tables["parent"] = parent;
  std::string up = compare_schemas(a, b, *make_postgres_schema_dialect()).upgrade_sql;
  auto at = [&](const std::string& s) { return up.find(s); };
  CHECK(at("DROP CONSTRAINT \"child_fkey\"") < at("DROP CONSTRAINT \"parent_pkey\""));
  CHECK(at("ADD CONSTRAINT \"parent_pkey\"") < at("ADD CONSTRAINT \"child_fkey\""));
  CHECK_THAT(up, Contains("ADD CONSTRAINT \"child_fkey\" FOREIGN KEY (\"pa\", \"pb\") REFERENCES "
                          "\"parent\" (\"a\", \"b\") ON DELETE CASCADE;"));
}

TEST_CASE("PostgreSQL: a sequence is created before its default, owned after its column") {
  auto a = one_table({col("id", "integer", true)});
  auto b =
      one_table({col("id", "integer", true, std::string("nextval('t_tmp_id_seq'::regclass)"))});
  Sequence q;
  q.name = "t_tmp_id_seq";
  q.type = "integer";
  q.max = "2147483647";
  q.owner_table = "users";
  q.owner_column = "id";
  b.sequences["t_tmp_id_seq"] = q;
  auto up = compare_schemas(a, b, *make_postgres_schema_dialect());
  CHECK(up.upgrade_sql ==
        "CREATE SEQUENCE \"t_tmp_id_seq\" AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 "
        "MAXVALUE 2147483647 CACHE 1;\n\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET DEFAULT "
        "nextval('t_tmp_id_seq'::regclass);\n\n"
        "ALTER SEQUENCE \"t_tmp_id_seq\" OWNED BY \"users\".\"id\";");
  CHECK(up.downgrade_sql ==
        "ALTER SEQUENCE \"t_tmp_id_seq\" OWNED BY NONE;\n\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" DROP DEFAULT;\n\n"
        "DROP SEQUENCE \"t_tmp_id_seq\";");
  // Options change in place, only those that differ.
  Schema c = b;
  c.sequences["t_tmp_id_seq"].cache = "20";
  c.sequences["t_tmp_id_seq"].cycle = true;
  auto opts = compare_schemas(b, c, *make_postgres_schema_dialect());
  CHECK(opts.upgrade_sql == "ALTER SEQUENCE \"t_tmp_id_seq\" CACHE 20 CYCLE;");
  CHECK(opts.downgrade_sql == "ALTER SEQUENCE \"t_tmp_id_seq\" CACHE 1 NO CYCLE;");
  REQUIRE(opts.changes.size() == 1);
  CHECK(describe(opts.changes[0]) == "change sequence t_tmp_id_seq: cache 1 -> 20, cycle");
}

TEST_CASE("PostgreSQL: a table dropped with its own sequence releases it first") {
  Schema a;
  Table t;
  t.name = "jobs";
  t.columns = {col("id", "bigint", true, std::string("nextval('jobs_seq'::regclass)"))};
  a.tables["jobs"] = t;
  Sequence q;
  q.name = "jobs_seq";
  q.owner_table = "jobs";
  q.owner_column = "id";
  a.sequences["jobs_seq"] = q;
  std::string up = compare_schemas(a, Schema{}, *make_postgres_schema_dialect()).upgrade_sql;
  auto release = up.find("ALTER SEQUENCE \"jobs_seq\" OWNED BY NONE;");
  auto drop_table = up.find("DROP TABLE \"jobs\";");
  auto drop_seq = up.find("DROP SEQUENCE \"jobs_seq\";");
  CHECK(release < drop_table);
  CHECK(drop_table < drop_seq);
  CHECK(drop_seq != std::string::npos);
}

TEST_CASE("PostgreSQL: a generated column made again keeps its indexes and constraints") {
  Column total = col("total", "numeric");
  total.generated = true;
  total.definition = "GENERATED ALWAYS AS (price * 2) STORED";
  Constraint check;
  check.kind = Constraint::Kind::kCheck;
  check.name = "users_total_check";
  check.expression = "total >= 0";
  auto a = one_table({col("price", "numeric"), total}, {check});
  Index ix;
  ix.name = "users_total";
  ix.table = "users";
  ix.elements = {"total"};
  ix.sql = "CREATE INDEX users_total ON \"users\" USING btree (total)";
  Index other = ix;
  other.name = "users_price";
  other.elements = {"price"};
  other.sql = "CREATE INDEX users_price ON \"users\" USING btree (price)";
  a.indexes["users_total"] = ix;
  a.indexes["users_price"] = other;
  Schema b = a;
  b.tables["users"].columns[1].definition = "GENERATED ALWAYS AS (price * 3) STORED";
  std::string up = compare_schemas(a, b, *make_postgres_schema_dialect()).upgrade_sql;
  CHECK_THAT(up,
             Contains("-- created again below: it uses users.total\nDROP INDEX \"users_total\";"));
  CHECK_THAT(up, Contains("-- added again below: it uses users.total\nALTER TABLE \"users\" DROP "
                          "CONSTRAINT \"users_total_check\";"));
  auto add = up.find("ADD COLUMN \"total\"");
  CHECK(up.find("CREATE INDEX users_total ON \"users\"", add) != std::string::npos);
  CHECK(up.find("ADD CONSTRAINT \"users_total_check\" CHECK (total >= 0)", add) !=
        std::string::npos);
  CHECK(up.find("users_price") == std::string::npos);  // does not use the column
}

TEST_CASE("PostgreSQL: views are ordered by what the catalog says they read") {
  Schema a = one_table({col("id", "integer"), col("x", "text")});
  Schema b = a;
  // View a's column is named b; view b reads a: names in the text would say
  // each reads the other.
  View va{"a", "SELECT users.id, users.x AS b FROM users", {}, {"users"}, true};
  View vb{"b", "SELECT a.id, a.b FROM a", {}, {"a"}, true};
  b.views["a"] = va;
  b.views["b"] = vb;
  auto r = compare_schemas(a, b, *make_postgres_schema_dialect());
  CHECK(r.upgrade_sql.find("CREATE VIEW \"a\"") < r.upgrade_sql.find("CREATE VIEW \"b\""));
  CHECK(r.downgrade_sql.find("DROP VIEW \"b\"") < r.downgrade_sql.find("DROP VIEW \"a\""));
}

TEST_CASE("PostgreSQL: an identity column's options change in place") {
  auto a =
      one_table({col("id", "integer", true,
                     std::string("GENERATED BY DEFAULT AS IDENTITY (START WITH 100 CACHE 5)"))});
  auto b = one_table({col("id", "integer", true,
                          std::string("GENERATED ALWAYS AS IDENTITY (INCREMENT BY 2 MAXVALUE 999 "
                                      "CYCLE)"))});
  auto r = compare_schemas(a, b, *make_postgres_schema_dialect());
  CHECK(r.upgrade_sql ==
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET GENERATED ALWAYS;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET INCREMENT BY 2 SET MAXVALUE 999 SET START "
        "WITH 1 SET CACHE 1 SET CYCLE;");
  CHECK(r.downgrade_sql ==
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET GENERATED BY DEFAULT;\n"
        "ALTER TABLE \"users\" ALTER COLUMN \"id\" SET INCREMENT BY 1 SET NO MAXVALUE SET START "
        "WITH 100 SET CACHE 5 SET NO CYCLE;");
}

TEST_CASE("PostgreSQL: an extension the models create comes first; none is ever dropped") {
  Schema a = one_table({col("id", "integer", true)});
  a.extensions = {"plpgsql"};
  Schema b = a;
  b.extensions = {"pgcrypto"};  // the models name only those they create
  b.tables["users"].columns.push_back(col("h", "bytea"));
  auto r = compare_schemas(a, b, *make_postgres_schema_dialect());
  REQUIRE(r.changes.size() == 2);
  CHECK(describe(r.changes[0]) == "add extension pgcrypto");
  CHECK(r.upgrade_sql.rfind("CREATE EXTENSION IF NOT EXISTS \"pgcrypto\";\n", 0) == 0);
  CHECK(r.upgrade_sql.find("plpgsql") == std::string::npos);
  CHECK_THAT(r.downgrade_sql, Contains("DROP EXTENSION IF EXISTS \"pgcrypto\";"));
  CHECK(r.downgrade_sql.find("DROP EXTENSION") > r.downgrade_sql.find("DROP COLUMN"));
}

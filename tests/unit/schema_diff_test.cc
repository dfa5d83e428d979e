// The diff over in-memory schema models, and the ops' reverse(): which
// changes are found, in which order, and that the downgrade mirrors them.
#include <catch2/catch.hpp>

#include "backend/sqlite/sqlite.h"
#include "schema/diff.h"
#include "schema/ops.h"
#include "schema/schema_dialect.h"

using namespace retort;

namespace {

Column col(std::string name, std::string type, bool not_null = false) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.not_null = not_null;
  c.definition = c.name + " " + c.type;
  return c;
}

Constraint fk(std::string column, std::string table, std::string on_delete = "NO ACTION") {
  Constraint c;
  c.kind = Constraint::Kind::kForeignKey;
  c.columns = {std::move(column)};
  c.ref_table = std::move(table);
  c.ref_columns = {"id"};
  c.on_delete = std::move(on_delete);
  return c;
}

Table table(std::string name, std::vector<Column> cols, std::vector<Constraint> cons = {}) {
  Table t;
  t.name = std::move(name);
  t.columns = std::move(cols);
  t.constraints = std::move(cons);
  return t;
}

void put(Schema& s, Table t) {
  s.tables[key_of(t.name)] = std::move(t);
}

std::vector<std::string> lines(const std::vector<Op>& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops)
    out.push_back(describe(op));
  return out;
}

}  // namespace

TEST_CASE("identical schemas have no differences, whatever the spelling") {
  auto d = make_sqlite_schema_dialect();
  Schema a, b;
  put(a, table("Users", {col("ID", "INT"), col("email", "varchar(20)")}));
  put(b, table("users", {col("id", "integer"), col("EMAIL", "TEXT")}));
  CHECK(diff_schemas(a, b, *d).empty());
}

TEST_CASE("columns added, dropped and changed; constraints by meaning") {
  auto d = make_sqlite_schema_dialect();
  Schema a, b;
  put(a, table("posts", {col("id", "INTEGER"), col("title", "TEXT"), col("n", "TEXT")},
               {fk("user_id", "users", "CASCADE")}));
  Column n = col("n", "INTEGER", true);
  n.default_sql = "0";
  put(b, table("posts", {col("id", "INTEGER"), n, col("body", "TEXT")},
               {fk("USER_ID", "Users", "cascade")}));
  CHECK(lines(diff_schemas(a, b, *d)) ==
        std::vector<std::string>{"drop column posts.title",
                                 "change column posts.n: type TEXT -> INTEGER, NULL -> NOT NULL, "
                                 "default none -> 0",
                                 "add column posts.body TEXT"});
}

TEST_CASE("tables are created referenced-first and dropped dependents-first") {
  auto d = make_sqlite_schema_dialect();
  Schema empty, full;
  put(full,
      table("a_child", {col("id", "INTEGER"), col("m_id", "INTEGER")}, {fk("m_id", "m_mid")}));
  put(full, table("m_mid", {col("id", "INTEGER"), col("z_id", "INTEGER")}, {fk("z_id", "z_root")}));
  put(full, table("z_root", {col("id", "INTEGER")}));
  Index ix;
  ix.name = "ix_child";
  ix.table = "a_child";
  ix.elements = {"m_id"};
  full.indexes["ix_child"] = ix;
  View v{"v", "SELECT 1", ""};
  full.views["v"] = v;
  auto up = diff_schemas(empty, full, *d);
  CHECK(lines(up) ==
        std::vector<std::string>{"add table z_root", "add table m_mid", "add table a_child",
                                 "add index ix_child on a_child (m_id)", "add view v"});
  auto down = diff_schemas(full, empty, *d);
  CHECK(lines(down) == std::vector<std::string>{"drop view v", "drop index ix_child on a_child",
                                                "drop table a_child", "drop table m_mid",
                                                "drop table z_root"});
  CHECK(lines(reverse(up)) == lines(down));
}

TEST_CASE("an index that changes is dropped and created again") {
  auto d = make_sqlite_schema_dialect();
  Schema a, b;
  put(a, table("t", {col("x", "INT")}));
  put(b, table("t", {col("x", "INT")}));
  Index ix;
  ix.name = "ix";
  ix.table = "t";
  ix.elements = {"x"};
  a.indexes["ix"] = ix;
  ix.where = "x > 0";
  b.indexes["ix"] = ix;
  CHECK(lines(diff_schemas(a, b, *d)) ==
        std::vector<std::string>{"drop index ix on t", "add index ix on t (x) WHERE x > 0"});
}

TEST_CASE("renames are not guessed, but the reviewer is told") {
  auto d = make_sqlite_schema_dialect();
  Schema a, b;
  put(a, table("people", {col("id", "INT"), col("name", "TEXT")}));
  put(b, table("persons", {col("id", "INT"), col("name", "TEXT")}));
  auto ops = diff_schemas(a, b, *d);
  REQUIRE(ops.size() == 2);
  REQUIRE(ops[0].notes.size() == 1);
  CHECK_THAT(ops[0].notes[0],
             Catch::Matchers::Contains("ALTER TABLE \"people\" RENAME TO \"persons\";"));
  // The downgrade's notes are about the downgrade's drop.
  auto down = reverse(ops);
  REQUIRE(down[0].notes.size() == 1);
  CHECK_THAT(down[0].notes[0],
             Catch::Matchers::Contains("ALTER TABLE \"persons\" RENAME TO \"people\";"));
}

TEST_CASE("reverse(reverse(ops)) is the ops") {
  Schema a, b;
  auto d = make_sqlite_schema_dialect();
  put(a, table("t", {col("x", "INT"), col("y", "TEXT")}));
  put(b, table("t", {col("x", "TEXT"), col("z", "TEXT")}));
  put(b, table("u", {col("x", "INT")}));
  auto ops = diff_schemas(a, b, *d);
  CHECK(lines(reverse(reverse(ops))) == lines(ops));
}

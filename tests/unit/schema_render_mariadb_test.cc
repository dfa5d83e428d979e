// MariaDB's schema dialect without a server: types by meaning, which type
// changes can lose data, and the exact SQL of each change.
#include <catch2/catch.hpp>

#include "backend/mariadb/mariadb.h"
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

Table table(const std::string& name, std::vector<Column> columns,
            std::vector<Constraint> constraints = {}) {
  Table t;
  t.name = name;
  t.columns = std::move(columns);
  t.constraints = std::move(constraints);
  t.options = {
      {"ENGINE", "InnoDB"}, {"DEFAULT CHARSET", "utf8mb4"}, {"COLLATE", "utf8mb4_unicode_ci"}};
  return t;
}

Schema with(std::vector<Table> tables, std::vector<Index> indexes = {}) {
  Schema s;
  for (auto& t : tables)
    s.tables[key_of(t.name)] = t;
  for (auto& ix : indexes)
    s.indexes[key_of(ix.table + "." + ix.name)] = ix;
  return s;
}

Constraint pk(std::vector<std::string> cols) {
  Constraint c;
  c.kind = Constraint::Kind::kPrimaryKey;
  c.name = "PRIMARY";
  c.columns = std::move(cols);
  return c;
}

Constraint fk(const std::string& name, const std::string& column, const std::string& ref) {
  Constraint c;
  c.kind = Constraint::Kind::kForeignKey;
  c.name = name;
  c.columns = {column};
  c.ref_table = ref;
  c.ref_columns = {"id"};
  return c;
}

Index index(const std::string& name, const std::string& t, std::vector<std::string> elements,
            bool unique = false, const std::string& method = "") {
  Index ix;
  ix.name = name;
  ix.table = t;
  ix.elements = std::move(elements);
  ix.unique = unique;
  ix.method = method;
  return ix;
}

SchemaChanges changes(const Schema& from, const Schema& to) {
  auto d = make_mariadb_schema_dialect();
  return compare_schemas(from, to, *d);
}

}  // namespace

TEST_CASE("MariaDB types compare by meaning: display widths, aliases and BOOL") {
  CHECK(canonical_mariadb_type("INT") == "int");
  CHECK(canonical_mariadb_type("int(11)") == "int");
  CHECK(canonical_mariadb_type("INTEGER") == "int");
  CHECK(canonical_mariadb_type("integer(10) unsigned") == "int unsigned");
  CHECK(canonical_mariadb_type("INT UNSIGNED") == "int unsigned");
  CHECK(canonical_mariadb_type("int(6) unsigned zerofill") == "int unsigned zerofill");
  CHECK(canonical_mariadb_type("int zerofill") == "int unsigned zerofill");
  CHECK(canonical_mariadb_type("int signed") == "int");
  CHECK(canonical_mariadb_type("bigint(20)") == "bigint");
  CHECK(canonical_mariadb_type("BOOL") == "tinyint(1)");
  CHECK(canonical_mariadb_type("boolean") == "tinyint(1)");
  CHECK(canonical_mariadb_type("tinyint(1)") == "tinyint(1)");
  CHECK(canonical_mariadb_type("tinyint(4)") == "tinyint");
  CHECK(canonical_mariadb_type("NUMERIC") == "decimal(10,0)");
  CHECK(canonical_mariadb_type("dec(8, 2)") == "decimal(8,2)");
  CHECK(canonical_mariadb_type("decimal(12)") == "decimal(12,0)");
  CHECK(canonical_mariadb_type("DOUBLE PRECISION") == "double");
  CHECK(canonical_mariadb_type("real") == "double");
  CHECK(canonical_mariadb_type("float(30)") == "double");
  CHECK(canonical_mariadb_type("Character Varying (20)") == "varchar(20)");
  CHECK(canonical_mariadb_type("char") == "char(1)");
  CHECK(canonical_mariadb_type("datetime(0)") == "datetime");
  CHECK(canonical_mariadb_type("DATETIME(3)") == "datetime(3)");
  CHECK(canonical_mariadb_type("year(4)") == "year");
  // Labels keep their case and spacing; the list does not.
  CHECK(canonical_mariadb_type("ENUM('a', 'B c')") == "enum('a','B c')");
  CHECK(canonical_mariadb_type("set('x','it''s')") == "set('x','it''s')");
  auto d = make_mariadb_schema_dialect();
  CHECK(d->same_type("int(11)", "INTEGER"));
  CHECK(d->same_type("tinyint(1)", "BOOLEAN"));
  CHECK_FALSE(d->same_type("tinyint(1)", "tinyint"));
  CHECK_FALSE(d->same_type("int", "int unsigned"));
  CHECK_FALSE(d->same_type("enum('a','b')", "enum('b','a')"));
}

TEST_CASE("MariaDB: which type changes can lose data") {
  auto d = make_mariadb_schema_dialect();
  CHECK_FALSE(d->is_narrowing("int", "bigint"));
  CHECK_FALSE(d->is_narrowing("tinyint unsigned", "smallint unsigned"));
  CHECK_FALSE(d->is_narrowing("int unsigned", "bigint"));
  CHECK(d->is_narrowing("int unsigned", "int"));
  CHECK(d->is_narrowing("int", "int unsigned"));
  CHECK(d->is_narrowing("bigint", "int"));
  CHECK_FALSE(d->is_narrowing("varchar(20)", "varchar(100)"));
  CHECK(d->is_narrowing("varchar(100)", "varchar(20)"));
  CHECK(d->is_narrowing("text", "varchar(200)"));
  CHECK_FALSE(d->is_narrowing("varchar(200)", "text"));
  CHECK_FALSE(d->is_narrowing("int", "text"));
  CHECK_FALSE(d->is_narrowing("decimal(8,2)", "decimal(12,4)"));
  CHECK(d->is_narrowing("decimal(12,4)", "decimal(8,2)"));
  CHECK_FALSE(d->is_narrowing("int", "decimal(12,2)"));
  CHECK_FALSE(d->is_narrowing("float", "double"));
  CHECK_FALSE(d->is_narrowing("enum('a','b')", "enum('a','b','c')"));
  CHECK(d->is_narrowing("enum('a','b','c')", "enum('a','b')"));
  CHECK_FALSE(d->is_narrowing("date", "datetime"));
  CHECK(d->is_narrowing("datetime(3)", "datetime"));
  CHECK(d->is_narrowing("varchar(10)", "int"));
}

TEST_CASE("MariaDB: columns change with MODIFY COLUMN and keep their place") {
  Schema a = with({table(
      "users", {col("id", "int(11)", true), col("name", "varchar(20)"), col("email", "text")},
      {pk({"id"})})});
  Schema b = with({table("users",
                         {col("id", "int(11)", true), col("nick", "varchar(40)"),
                          col("name", "varchar(10)", true, "'anon'"), col("email", "text")},
                         {pk({"id"})})});
  auto c = changes(a, b);
  CHECK_THAT(c.upgrade_sql,
             Contains("-- WARNING: data loss: users.name changes from varchar(20) to varchar(10); "
                      "values that do not fit fail the upgrade\n"
                      "UPDATE `users` SET `name` = 'anon' WHERE `name` IS NULL;\n"
                      "ALTER TABLE `users` MODIFY COLUMN `name` varchar(10) NOT NULL DEFAULT "
                      "'anon';"));
  CHECK_THAT(c.upgrade_sql,
             Contains("ALTER TABLE `users` ADD COLUMN `nick` varchar(40) NULL AFTER `id`;"));
  CHECK_THAT(c.downgrade_sql, Contains("ALTER TABLE `users` DROP COLUMN `nick`;"));
  CHECK_THAT(c.downgrade_sql,
             Contains("ALTER TABLE `users` MODIFY COLUMN `name` varchar(20) NULL;"));

  // A dropped column comes back in its place, the last one first dropped.
  Schema dropped = with({table("users", {col("id", "int(11)", true)}, {pk({"id"})})});
  auto d = changes(a, dropped);
  CHECK(d.upgrade_sql.find("DROP COLUMN `email`") < d.upgrade_sql.find("DROP COLUMN `name`"));
  CHECK_THAT(d.downgrade_sql,
             Contains("ALTER TABLE `users` ADD COLUMN `name` varchar(20) NULL AFTER `id`;"));
  CHECK_THAT(d.downgrade_sql,
             Contains("ALTER TABLE `users` ADD COLUMN `email` text NULL AFTER `name`;"));
  CHECK(d.downgrade_sql.find("ADD COLUMN `name`") < d.downgrade_sql.find("ADD COLUMN `email`"));
}

TEST_CASE("MariaDB: AUTO_INCREMENT, ON UPDATE, generated columns, comments and collations") {
  Column id = col("id", "int(10) unsigned", true, "AUTO_INCREMENT");
  Column at = col("at", "timestamp", true, "current_timestamp()");
  at.on_update = "current_timestamp()";
  Column area = col("area", "int(11)");
  area.generated = true;
  area.definition = "GENERATED ALWAYS AS (`w` * `h`) VIRTUAL";
  Column name = col("name", "varchar(20)", false, "'it''s'");
  name.collation = "latin1_swedish_ci";
  name.comment = "who's there";
  Table t =
      table("boxes", {id, at, area, name, col("w", "int(11)"), col("h", "int(11)")}, {pk({"id"})});
  t.comment = "boxes";
  auto c = changes({}, with({t}, {index("ix_name", "boxes", {"`name`(5)"})}));
  CHECK(c.upgrade_sql ==
        "CREATE TABLE `boxes` (\n"
        "  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n"
        "  `at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n"
        "  `area` int(11) GENERATED ALWAYS AS (`w` * `h`) VIRTUAL,\n"
        "  `name` varchar(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL DEFAULT "
        "'it''s' COMMENT 'who''s there',\n"
        "  `w` int(11) NULL,\n"
        "  `h` int(11) NULL,\n"
        "  PRIMARY KEY (`id`),\n"
        "  KEY `ix_name` (`name`(5))\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='boxes';");
  CHECK(c.downgrade_sql ==
        "-- WARNING: data loss: drops table boxes and all its rows\nDROP TABLE `boxes`;");

  // An expression default goes in parentheses; a generated column that
  // turns STORED is dropped and added again, in its place.
  Column stored = area;
  stored.definition = "GENERATED ALWAYS AS (`w` * `h`) STORED";
  Column token = col("token", "varchar(36)", false, "uuid()");
  Schema a = with({table("boxes", {col("w", "int(11)"), area, col("h", "int(11)")})});
  Schema b = with({table("boxes", {col("w", "int(11)"), stored, col("h", "int(11)"), token})});
  auto g = changes(a, b);
  CHECK_THAT(g.upgrade_sql, Contains("ALTER TABLE `boxes` DROP COLUMN `area`;\n"
                                     "ALTER TABLE `boxes` ADD COLUMN `area` int(11) GENERATED "
                                     "ALWAYS AS (`w` * `h`) STORED AFTER `w`;"));
  CHECK_THAT(g.upgrade_sql,
             Contains("ADD COLUMN `token` varchar(36) NULL DEFAULT (uuid()) AFTER `h`;"));
}

TEST_CASE("MariaDB: keys, foreign keys and their indexes, in an order the server takes") {
  Table users = table("users", {col("id", "int(11)", true)}, {pk({"id"})});
  Table posts =
      table("posts", {col("id", "int(11)", true), col("user_id", "int(11)")}, {pk({"id"})});
  Table linked = posts;
  linked.constraints.push_back(fk("posts_ibfk_1", "user_id", "users"));
  Index implicit = index("user_id", "posts", {"`user_id`"});
  auto add = changes(with({users, posts}), with({users, linked}, {implicit}));
  // The index first, so MariaDB makes none of its own for the key.
  CHECK(add.upgrade_sql ==
        "CREATE INDEX `user_id` ON `posts` (`user_id`);\n\n"
        "ALTER TABLE `posts` ADD CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES "
        "`users` (`id`);");
  // The key first: the index it needs cannot be dropped before it.
  CHECK(add.downgrade_sql ==
        "ALTER TABLE `posts` DROP FOREIGN KEY `posts_ibfk_1`;\n\n"
        "DROP INDEX `user_id` ON `posts`;");

  // A new table holds its keys; its foreign key's index is one of them.
  auto create =
      changes(with({users}),
              with({users, linked}, {implicit, index("ux_id", "posts", {"`id`"}, true),
                                     index("ft", "posts", {"`user_id`"}, false, "fulltext")}));
  CHECK_THAT(create.upgrade_sql, Contains("  PRIMARY KEY (`id`),\n"
                                          "  FULLTEXT KEY `ft` (`user_id`),\n"
                                          "  KEY `user_id` (`user_id`),\n"
                                          "  UNIQUE KEY `ux_id` (`id`),\n"
                                          "  CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`user_id`) "
                                          "REFERENCES `users` (`id`)\n)"));
  CHECK(create.upgrade_sql.find("CREATE INDEX") == std::string::npos);
  CHECK(create.downgrade_sql.find("DROP INDEX") == std::string::npos);

  Constraint check;
  check.kind = Constraint::Kind::kCheck;
  check.name = "qty";
  check.expression = "`qty` >= 0";
  Table a = table("t", {col("id", "int(11)", true), col("qty", "int(11)")}, {pk({"id"})});
  Table b =
      table("t", {col("id", "int(11)", true), col("qty", "int(11)")}, {pk({"id", "qty"}), check});
  auto k = changes(with({a}), with({b}));
  CHECK_THAT(k.upgrade_sql, Contains("ALTER TABLE `t` DROP PRIMARY KEY;"));
  CHECK_THAT(k.upgrade_sql, Contains("ALTER TABLE `t` ADD PRIMARY KEY (`id`, `qty`);"));
  CHECK_THAT(k.upgrade_sql, Contains("ALTER TABLE `t` ADD CONSTRAINT `qty` CHECK (`qty` >= 0);"));
  CHECK_THAT(k.downgrade_sql, Contains("ALTER TABLE `t` DROP CONSTRAINT `qty`;"));
}

TEST_CASE("MariaDB: table options, and the columns that follow the table's collation") {
  Table a = table("t", {col("id", "int(11)", true), col("name", "varchar(20)"), col("n", "int")});
  Table b = a;
  b.options = {{"ENGINE", "Aria"}, {"DEFAULT CHARSET", "latin1"}, {"COLLATE", "latin1_swedish_ci"}};
  b.comment = "it's new";
  auto c = changes(with({a}), with({b}));
  CHECK_THAT(c.upgrade_sql, Contains("ALTER TABLE `t` ENGINE=Aria DEFAULT CHARSET=latin1 "
                                     "COLLATE=latin1_swedish_ci;"));
  CHECK_THAT(c.upgrade_sql, Contains("ALTER TABLE `t` COMMENT='it''s new';"));
  // The string column was of the old default and is of the new one: it is
  // changed with the table, named explicitly both ways.
  CHECK_THAT(c.upgrade_sql,
             Contains("ALTER TABLE `t` MODIFY COLUMN `name` varchar(20) CHARACTER SET latin1 "
                      "COLLATE latin1_swedish_ci NULL;"));
  CHECK_THAT(c.downgrade_sql,
             Contains("ALTER TABLE `t` MODIFY COLUMN `name` varchar(20) CHARACTER SET utf8mb4 "
                      "COLLATE utf8mb4_unicode_ci NULL;"));
  CHECK(c.upgrade_sql.find("`n`") == std::string::npos);
  CHECK_THAT(c.downgrade_sql, Contains("ALTER TABLE `t` COMMENT='';"));
}

TEST_CASE("MariaDB: views, triggers and rename notes are written with backticks") {
  Table t = table("t", {col("id", "int(11)", true), col("a", "text")});
  Schema a = with({t, table("old_logs", {col("id", "int(11)")})});
  Schema b = with({t, table("logs", {col("id", "int(11)")})});
  b.views["v"] = View{"v", "select `t`.`id` AS `id` from `t`", {}};
  b.triggers["tr"] = Trigger{"tr", "t",
                             "CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW BEGIN "
                             "SET NEW.a = 'x;y'; END"};
  auto c = changes(a, b);
  CHECK_THAT(c.upgrade_sql, Contains("CREATE OR REPLACE VIEW `v` AS select `t`.`id` AS `id` from "
                                     "`t`;"));
  CHECK_THAT(c.upgrade_sql, Contains("CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW BEGIN "
                                     "SET NEW.a = 'x;y'; END;"));
  CHECK_THAT(c.upgrade_sql, Contains("ALTER TABLE `old_logs` RENAME TO `logs`;"));
  CHECK_THAT(c.downgrade_sql, Contains("DROP VIEW `v`;"));
  CHECK_THAT(c.downgrade_sql, Contains("DROP TRIGGER `tr`;"));
  CHECK_THAT(c.downgrade_sql, Contains("ALTER TABLE `logs` RENAME TO `old_logs`;"));
  CHECK(quote_mariadb_name("we`ird") == "`we``ird`");
  CHECK(quote_mariadb_string("it's a \\") == "'it''s a \\\\'");
}

TEST_CASE("MariaDB: an index a kept foreign key uses changes with the key dropped around it") {
  Table users = table("users", {col("id", "int(11)", true)}, {pk({"id"})});
  Table posts = table("posts", {col("id", "int(11)", true), col("user_id", "int(11)")},
                      {pk({"id"}), fk("posts_ibfk_1", "user_id", "users")});
  auto c = changes(with({users, posts}, {index("ix", "posts", {"`user_id`"})}),
                   with({users, posts}, {index("ix", "posts", {"`user_id`", "`id`"})}));
  CHECK(c.upgrade_sql ==
        "-- dropped and added again below: ix changes under it\n"
        "ALTER TABLE `posts` DROP FOREIGN KEY `posts_ibfk_1`;\n\n"
        "DROP INDEX `ix` ON `posts`;\n\n"
        "CREATE INDEX `ix` ON `posts` (`user_id`, `id`);\n\n"
        "ALTER TABLE `posts` ADD CONSTRAINT `posts_ibfk_1` FOREIGN KEY (`user_id`) REFERENCES "
        "`users` (`id`);");
  CHECK(c.downgrade_sql.find("DROP FOREIGN KEY") < c.downgrade_sql.find("DROP INDEX"));
  CHECK(c.downgrade_sql.find("CREATE INDEX") < c.downgrade_sql.find("ADD CONSTRAINT"));
}

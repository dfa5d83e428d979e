// MariaDB introspection from information_schema into the schema model,
// against a real server: types, AUTO_INCREMENT, ON UPDATE, generated
// columns, JSON, collations, keys with prefixes, FULLTEXT, foreign keys,
// checks, views, triggers and table options; and the scratch database that
// loads the models and is always dropped.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "backend/backend.h"
#include "backend/mariadb/mariadb.h"
#include "backend/url.h"
#include "core/database_url.h"
#include "core/error.h"
#include "expect_error.h"
#include "mariadb_server.h"
#include "temp_dir.h"

using namespace retort;
using Catch::Matchers::Contains;
using retort::test::expect_error;
using retort::test::MariadbServer;
using retort::test::TempDir;
using retort::test::write_text;

namespace {

struct Db {
  std::string name = MariadbServer::get().create_database();
  std::unique_ptr<Driver> driver =
      open_driver(parse_database_url(MariadbServer::get().url(name), "test"), {});
  Schema read() { return introspect_mariadb(*driver, {{"skip_me"}, {}}); }
  std::string sql(const std::string& text) const { return MariadbServer::get().client(name, text); }
};

// Scratch databases this test process made: other test processes make their own
// at the same time, so a count over every scratch would race with them.
std::string scratches() {
  return MariadbServer::get().client(
      "retort_test",
      "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE "
      "'retort\\_scratch\\_" +
          std::to_string(getpid()) + "\\_%'");
}

bool database_exists(const std::string& name) {
  return MariadbServer::get().client(
             "retort_test",
             "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name +
                 "'") == "1\n";
}

}  // namespace

TEST_CASE("MariaDB introspection: columns, defaults, AUTO_INCREMENT, ON UPDATE, generated") {
  Db db;
  db.sql(
      "CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL "
      "DEFAULT 0, s VARCHAR(20) CHARACTER SET latin1 DEFAULT 'it''s', b BOOLEAN, nothing INT "
      "DEFAULT NULL, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
      "CURRENT_TIMESTAMP, twice INT AS (n * 2) VIRTUAL, kept INT AS (n + 1) STORED, doc JSON, "
      "e ENUM('a', 'b') DEFAULT 'a', note TEXT DEFAULT (concat('a', 'b')) COMMENT 'a note') "
      "ENGINE=InnoDB COMMENT='the t';"
      "CREATE TABLE skip_me (id INT);");
  Schema s = db.read();
  REQUIRE(s.tables.size() == 1);
  const Table& t = s.tables.at("t");
  CHECK(t.comment == "the t");
  CHECK(t.options.at("ENGINE") == "InnoDB");
  CHECK(t.options.at("DEFAULT CHARSET") == "utf8mb4");
  REQUIRE(t.columns.size() == 11);
  auto c = [&](const char* name) { return *t.column(name); };
  CHECK(c("id").type == "int(10) unsigned");
  CHECK(c("id").default_sql == "AUTO_INCREMENT");
  CHECK(c("id").not_null);
  CHECK(c("n").default_sql == "0");
  CHECK(c("s").collation == "latin1_swedish_ci");
  CHECK(c("s").default_sql == "'it''s'");
  CHECK(c("b").type == "tinyint(1)");
  CHECK_FALSE(c("b").default_sql);
  CHECK_FALSE(c("nothing").default_sql);  // DEFAULT NULL is what a nullable column has anyway
  CHECK(c("at").default_sql == "current_timestamp()");
  CHECK(c("at").on_update == "current_timestamp()");
  CHECK(c("twice").generated);
  CHECK(c("twice").definition == "GENERATED ALWAYS AS (`n` * 2) VIRTUAL");
  CHECK(c("kept").definition == "GENERATED ALWAYS AS (`n` + 1) STORED");
  // JSON is longtext with a check MariaDB adds itself: neither shows.
  CHECK(c("doc").type == "json");
  CHECK(c("doc").collation.empty());
  CHECK(c("e").type == "enum('a','b')");
  CHECK(c("e").collation.empty());  // the table's
  CHECK(c("note").default_sql == "concat('a','b')");
  CHECK(c("note").comment == "a note");
  REQUIRE(t.constraints.size() == 1);
  CHECK(t.constraints[0].kind == Constraint::Kind::kPrimaryKey);
  CHECK(t.constraints[0].columns == std::vector<std::string>{"id"});
}

TEST_CASE("MariaDB introspection: keys, foreign keys, checks, views and triggers") {
  Db db;
  db.sql(
      "CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(10) UNIQUE, body TEXT, FULLTEXT KEY "
      "ft_body (body));"
      "CREATE TABLE c (id INT PRIMARY KEY, pid INT, qty INT CHECK (qty > 0), url "
      "VARCHAR(500), CONSTRAINT c_p FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE, "
      "CONSTRAINT qty_small CHECK (qty < 100), KEY ix_url (url(20), id DESC));"
      "CREATE VIEW v AS SELECT c.id, p.code FROM c JOIN p ON p.id = c.pid;"
      "CREATE TRIGGER tr BEFORE INSERT ON c FOR EACH ROW SET NEW.qty = 1;");
  Schema s = db.read();
  const Table& c = s.tables.at("c");
  std::vector<std::string> described;
  for (const auto& k : c.constraints)
    described.push_back(k.name + ": " + describe(k));
  CHECK(described == std::vector<std::string>{"PRIMARY: PRIMARY KEY (id)",
                                              "c_p: FOREIGN KEY (pid) REFERENCES p (id) ON DELETE "
                                              "CASCADE",
                                              "qty: CHECK (`qty` > 0)",
                                              "qty_small: CHECK (`qty` < 100)"});
  // Index names are per table: keyed by table and name.
  REQUIRE(s.indexes.count("p.code"));
  CHECK(s.indexes.at("p.code").unique);
  CHECK(s.indexes.at("p.ft_body").method == "fulltext");
  CHECK(s.indexes.at("c.ix_url").elements == std::vector<std::string>{"`url`(20)", "`id` DESC"});
  CHECK(s.indexes.at("c.c_p").elements == std::vector<std::string>{"`pid`"});  // the key's own
  // The database's own name is taken off the names it qualifies.
  CHECK(s.views.at("v").definition ==
        "select `c`.`id` AS `id`,`p`.`code` AS `code` from (`c` join `p` on(`p`.`id` = "
        "`c`.`pid`))");
  CHECK(s.triggers.at("tr").sql ==
        "CREATE TRIGGER `tr` BEFORE INSERT ON `c` FOR EACH ROW SET NEW.qty = 1");
}

TEST_CASE("MariaDB models load into a scratch database that is always dropped") {
  Db db;
  db.sql("CREATE TABLE kept (id INT PRIMARY KEY);");
  TempDir tmp;
  write_text(tmp / "a.sql", "CREATE TABLE users (id INT PRIMARY KEY);\n");
  write_text(tmp / "b.sql",
             "CREATE INDEX ix_users ON users (id);\n\nCREATE VIEW v AS\n  SELECT "
             "nope FROM users;\n");
  Schema ok = load_models_mariadb(*db.driver, {tmp / "a.sql"}, {});
  CHECK(ok.tables.count("users"));
  CHECK_FALSE(ok.tables.count("kept"));
  Error e = expect_error([&] {
    load_models_mariadb(*db.driver, {tmp / "a.sql", tmp / "b.sql"}, {});
  });
  CHECK_THAT(e.what(), Contains("Unknown column 'nope'"));
  CHECK(e.file().find("b.sql") != std::string::npos);
  CHECK(e.line() == 3);
  // The target is unchanged and still the connection's database; no scratch is left.
  Schema after = db.read();
  CHECK(after.tables.size() == 1);
  CHECK(after.tables.count("kept"));
  CHECK(db.driver->query("SELECT DATABASE()")[0][0] == db.name);
  CHECK(scratches() == "0\n");
}

TEST_CASE("MariaDB models: a scratch database left by a killed run is dropped when an hour old") {
  Db db;
  auto& server = MariadbServer::get();
  const std::string old_scratch = "retort_scratch_1_1000000000_deadbeef";
  const std::string recent_scratch =
      "retort_scratch_2_" +
      server.client("retort_test", "SELECT UNIX_TIMESTAMP() - 60").substr(0, 10) + "_cafe";
  server.client("retort_test",
                "CREATE DATABASE " + old_scratch + "; CREATE DATABASE " + recent_scratch + ";");
  TempDir tmp;
  write_text(tmp / "m.sql", "CREATE TABLE t (id INT);\n");
  load_models_mariadb(*db.driver, {tmp / "m.sql"}, {});
  // The old one is gone; one a minute old may be another run's, still going.
  CHECK_FALSE(database_exists(old_scratch));
  CHECK(database_exists(recent_scratch));
  CHECK(scratches() == "0\n");
  server.client("retort_test", "DROP DATABASE " + recent_scratch);
}

TEST_CASE("MariaDB models: USE, CREATE DATABASE and names of the target are refused") {
  Db db;
  TempDir tmp;
  write_text(tmp / "use.sql", "CREATE TABLE a (id INT);\n\nUSE " + db.name + ";\n");
  Error use = expect_error([&] { load_models_mariadb(*db.driver, {tmp / "use.sql"}, {}); });
  CHECK_THAT(use.what(), Contains("the models may not switch to a database"));
  CHECK(use.line() == 3);
  write_text(tmp / "db.sql", "create database x;\n");
  Error create = expect_error([&] { load_models_mariadb(*db.driver, {tmp / "db.sql"}, {}); });
  CHECK_THAT(create.what(), Contains("the models may not create, alter or drop a database"));
  write_text(tmp / "qualified.sql", "CREATE TABLE `" + db.name + "`.sneaky (id INT);\n");
  Error qualified =
      expect_error([&] { load_models_mariadb(*db.driver, {tmp / "qualified.sql"}, {}); });
  CHECK_THAT(qualified.what(),
             Contains("the models create or change tables in the database " + db.name));
  CHECK(scratches() == "0\n");
  db.sql("DROP TABLE sneaky");
}

TEST_CASE("MariaDB models: a user who may not CREATE DATABASE is told what to grant") {
  Db db;
  auto& server = MariadbServer::get();
  server.client("retort_test",
                "CREATE USER IF NOT EXISTS 'retort_nocreate'@'%' IDENTIFIED BY 'nocreate-pw';"
                "GRANT SELECT, INSERT ON `" +
                    db.name + "`.* TO 'retort_nocreate'@'%';");
  auto d = open_driver(parse_database_url("mariadb://retort_nocreate:nocreate-pw@" + server.host() +
                                              ":" + std::to_string(server.port()) + "/" + db.name,
                                          "test"),
                       {});
  TempDir tmp;
  write_text(tmp / "m.sql", "CREATE TABLE t (id INT);\n");
  Error e = expect_error([&] { load_models_mariadb(*d, {tmp / "m.sql"}, {}); });
  CHECK_THAT(e.what(), Contains("Access denied"));
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints().back(), Contains("the database user needs the CREATE privilege"));
  CHECK_THAT(e.hints().back(), Contains("ON `retort\\_scratch\\_%`.*"));
  server.client("retort_test", "DROP USER 'retort_nocreate'@'%'");
}

TEST_CASE("MariaDB models: procedures, events and sequences the database lacks are named") {
  Db db;
  TempDir tmp;
  write_text(tmp / "m.sql",
             "CREATE TABLE t (id INT);\n"
             "CREATE PROCEDURE touch() BEGIN UPDATE t SET id = id; END;\n"
             "CREATE SEQUENCE ids;\n");
  Error e = expect_error([&] { load_models_mariadb(*db.driver, {tmp / "m.sql"}, {}); });
  CHECK(std::string(e.what()) ==
        "the models create procedure touch, sequence ids, which autogenerate does not write "
        "revisions for, and the database has none of that name");
  CHECK(scratches() == "0\n");
  // Once the database has them, the models load.
  db.sql("CREATE PROCEDURE touch() BEGIN END; CREATE SEQUENCE ids;");
  Schema s = load_models_mariadb(*db.driver, {tmp / "m.sql"}, {});
  CHECK(s.tables.count("t"));
  CHECK_FALSE(s.tables.count("ids"));
}

// What only the MariaDB driver has: statements as the server parses them
// (stored programs with BEGIN ... END bodies and no DELIMITER, # comments,
// backslash escapes, backtick names), errors with the server's number and
// SQLSTATE at the statement's line, GET_LOCK() for the run, and warnings.
#include <catch2/catch.hpp>

#include "expect_error.h"
#include "test_database.h"

using namespace retort;
using namespace retort::test;
using Catch::Contains;

namespace {

SqlOrigin in_file(int first_line = 10) {
  return {"versions/0001_my.sql", first_line, "my"};
}

}  // namespace

TEST_CASE("MariaDB: stored programs keep their BEGIN ... END bodies without DELIMITER") {
  TestDatabase db("mariadb");
  auto d = db.open();
  d->execute(
      "CREATE TABLE `order` (id INT PRIMARY KEY, note VARCHAR(40) DEFAULT 'a;b'); # a # comment\n"
      "CREATE PROCEDURE add_order(IN n INT)\n"
      "BEGIN\n"
      "  DECLARE i INT DEFAULT 0;\n"
      "  WHILE i < n DO\n"
      "    SET i = i + 1;\n"
      "    IF i % 2 = 0 THEN\n"
      "      INSERT INTO `order` (id, note) VALUES (i, 'even; \\'quoted\\'');\n"
      "    ELSE\n"
      "      INSERT INTO `order` (id) VALUES (i);\n"
      "    END IF;\n"
      "  END WHILE;\n"
      "END;\n"
      "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC\n"
      "BEGIN\n"
      "  RETURN x * 2;\n"
      "END;\n"
      "CREATE TRIGGER order_bi BEFORE INSERT ON `order` FOR EACH ROW\n"
      "BEGIN\n"
      "  IF NEW.id > 100 THEN SET NEW.note = 'big;'; END IF;\n"
      "END;\n"
      "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM `order` WHERE id < 0; "
      "END;\n"
      "CALL add_order(4);\n"
      "INSERT INTO `order` (id) VALUES (twice(60));\n",
      in_file());
  CHECK(db.count("`order`") == 5);
  CHECK(db.value("SELECT note FROM `order` WHERE id = 2") == "even; 'quoted'");
  CHECK(db.value("SELECT note FROM `order` WHERE id = 1") == "a;b");
  CHECK(db.value("SELECT note FROM `order` WHERE id = 120") == "big;");
  CHECK(db.value("SELECT count(*) FROM information_schema.events WHERE event_name = 'nightly'") ==
        "1");
}

TEST_CASE("MariaDB: an error names the statement's line, the error number and SQLSTATE") {
  TestDatabase db("mariadb");
  auto d = db.open();
  auto e = expect_error([&] {
    d->execute(
        "CREATE TABLE a (x INT);\n# comment\n\nINSERT INTO a VALUES (1);\nSELECT *\nFROM\n"
        "a WHERE WHERE;",
        in_file(20));
  });
  CHECK(e.file() == "versions/0001_my.sql");
  // The statement starts on line 24; the server's "at line 3" is its third.
  CHECK(e.line() == 26);
  CHECK_THAT(e.what(), Contains("(MariaDB error 1064, SQLSTATE 42000)"));
  CHECK_THAT(e.format(), Contains("in statement: SELECT *"));
  CHECK(e.category() == ErrorCategory::kSyntax);
  auto dup = expect_error([&] {
    d->execute(
        "INSERT INTO a VALUES (1);\nALTER TABLE a ADD PRIMARY KEY (x);\nINSERT INTO a "
        "VALUES (1);",
        in_file(1));
  });
  CHECK(dup.line() == 2);
  CHECK_THAT(dup.what(), Contains("Duplicate entry '1' for key 'PRIMARY' (MariaDB error 1062, "
                                  "SQLSTATE 23000)"));
  CHECK(dup.is_rows());
}

TEST_CASE("MariaDB: the run lock is GET_LOCK() per version table, bounded by the lock timeout") {
  TestDatabase db("mariadb");
  auto first = db.open(200);
  auto second = db.open(200);
  first->lock_run("retort_version");
  auto e = expect_error([&] { second->lock_run("retort_version"); });
  CHECK_THAT(e.what(), Contains("another deployer holds the lock on retort_version"));
  CHECK(e.category() == ErrorCategory::kLock);
  second->lock_run("other_version");  // another version table, another lock
  second->unlock_run();
  first->unlock_run();
  second->lock_run("retort_version");
  second->unlock_run();
  // The lock goes with the connection.
  first->lock_run("retort_version");
  first.reset();
  second->lock_run("retort_version");
}

TEST_CASE("MariaDB: warnings a revision raises are kept for the migrator to show") {
  TestDatabase db("mariadb");
  auto d = db.open();
  d->execute("CREATE TABLE w (c VARCHAR(3));", {});
  d->execute("DROP TABLE IF EXISTS no_such_table;", in_file());
  auto messages = d->take_messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].severity == "NOTICE");
  CHECK_THAT(messages[0].text, Contains("no_such_table"));
  // retort's own statements say nothing.
  d->execute("DROP TABLE IF EXISTS other_missing;", {});
  CHECK(d->take_messages().empty());
}

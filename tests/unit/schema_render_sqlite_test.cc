// SQLite lowering and rendering: which changes stay ALTER TABLE and which
// become a rebuild, and the exact SQL of each.
#include <catch2/catch.hpp>

#include "backend/sqlite/sqlite.h"
#include "migrate/autogenerate.h"
#include "schema/diff.h"
#include "schema/schema_dialect.h"
#include "temp_dir.h"

using namespace retort;
using Catch::Matchers::Contains;
using retort::test::TempDir;
using retort::test::write_text;

namespace {

Schema load(const std::string& sql) {
  TempDir d;
  write_text(d / "m.sql", sql);
  return load_models_sqlite({d / "m.sql"}, {});
}

std::string upgrade(const std::string& a, const std::string& b) {
  return compare_schemas(load(a), load(b), *make_sqlite_schema_dialect()).upgrade_sql;
}

std::string downgrade(const std::string& a, const std::string& b) {
  return compare_schemas(load(a), load(b), *make_sqlite_schema_dialect()).downgrade_sql;
}

const char* const kUsers = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);";

}  // namespace

TEST_CASE("a plain column is added and dropped with ALTER TABLE") {
  std::string b =
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INT NOT NULL DEFAULT 0);";
  CHECK(upgrade(kUsers, b) == "ALTER TABLE \"users\" ADD COLUMN n INT NOT NULL DEFAULT 0;");
  CHECK(downgrade(kUsers, b) ==
        "-- WARNING: data loss: drops column users.n and its values\n"
        "ALTER TABLE \"users\" DROP COLUMN \"n\";");
}

TEST_CASE("what ALTER TABLE cannot do becomes one rebuild per table") {
  const char* cases[] = {
      // NOT NULL without a default, an expression default, UNIQUE, REFERENCES, CHECK
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INT NOT NULL);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, at TEXT DEFAULT "
      "CURRENT_TIMESTAMP);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INT UNIQUE);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INT REFERENCES users);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, n INT CHECK (n > 0));",
      // type, nullability, primary key
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email BLOB NOT NULL);",
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
      "CREATE TABLE users (id INTEGER, email TEXT NOT NULL PRIMARY KEY);",
  };
  for (const char* b : cases) {
    INFO(b);
    std::string up = upgrade(kUsers, b);
    CHECK_THAT(up, Contains("-- Rebuild users: SQLite's ALTER TABLE cannot make these changes:"));
    CHECK_THAT(up, Contains("CREATE TABLE \"_retort_new_users\" ("));
    CHECK_THAT(up, Contains("DROP TABLE \"users\";\nPRAGMA legacy_alter_table = ON;\n"
                            "ALTER TABLE \"_retort_new_users\" RENAME TO \"users\";\n"
                            "PRAGMA legacy_alter_table = OFF;\n"));
    CHECK_THAT(
        downgrade(kUsers, b),
        Contains(
            "CREATE TABLE \"_retort_new_users\" (id INTEGER PRIMARY KEY, email TEXT NOT NULL);"));
  }
}

TEST_CASE("the rebuild: guard, copy, rename, shared indexes and triggers, foreign key check") {
  std::string a =
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT, t TEXT, old TEXT);\n"
      "CREATE INDEX ix_keep ON posts (user_id);\n"
      "CREATE INDEX ix_gone ON posts (old);\n"
      "CREATE TRIGGER tr AFTER DELETE ON posts BEGIN SELECT 1; END;\n";
  std::string b =
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT REFERENCES users (id), t TEXT NOT "
      "NULL DEFAULT '');\n"
      "CREATE INDEX ix_keep ON posts (user_id);\n"
      "CREATE TRIGGER tr AFTER DELETE ON posts BEGIN SELECT 1; END;\n";
  CHECK(upgrade(a, b) ==
        "-- SQLite table rebuilds follow. They need foreign key enforcement off (SQLite's\n"
        "-- default, and retort's), so that dropping the old table deletes nothing else.\n"
        "CREATE TEMP TABLE _retort_rebuild_guard (\n"
        "  foreign_keys_off INTEGER CHECK (foreign_keys_off),\n"
        "  foreign_key_violations INTEGER CHECK (foreign_key_violations = 0)\n"
        ");\n"
        "INSERT INTO _retort_rebuild_guard SELECT foreign_keys = 0, 0 FROM pragma_foreign_keys;\n"
        "\n"
        "DROP INDEX \"ix_gone\";\n"
        "\n"
        "-- Rebuild posts: SQLite's ALTER TABLE cannot make these changes:\n"
        "--   change column posts.t: NULL -> NOT NULL, default none -> ''\n"
        "--   drop column posts.old\n"
        "--   add constraint on posts: FOREIGN KEY (user_id) REFERENCES users (id)\n"
        "-- WARNING: data loss: drops column posts.old and its values\n"
        "CREATE TABLE \"_retort_new_posts\" (id INTEGER PRIMARY KEY, user_id INT REFERENCES users "
        "(id), t TEXT NOT NULL DEFAULT '');\n"
        "INSERT INTO \"_retort_new_posts\" (\"id\", \"user_id\", \"t\")\n"
        "  SELECT \"id\", \"user_id\", coalesce(\"t\", '') FROM \"posts\";\n"
        "DROP TABLE \"posts\";\n"
        "PRAGMA legacy_alter_table = ON;\n"
        "ALTER TABLE \"_retort_new_posts\" RENAME TO \"posts\";\n"
        "PRAGMA legacy_alter_table = OFF;\n"
        "CREATE INDEX ix_keep ON posts (user_id);\n"
        "CREATE TRIGGER tr AFTER DELETE ON posts BEGIN SELECT 1; END;\n"
        "\n"
        "-- Stop before commit if a rebuilt table's rows break a foreign key.\n"
        "INSERT INTO _retort_rebuild_guard SELECT 1, count(*) FROM "
        "pragma_foreign_key_check('posts');\n"
        "DROP TABLE temp._retort_rebuild_guard;");
}

TEST_CASE("narrowing a type warns about data loss") {
  std::string a = "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT);";
  std::string b = "CREATE TABLE t (id INTEGER PRIMARY KEY, code INTEGER);";
  CHECK_THAT(upgrade(a, b), Contains("-- WARNING: data loss: t.code changes from TEXT to INTEGER"));
  CHECK_THAT(downgrade(a, b), !Contains("WARNING"));
}

TEST_CASE("views, triggers and indexes render from the text the database kept") {
  std::string b = std::string(kUsers) +
                  "\nCREATE VIEW v AS SELECT email FROM users;\n"
                  "CREATE UNIQUE INDEX ux ON users (lower(email)) WHERE email <> '';";
  CHECK(upgrade(kUsers, b) ==
        "CREATE UNIQUE INDEX ux ON users (lower(email)) WHERE email <> '';\n\n"
        "CREATE VIEW v AS SELECT email FROM users;");
  CHECK(downgrade(kUsers, b) == "DROP VIEW \"v\";\n\nDROP INDEX \"ux\";");
}

// The overloads that take the application's own sqlite3*: the connection is
// migrated as it is, stays open and usable, and the tool reads the result.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "tool_runner.h"

#include "embedded_test_migrations.h"

using Catch::Contains;
using retort::test::TempDir;

namespace {

std::string one_value(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

TEST_CASE("upgrade on the application's open SQLite connection leaves it open and usable") {
  TempDir dir;
  const std::string path = dir / "app.db";
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const retort::Script& script = embedded_test_migrations();

  CHECK_FALSE(retort::is_current(script, db));
  CHECK(retort::status(script, db).pending ==
        std::vector<std::string>{"e1a0c0ffee01", "e1a0c0ffee02"});
  retort::Result r = retort::upgrade(script, db);
  CHECK(r.applied.size() == 2);
  CHECK(r.heads == std::vector<std::string>{"e1a0c0ffee02"});
  // Still the application's: it reads what the revisions wrote.
  CHECK(one_value(db, "SELECT name FROM accounts") == "say \"hi\" \\ ?\?= é");
  CHECK(retort::upgrade(script, db).applied.empty());
  CHECK(retort::is_current(script, db));
  CHECK(retort::current(script, db) == std::vector<std::string>{"e1a0c0ffee02"});

  retort::test::RunOptions in_tests;
  in_tests.cwd = RETORT_SOURCE_DIR "/tests";
  auto current = retort::test::run_retort(
      {"--script-location", "runtime/migrations", "--url", "sqlite:///" + path, "current"},
      in_tests);
  CHECK(current.out == "e1a0c0ffee02 (head)\n");

  // Inside a transaction of the application's: refused, nothing done.
  REQUIRE(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
  try {
    retort::downgrade(script, db, "base");
    FAIL("downgrade ran inside the application's transaction");
  } catch (const retort::Error& e) {
    CHECK_THAT(e.what(), Contains("is inside a transaction: nothing was done"));
  }
  REQUIRE(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  CHECK(retort::downgrade(script, db, "base").heads.empty());
  CHECK(one_value(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'accounts'") == "0");
  CHECK(sqlite3_close(db) == SQLITE_OK);  // nothing of retort's left open on it
}

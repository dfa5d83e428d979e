// The run lock of an application's run is the tool's: a SQLite database
// another connection holds the write lock on makes upgrade wait for
// Options::lock_timeout, then fail as a lock error with nothing applied.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <sstream>

#include "project.h"

// After every header of the tool's: see tool/src/runtime/core_names.h.
#include <retort/retort.h>

using namespace retort::test;
using Catch::Contains;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("an application's upgrade waits for the lock timeout, then fails as a lock error") {
  Project p;
  p.add_chain(2);
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  const std::string first = slurp(p.versions() + "/0001_r0001.sql");
  const std::string second = slurp(p.versions() + "/0002_r0002.sql");
  retort::ScriptFile files[] = {
      {"migrations/versions/0001_r0001.sql", first.c_str(), first.size()},
      {"migrations/versions/0002_r0002.sql", second.c_str(), second.size()}};
  retort::Script script(files, 2);

  sqlite3* holder = nullptr;
  REQUIRE(sqlite3_open(p.db().c_str(), &holder) == SQLITE_OK);
  REQUIRE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  retort::Options o;
  o.lock_timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  try {
    retort::upgrade(script, p.database().url, "head", o);
    FAIL("upgrade went through a held write lock");
  } catch (const retort::v1::Error& e) {
    INFO(e.format());
    CHECK(e.kind() == retort::ErrorKind::kLock);
    CHECK_THAT(e.what(), Contains("is locked by another process"));
  }
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(300));
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);

  CHECK(retort::upgrade(script, p.database().url).heads == std::vector<std::string>{"r0002"});
}

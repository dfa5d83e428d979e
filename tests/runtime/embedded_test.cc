// The files retort_embed_migrations() generated from tests/runtime/migrations:
// the constants of the header and a script equal to the files on disk.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "temp_dir.h"
#include "tool_runner.h"

#include "embedded_test_migrations.h"

using retort::test::TempDir;

static_assert(embedded_test_migrations_head == "e1a0c0ffee02");
static_assert(embedded_test_migrations_heads.size() == 1);
static_assert(embedded_test_migrations_revision_count == 2);

TEST_CASE("the generated script holds every revision as its file says") {
  const retort::Script& s = embedded_test_migrations();
  REQUIRE(s.revisions().size() == 2);
  const retort::RevisionInfo& r = s.revisions()[1];
  CHECK(r.id == "e1a0c0ffee02");
  CHECK(r.parents == std::vector<std::string>{"e1a0c0ffee01"});
  CHECK(r.message == "text the generated literal must carry: \"quotes\", \\backslashes, ?\?=, é");
  CHECK(r.file == "runtime/migrations/versions/20261202000000_quote_and_bytes.sql");
  CHECK(r.upgrade.marker_line == 6);
  CHECK(r.upgrade.first_line == 7);
  CHECK(r.upgrade.transactional);
  CHECK_FALSE(r.downgrade.transactional);
  CHECK(s.heads() == std::vector<std::string>{"e1a0c0ffee02"});
  CHECK(&s == &embedded_test_migrations());  // parsed once
}

TEST_CASE("the generated script upgrades a SQLite database and the tool agrees") {
  TempDir dir;
  const std::string url = "sqlite:///" + dir.path() + "/app.db";
  auto r = retort::upgrade(embedded_test_migrations(), url);
  CHECK(r.applied.size() == 2);
  CHECK(r.heads == std::vector<std::string>{std::string(embedded_test_migrations_head)});
  CHECK(retort::is_current(embedded_test_migrations(), url));
  // The tool, on the files the script was generated from, finds them unedited.
  retort::test::RunOptions in_tests;
  in_tests.cwd = RETORT_SOURCE_DIR "/tests";
  auto verify = retort::test::run_retort(
      {"--script-location", "runtime/migrations", "--url", url, "verify"}, in_tests);
  CHECK(verify.exit_code == 0);
  CHECK(verify.out == "OK: 2 applied revision(s) match their files\n");
}

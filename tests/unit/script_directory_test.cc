// ScriptDirectory::load(): every versions/*.sql, in file-name order, with the
// parse errors of all files reported together.
#include "core/script_directory.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "expect_error.h"
#include "temp_dir.h"

using Catch::Matchers::Contains;
using retort::ScriptDirectory;
using retort::test::expect_error;
using retort::test::TempDir;
using retort::test::write_text;

namespace {

std::string revision_text(const std::string& id, const std::string& down) {
  return "-- revision: " + id + "\n-- down_revision: " + down +
         "\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 2;\n";
}

}  // namespace

TEST_CASE("load() reads versions/*.sql sorted by file name", "[script_directory]") {
  TempDir tmp;
  ScriptDirectory dir{tmp / "migrations"};
  CHECK(dir.versions_dir() == tmp / "migrations/versions");
  CHECK(dir.template_path() == tmp / "migrations/script.sql.tmpl");
  write_text(dir.versions_dir() + "/20250102000000_second.sql",
             revision_text("bbbb0002", "aaaa0001"));
  write_text(dir.versions_dir() + "/20250101000000_first.sql", revision_text("aaaa0001", ""));
  write_text(dir.versions_dir() + "/20250103000000_third.sql",
             revision_text("cccc0003", "bbbb0002"));
  write_text(dir.versions_dir() + "/README.md", "not a revision");
  write_text(dir.versions_dir() + "/.20250104000000_editor_swap.sql", "garbage");
  write_text(dir.versions_dir() + "/notes.sql.bak", "garbage");

  auto revs = dir.load();
  REQUIRE(revs.size() == 3);
  CHECK(revs[0].id == "aaaa0001");
  CHECK(revs[1].id == "bbbb0002");
  CHECK(revs[2].id == "cccc0003");
  CHECK_THAT(revs[0].path, Contains("20250101000000_first.sql"));
}

TEST_CASE("load() of an empty versions/ gives no revisions", "[script_directory]") {
  TempDir tmp;
  std::filesystem::create_directories(tmp / "m/versions");
  CHECK(ScriptDirectory{tmp / "m"}.load().empty());
}

TEST_CASE("load() reports the errors of every bad file at once", "[script_directory]") {
  TempDir tmp;
  ScriptDirectory dir{tmp / "m"};
  write_text(dir.versions_dir() + "/1_good.sql", revision_text("aaaa0001", ""));
  write_text(dir.versions_dir() + "/2_bad.sql", revision_text("bad-id", "aaaa0001"));
  write_text(dir.versions_dir() + "/3_worse.sql", "-- revision: cccc0003\n");
  retort::Error e = expect_error([&] { dir.load(); });
  std::string f = e.format();
  CHECK_THAT(f, Contains("2_bad.sql:1: invalid revision id 'bad-id'"));
  CHECK_THAT(f, Contains("3_worse.sql: missing '-- down_revision:' header"));
  CHECK_THAT(f, Contains("3_worse.sql: missing '-- migrate:upgrade' section"));
}

TEST_CASE("load() without versions/ says to run retort init", "[script_directory]") {
  TempDir tmp;
  retort::Error e = expect_error([&] { ScriptDirectory{tmp / "nowhere"}.load(); });
  CHECK_THAT(e.what(), Contains("migration directory"));
  CHECK_THAT(e.what(), Contains("does not exist"));
  CHECK_THAT(e.format(), Contains("retort init"));
  CHECK_THAT(e.format(), Contains("script_location"));
}

TEST_CASE("display_path: relative below the working directory, else absolute",
          "[script_directory]") {
  auto cwd = std::filesystem::current_path();
  CHECK(retort::display_path((cwd / "a/b.sql").string()) == "a/b.sql");
  CHECK(retort::display_path("a/./b.sql") == "a/b.sql");
  CHECK(retort::display_path("/") == "/");
}

TEST_CASE("file names the build cannot carry are told apart from those it can",
          "[script_directory]") {
  using retort::unbuildable_name_reason;
  for (const char* ok : {"0001_add users.sql", "2026_01_02_abc-def.sql", "r+1@x,y=z.sql",
                         "\xc3\xa9t\xc3\xa9.sql", "a'b.sql"}) {
    CAPTURE(ok);
    CHECK(unbuildable_name_reason(ok).empty());
  }
  CHECK(unbuildable_name_reason("a;b.sql") == "holds ';', where CMake splits a list");
  CHECK(unbuildable_name_reason("a$b.sql") == "holds '$', which Make and Ninja read");
  CHECK(unbuildable_name_reason("a#b.sql") == "holds '#', which Make and Ninja read");
  CHECK(unbuildable_name_reason("a\tb.sql") == "holds a control character");
  CHECK(unbuildable_name_reason("a\x7f.sql") == "holds a control character");
  CHECK(unbuildable_name_reason("sub/a.sql") == "holds '/', which would put it outside versions/");
  CHECK_FALSE(unbuildable_name_reason("a`b.sql").empty());
  CHECK_FALSE(unbuildable_name_reason("a\\b.sql").empty());
  CHECK_FALSE(unbuildable_name_reason("a\"b.sql").empty());
}

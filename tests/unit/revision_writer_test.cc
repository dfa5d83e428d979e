// New revision files: ids, slugs, file names, and write_revision(), which
// must never replace a file or leave a broken revision behind.
#include "core/revision_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "core/error.h"
#include "core/revision.h"
#include "expect_error.h"
#include "temp_dir.h"

using Catch::Matchers::Contains;
using retort::NewRevision;
using retort::revision_file_name;
using retort::slugify;
using retort::write_revision;
using retort::test::expect_error;
using retort::test::read_text;
using retort::test::TempDir;
using retort::test::write_text;

namespace fs = std::filesystem;

namespace {

bool is_safe_slug(const std::string& s) {
  return std::regex_match(s, std::regex("[a-z0-9]+(_[a-z0-9]+)*"));
}

// A script location with versions/ and the default template.
std::string make_script_location(const TempDir& tmp) {
  std::string root = tmp / "migrations";
  fs::create_directories(root + "/versions");
  write_text(root + "/script.sql.tmpl", retort::default_template());
  return root;
}

size_t count_files(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("new_revision_id: 12 lowercase hex digits, different every time", "[writer]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = retort::new_revision_id();
    CAPTURE(id);
    CHECK(std::regex_match(id, std::regex("[0-9a-f]{12}")));
    CHECK(retort::is_valid_revision_id(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("slugify: ordinary messages", "[writer]") {
  CHECK(slugify("Add users table!") == "add_users_table");
  CHECK(slugify("  add   index on users(email)  ") == "add_index_on_users_email");
  CHECK(slugify("v2 schema") == "v2_schema");
}

TEST_CASE("slugify: hostile input becomes a safe slug", "[writer]") {
  for (const std::string msg : {"'; DROP TABLE users; --", "$(rm -rf /)", "`reboot`",
                                "../../etc/passwd", "a/b\\c", "x\ny\rz\t", "\"quoted\" & <tagged>",
                                "caf\xC3\xA9 na\xC3\xAFve", "%(slug)s ${revision}", "a:b*c?d|e"}) {
    CAPTURE(msg);
    std::string s = slugify(msg);
    CAPTURE(s);
    CHECK(is_safe_slug(s));
  }
  CHECK(slugify("../../etc/passwd") == "etc_passwd");
  CHECK(slugify("caf\xC3\xA9 au lait") == "caf_au_lait");
}

TEST_CASE("slugify: never empty, never too long", "[writer]") {
  CHECK(slugify("") == "revision");
  CHECK(slugify("!!! ???") == "revision");
  CHECK(slugify("\xE2\x9C\x85\xF0\x9F\x9A\x80") == "revision");  // only emoji
  std::string longest = slugify(std::string(500, 'x') + " tail");
  CHECK(longest.size() <= 40);
  CHECK(is_safe_slug(longest));
  std::string words = slugify("one two three four five six seven eight nine ten eleven");
  CHECK(words.size() <= 40);
  CHECK(is_safe_slug(words));  // no trailing '_' where it was cut
}

TEST_CASE("revision_file_name fills the template", "[writer]") {
  // 2025-06-26 23:55:01 UTC
  const long long t = 1750982101;
  const std::string def = "%(year)s%(month)s%(day)s%(hour)s%(minute)s%(second)s_%(slug)s";
  CHECK(revision_file_name(def, "cf1283d7fa92", "add users table", t, true) ==
        "20250626235501_add_users_table.sql");
  CHECK(revision_file_name("%(rev)s_%(slug)s", "cf1283d7fa92", "Add users", t, true) ==
        "cf1283d7fa92_add_users.sql");
  CHECK(revision_file_name("%(epoch)s_%(slug)s", "x", "m", t, true) == "1750982101_m.sql");
  CHECK(revision_file_name(def, "x", "", 0, true) == "19700101000000_revision.sql");
  // The slug of a hostile message cannot add a directory.
  CHECK(revision_file_name(def, "x", "../../../etc/cron.d/evil", t, true).find('/') ==
        std::string::npos);
}

TEST_CASE("write_revision writes a file that parses back", "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  NewRevision rev;
  rev.id = "abcdef012345";
  rev.down_revisions = {"111111111111", "222222222222"};
  rev.depends_on = {"333333333333"};
  rev.branch_labels = {"billing"};
  rev.message = "merge\nheads";  // a newline must not break the header
  rev.upgrade_sql = "CREATE TABLE t (x INTEGER);";
  rev.downgrade_sql = "DROP TABLE t;";
  std::string path = write_revision(root, "%(rev)s_%(slug)s", true, rev);
  CHECK(fs::path(path).filename() == "abcdef012345_merge_heads.sql");
  CHECK(fs::path(path).parent_path() == fs::path(root + "/versions"));

  retort::Revision r = retort::parse_revision(read_text(path), path);
  CHECK(r.id == "abcdef012345");
  CHECK(r.down_revisions == std::vector<std::string>{"111111111111", "222222222222"});
  CHECK(r.depends_on == std::vector<std::string>{"333333333333"});
  CHECK(r.branch_labels == std::vector<std::string>{"billing"});
  CHECK(r.message == "merge heads");
  CHECK_THAT(r.upgrade.sql, Contains("CREATE TABLE t (x INTEGER);"));
  CHECK_THAT(r.downgrade.sql, Contains("DROP TABLE t;"));
  CHECK(std::regex_search(r.created, std::regex(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$)")));
}

TEST_CASE("write_revision: a root gets a fresh id and an empty down_revision", "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  NewRevision rev;
  rev.message = "initial schema";
  std::string path = write_revision(root, "%(rev)s_%(slug)s", true, rev);
  std::string text = read_text(path);
  CHECK_THAT(text, Contains("-- down_revision:\n"));  // no trailing space
  retort::Revision r = retort::parse_revision(text, path);
  CHECK(r.is_root());
  CHECK(std::regex_match(r.id, std::regex("[0-9a-f]{12}")));
  CHECK(fs::path(path).filename() == r.id + "_initial_schema.sql");
}

TEST_CASE("write_revision never overwrites: a taken name gets _2, _3", "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  NewRevision rev;
  rev.id = "aaaaaaaaaaaa";
  rev.message = "first";
  // Same template, same second, same slug: what two quick `retort revision
  // -m x` runs meet.
  const std::string tmpl = "%(rev)s_%(slug)s";
  std::string path = write_revision(root, tmpl, true, rev);
  std::string before = read_text(path);
  rev.upgrade_sql = "SELECT 'second';";
  std::string second = write_revision(root, tmpl, true, rev);
  CHECK(fs::path(second).filename() == "aaaaaaaaaaaa_first_2.sql");
  rev.upgrade_sql = "SELECT 'third';";
  std::string third = write_revision(root, tmpl, true, rev);
  CHECK(fs::path(third).filename() == "aaaaaaaaaaaa_first_3.sql");
  CHECK(read_text(path) == before);
  CHECK_THAT(read_text(second), Contains("SELECT 'second';"));
  CHECK_THAT(read_text(third), Contains("SELECT 'third';"));
  CHECK(count_files(root + "/versions") == 3);
}

TEST_CASE("write_revision: a missing template names the path and retort init --template",
          "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  fs::remove(root + "/script.sql.tmpl");
  NewRevision rev;
  rev.message = "x";
  retort::Error e = expect_error([&] { write_revision(root, "%(rev)s_%(slug)s", true, rev); });
  CHECK_THAT(e.what(), Contains("revision template"));
  CHECK_THAT(e.what(), Contains("script.sql.tmpl is missing"));
  CHECK_THAT(e.format(), Contains("retort init --template"));
  CHECK(count_files(root + "/versions") == 0);
}

TEST_CASE("write_revision: a missing versions directory says to run retort init", "[writer]") {
  TempDir tmp;
  NewRevision rev;
  retort::Error e =
      expect_error([&] { write_revision(tmp / "nowhere", "%(rev)s_%(slug)s", true, rev); });
  CHECK_THAT(e.what(), Contains("does not exist"));
  CHECK_THAT(e.format(), Contains("retort init"));
  CHECK_FALSE(fs::exists(tmp / "nowhere"));
}

TEST_CASE("write_revision: a template that renders a broken revision writes nothing", "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  NewRevision rev;
  rev.message = "x";

  SECTION("no sections") {
    write_text(root + "/script.sql.tmpl",
               "-- revision: ${revision}\n-- down_revision: ${down_revision}\n");
    retort::Error e = expect_error([&] { write_revision(root, "%(rev)s_%(slug)s", true, rev); });
    CHECK_THAT(e.what(), Contains("renders a revision that does not parse; nothing was written"));
    CHECK_THAT(e.format(), Contains("missing '-- migrate:upgrade' section"));
  }
  SECTION("revision header dropped") {
    write_text(root + "/script.sql.tmpl",
               "-- revision: fixed_id\n-- down_revision: ${down_revision}\n-- migrate:upgrade\n"
               "-- migrate:downgrade\n");
    CHECK_THROWS_WITH(write_revision(root, "%(rev)s_%(slug)s", true, rev),
                      Contains("must keep '-- revision: ${revision}'"));
  }
  CHECK(count_files(root + "/versions") == 0);
}

TEST_CASE("write_revision: template variables in the message are not expanded", "[writer]") {
  TempDir tmp;
  std::string root = make_script_location(tmp);
  NewRevision rev;
  rev.id = "bbbbbbbbbbbb";
  rev.message = "use ${downgrade} literally";
  rev.downgrade_sql = "DROP TABLE secret_plan;";
  std::string path = write_revision(root, "%(rev)s_%(slug)s", true, rev);
  retort::Revision r = retort::parse_revision(read_text(path), path);
  CHECK(r.message == "use ${downgrade} literally");
}

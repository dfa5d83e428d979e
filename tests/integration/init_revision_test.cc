// init, revision and merge: the files retort writes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "project.h"

using namespace retort::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> sql_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("init, revision, upgrade: the first-run loop") {
  TempDir d;
  auto init = run_retort({"init"}, {d.path(), {}});
  REQUIRE(init.exit_code == 0);
  CHECK(file_exists(d / "retort.ini"));
  CHECK(file_exists(d / "migrations/script.sql.tmpl"));
  CHECK(fs::is_directory(d / "migrations/versions"));
  CHECK(run_retort({"init"}, {d.path(), {}}).exit_code == 1);

  auto rev = run_retort({"revision", "-m", "add users table"}, {d.path(), {}});
  REQUIRE(rev.exit_code == 0);
  auto files = sql_files(d / "migrations/versions");
  REQUIRE(files.size() == 1);
  CHECK(files[0].size() == std::string("20250626235501_add_users_table.sql").size());
  CHECK(files[0].substr(14) == "_add_users_table.sql");
  CHECK(rev.out == "Generating migrations/versions/" + files[0] + " ... done\n");
  std::string text = read_text(d / "migrations/versions/" + files[0]);
  CHECK_THAT(text, Contains("-- down_revision:\n"));
  CHECK_THAT(text, Contains("-- message: add users table\n"));
  auto id = text.substr(std::string("-- revision: ").size(), 12);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);

  auto second = run_retort({"revision", "-m", "second"}, {d.path(), {}});
  REQUIRE(second.exit_code == 0);
  files = sql_files(d / "migrations/versions");
  REQUIRE(files.size() == 2);
  std::string second_file = files[0].find("second") != std::string::npos ? files[0] : files[1];
  CHECK_THAT(read_text(d / "migrations/versions/" + second_file),
             Contains("-- down_revision: " + id + "\n"));
  REQUIRE(run_retort({"upgrade"}, {d.path(), {}}).exit_code == 0);
  CHECK(file_exists(d / "app.db"));
}

TEST_CASE("a missing template names the path and the fix") {
  Project p;
  fs::remove(p.root() + "/migrations/script.sql.tmpl");
  auto r = p.run({"revision", "-m", "x"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("revision template migrations/script.sql.tmpl is missing"));
  CHECK_THAT(r.err, Contains("retort init --template"));
  auto restore = p.run({"init", "--template"});
  REQUIRE(restore.exit_code == 0);
  CHECK(p.run({"revision", "-m", "x"}).exit_code == 0);
  CHECK(p.run({"init", "--template"}).out ==
        "migrations/script.sql.tmpl is present; nothing to do\n");
}

TEST_CASE("hostile messages become safe file names and stay literal in the file") {
  Project p;
  std::string msg = "it's \"$(rm -rf /)\" `id`; ../../etc/passwd $HOME";
  auto r = p.run({"revision", "--message-from-env", "MSG"}, {{"MSG", msg}});
  REQUIRE(r.exit_code == 0);
  auto files = sql_files(p.versions());
  REQUIRE(files.size() == 1);
  CHECK(files[0].substr(14) == "_it_s_rm_rf_id_etc_passwd_home.sql");
  CHECK_THAT(read_text(p.versions() + "/" + files[0]), Contains("-- message: " + msg + "\n"));
  CHECK(p.run({"lint"}).exit_code == 0);
}

TEST_CASE("MSG is required when read from the environment") {
  Project p;
  auto r = p.run({"revision", "--message-from-env", "MSG"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "retort: error: MSG is required: make db-new MSG=\"add users table\"\n");
  CHECK(sql_files(p.versions()).empty());
}

TEST_CASE("revision refuses several heads, merge joins them") {
  Project p;
  p.add({"aaaa0001", "", "", ""});
  p.add({"bbbb0002", "aaaa0001", "", ""});
  p.add({"cccc0003", "aaaa0001", "", ""});
  auto r = p.run({"revision", "-m", "next"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("Multiple heads are present: bbbb0002, cccc0003"));
  auto m = p.run({"merge", "-m", "merge", "bbbb", "cccc"});
  REQUIRE(m.exit_code == 0);
  CHECK(p.run({"revision", "-m", "next"}).exit_code == 0);
  CHECK(p.run({"lint"}).exit_code == 0);
  CHECK(p.run({"merge", "-m", "x", "bbbb"}).exit_code == 2);
}

TEST_CASE("lint checks single files and the whole graph") {
  Project p;
  std::string good = p.add({"aaaa0001", "", "CREATE TABLE a (x);", "DROP TABLE a;"});
  CHECK(p.run({"lint", good}).exit_code == 0);
  write_text(p.root() + "/broken.sql", "-- revision: x\n-- down_revision:\n-- migrate:upgrade\n");
  auto bad = p.run({"lint", good, p.root() + "/broken.sql"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("broken.sql: missing '-- migrate:downgrade' section"));
  p.add({"bbbb0002", "aaaa0001", "", ""});
  p.add({"cccc0003", "aaaa0001", "", ""});
  auto heads = p.run({"lint"});
  CHECK(heads.exit_code == 1);
  CHECK_THAT(heads.err, Contains("Multiple head revisions are present: bbbb0002, cccc0003"));
  CHECK(p.run({"lint", "--allow-multiple-heads"}).exit_code == 0);
}

// init, revision and merge: the files retort writes.
#include <catch2/catch.hpp>

#include <cstdio>
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

TEST_CASE("lint FILE refuses transaction control in a transactional section") {
  Project p;
  std::string bad = p.add({"own00001", "",
                           "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;\n"
                           "INSERT INTO x VALUES ('COMMIT;');\nCOMMIT;",
                           "DROP TABLE x;"});
  auto r = p.run({"lint", bad});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "retort: error: " + bad +
                     ":8: BEGIN, COMMIT and ROLLBACK cannot run inside a revision's transaction: "
                     "COMMIT;\n  hint: retort wraps each revision and its bookkeeping in one "
                     "transaction itself; remove the statement, or mark the section "
                     "'transaction:false'\n");
  std::string ok = p.add({"own00002", "own00001", "COMMIT;\nVACUUM;", "", "vacuum", "",
                          " "
                          "transaction:false"});
  CHECK(p.run({"lint", ok}).exit_code == 0);
}

TEST_CASE("a branch label is refused when another revision carries it") {
  Project p;
  p.add({"aaaa0001", "", "", "", "", "-- branch_labels: feat\n"});
  p.add({"bbbb0002", "", "", "", "", "-- branch_labels: feat\n"});
  auto lint = p.run({"lint"});
  CHECK(lint.exit_code == 1);
  CHECK_THAT(lint.err, Contains("migrations/versions/0002_bbbb0002.sql:3: branch label 'feat' "
                                "of revision bbbb0002 is already used by revision aaaa0001 in "
                                "migrations/versions/0001_aaaa0001.sql"));

  Project q;
  q.add({"aaaa0001", "", "", "", "", "-- branch_labels: feat\n"});
  auto r = q.run({"revision", "-m", "again", "--head", "base", "--branch-label", "feat"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("branch label 'feat' is already used by revision aaaa0001"));
  CHECK_THAT(r.err, Contains("use `--head feat@head`"));
  CHECK(sql_files(q.versions()).size() == 1);
}

TEST_CASE("revision --head refuses a revision that is not a head unless --splice") {
  Project p;
  p.add({"aaaa0001", "", "", ""});
  p.add({"bbbb0002", "aaaa0001", "", ""});
  auto r = p.run({"revision", "-m", "x", "--head", "aaaa"});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "retort: error: revision aaaa0001 is not a head; its branch's head is bbbb0002\n"
        "  hint: to continue that branch, use --head bbbb0002; to start a new branch from "
        "aaaa0001 on purpose, add --splice\n");
  CHECK(sql_files(p.versions()).size() == 2);
  auto s = p.run({"revision", "-m", "x", "--head", "aaaa", "--splice"});
  REQUIRE(s.exit_code == 0);
  CHECK(sql_files(p.versions()).size() == 3);
  CHECK(p.run({"lint", "--allow-multiple-heads"}).exit_code == 0);
  CHECK_THAT(p.run({"revision", "--help"}).out, Contains("--splice"));
}

TEST_CASE("revision options are checked up front, naming the option") {
  Project p;
  auto label = p.run({"revision", "-m", "x", "--branch-label", "bad label"});
  CHECK(label.exit_code == 2);
  CHECK(label.err ==
        "retort: error: --branch-label 'bad label' is not a valid branch label\n"
        "  hint: labels are letters, digits and '_'\n");
  auto dep = p.run({"revision", "-m", "x", "--depends-on", "a b"});
  CHECK(dep.exit_code == 2);
  CHECK_THAT(dep.err, Contains("--depends-on 'a b' is not a revision"));
  auto id = p.run({"revision", "-m", "x", "--rev-id", "a-b"});
  CHECK(id.exit_code == 2);
  CHECK_THAT(id.err, Contains("--rev-id 'a-b' is not a revision id"));
  CHECK(sql_files(p.versions()).empty());
}

TEST_CASE("revisions made within one second get distinct file names") {
  Project p;
  // %(slug)s alone makes every run within any time collide, not just a second.
  write_text(p.root() + "/retort.ini",
             read_text(p.root() + "/retort.ini") + "file_template = %(slug)s\n");
  REQUIRE(p.run({"revision", "-m", "x"}).exit_code == 0);
  auto second = p.run({"revision", "-m", "x"});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out == "Generating migrations/versions/x_2.sql ... done\n");
  REQUIRE(p.run({"revision", "-m", "x"}).exit_code == 0);
  CHECK(sql_files(p.versions()) == std::vector<std::string>{"x.sql", "x_2.sql", "x_3.sql"});
  CHECK(p.run({"lint"}).exit_code == 0);
}

TEST_CASE("revision, show and merge take LABEL@head; merge takes --rev-id") {
  Project p;
  p.add({"aaaa0001", "", "", ""});
  p.add({"bbbb0002", "aaaa0001", "", "", "", "-- branch_labels: feat\n"});
  p.add({"cccc0003", "bbbb0002", "", ""});
  p.add({"dddd0004", "aaaa0001", "", "", "", "-- branch_labels: other\n"});
  auto show = p.run({"show", "feat@head"});
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(show.out, Contains("cccc0003"));
  auto rev = p.run({"revision", "-m", "on feat", "--head", "feat@head", "--rev-id", "eeee0005"});
  REQUIRE(rev.exit_code == 0);
  CHECK_THAT(p.run({"show", "eeee"}).out, Contains("cccc0003"));  // its parent
  auto merge = p.run({"merge", "-m", "join", "--rev-id", "ffff0006", "feat@head", "other@head"});
  REQUIRE(merge.exit_code == 0);
  auto show_head = p.run({"show", "head"});
  REQUIRE(show_head.exit_code == 0);
  CHECK_THAT(show_head.out, Contains("ffff0006"));
  CHECK_THAT(merge.out, Contains("_join.sql ... done"));
  CHECK_THAT(p.run({"show", "ffff"}).out, Contains("dddd0004, eeee0005"));
  auto taken = p.run({"merge", "-m", "x", "--rev-id", "ffff0006", "heads"});
  CHECK(taken.exit_code == 1);
  CHECK_THAT(taken.err, Contains("revision id 'ffff0006' already exists"));
  CHECK(p.run({"merge", "-m", "x", "--rev-id", "bad-id", "heads"}).exit_code == 2);
  CHECK(p.run({"lint"}).exit_code == 0);
}

namespace {

// Runs a shell command in `dir` and returns what it printed.
std::string shell_output(const std::string& dir, const std::string& command) {
  std::string out;
  FILE* f = ::popen(("cd '" + dir + "' && " + command + " 2>&1").c_str(), "r");
  REQUIRE(f);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
    out.append(buf, n);
  ::pclose(f);
  return out;
}

}  // namespace

TEST_CASE("a revision file gone from disk: the git command in the hint finds it") {
  Project p;
  std::string file = p.add({"cf1283d7fa92", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"},
                           "20250626235501_add_users.sql");
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  const std::string git = "git -c user.email=t@example.com -c user.name=t ";
  shell_output(p.root(), git + "init -q . && " + git + "add -A && " + git + "commit -qm add && " +
                             git + "rm -q " + file + " && " + git + "commit -qm remove");
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  const std::string command =
      "git log --all --name-status -S 'revision: cf1283d7fa92' -- ':/*.sql'";
  CHECK_THAT(r.err, Contains("hint: restore the revision file: `" + command +
                             "` lists the commits that added or deleted it"));
  // Run it as written, from a subdirectory too: it names the file.
  CHECK_THAT(shell_output(p.root(), command),
             Contains("D\tmigrations/versions/20250626235501_add_users.sql"));
  CHECK_THAT(shell_output(p.root() + "/migrations", command),
             Contains("A\tmigrations/versions/20250626235501_add_users.sql"));
}

TEST_CASE("lint without files checks every revision's statements too") {
  Project p;
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"bbbb0002", "aaaa0001", "ROLLBACK;", ""});
  auto r = p.run({"lint"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("migrations/versions/0002_bbbb0002.sql:6: BEGIN, COMMIT and "
                             "ROLLBACK cannot run inside a revision's transaction: ROLLBACK;"));
}

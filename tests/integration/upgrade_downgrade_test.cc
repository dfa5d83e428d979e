// upgrade and downgrade against real SQLite files, with every kind of target.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("upgrade head applies every revision in order and records them") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  auto r = p.run({"upgrade"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Contains("Running upgrade  -> r0001, rev r0001 ("));
  CHECK_THAT(r.out, Contains("Running upgrade r0001 -> r0002, rev r0002 ("));
  CHECK_THAT(r.out, Contains("Running upgrade r0002 -> r0003, rev r0003 ("));
  CHECK(p.heads() == std::vector<std::string>{"r0003"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1", "t2", "t3"});
  CHECK(p.log_count("r0002", "upgrade") == 1);
  // The log records who, where, when and the checksum of what ran.
  CHECK(p.value("SELECT length(checksum) FROM retort_log WHERE revision='r0001'") == "64");
  CHECK(p.value("SELECT count(*) FROM retort_log WHERE applied_by IS NULL OR host IS "
                "NULL OR started_at IS NULL OR duration_ms IS NULL") == "0");

  auto again = p.run({"upgrade", "head"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == "Nothing to do: the database is at r0003\n");
  CHECK(p.log_count("r0003", "upgrade") == 1);
}

TEST_CASE("current shows the applied revision and marks a head") {
  Project p(GENERATE(all_backends()));
  p.add_chain(2);
  auto before = p.run({"current"});
  CHECK(before.exit_code == 0);
  // A PostgreSQL database exists before retort touches it; a SQLite file not.
  CHECK(before.out == p.text("current: before the first run"));
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  CHECK(p.run({"current"}).out == "r0001\n");
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.run({"current"}).out == "r0002 (head)\n");
}

TEST_CASE("downgrade defaults to one step and can go to base") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto r = p.run({"downgrade"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Running downgrade r0003 -> r0002, rev r0003"));
  CHECK(p.heads() == std::vector<std::string>{"r0002"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1", "t2"});
  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.heads().empty());
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version"});
  CHECK(p.log_count("r0001", "downgrade") == 1);
}

TEST_CASE("relative, prefix and ID+N targets") {
  Project p(GENERATE(all_backends()));
  p.add({"abc1234def56", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"abd9999aaaa0", "abc1234def56", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;"});
  p.add({"ffff00001111", "abd9999aaaa0", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"});
  REQUIRE(p.run({"upgrade", "+1"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"abc1234def56"});
  REQUIRE(p.run({"upgrade", "abc1234+2"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"ffff00001111"});
  REQUIRE(p.run({"downgrade", "-2"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"abc1234def56"});
  REQUIRE(p.run({"upgrade", "ffff"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"ffff00001111"});
  REQUIRE(p.run({"downgrade", "abc1234"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"abc1234def56"});

  auto ambiguous = p.run({"upgrade", "ab"});
  CHECK(ambiguous.exit_code == 1);
  CHECK_THAT(ambiguous.err, Contains("revision prefix 'ab' is too short"));
  auto two = p.run({"upgrade", "abXX"});
  CHECK_THAT(two.err, Contains("Can't locate revision identified by 'abXX'"));
  p.add({"abc1234fffff", "ffff00001111", "", ""});
  auto amb = p.run({"downgrade", "abc1"});
  CHECK(amb.exit_code == 1);
  CHECK_THAT(amb.err, Contains("revision prefix 'abc1' is ambiguous: abc1234def56, abc1234fffff"));
}

TEST_CASE("downgrade below base and upgrade past head are errors that change nothing") {
  Project p(GENERATE(all_backends()));
  p.add_chain(2);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto below = p.run({"downgrade", "-3"});
  CHECK(below.exit_code == 1);
  CHECK_THAT(below.err, Contains("goes below base"));
  auto past = p.run({"upgrade", "+1"});
  CHECK(past.exit_code == 1);
  CHECK_THAT(past.err, Contains("didn't produce 1 migrations"));
  CHECK(p.heads() == std::vector<std::string>{"r0002"});
}

TEST_CASE("branches: head is ambiguous, heads upgrades all, merge joins them") {
  Project p(GENERATE(all_backends()));
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"bbbb0001", "aaaa0001", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;"});
  p.add({"cccc0001", "aaaa0001", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"});
  auto head = p.run({"upgrade", "head"});
  CHECK(head.exit_code == 1);
  CHECK_THAT(head.err, Contains("Multiple head revisions are present: bbbb0001, cccc0001"));
  CHECK_THAT(head.err, Contains("retort merge"));
  REQUIRE(p.run({"upgrade", "heads"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"bbbb0001", "cccc0001"});

  auto merge = p.run({"merge", "-m", "join branches", "heads"});
  REQUIRE(merge.exit_code == 0);
  CHECK_THAT(merge.out, Contains("_join_branches.sql ... done"));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto heads = p.heads();
  REQUIRE(heads.size() == 1);
  CHECK(heads[0] != "bbbb0001");
  CHECK(p.run({"history"})
            .out.find("bbbb0001, cccc0001 -> " + heads[0] +
                      " (head) (mergepoint), join branches") != std::string::npos);
  // One step down from a merge leaves both branches applied.
  REQUIRE(p.run({"downgrade", "-1"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"bbbb0001", "cccc0001"});
  // Downgrading to the branch point removes both branches.
  REQUIRE(p.run({"downgrade", "aaaa0001"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"aaaa0001"});
  CHECK(p.tables() == std::vector<std::string>{"a", "retort_log", "retort_version"});
}

TEST_CASE("branch labels: label@head upgrades one branch") {
  Project p(GENERATE(all_backends()));
  p.add({"main0001", "", "CREATE TABLE m (x INTEGER);", "DROP TABLE m;"});
  p.add({"feat0001", "", "CREATE TABLE f1 (x INTEGER);", "DROP TABLE f1;", "",
         "-- branch_labels: feature\n"});
  p.add({"feat0002", "feat0001", "CREATE TABLE f2 (x INTEGER);", "DROP TABLE f2;"});
  REQUIRE(p.run({"upgrade", "feature@head"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"feat0002"});
  CHECK(p.tables() == std::vector<std::string>{"f1", "f2", "retort_log", "retort_version"});
  auto unknown = p.run({"upgrade", "nosuch@head"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Contains("no revision carries the branch label 'nosuch'"));
}

TEST_CASE("SQL runs as SQLite parses it: triggers, quoted semicolons, comments, CRLF") {
  Project p;
  std::string up =
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\r\n"
      "CREATE TABLE audit (msg TEXT);\r\n"
      "-- a comment; with a semicolon\r\n"
      "/* block; comment */\r\n"
      "CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN\r\n"
      "  INSERT INTO audit VALUES ('new user; id=' || NEW.id);\r\n"
      "END;\r\n"
      "INSERT INTO users (email) VALUES ('a;b@example.com')";
  std::string text =
      render_revision({"crlf0001", "", up, "DROP TABLE audit;\r\nDROP TABLE users;"});
  std::string crlf;
  for (char c : text) {
    if (c == '\n' && (crlf.empty() || crlf.back() != '\r')) crlf += '\r';
    crlf += c;
  }
  write_text(p.versions() + "/0001_crlf.sql", crlf);
  auto r = p.run({"upgrade"});
  REQUIRE(r.exit_code == 0);
  CHECK(p.value("SELECT msg FROM audit") == "new user; id=1");
  CHECK(p.value("SELECT email FROM users") == "a;b@example.com");
  REQUIRE(p.run({"downgrade", "base"}).exit_code == 0);
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version"});
}

TEST_CASE("a UTF-8 BOM at the start of a revision file is accepted") {
  Project p(GENERATE(all_backends()));
  write_text(p.versions() + "/0001_bom.sql",
             "\xEF\xBB\xBF" +
                 render_revision({"bom00001", "", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;"}));
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"bom00001"});
}

TEST_CASE("transaction:false sections run outside a transaction") {
  Project p(GENERATE(all_backends()));
  p.add({"tx000001", "", "CREATE TABLE t (x INTEGER);", "DROP TABLE t;"});
  // VACUUM fails inside a transaction, so this proves none was open.
  const std::string& maintenance = p.text("sql: maintenance that runs outside a transaction");
  p.add({"tx000002", "tx000001", maintenance, maintenance, "", "", " transaction:false",
         " transaction:false"});
  auto r = p.run({"upgrade"});
  REQUIRE(r.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"tx000002"});
  REQUIRE(p.run({"downgrade", "-1"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"tx000001"});
}

TEST_CASE("a BEGIN/COMMIT inside a transactional section is refused and rolled back") {
  Project p(GENERATE(all_backends()));
  p.add({"own00001", "", "CREATE TABLE x (a INTEGER);\nCOMMIT;\nCREATE TABLE y (a INTEGER);",
         "DROP TABLE x;"});
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0001_own00001.sql:7: BEGIN, COMMIT and ROLLBACK cannot run inside a "
                             "revision's transaction: COMMIT;"));
  CHECK(p.heads().empty());
  CHECK(p.tables() ==
        std::vector<std::string>{"retort_log", "retort_version"});  // x never committed
}

TEST_CASE("an irreversible revision stops a downgrade before anything runs") {
  Project p(GENERATE(all_backends()));
  p.add({"irr00001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"irr00002", "irr00001", "CREATE TABLE b (x INTEGER);", "", "drop data", "", "",
         " irreversible"});
  p.add({"irr00003", "irr00002", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;"});
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto r = p.run({"downgrade", "base"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0002_irr00002.sql:8: revision irr00002 (drop data) is irreversible; "
                             "nothing was downgraded"));
  CHECK(p.heads() == std::vector<std::string>{"irr00003"});
  CHECK(p.tables() == std::vector<std::string>{"a", "b", "c", "retort_log", "retort_version"});
  // Down to the irreversible revision itself is fine.
  REQUIRE(p.run({"downgrade", "irr00002"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"irr00002"});
}

TEST_CASE("depends_on pulls a revision of another branch in first") {
  Project p(GENERATE(all_backends()));
  p.add({"app00001", "", "CREATE TABLE app (id INTEGER PRIMARY KEY);", "DROP TABLE app;", "",
         "-- branch_labels: app\n"});
  p.add({"lib00001", "", "CREATE TABLE lib (id INTEGER PRIMARY KEY);", "DROP TABLE lib;", "",
         "-- branch_labels: lib\n"});
  p.add({"app00002", "app00001", "CREATE TABLE uses (lib_id INTEGER REFERENCES lib (id));",
         "DROP TABLE uses;", "", "-- depends_on: lib00001\n"});
  auto r = p.run({"upgrade", "app@head"});
  REQUIRE(r.exit_code == 0);
  auto lib = r.out.find("-> lib00001");
  auto uses = r.out.find("-> app00002");
  REQUIRE(lib != std::string::npos);
  REQUIRE(uses != std::string::npos);
  CHECK(lib < uses);
  CHECK(p.heads() == std::vector<std::string>{"app00002", "lib00001"});
  // Taking the dependency away takes its dependent with it, dependent first.
  auto down = p.run({"downgrade", "lib00001-1"});
  REQUIRE(down.exit_code == 0);
  CHECK(down.out.find("Running downgrade app00002") < down.out.find("Running downgrade lib00001"));
  CHECK(p.heads() == std::vector<std::string>{"app00001"});
  CHECK(p.tables() == std::vector<std::string>{"app", "retort_log", "retort_version"});
}

TEST_CASE("a revision without a message is announced without a dangling comma") {
  Project p;
  write_text(p.versions() + "/r1.sql",
             "-- revision: quiet001\n-- down_revision:\n\n-- migrate:upgrade\n"
             "CREATE TABLE q (a INTEGER);\n\n-- migrate:downgrade\nDROP TABLE q;\n");
  auto up = p.run({"upgrade"});
  REQUIRE(up.exit_code == 0);
  CHECK_THAT(up.out, Contains("Running upgrade  -> quiet001 ("));
  auto sql = p.run({"downgrade", "quiet001:base", "--sql"});
  CHECK_THAT(sql.out, Contains("-- Running downgrade quiet001 -> \n"));
}

// parse_revision(): headers, sections, and every malformed file it must reject
// with the file name and line.
#include "core/revision.h"

#include <catch2/catch.hpp>
#include <string>

#include "core/error.h"
#include "expect_error.h"

using Catch::Matchers::Contains;
using retort::Error;
using retort::parse_revision;
using retort::Revision;
using retort::test::expect_error;

namespace {

const char* const kPath = "versions/20250626235501_add_users.sql";

std::string file_with(const std::string& headers, const std::string& upgrade = "SELECT 1;\n",
                      const std::string& downgrade = "SELECT 2;\n") {
  return headers + "\n-- migrate:upgrade\n" + upgrade + "\n-- migrate:downgrade\n" + downgrade;
}

std::string crlf(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("a complete revision file parses into its headers and sections", "[revision]") {
  const std::string text =
      "-- revision: cf1283d7fa92\n"                                                 // 1
      "-- down_revision: 3b2a1f0e9c4d\n"                                            // 2
      "-- created: 2025-06-26 23:55:01+00:00\n"                                     // 3
      "-- message: add users table\n"                                               // 4
      "\n"                                                                          // 5
      "-- migrate:upgrade\n"                                                        // 6
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"  // 7
      "\n"                                                                          // 8
      "-- migrate:downgrade\n"                                                      // 9
      "DROP TABLE users;\n";                                                        // 10
  Revision r = parse_revision(text, kPath);
  CHECK(r.id == "cf1283d7fa92");
  CHECK(r.down_revisions == std::vector<std::string>{"3b2a1f0e9c4d"});
  CHECK(r.created == "2025-06-26 23:55:01+00:00");
  CHECK(r.message == "add users table");
  CHECK(r.path == kPath);
  CHECK(r.id_line == 1);
  CHECK(r.down_revision_line == 2);
  CHECK_FALSE(r.is_root());
  CHECK_FALSE(r.is_merge());
  CHECK(r.depends_on.empty());
  CHECK(r.branch_labels.empty());

  CHECK(r.upgrade.marker_line == 6);
  CHECK(r.upgrade.first_line == 7);
  CHECK(r.upgrade.sql ==
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n\n");
  CHECK(r.upgrade.transactional);
  CHECK_FALSE(r.upgrade.empty());
  CHECK(r.downgrade.marker_line == 9);
  CHECK(r.downgrade.first_line == 10);
  CHECK(r.downgrade.sql == "DROP TABLE users;\n");
  CHECK_FALSE(r.downgrade.irreversible);
}

TEST_CASE("down_revision: empty or None makes a root, a comma list a merge", "[revision]") {
  SECTION("empty") {
    Revision r = parse_revision(file_with("-- revision: aaaa1111\n-- down_revision:\n"), kPath);
    CHECK(r.is_root());
    CHECK(r.down_revisions.empty());
  }
  SECTION("None, as Alembic writes a root") {
    Revision r =
        parse_revision(file_with("-- revision: aaaa1111\n-- down_revision: None\n"), kPath);
    CHECK(r.is_root());
  }
  SECTION("merge of two parents, spaces around commas ignored") {
    Revision r = parse_revision(
        file_with("-- revision: m1\n-- down_revision:  aaaa1111 ,bbbb2222,  \n"), kPath);
    CHECK(r.is_merge());
    CHECK(r.down_revisions == std::vector<std::string>{"aaaa1111", "bbbb2222"});
  }
}

TEST_CASE("a message may contain colons", "[revision]") {
  Revision r = parse_revision(
      file_with("-- revision: a1\n-- down_revision:\n-- message: fix: users: add index\n"), kPath);
  CHECK(r.message == "fix: users: add index");
}

TEST_CASE("depends_on and branch_labels are comma lists", "[revision]") {
  Revision r = parse_revision(file_with("-- revision: abc_123\n"
                                        "-- down_revision: base1\n"
                                        "-- depends_on: dep1, dep2\n"
                                        "-- branch_labels: billing, Reports_2\n"),
                              kPath);
  CHECK(r.id == "abc_123");
  CHECK(r.depends_on == std::vector<std::string>{"dep1", "dep2"});
  CHECK(r.branch_labels == std::vector<std::string>{"billing", "Reports_2"});
}

TEST_CASE("a merge point with empty sections is valid", "[revision]") {
  Revision r =
      parse_revision(file_with("-- revision: m1\n-- down_revision: a1, b1\n", "", ""), kPath);
  CHECK(r.upgrade.empty());
  CHECK(r.downgrade.empty());
  CHECK(r.is_merge());
}

TEST_CASE("sections holding only comments count as empty", "[revision]") {
  Revision r = parse_revision(
      file_with("-- revision: a1\n-- down_revision:\n", "  -- nothing to do\n\n", "\t\n"), kPath);
  CHECK(r.upgrade.empty());
  CHECK(r.downgrade.empty());
}

TEST_CASE("a UTF-8 BOM at the start is ignored", "[revision]") {
  Revision r = parse_revision(
      "\xEF\xBB\xBF" + file_with("-- revision: abcd1234\n-- down_revision:\n"), kPath);
  CHECK(r.id == "abcd1234");
  CHECK(r.id_line == 1);
}

TEST_CASE("CRLF files parse like LF files and checksum the same", "[revision]") {
  const std::string lf =
      file_with("-- revision: abcd1234\n-- down_revision: None\n",
                "CREATE TABLE t (x TEXT);\nINSERT INTO t VALUES ('a;b');\n", "DROP TABLE t;\n");
  Revision a = parse_revision(lf, kPath);
  Revision b = parse_revision(crlf(lf), kPath);
  CHECK(b.id == "abcd1234");
  CHECK(b.is_root());
  CHECK(b.upgrade.first_line == a.upgrade.first_line);
  CHECK(b.downgrade.marker_line == a.downgrade.marker_line);
  CHECK(b.upgrade.checksum() == a.upgrade.checksum());
  CHECK(b.downgrade.checksum() == a.downgrade.checksum());
  CHECK(a.upgrade.checksum().size() == 64);
  CHECK(a.upgrade.checksum() != a.downgrade.checksum());
}

TEST_CASE("a checksum changes when the SQL is edited", "[revision]") {
  Revision a =
      parse_revision(file_with("-- revision: a1\n-- down_revision:\n", "SELECT 1;\n"), kPath);
  Revision b =
      parse_revision(file_with("-- revision: a1\n-- down_revision:\n", "SELECT 10;\n"), kPath);
  CHECK(a.upgrade.checksum() != b.upgrade.checksum());
}

TEST_CASE("section options: transaction:false and irreversible", "[revision]") {
  Revision r = parse_revision(
      "-- revision: a1\n-- down_revision:\n"
      "-- migrate:upgrade transaction:false\n"
      "CREATE INDEX CONCURRENTLY i ON t (x);\n"
      "-- migrate:downgrade irreversible\n",
      kPath);
  CHECK_FALSE(r.upgrade.transactional);
  CHECK(r.downgrade.irreversible);
  CHECK(r.downgrade.transactional);
  CHECK(r.downgrade.empty());
}

TEST_CASE("an irreversible downgrade that holds SQL is an error at its marker", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: a1\n-- down_revision:\n"
        "-- migrate:upgrade\nSELECT 1;\n"
        "-- migrate:downgrade irreversible\n"  // line 5
        "DROP TABLE t;\n",
        kPath);
  });
  CHECK_THAT(e.what(), Contains("an irreversible downgrade section must be empty"));
  CHECK(e.file() == kPath);
  CHECK(e.line() == 5);
}

TEST_CASE("an unknown section option is an error naming it", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: a1\n-- down_revision:\n"
        "-- migrate:upgrade transaction:maybe\n",  // line 3
        kPath);
  });
  CHECK_THAT(e.what(), Contains("unknown section option 'transaction:maybe'"));
  CHECK(e.line() == 3);
  CHECK(e.file() == kPath);

  SECTION("irreversible is only a downgrade option") {
    Error up = expect_error([] {
      parse_revision(
          "-- revision: a1\n-- down_revision:\n-- migrate:upgrade irreversible\n"
          "-- migrate:downgrade\n",
          kPath);
    });
    CHECK_THAT(up.what(), Contains("unknown section option 'irreversible'"));
  }
}

TEST_CASE("a NUL byte is an error with its line", "[revision]") {
  std::string text = file_with("-- revision: a1\n-- down_revision:\n");
  text.insert(text.find("SELECT 1"), std::string("\0", 1));
  Error e = expect_error([&] { parse_revision(text, kPath); });
  CHECK_THAT(e.what(), Contains("NUL byte"));
  CHECK(e.file() == kPath);
  CHECK(e.line() == 5);  // headers 1-2, blank 3, marker 4, SQL 5
  CHECK(e.format().rfind(std::string("retort: error: ") + kPath + ":5: file contains a NUL byte",
                         0) == 0);
}

TEST_CASE("missing headers and sections are each reported", "[revision]") {
  SECTION("no revision header") {
    Error e = expect_error([] { parse_revision(file_with("-- down_revision:\n"), kPath); });
    CHECK_THAT(e.format(), Contains("missing '-- revision:' header"));
    CHECK(e.file() == kPath);
  }
  SECTION("no down_revision header") {
    Error e = expect_error([] { parse_revision(file_with("-- revision: a1\n"), kPath); });
    CHECK_THAT(e.format(), Contains("missing '-- down_revision:' header"));
  }
  SECTION("no sections at all: both reported in one error") {
    Error e = expect_error(
        [] { parse_revision("-- revision: a1\n-- down_revision:\n-- message: x\n", kPath); });
    CHECK_THAT(e.format(), Contains("missing '-- migrate:upgrade' section"));
    CHECK_THAT(e.format(), Contains("missing '-- migrate:downgrade' section"));
    CHECK_THAT(e.format(), Contains("irreversible"));  // the hint offers the alternative
  }
  SECTION("every problem of the file, not only the first") {
    Error e = expect_error([] { parse_revision("-- message: nothing else\n", kPath); });
    CHECK(e.more().size() >= 3);
  }
}

TEST_CASE("a second section of a kind is an error pointing at the first", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: a1\n-- down_revision:\n"
        "-- migrate:upgrade\nSELECT 1;\n"    // marker on 3
        "-- migrate:downgrade\nSELECT 2;\n"  // 5
        "-- migrate:upgrade\nSELECT 3;\n",   // 7
        kPath);
  });
  CHECK_THAT(e.what(), Contains("second '-- migrate:upgrade' section (the first is on line 3)"));
  CHECK(e.line() == 7);
}

TEST_CASE("an unknown section name is an error", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: a1\n-- down_revision:\n-- migrate:upgrade\n-- migrate:sideways\n"
        "-- migrate:downgrade\n",
        kPath);
  });
  CHECK_THAT(e.what(), Contains("unknown section '-- migrate:sideways'"));
  CHECK(e.line() == 4);
}

TEST_CASE("duplicate headers are errors", "[revision]") {
  Error e = expect_error([] {
    parse_revision(file_with("-- revision: a1\n-- down_revision:\n-- revision: a2\n"), kPath);
  });
  CHECK_THAT(e.what(), Contains("duplicate 'revision' header"));
  CHECK(e.line() == 3);

  Error d = expect_error([] {
    parse_revision(file_with("-- revision: a1\n-- down_revision:\n-- down_revision: b\n"), kPath);
  });
  CHECK_THAT(d.what(), Contains("duplicate 'down_revision' header"));
}

TEST_CASE("a misspelt header suggests the real one", "[revision]") {
  Error e = expect_error([] {
    parse_revision(file_with("-- revision: a1\n-- down_revision:\n-- down_revison: b1\n"), kPath);
  });
  CHECK_THAT(e.what(), Contains("unknown header 'down_revison'"));
  CHECK(e.line() == 3);
  REQUIRE(e.hints().size() == 1);
  CHECK(e.hints()[0] == "did you mean 'down_revision'?");
  CHECK_THAT(e.format(), Contains(std::string(kPath) + ":3: unknown header 'down_revison'"));
  CHECK_THAT(e.format(), Contains("  hint: did you mean 'down_revision'?"));
}

TEST_CASE("ordinary '-- word: text' comments among the headers are allowed", "[revision]") {
  Revision r = parse_revision(file_with("-- revision: a1\n"
                                        "-- note: this adds the users table\n"
                                        "-- author: jane\n"
                                        "-- down_revision:\n"
                                        "-- plain comment without colon\n"),
                              kPath);
  CHECK(r.id == "a1");
  CHECK(r.down_revision_line == 4);
}

TEST_CASE("SQL before the first marker is an error", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: a1\n-- down_revision:\nCREATE TABLE oops (x);\n"
        "-- migrate:upgrade\n-- migrate:downgrade\n",
        kPath);
  });
  CHECK_THAT(e.what(), Contains("SQL before the first '-- migrate:upgrade' marker"));
  CHECK(e.line() == 3);
  CHECK(e.more().empty());  // reported once, not once per line
}

TEST_CASE("invalid revision ids are rejected with the line", "[revision]") {
  for (const std::string bad : {"abc-123", "abc@head", "abc 123", "a+b", "a:b"}) {
    CAPTURE(bad);
    Error e = expect_error(
        [&] { parse_revision(file_with("-- revision: " + bad + "\n-- down_revision:\n"), kPath); });
    CHECK_THAT(e.what(), Contains("invalid revision id '" + bad + "'"));
    CHECK(e.line() == 1);
    CHECK(e.file() == kPath);
  }
  SECTION("in down_revision too") {
    Error e = expect_error([] {
      parse_revision(file_with("-- revision: a1\n-- down_revision: good1, bad-1\n"), kPath);
    });
    CHECK_THAT(e.what(), Contains("invalid revision id 'bad-1' in down_revision"));
    CHECK(e.line() == 2);
  }
  SECTION("an empty id") {
    Error e =
        expect_error([] { parse_revision(file_with("-- revision:\n-- down_revision:\n"), kPath); });
    CHECK_THAT(e.what(), Contains("empty revision id"));
  }
  SECTION("a revision that names itself as its parent") {
    Error e = expect_error(
        [] { parse_revision(file_with("-- revision: a1\n-- down_revision: a1\n"), kPath); });
    CHECK_THAT(e.what(), Contains("revision 'a1' names itself as down_revision"));
    CHECK(e.line() == 2);
  }
}

TEST_CASE("is_valid_revision_id follows Alembic's rules", "[revision]") {
  CHECK(retort::is_valid_revision_id("cf1283d7fa92"));
  CHECK(retort::is_valid_revision_id("ae1027a6acf"));
  CHECK(retort::is_valid_revision_id("Upper_and_123"));
  CHECK_FALSE(retort::is_valid_revision_id(""));
  CHECK_FALSE(retort::is_valid_revision_id("a-b"));
  CHECK_FALSE(retort::is_valid_revision_id("a@b"));
  CHECK_FALSE(retort::is_valid_revision_id("a b"));
  CHECK_FALSE(retort::is_valid_revision_id("a.b"));
  CHECK_FALSE(retort::is_valid_revision_id("caf\xC3\xA9"));
}

TEST_CASE("section lines: first_line is where the SQL starts in the file", "[revision]") {
  Revision r = parse_revision(
      "-- revision: a1\n"       // 1
      "-- down_revision:\n"     // 2
      "-- message: x\n"         // 3
      "\n"                      // 4
      "\n"                      // 5
      "-- migrate:upgrade\n"    // 6
      "SELECT 1;\n"             // 7
      "SELECT 2;\n"             // 8
      "-- migrate:downgrade\n"  // 9
      "SELECT 3;",              // 10, no final newline
      kPath);
  CHECK(r.upgrade.marker_line == 6);
  CHECK(r.upgrade.first_line == 7);
  CHECK(r.upgrade.sql == "SELECT 1;\nSELECT 2;\n");
  CHECK(r.downgrade.marker_line == 9);
  CHECK(r.downgrade.first_line == 10);
  CHECK(r.downgrade.sql == "SELECT 3;");
}

TEST_CASE("markers inside a section keep header-like comments as SQL", "[revision]") {
  // After the first marker, "-- revision:" lines are just comments in SQL.
  Revision r = parse_revision(
      file_with("-- revision: a1\n-- down_revision:\n", "-- revision: not_a_header\nSELECT 1;\n"),
      kPath);
  CHECK(r.id == "a1");
  CHECK_THAT(r.upgrade.sql, Contains("-- revision: not_a_header"));
}

TEST_CASE("a sectioned error's format() lists every problem with file and line", "[revision]") {
  Error e = expect_error([] {
    parse_revision(
        "-- revision: bad-id\n"
        "-- down_revison: x\n"
        "-- migrate:upgrade\n"
        "-- migrate:downgrade\n",
        kPath);
  });
  std::string f = e.format();
  CHECK_THAT(f,
             Contains(std::string("retort: error: ") + kPath + ":1: invalid revision id 'bad-id'"));
  CHECK_THAT(
      f, Contains(std::string("retort: error: ") + kPath + ":2: unknown header 'down_revison'"));
  CHECK_THAT(f, Contains("missing '-- down_revision:' header"));
}

namespace {

// A transactional upgrade section holding `sql`, which starts on line 4.
std::string with_upgrade(const std::string& sql, const std::string& options = "") {
  return "-- revision: a1\n-- down_revision:\n-- migrate:upgrade" + options + "\n" + sql +
         "\n-- migrate:downgrade\n";
}

// What `retort lint FILE` runs.
void lint(const std::string& text, const std::string& path) {
  retort::check_statements(parse_revision(text, path));
}

}  // namespace

TEST_CASE("transaction control in a transactional section is an error at its line", "[revision]") {
  const std::string hint =
      "retort wraps each revision and its bookkeeping in one transaction itself; remove the "
      "statement, or mark the section 'transaction:false'";
  SECTION("COMMIT") {
    Error e = expect_error([] {
      lint(with_upgrade("CREATE TABLE x (a INTEGER);\n"
                        "commit;\n"  // line 5
                        "CREATE TABLE y (a INTEGER);"),
           kPath);
    });
    CHECK(e.format() == std::string("retort: error: ") + kPath +
                            ":5: BEGIN, COMMIT and ROLLBACK cannot run inside a revision's "
                            "transaction: commit;\n  hint: " +
                            hint + "\n");
  }
  SECTION("every one of them, each with its line, in either section") {
    Error e = expect_error([] {
      lint(
          "-- revision: a1\n-- down_revision:\n-- migrate:upgrade\n"
          "BEGIN TRANSACTION;\n"           // 4
          "  /* c */ ROLLBACK;\n"          // 5
          "END;\n"                         // 6
          "START TRANSACTION;\n"           // 7
          "SELECT 1; ABORT;\n"             // 8
          "-- migrate:downgrade\n"         // 9
          "DROP TABLE x; COMMIT WORK;\n",  // 10
          kPath);
    });
    std::vector<int> lines{e.line()};
    for (const auto& m : e.more())
      lines.push_back(m.line());
    CHECK(lines == std::vector<int>{4, 5, 6, 7, 8, 10});
    CHECK_THAT(e.format(), Contains(":4: BEGIN, COMMIT and ROLLBACK cannot run inside a "
                                    "revision's transaction: BEGIN TRANSACTION;"));
    CHECK_THAT(e.format(), Contains(":10: BEGIN, COMMIT and ROLLBACK cannot run inside a "
                                    "revision's transaction: COMMIT WORK;"));
  }
  SECTION("a CRLF file counts lines the same") {
    Error e = expect_error([] { lint(crlf(with_upgrade("SELECT 1;\nCOMMIT;")), kPath); });
    CHECK(e.line() == 5);
  }
}

TEST_CASE("transaction control is recognised by its first word only", "[revision]") {
  auto parses = [](const std::string& sql, const std::string& options = "") {
    lint(with_upgrade(sql, options), kPath);
    return true;
  };
  // A SQLite trigger body, with a CASE ... END inside it.
  CHECK(
      parses("CREATE TRIGGER t AFTER INSERT ON x BEGIN\n"
             "  UPDATE x SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END;\n"
             "  INSERT INTO log VALUES ('commit;');\n"
             "END;\n"
             "create temp trigger u before delete on x when old.a = 1 begin select 1; end;"));
  // Strings, quoted names and comments mentioning them.
  CHECK(
      parses("INSERT INTO notes VALUES ('COMMIT;'), ('it''s; BEGIN');\n"
             "-- COMMIT;\n/* ROLLBACK; /* nested */ END; */\n"
             "SELECT \"commit\" FROM t; SELECT [begin;] FROM t;\n"
             "SELECT 1 AS x; -- end"));
  // PostgreSQL bodies: $$ and $tag$ strings, E'' escapes, BEGIN ATOMIC.
  CHECK(parses(
      "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.a := 1;\n  RETURN NEW;\nEND;\n"
      "$$ LANGUAGE plpgsql;\n"
      "DO $body$ BEGIN PERFORM 1; END $body$;\n"
      "SELECT E'it\\'s; COMMIT;';\n"
      "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;"));
  // Words that merely start like them, and savepoints, which nest inside
  // retort's transaction.
  CHECK(
      parses("CREATE TABLE beginnings (commit_id INTEGER, \"end\" TEXT);\n"
             "SAVEPOINT s; ROLLBACK TO s; ROLLBACK TO SAVEPOINT s; RELEASE s;\n"
             "UPDATE t SET a = 1 WHERE b = 'END';"));
  // Outside a transaction the statements are the author's business.
  CHECK(parses("COMMIT;\nVACUUM;\nBEGIN;", " transaction:false"));
  // Parsing alone (upgrade) leaves them to the drivers.
  CHECK(parse_revision(with_upgrade("COMMIT;"), kPath).id == "a1");
}

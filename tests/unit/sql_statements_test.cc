// Statement boundaries in revision SQL, as psql's lexer and SQLite's parser find them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/sql_statements.h"

using namespace retort;
using Catch::Matchers::Contains;

namespace {

std::vector<std::string> split(std::string_view sql) {
  std::vector<std::string> out;
  for (const auto& s : split_sql_statements(sql))
    out.emplace_back(sql.substr(s.begin, s.end - s.begin));
  return out;
}

}  // namespace

TEST_CASE("sql statements: plain statements, comments and empty ones") {
  CHECK(split("SELECT 1; SELECT 2;\n-- c;\n;;/* x; */ SELECT 3") ==
        std::vector<std::string>{"SELECT 1;", "SELECT 2;", "SELECT 3"});
  CHECK(split("  -- only a comment\n /* and; another */ ").empty());
  CHECK(split("").empty());
}

TEST_CASE("sql statements: quotes hide semicolons") {
  CHECK(
      split("SELECT 'a;''b'; SELECT \"x;\"\"y\" FROM t; SELECT E'\\';'; SELECT 'c\\'; SELECT 2") ==
      std::vector<std::string>{"SELECT 'a;''b';", "SELECT \"x;\"\"y\" FROM t;", "SELECT E'\\';';",
                               "SELECT 'c\\';", "SELECT 2"});
}

TEST_CASE("sql statements: dollar quotes, tagged and not, and $1 parameters") {
  CHECK(split("DO $$ BEGIN PERFORM 1; END $$; SELECT $a$ $$; $a$; PREPARE p AS SELECT $1; "
              "SELECT 1 AS x$y; SELECT 2") ==
        std::vector<std::string>{"DO $$ BEGIN PERFORM 1; END $$;", "SELECT $a$ $$; $a$;",
                                 "PREPARE p AS SELECT $1;", "SELECT 1 AS x$y;", "SELECT 2"});
}

TEST_CASE("sql statements: nested block comments") {
  CHECK(split("/* a /* b; */ c; */ SELECT 1; SELECT 2") ==
        std::vector<std::string>{"SELECT 1;", "SELECT 2"});
}

TEST_CASE("sql statements: BEGIN ATOMIC bodies end at their END") {
  CHECK(split("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC "
              "SELECT CASE WHEN true THEN 1 END; SELECT 2; END; BEGIN; SELECT 3; COMMIT;") ==
        std::vector<std::string>{"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN "
                                 "ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;",
                                 "BEGIN;", "SELECT 3;", "COMMIT;"});
  CHECK(
      split("CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END; SELECT 1;").size() ==
      2);
}

TEST_CASE("sql statements: SQLite trigger bodies end at their END") {
  CHECK(split("CREATE TEMP TRIGGER IF NOT EXISTS t AFTER INSERT ON a BEGIN "
              "UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END; DELETE FROM c; END; "
              "END; COMMIT;") ==
        std::vector<std::string>{"CREATE TEMP TRIGGER IF NOT EXISTS t AFTER INSERT ON a BEGIN "
                                 "UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END; DELETE "
                                 "FROM c; END;",
                                 "END;", "COMMIT;"});
  // PostgreSQL's CREATE TRIGGER has no body: it ends at its ';'.
  CHECK(split("CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f(); COMMIT;")
            .size() == 2);
}

TEST_CASE("sql statements: ends_transaction") {
  for (const char* sql : {"BEGIN;", "begin transaction;", "START TRANSACTION;", "COMMIT;", "END;",
                          "ABORT;", "ROLLBACK;", "rollback work;"}) {
    CAPTURE(sql);
    auto spans = split_sql_statements(sql);
    REQUIRE(spans.size() == 1);
    CHECK(ends_transaction(sql, spans[0]));
  }
  for (const char* sql : {"ROLLBACK TO SAVEPOINT a;", "rollback to a;", "SAVEPOINT a;",
                          "RELEASE a;", "SELECT 1;", "BEGINNING;"}) {
    CAPTURE(sql);
    CHECK_FALSE(ends_transaction(sql, split_sql_statements(sql).at(0)));
  }
}

TEST_CASE("sql statements: a statement starts at its first token") {
  std::string sql = "-- header\n\n  /* c */ SELECT 1;\r\n\r\nSELECT 2;";
  auto spans = split_sql_statements(sql);
  REQUIRE(spans.size() == 2);
  CHECK(sql.substr(spans[0].begin, 6) == "SELECT");
  CHECK(sql.substr(spans[1].begin) == "SELECT 2;");
}

TEST_CASE("sql statements: character positions to byte offsets") {
  std::string s = "é☃x";  // 2 + 3 + 1 bytes
  CHECK(utf8_char_offset(s, 1) == 0);
  CHECK(utf8_char_offset(s, 2) == 2);
  CHECK(utf8_char_offset(s, 3) == 5);
  CHECK(utf8_char_offset(s, 9) == s.size());
}

namespace {

std::vector<std::string> problems(std::string_view sql) {
  std::vector<std::string> out;
  for (const auto& e : unrunnable_text(sql, "r.sql", 10))
    out.push_back(e.format());
  return out;
}

}  // namespace

TEST_CASE("sql statements: a client program's commands are found outside SQL only") {
  CHECK(problems("SELECT 1;\n\\i x.sql\n").size() == 1);
  CHECK_THAT(problems("SELECT 1;\n\\i x.sql\n")[0], Contains("r.sql:11: psql meta-command"));
  CHECK_THAT(problems(".read x.sql\nSELECT 1;")[0], Contains("r.sql:10: sqlite3 shell command"));
  CHECK_THAT(problems("delimiter $$\n")[0], Contains("DELIMITER is a command of the mysql"));
  CHECK_THAT(problems("COPY t (a, b) FROM STDIN WITH (FORMAT csv);")[0],
             Contains("COPY ... FROM STDIN"));
  CHECK_THAT(problems("copy t to stdout;")[0], Contains("COPY ... TO STDOUT"));
  // The same characters inside strings, comments, bodies and names.
  for (const char* ok :
       {"SELECT 'a\\b';", "SELECT E'\\n';", "-- \\i x\nSELECT 1;", "/* \n.read x */ SELECT 1;",
        "SELECT $$\n\\i x\n$$;", "SELECT \"a\\b\";", "SELECT 1\n.5;", "COPY t FROM '/tmp/stdin';",
        "SELECT 'copy from stdin';"}) {
    CAPTURE(ok);
    CHECK(problems(ok).empty());
  }
}

TEST_CASE("sql statements: a quote, comment or body open at the end is named where it opens") {
  CHECK_THAT(problems("SELECT 1;\nSELECT 'abc;")[0],
             Contains("r.sql:11: a '...' string starts here and is still open"));
  CHECK_THAT(problems("SELECT \"abc;")[0], Contains("a \"...\" name starts here"));
  CHECK_THAT(problems("/* a /* b */ c;")[0], Contains("r.sql:10: a /* comment starts here"));
  CHECK_THAT(problems("SELECT $f$ x $g$;")[0], Contains("a $tag$ body starts here"));
  CHECK(problems("SELECT 'it''s';").empty());
  CHECK(problems("/* a /* b */ c */ SELECT 1;").empty());
}

TEST_CASE("sql statements: COPY's words are read as tokens, not out of strings and names") {
  for (const char* ok : {"COPY t FROM '/data/from stdin.csv';", "COPY t FROM stdin_file;",
                         "COPY t /* from stdin */ FROM '/tmp/a';", "COPY \"from\" TO 'stdout';"}) {
    CAPTURE(ok);
    CHECK(problems(ok).empty());
  }
  CHECK_THAT(problems("COPY t (a) FROM STDIN;")[0], Contains("COPY ... FROM STDIN"));
}

// The one SQL lexer, option by option, and statement splitting on it.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "sql/lexer.h"
#include "sql/statements.h"

using namespace retort::sql;

namespace {

using Kinds = std::vector<std::pair<TokenKind, std::string>>;

// Tokens but trivia, as (kind, text).
Kinds lex(std::string_view sql, const LexerOptions& o) {
  Kinds out;
  for (const auto& t : tokens(sql, o))
    out.emplace_back(t.kind, std::string(sql.substr(t.begin, t.size())));
  return out;
}

std::vector<std::string> texts(std::string_view sql, const LexerOptions& o) {
  std::vector<std::string> out;
  for (const auto& t : tokens(sql, o))
    out.emplace_back(sql.substr(t.begin, t.size()));
  return out;
}

// Every token, trivia included.
std::vector<Token> every(std::string_view sql, const LexerOptions& o) {
  std::vector<Token> out;
  Lexer lexer(sql, o);
  Token t;
  while (lexer.next(t))
    out.push_back(t);
  return out;
}

std::vector<std::string> split(std::string_view sql, const LexerOptions& o) {
  std::vector<std::string> out;
  for (const auto& s : split_statements(sql, o))
    out.emplace_back(sql.substr(s.begin, s.end - s.begin));
  return out;
}

const LexerOptions kPresets[] = {LexerOptions::revision_default(), LexerOptions::schema_default(),
                                 LexerOptions::sqlite(), LexerOptions::postgres(),
                                 LexerOptions::mariadb()};

}  // namespace

TEST_CASE("lexer: tokens, trivia included, follow each other and cover the text") {
  const std::string sql =
      "SELECT \"a\", 'b''c', $$ d $$, x'ff', 1.5e-3 -- e\n/* f */ # g\n `h` [i] <> ;";
  for (const auto& o : kPresets) {
    size_t at = 0;
    for (const auto& t : every(sql, o)) {
      CHECK(t.begin == at);
      CHECK(t.end > t.begin);
      CHECK_FALSE(t.unterminated);
      at = t.end;
    }
    CHECK(at == sql.size());
  }
  auto all = every("a  -- c\n;", LexerOptions::sqlite());
  REQUIRE(all.size() == 5);
  CHECK(all[0].kind == TokenKind::kWord);
  CHECK(all[1].kind == TokenKind::kSpace);
  CHECK(all[1].size() == 2);
  CHECK(all[2].kind == TokenKind::kLineComment);
  CHECK(all[2].end == 7);  // the newline is not part of the comment
  CHECK(all[3].kind == TokenKind::kSpace);
  CHECK(all[4].kind == TokenKind::kSemicolon);
}

TEST_CASE("lexer: block comments nest only where asked") {
  const char* sql = "/* a /* b */ c */ d";
  LexerOptions nested;
  nested.nested_block_comments = true;
  CHECK(texts(sql, nested) == std::vector<std::string>{"d"});
  CHECK(texts(sql, LexerOptions()) == std::vector<std::string>{"c", "*", "/", "d"});
  CHECK(texts(sql, LexerOptions::postgres()) == std::vector<std::string>{"d"});
  CHECK(texts(sql, LexerOptions::sqlite()).size() == 4);  // c * / d
  CHECK(texts(sql, LexerOptions::mariadb()).size() == 4);
}

TEST_CASE("lexer: $tag$ bodies, and $1 and x$y that are not") {
  LexerOptions o = LexerOptions::postgres();
  CHECK(lex("$$ a; $b$ $$ $b$ c; $b$ $1 x$y", o) == Kinds{{TokenKind::kDollarBody, "$$ a; $b$ $$"},
                                                          {TokenKind::kDollarBody, "$b$ c; $b$"},
                                                          {TokenKind::kPunct, "$"},
                                                          {TokenKind::kNumber, "1"},
                                                          {TokenKind::kWord, "x$y"}});
  CHECK(texts("$$ a $$", LexerOptions::sqlite()) ==
        std::vector<std::string>{"$", "$", "a", "$", "$"});
}

TEST_CASE("lexer: E'' strings take backslash escapes, plain strings do not") {
  LexerOptions o = LexerOptions::postgres();
  CHECK(lex("E'\\';' 'c\\' e'\\n'", o) == Kinds{{TokenKind::kWord, "E"},
                                                {TokenKind::kString, "'\\';'"},
                                                {TokenKind::kString, "'c\\'"},
                                                {TokenKind::kWord, "e"},
                                                {TokenKind::kString, "'\\n'"}});
  // An E ending a longer word is no prefix.
  CHECK(texts("xE'\\' 'y'", o) == std::vector<std::string>{"xE", "'\\'", "'y'"});
  o.e_strings = false;
  CHECK(texts("E'\\';'", o) == std::vector<std::string>{"E", "'\\'", ";", "'"});
}

TEST_CASE("lexer: MariaDB's backslash escapes, # comments and '-- ' needing a space") {
  LexerOptions o = LexerOptions::mariadb();
  CHECK(lex("'it\\'s' \"a\\\"b\" 'x''y'", o) == Kinds{{TokenKind::kString, "'it\\'s'"},
                                                      {TokenKind::kString, "\"a\\\"b\""},
                                                      {TokenKind::kString, "'x''y'"}});
  CHECK(texts("a # b; c\nd", o) == std::vector<std::string>{"a", "d"});
  CHECK(texts("a -- b\nc --\td\ne --", o) == std::vector<std::string>{"a", "c", "e"});
  CHECK(texts("5--1", o) == std::vector<std::string>{"5", "-", "-", "1"});
  // Elsewhere "--" always comments, and # is an operator.
  CHECK(texts("5--1", LexerOptions::postgres()) == std::vector<std::string>{"5"});
  CHECK(texts("a # b", LexerOptions::postgres()) == std::vector<std::string>{"a", "#", "b"});
  CHECK(texts("'a\\' b", LexerOptions::sqlite()) == std::vector<std::string>{"'a\\'", "b"});
}

TEST_CASE("lexer: which quotes make names") {
  CHECK(lex("`a``b` \"c\" [d e]", LexerOptions::sqlite()) ==
        Kinds{{TokenKind::kQuotedName, "`a``b`"},
              {TokenKind::kQuotedName, "\"c\""},
              {TokenKind::kQuotedName, "[d e]"}});
  CHECK(lex("`a` \"c\"", LexerOptions::mariadb()) ==
        Kinds{{TokenKind::kQuotedName, "`a`"}, {TokenKind::kString, "\"c\""}});
  // Not quotes at all in PostgreSQL: [a;b] is three tokens and a ';'.
  CHECK(texts("[a;b]", LexerOptions::postgres()) ==
        std::vector<std::string>{"[", "a", ";", "b", "]"});
  // ']' cannot be doubled inside [...].
  CHECK(texts("[a]]b]", LexerOptions::sqlite()) == std::vector<std::string>{"[a]", "]", "b", "]"});
}

TEST_CASE("lexer: blobs, numbers and operators") {
  CHECK(lex("x'ff' X'00'", LexerOptions::sqlite()) ==
        Kinds{{TokenKind::kBlob, "x'ff'"}, {TokenKind::kBlob, "X'00'"}});
  CHECK(lex("x'ff'", LexerOptions::revision_default()) ==
        Kinds{{TokenKind::kWord, "x"}, {TokenKind::kString, "'ff'"}});
  CHECK(texts("1.5e-3 .5 1_000 0x1F", LexerOptions::schema_default()) ==
        std::vector<std::string>{"1.5e-3", ".5", "1", "_000", "0x1F"});
  CHECK(texts("1.5e-3 .5 1_000", LexerOptions::revision_default()) ==
        std::vector<std::string>{"1.5e", "-", "3", ".", "5", "1_000"});
  CHECK(texts("1_000", LexerOptions::postgres()) == std::vector<std::string>{"1_000"});
  CHECK(texts("a<=b->>c::d||e", LexerOptions::schema_default()) ==
        std::vector<std::string>{"a", "<=", "b", "->>", "c", "::", "d", "||", "e"});
  CHECK(texts("a<=b", LexerOptions::revision_default()) ==
        std::vector<std::string>{"a", "<", "=", "b"});
  CHECK(lex("a;b", LexerOptions::sqlite())[1].first == TokenKind::kSemicolon);
}

TEST_CASE("lexer: what the text ends inside is flagged and runs to the end") {
  struct Case {
    const char* sql;
    LexerOptions o;
    TokenKind kind;
  };
  for (const auto& c : {Case{"a 'open", LexerOptions::sqlite(), TokenKind::kString},
                        Case{"a \"open", LexerOptions::postgres(), TokenKind::kQuotedName},
                        Case{"a [open", LexerOptions::sqlite(), TokenKind::kQuotedName},
                        Case{"a `open", LexerOptions::mariadb(), TokenKind::kQuotedName},
                        Case{"a x'0", LexerOptions::sqlite(), TokenKind::kBlob},
                        Case{"a $f$ x $g$", LexerOptions::postgres(), TokenKind::kDollarBody},
                        Case{"a /* x", LexerOptions::sqlite(), TokenKind::kBlockComment},
                        Case{"a /* /* */", LexerOptions::postgres(), TokenKind::kBlockComment},
                        Case{"a 'x\\'", LexerOptions::mariadb(), TokenKind::kString}}) {
    CAPTURE(c.sql);
    auto all = every(c.sql, c.o);
    REQUIRE(all.size() == 3);
    CHECK(all[2].kind == c.kind);
    CHECK(all[2].unterminated);
    CHECK(all[2].end == std::string_view(c.sql).size());
    CHECK_FALSE(all[0].unterminated);
  }
  CHECK_FALSE(every("a /* /* */", LexerOptions::sqlite()).back().unterminated);
}

TEST_CASE("lexer: skip_trivia stops at the first token, or at an open comment") {
  const std::string sql = "  -- a\n /* b */\n SELECT 1; /* open";
  const auto o = LexerOptions::sqlite();
  CHECK(skip_trivia(sql, 0, o) == sql.find("SELECT"));
  CHECK(skip_trivia(sql, sql.find("SELECT"), o) == sql.find("SELECT"));
  CHECK(skip_trivia(sql, sql.find(';') + 1, o) == sql.find("/* open"));
  CHECK(skip_trivia(sql, sql.size(), o) == sql.size());
  CHECK(skip_trivia("  ", 0, o) == 2);
  // Flat comments: SQLite does not nest them.
  CHECK(skip_trivia("/* a /* b */ c", 0, o) == 13);
}

TEST_CASE("lexer: ASCII case helpers") {
  CHECK(ascii_lower("SeLeCt \xC3\x89") == "select \xC3\x89");
  CHECK(keyword_is("BEGIN", "begin"));
  CHECK_FALSE(keyword_is("BEGINS", "begin"));
  CHECK_FALSE(keyword_is("\xC3\x89", "\xC3\xA9"));
}

TEST_CASE("statements: MariaDB bodies keep their ';' without DELIMITER") {
  const auto o = LexerOptions::mariadb();
  const std::string trigger =
      "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n"
      "  IF NEW.n > 0 THEN SET NEW.n = 0; ELSEIF NEW.n < 0 THEN SET NEW.n = 1; END IF;\n"
      "  SET NEW.m = IF(NEW.n, 1, 2);\n"
      "END;";
  CHECK(split(trigger + "\nSELECT 1;", o) == std::vector<std::string>{trigger, "SELECT 1;"});
  const std::string procedure =
      "CREATE DEFINER = `root`@`%` PROCEDURE p(IN x INT)\n"
      "BEGIN\n"
      "  DECLARE i INT DEFAULT 0;\n"
      "  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN SET i = -1; END;\n"
      "  lbl: LOOP SET i = i + 1; IF i > x THEN LEAVE lbl; END IF; END LOOP lbl;\n"
      "  WHILE i > 0 DO SET i = i - 1; END WHILE;\n"
      "  REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT;\n"
      "  CASE x WHEN 1 THEN SELECT 'one'; ELSE SELECT CASE WHEN i THEN IF(x, 1, 2) END; END CASE;\n"
      "  SELECT REPEAT('a', 3); -- ; in a comment\n"
      "  # and here;\n"
      "END";
  CHECK(split(procedure + ";\nCALL p(1);", o) ==
        std::vector<std::string>{procedure + ";", "CALL p(1);"});
  // Without BEGIN a trigger or function body is one statement.
  CHECK(split("CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.n = 1; SELECT 1;", o)
            .size() == 2);
  CHECK(split("CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN CASE WHEN x THEN 1 END; "
              "SELECT 1;",
              o)
            .size() == 2);
  CHECK(split("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END; "
              "SELECT 1;",
              o)
            .size() == 2);
  // A plain BEGIN is a transaction; BEGIN NOT ATOMIC a block.
  CHECK(split("BEGIN; INSERT INTO a VALUES (1); COMMIT;", o).size() == 3);
  CHECK(split("BEGIN NOT ATOMIC IF 1 THEN SELECT 1; END IF; SELECT 2; END; SELECT 3;", o) ==
        std::vector<std::string>{"BEGIN NOT ATOMIC IF 1 THEN SELECT 1; END IF; SELECT 2; END;",
                                 "SELECT 3;"});
  // Backslashes, backticks and double-quoted strings hide ';' too.
  CHECK(split("SELECT 'a\\';'; SELECT \"b;\", `c;`; SELECT 1 --x\n;", o) ==
        std::vector<std::string>{"SELECT 'a\\';';", "SELECT \"b;\", `c;`;", "SELECT 1 --x\n;"});
}

TEST_CASE("statements: compound bodies by option") {
  const std::string trigger =
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = 1; DELETE FROM c; END;";
  CHECK(split(trigger, LexerOptions::sqlite()).size() == 1);
  CHECK(split(trigger, LexerOptions::postgres()).size() == 1);
  CHECK(split(trigger, LexerOptions::mariadb()).size() == 1);
  CHECK(split(trigger, LexerOptions::schema_default()).size() == 3);
  // SQLite's [names] hide ';' in its own options, not in the revision default.
  CHECK(split("SELECT [a;b];", LexerOptions::sqlite()).size() == 1);
  CHECK(split("SELECT [a;b];", LexerOptions::revision_default()).size() == 2);
}

TEST_CASE("statements: what is left open is named for each quote") {
  auto open = [](std::string_view sql, const LexerOptions& o) {
    retort::LexNotes notes;
    split_statements(sql, o, &notes);
    return std::pair<size_t, std::string>(notes.open_at, notes.open_what);
  };
  CHECK(open("SELECT `a", LexerOptions::mariadb()) ==
        std::pair<size_t, std::string>(7, "a `...` name"));
  CHECK(open("SELECT \"a", LexerOptions::mariadb()) ==
        std::pair<size_t, std::string>(7, "a \"...\" string"));
  CHECK(open("SELECT [a", LexerOptions::sqlite()) ==
        std::pair<size_t, std::string>(7, "a [...] name"));
  CHECK(open("SELECT x'a", LexerOptions::sqlite()) ==
        std::pair<size_t, std::string>(7, "an X'...' literal"));
  CHECK(open("SELECT 1; /* a", LexerOptions::mariadb()) ==
        std::pair<size_t, std::string>(10, "a /* comment"));
  CHECK(open("SELECT 1;", LexerOptions::mariadb()).first == std::string_view::npos);
}

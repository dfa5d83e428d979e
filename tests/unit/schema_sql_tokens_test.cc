// The tokenizer autogenerate reads DDL with, and the normal form expressions
// are compared in.
#include <catch2/catch.hpp>

#include "sql/tokens.h"

using namespace retort;

TEST_CASE("tokens: words, quoted names, strings, numbers, blobs, operators; comments dropped") {
  auto t =
      tokenize_sql("SELECT \"a\"\"b\", [c d], `e`, 'it''s', 1.5e-3, x'ff' -- c\n/* d */ <> || ;");
  std::vector<std::string> texts;
  for (const auto& x : t)
    texts.push_back(x.text);
  CHECK(texts == std::vector<std::string>{"SELECT", "\"a\"\"b\"", ",", "[c d]", ",", "`e`", ",",
                                          "'it''s'", ",", "1.5e-3", ",", "x'ff'", "<>", "||", ";"});
  CHECK(t[0].is_word("SELECT"));
  CHECK(t[1].kind == SqlToken::kQuotedName);
  CHECK(unquote_name(t[1]) == "a\"b");
  CHECK(unquote_name(t[3]) == "c d");
  CHECK(t[7].kind == SqlToken::kString);
  CHECK(t[11].kind == SqlToken::kBlob);
}

TEST_CASE("an unterminated quote runs to the end instead of throwing") {
  auto t = tokenize_sql("a 'open");
  REQUIRE(t.size() == 2);
  CHECK(t[1].text == "'open");
}

TEST_CASE("normal form ignores case, quoting, spacing and outer parentheses, not strings") {
  CHECK(normalize_sql("(status IN ('todo','done'))") ==
        normalize_sql("\"STATUS\" in ( 'todo' , 'done' )"));
  CHECK(normalize_sql("((a > 0))") == "a > 0");
  CHECK(normalize_sql("(a) + (b)") == "( a ) + ( b )");
  CHECK(normalize_sql("'Todo'") != normalize_sql("'todo'"));
  CHECK(normalize_sql("x -- comment\n") == "x");
}

TEST_CASE("compact_sql keeps tokens as written with single spaces") {
  CHECK(compact_sql("bio   TEXT\n   DEFAULT  'a  b' -- why\n") == "bio TEXT DEFAULT 'a  b'");
  CHECK(compact_sql("varchar(20)") == "varchar(20)");
}

TEST_CASE("quote_ident and sql_mentions") {
  CHECK(quote_ident("order") == "\"order\"");
  CHECK(quote_ident("a\"b") == "\"a\"\"b\"");
  CHECK(sql_mentions("length(\"Title\") > 0", "title"));
  CHECK_FALSE(sql_mentions("length(subtitle) > 0", "title"));
  CHECK_FALSE(sql_mentions("x = 'title'", "title"));
}

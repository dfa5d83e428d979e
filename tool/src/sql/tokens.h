// A small SQL tokenizer for reading DDL the database hands back (SQLite's
// sqlite_schema.sql, PostgreSQL's pg_get_*def) and for comparing expressions
// by meaning rather than by spacing, case or quoting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace retort {

struct SqlToken {
  enum Kind { kWord, kQuotedName, kString, kNumber, kBlob, kPunct };
  Kind kind;
  std::string text;  // exactly as written
  size_t begin = 0;  // byte offsets in the input
  size_t end = 0;

  bool is_word(std::string_view upper_word) const;  // case-insensitive keyword test
  bool is(char punct) const { return kind == kPunct && text.size() == 1 && text[0] == punct; }
};

// The lexer's tokens with LexerOptions::schema_default() (the quotes of
// every backend, flat comments). Whitespace and comments are dropped. Never
// throws: unterminated quotes run to the end of the text.
std::vector<SqlToken> tokenize_sql(std::string_view sql);

// An identifier as the database means it: quotes removed ("a""b" -> a"b).
std::string unquote_name(const SqlToken& t);
std::string unquote_name(std::string_view text);

// Canonical text for comparing expressions and definitions: tokens joined by
// single spaces, keywords and names lower-cased, quoted names unquoted,
// string literals kept exactly, redundant outer parentheses removed.
std::string normalize_sql(std::string_view sql);

// The text with comments dropped and each run of whitespace between tokens
// made one space; string literals are kept exactly.
std::string compact_sql(std::string_view sql);

// "name", doubling embedded quotes; always quoted so keywords are safe.
std::string quote_ident(std::string_view name);

// Index of the ')' matching the '(' at tokens[open], or tokens.size().
size_t matching_paren(const std::vector<SqlToken>& tokens, size_t open);

// True when `name` appears in `sql` as an identifier (case-insensitive).
bool sql_mentions(std::string_view sql, std::string_view name);

}  // namespace retort

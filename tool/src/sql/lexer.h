// The one SQL lexer: statement splitting, lint and the schema tokenizer all
// read SQL through it, each with the options of the dialect it reads. It is
// the bottom layer and includes nothing of retort's but sql/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace retort::sql {

enum class TokenKind : std::uint8_t {
  kWord,          // keyword or bare identifier (letters, digits, _, $, bytes >= 0x80)
  kQuotedName,    // "name", `name`, [name]
  kString,        // 'text' (and "text" where double quotes make strings)
  kBlob,          // X'ff'
  kNumber,        // 12, 1.5e-3, 0x1F
  kDollarBody,    // $$ ... $$, $tag$ ... $tag$
  kPunct,         // one operator or punctuation character, or a multi-character operator
  kSemicolon,     // ;
  kLineComment,   // -- to the end of the line (not including the newline), # in MariaDB
  kBlockComment,  // /* ... */
  kSpace,         // a run of whitespace
};

struct Token {
  TokenKind kind = TokenKind::kSpace;
  size_t begin = 0;  // byte offsets in the input
  size_t end = 0;
  bool unterminated = false;  // a quote, comment or body the text ends inside

  size_t size() const { return end - begin; }
};

// Whitespace and comments: what no statement consists of.
inline bool is_trivia(TokenKind k) {
  return k == TokenKind::kSpace || k == TokenKind::kLineComment || k == TokenKind::kBlockComment;
}

// Which bodies hide their ';' from statement splitting (sql/statements.h).
enum class CompoundBodies : std::uint8_t {
  kNone,
  // psql's heuristic, and SQLite's triggers: in CREATE ... FUNCTION|PROCEDURE|
  // TRIGGER (within the first 6 words), BEGIN ... END at parenthesis depth 0,
  // with CASE ... END nested inside.
  kRoutineAndTrigger,
  // MariaDB/MySQL stored programs without the client's DELIMITER: BEGIN ...
  // END, and IF/LOOP/WHILE/REPEAT/CASE ... END [IF|LOOP|WHILE|REPEAT|CASE]
  // inside them; also a top-level BEGIN NOT ATOMIC block.
  kBeginEnd,
};

struct LexerOptions {
  bool nested_block_comments = false;  // PostgreSQL: /* a /* b */ c */ is one comment
  bool dollar_quotes = false;          // PostgreSQL: $$ ... $$ and $tag$ ... $tag$
  // PostgreSQL: a quote right after a lone E or e (E'\n') takes backslash
  // escapes. The E stays its own word token: the quote looks back at it.
  bool e_strings = false;
  bool backslash_escapes = false;         // MariaDB: \ escapes in every string
  bool hash_comments = false;             // MariaDB: # to the end of the line
  bool dash_comment_needs_space = false;  // MariaDB: "--" starts a comment only before a space
  std::string_view name_quotes = "\"";    // each opens a quoted name: " ` [ (closed by ])
  std::string_view string_quotes = "'";   // each opens a string: ' (MariaDB also ")
  bool blob_literals = false;             // X'ff' is one kBlob token, not word X and a string
  bool multi_char_operators = false;      // <= >= <> != == || << >> :: -> ->> are one token
  bool number_leading_dot = false;        // .5 is a number (else '.' is punctuation)
  bool number_exponent_sign = false;      // 1.5e-3 is one number (else 1.5e, -, 3)
  bool number_underscores = false;        // 1_000 is one number (PostgreSQL 16)
  CompoundBodies compound = CompoundBodies::kNone;

  // What split_sql_statements has always done: PostgreSQL's quoting and
  // bodies plus SQLite's trigger bodies, for revisions whose database lint
  // may not know.
  static LexerOptions revision_default();
  // What tokenize_sql has always done: the quotes of every backend, flat
  // comments, no $tag$ bodies, for DDL the databases hand back.
  static LexerOptions schema_default();
  static LexerOptions sqlite();
  static LexerOptions postgres();
  static LexerOptions mariadb();
};

// Every token of the text, trivia included, in order: each begins where the
// previous one ended, and together they cover the input. Never throws; an
// unterminated quote, comment or body runs to the end of the text and is
// flagged.
class Lexer {
 public:
  Lexer(std::string_view sql, const LexerOptions& options) : s_(sql), o_(options) {}

  // The next token into t; false at the end of the text.
  bool next(Token& t);
  size_t position() const { return pos_; }
  // Continue at `pos` (<= the text's size): callers that read a line
  // themselves, such as a psql \command, skip it.
  void seek(size_t pos) { pos_ = pos < s_.size() ? pos : s_.size(); }
  std::string_view text() const { return s_; }

  // True when a whitespace or comment token starts at `i`.
  bool trivia_at(size_t i) const;

 private:
  size_t past_quoted(size_t open, char close, bool doubled, bool backslash, bool& closed) const;
  size_t dollar_tag_at(size_t i) const;
  size_t number_end(size_t i) const;
  size_t operator_end(size_t i) const;
  bool line_comment_at(size_t i) const;

  std::string_view s_;
  LexerOptions o_;
  size_t pos_ = 0;
};

// All tokens but whitespace and comments.
std::vector<Token> tokens(std::string_view sql, const LexerOptions& options);

// Offset of the first token at or after `from` that is not whitespace or a
// comment; an unterminated block comment is not skipped (its start is
// returned), so the database reports it where it opens.
size_t skip_trivia(std::string_view sql, size_t from, const LexerOptions& options);

// ASCII only, as SQL keywords are: no locale, no bytes >= 0x80 changed.
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
std::string ascii_lower(std::string_view s);
// Case-insensitive comparison with a lower-case keyword.
bool keyword_is(std::string_view word, std::string_view lower);

}  // namespace retort::sql

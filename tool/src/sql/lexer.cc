#include "sql/lexer.h"

namespace retort::sql {

namespace {

// ASCII classes, as the C locale has them: SQL's syntax is ASCII, and bytes
// >= 0x80 (UTF-8) belong to identifiers.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
bool is_high(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
bool ident_start(char c) {
  return is_alpha(c) || c == '_' || is_high(c);
}
bool ident_char(char c) {
  return ident_start(c) || is_digit(c) || c == '$';
}
bool has(std::string_view set, char c) {
  return set.find(c) != std::string_view::npos;
}

}  // namespace

LexerOptions LexerOptions::revision_default() {
  LexerOptions o;
  o.nested_block_comments = true;
  o.dollar_quotes = true;
  o.e_strings = true;
  o.number_underscores = true;
  o.compound = CompoundBodies::kRoutineAndTrigger;
  return o;
}

LexerOptions LexerOptions::schema_default() {
  LexerOptions o;
  o.name_quotes = "\"`[";
  o.blob_literals = true;
  o.multi_char_operators = true;
  o.number_leading_dot = true;
  o.number_exponent_sign = true;
  return o;
}

LexerOptions LexerOptions::sqlite() {
  LexerOptions o = schema_default();
  o.compound = CompoundBodies::kRoutineAndTrigger;  // CREATE TRIGGER ... BEGIN ... END
  return o;
}

LexerOptions LexerOptions::postgres() {
  LexerOptions o;
  o.nested_block_comments = true;
  o.dollar_quotes = true;
  o.e_strings = true;
  o.blob_literals = true;  // X'1F' bit strings
  o.multi_char_operators = true;
  o.number_leading_dot = true;
  o.number_exponent_sign = true;
  o.number_underscores = true;
  o.compound = CompoundBodies::kRoutineAndTrigger;  // BEGIN ATOMIC ... END
  return o;
}

LexerOptions LexerOptions::mariadb() {
  LexerOptions o;
  o.backslash_escapes = true;  // unless sql_mode has NO_BACKSLASH_ESCAPES
  o.hash_comments = true;
  o.dash_comment_needs_space = true;
  o.name_quotes = "`";
  o.string_quotes = "'\"";  // unless sql_mode has ANSI_QUOTES
  o.blob_literals = true;
  o.multi_char_operators = true;
  o.number_leading_dot = true;
  o.number_exponent_sign = true;
  o.compound = CompoundBodies::kBeginEnd;
  return o;
}

bool Lexer::line_comment_at(size_t i) const {
  const size_t n = s_.size();
  if (o_.hash_comments && s_[i] == '#') return true;
  if (s_[i] != '-' || i + 1 >= n || s_[i + 1] != '-') return false;
  if (!o_.dash_comment_needs_space) return true;
  // MariaDB: "--" must be followed by whitespace or a control character.
  return i + 2 >= n || static_cast<unsigned char>(s_[i + 2]) <= ' ' || s_[i + 2] == '\x7f';
}

bool Lexer::trivia_at(size_t i) const {
  if (i >= s_.size()) return false;
  return is_space(s_[i]) || line_comment_at(i) ||
         (s_[i] == '/' && i + 1 < s_.size() && s_[i + 1] == '*');
}

// Just past the `close` ending the quote opened at `open`; a doubled close
// stands for itself when `doubled`, and a backslash escapes the next byte
// when `backslash`. The text's end when it ends first (closed = false).
size_t Lexer::past_quoted(size_t open, char close, bool doubled, bool backslash,
                          bool& closed) const {
  const size_t n = s_.size();
  for (size_t i = open + 1; i < n; ++i) {
    if (backslash && s_[i] == '\\') {
      ++i;
    } else if (s_[i] == close) {
      if (doubled && i + 1 < n && s_[i + 1] == close) {
        ++i;
      } else {
        closed = true;
        return i + 1;
      }
    }
  }
  closed = false;
  return n;
}

// Length of a dollar-quote delimiter ($$ or $tag$) starting at i, else 0:
// $1 and a$b are not delimiters.
size_t Lexer::dollar_tag_at(size_t i) const {
  const size_t n = s_.size();
  size_t j = i + 1;
  if (j < n && s_[j] == '$') return 2;
  if (j >= n || !ident_start(s_[j])) return 0;
  while (j < n && s_[j] != '$') {
    if (!(is_alnum(s_[j]) || s_[j] == '_' || is_high(s_[j]))) return 0;
    ++j;
  }
  return j < n ? j - i + 1 : 0;
}

size_t Lexer::number_end(size_t i) const {
  const size_t n = s_.size();
  size_t j = i + 1;
  while (j < n) {
    const char c = s_[j];
    if (is_alnum(c) || c == '.' || (c == '_' && o_.number_underscores) ||
        ((c == '+' || c == '-') && o_.number_exponent_sign &&
         (s_[j - 1] == 'e' || s_[j - 1] == 'E')))
      ++j;
    else
      break;
  }
  return j;
}

size_t Lexer::operator_end(size_t i) const {
  const size_t n = s_.size();
  if (!o_.multi_char_operators || i + 1 >= n) return i + 1;
  // Two-character operators stay one token so spacing cannot split them.
  static constexpr std::string_view kTwo[] = {
      "<=", ">=", "<>", "!=", "==", "||", "<<", ">>", "::", "->"};
  const std::string_view two = s_.substr(i, 2);
  for (auto op : kTwo)
    if (two == op) return two == "->" && i + 2 < n && s_[i + 2] == '>' ? i + 3 : i + 2;
  return i + 1;
}

bool Lexer::next(Token& t) {
  const size_t n = s_.size();
  const size_t i = pos_;
  if (i >= n) return false;
  t = Token{TokenKind::kPunct, i, i + 1, false};
  const char c = s_[i];
  bool closed = true;
  if (is_space(c)) {
    t.kind = TokenKind::kSpace;
    while (t.end < n && is_space(s_[t.end]))
      ++t.end;
  } else if (line_comment_at(i)) {
    t.kind = TokenKind::kLineComment;
    const size_t nl = s_.find('\n', i);
    t.end = nl == std::string_view::npos ? n : nl;
  } else if (c == '/' && i + 1 < n && s_[i + 1] == '*') {
    t.kind = TokenKind::kBlockComment;
    if (o_.nested_block_comments) {
      int depth = 1;
      size_t j = i + 2;
      while (j < n && depth > 0) {
        if (s_[j] == '/' && j + 1 < n && s_[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (s_[j] == '*' && j + 1 < n && s_[j + 1] == '/') {
          --depth;
          j += 2;
        } else {
          ++j;
        }
      }
      t.end = j;
      closed = depth == 0;
    } else {
      const size_t close = s_.find("*/", i + 2);
      closed = close != std::string_view::npos;
      t.end = closed ? close + 2 : n;
    }
  } else if (o_.blob_literals && (c == 'x' || c == 'X') && i + 1 < n && s_[i + 1] == '\'') {
    t.kind = TokenKind::kBlob;
    t.end = past_quoted(i + 1, '\'', true, false, closed);
  } else if (has(o_.string_quotes, c)) {
    t.kind = TokenKind::kString;
    // E'...' (and e'...'): the E is the word just before the quote.
    const bool e_string = o_.e_strings && c == '\'' && i > 0 &&
                          (s_[i - 1] == 'E' || s_[i - 1] == 'e') &&
                          (i < 2 || !ident_char(s_[i - 2]));
    t.end = past_quoted(i, c, true, o_.backslash_escapes || e_string, closed);
  } else if (has(o_.name_quotes, c)) {
    t.kind = TokenKind::kQuotedName;
    // [name] cannot hold a ']' at all; the others double their quote.
    t.end = past_quoted(i, c == '[' ? ']' : c, c != '[', false, closed);
  } else if (c == '$' && o_.dollar_quotes && dollar_tag_at(i) > 0) {
    t.kind = TokenKind::kDollarBody;
    const size_t len = dollar_tag_at(i);
    const size_t close = s_.find(s_.substr(i, len), i + len);
    closed = close != std::string_view::npos;
    t.end = closed ? close + len : n;
  } else if (ident_start(c)) {
    t.kind = TokenKind::kWord;
    while (t.end < n && ident_char(s_[t.end]))
      ++t.end;
  } else if (is_digit(c) ||
             (o_.number_leading_dot && c == '.' && i + 1 < n && is_digit(s_[i + 1]))) {
    t.kind = TokenKind::kNumber;
    t.end = number_end(i);
  } else if (c == ';') {
    t.kind = TokenKind::kSemicolon;
  } else {
    t.end = operator_end(i);
  }
  t.unterminated = !closed;
  pos_ = t.end;
  return true;
}

std::vector<Token> tokens(std::string_view sql, const LexerOptions& options) {
  std::vector<Token> out;
  Lexer lexer(sql, options);
  Token t;
  while (lexer.next(t))
    if (!is_trivia(t.kind)) out.push_back(t);
  return out;
}

size_t skip_trivia(std::string_view sql, size_t from, const LexerOptions& options) {
  Lexer lexer(sql, options);
  lexer.seek(from);
  Token t;
  while (lexer.trivia_at(lexer.position())) {
    lexer.next(t);
    if (t.unterminated) return t.begin;
  }
  return lexer.position();
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = ascii_lower(c);
  return out;
}

bool keyword_is(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (ascii_lower(word[i]) != lower[i]) return false;
  return true;
}

}  // namespace retort::sql

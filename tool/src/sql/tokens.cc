#include "sql/tokens.h"

#include "sql/lexer.h"

namespace retort {

bool SqlToken::is_word(std::string_view upper_word) const {
  if (kind != kWord || text.size() != upper_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (sql::ascii_upper(text[i]) != upper_word[i]) return false;
  return true;
}

std::vector<SqlToken> tokenize_sql(std::string_view s) {
  std::vector<SqlToken> out;
  sql::Lexer lexer(s, sql::LexerOptions::schema_default());
  sql::Token t;
  while (lexer.next(t)) {
    SqlToken::Kind kind = SqlToken::kPunct;
    switch (t.kind) {
      case sql::TokenKind::kWord:
        kind = SqlToken::kWord;
        break;
      case sql::TokenKind::kQuotedName:
        kind = SqlToken::kQuotedName;
        break;
      case sql::TokenKind::kString:
      case sql::TokenKind::kDollarBody:  // not in these options; a literal if it were
        kind = SqlToken::kString;
        break;
      case sql::TokenKind::kNumber:
        kind = SqlToken::kNumber;
        break;
      case sql::TokenKind::kBlob:
        kind = SqlToken::kBlob;
        break;
      case sql::TokenKind::kPunct:
      case sql::TokenKind::kSemicolon:
        break;
      case sql::TokenKind::kLineComment:
      case sql::TokenKind::kBlockComment:
      case sql::TokenKind::kSpace:
        continue;
    }
    out.push_back({kind, std::string(s.substr(t.begin, t.size())), t.begin, t.end});
  }
  return out;
}

std::string unquote_name(std::string_view text) {
  if (text.size() >= 2 && (text[0] == '"' || text[0] == '`' || text[0] == '[')) {
    char close = text[0] == '[' ? ']' : text[0];
    std::string out;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      out += text[i];
      if (text[i] == close && close != ']' && i + 2 < text.size() && text[i + 1] == close) ++i;
    }
    return out;
  }
  return std::string(text);
}

std::string unquote_name(const SqlToken& t) {
  return t.kind == SqlToken::kQuotedName ? unquote_name(std::string_view(t.text)) : t.text;
}

size_t matching_paren(const std::vector<SqlToken>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].is('(')) ++depth;
    if (tokens[i].is(')') && --depth == 0) return i;
  }
  return tokens.size();
}

std::string normalize_sql(std::string_view sql) {
  auto tokens = tokenize_sql(sql);
  // Drop parentheses that wrap the whole text: "(a > 0)" means "a > 0".
  size_t b = 0, e = tokens.size();
  while (e - b >= 2 && tokens[b].is('(') && matching_paren(tokens, b) == e - 1) {
    ++b;
    --e;
  }
  std::string out;
  for (size_t i = b; i < e; ++i) {
    const auto& t = tokens[i];
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case SqlToken::kWord:
      case SqlToken::kPunct:
      case SqlToken::kNumber:
      case SqlToken::kBlob:
        out += sql::ascii_lower(t.text);
        break;
      case SqlToken::kQuotedName:
        out += sql::ascii_lower(unquote_name(t));
        break;
      case SqlToken::kString:
        out += t.text;
        break;
    }
  }
  return out;
}

std::string compact_sql(std::string_view sql) {
  std::string out;
  size_t prev_end = std::string_view::npos;
  for (const auto& t : tokenize_sql(sql)) {
    if (prev_end != std::string_view::npos && t.begin > prev_end) out += ' ';
    out += t.text;
    prev_end = t.end;
  }
  return out;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

bool sql_mentions(std::string_view sql, std::string_view name) {
  const std::string want = sql::ascii_lower(name);
  for (const auto& t : tokenize_sql(sql))
    if ((t.kind == SqlToken::kWord || t.kind == SqlToken::kQuotedName) &&
        sql::ascii_lower(unquote_name(t)) == want)
      return true;
  return false;
}

}  // namespace retort

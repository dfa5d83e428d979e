#include "schema/sql_tokens.h"

#include <cctype>

#include "core/text.h"

namespace retort {

namespace {

bool ident_start(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool ident_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

}  // namespace

bool SqlToken::is_word(std::string_view upper_word) const {
  if (kind != kWord || text.size() != upper_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(text[i])) != upper_word[i]) return false;
  return true;
}

std::vector<SqlToken> tokenize_sql(std::string_view s) {
  std::vector<SqlToken> out;
  size_t i = 0, n = s.size();
  auto quoted = [&](size_t open, char close) {
    size_t j = open + 1;
    while (j < n) {
      if (s[j] == close) {
        if (close != ']' && j + 1 < n && s[j + 1] == close) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return n;
  };
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n')
        ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      auto close = s.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      continue;
    }
    SqlToken t{SqlToken::kPunct, {}, i, i};
    size_t j = i + 1;
    if ((c == 'x' || c == 'X') && i + 1 < n && s[i + 1] == '\'') {
      t.kind = SqlToken::kBlob;
      j = quoted(i + 1, '\'');
    } else if (ident_start(c)) {
      t.kind = SqlToken::kWord;
      while (j < n && ident_char(static_cast<unsigned char>(s[j])))
        ++j;
    } else if (c == '\'') {
      t.kind = SqlToken::kString;
      j = quoted(i, '\'');
    } else if (c == '"' || c == '`' || c == '[') {
      t.kind = SqlToken::kQuotedName;
      j = quoted(i, c == '[' ? ']' : static_cast<char>(c));
    } else if (std::isdigit(c) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      t.kind = SqlToken::kNumber;
      while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                       ((s[j] == '+' || s[j] == '-') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
        ++j;
    } else {
      // Two-character operators stay one token so spacing cannot split them.
      static const char* const two[] = {"<=", ">=", "<>", "!=", "==", "||", "<<", ">>", "::", "->"};
      for (const char* op : two)
        if (i + 1 < n && s[i] == op[0] && s[i + 1] == op[1]) j = i + 2;
      if (j == i + 2 && i + 2 < n && s.substr(i, 3) == "->>") j = i + 3;
    }
    t.end = j;
    t.text = std::string(s.substr(i, j - i));
    out.push_back(std::move(t));
    i = j;
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
        out += to_lower(t.text);
        break;
      case SqlToken::kQuotedName:
        out += to_lower(unquote_name(t));
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
  const std::string want = to_lower(name);
  for (const auto& t : tokenize_sql(sql))
    if ((t.kind == SqlToken::kWord || t.kind == SqlToken::kQuotedName) &&
        to_lower(unquote_name(t)) == want)
      return true;
  return false;
}

}  // namespace retort

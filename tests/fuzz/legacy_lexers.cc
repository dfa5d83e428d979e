// Copied unchanged but for names from core/sql_statements.cc,
// schema/sql_tokens.cc and drivers/sqlite/sqlite_driver.cc before the one
// lexer replaced them.
#include "legacy_lexers.h"

#include <cctype>
#include <string>

namespace legacy {

namespace {

bool ident_start(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool ident_char(unsigned char c) {
  return ident_start(c) || std::isdigit(c) || c == '$';
}

bool word_is(std::string_view w, std::string_view lower) {
  if (w.size() != lower.size()) return false;
  for (size_t i = 0; i < w.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(w[i])) != lower[i]) return false;
  return true;
}

// Length of a dollar-quote delimiter ($$ or $tag$) starting at i, else 0.
size_t dollar_tag_at(std::string_view s, size_t i) {
  size_t j = i + 1;
  if (j < s.size() && s[j] == '$') return 2;
  if (j >= s.size() || !ident_start(static_cast<unsigned char>(s[j])) ||
      static_cast<unsigned char>(s[j]) == '$')
    return 0;
  while (j < s.size() && s[j] != '$') {
    auto c = static_cast<unsigned char>(s[j]);
    if (!(std::isalnum(c) || c == '_' || c >= 0x80)) return 0;
    ++j;
  }
  return j < s.size() ? j - i + 1 : 0;
}

// Just past the quote closing the one at i, where a doubled quote stands for
// itself (and, in E'' strings, a backslash escapes the next character); npos
// when the text ends first.
size_t past_quoted(std::string_view s, size_t i, bool backslash) {
  const char quote = s[i];
  for (++i; i < s.size(); ++i) {
    if (backslash && s[i] == '\\') {
      ++i;
    } else if (s[i] == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote)
        ++i;
      else
        return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<Span> split_sql_statements(std::string_view s, Notes* notes) {
  std::vector<Span> out;
  auto open_at = [&](size_t at, const char* what) {
    if (notes && notes->open_at == std::string_view::npos) {
      notes->open_at = at;
      notes->open_what = what;
    }
  };
  const size_t n = s.size();
  size_t i = 0;
  size_t start = std::string_view::npos;  // first token of the current statement
  int paren_depth = 0, begin_depth = 0, word_count = 0;
  bool creates = false, routine = false;  // CREATE ... FUNCTION|PROCEDURE|TRIGGER
  auto finish = [&](size_t end) {
    if (start != std::string_view::npos) out.push_back({start, end});
    start = std::string_view::npos;
    paren_depth = begin_depth = word_count = 0;
    creates = routine = false;
  };
  auto token = [&](size_t at) {
    if (start == std::string_view::npos) start = at;
  };
  while (i < n) {
    const char c = s[i];
    const auto uc = static_cast<unsigned char>(c);
    if (std::isspace(uc)) {
      ++i;
    } else if (c == '-' && i + 1 < n && s[i + 1] == '-') {
      while (i < n && s[i] != '\n')
        ++i;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      const size_t opened = i;
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
      if (depth > 0) open_at(opened, "a /* comment");
    } else if (c == '\'') {
      token(i);
      // E'...' (and e'...') take backslash escapes; plain strings do not
      // (standard_conforming_strings has been on by default since 9.1).
      bool backslash = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                       (i < 2 || !ident_char(static_cast<unsigned char>(s[i - 2])));
      size_t past = past_quoted(s, i, backslash);
      if (past == std::string_view::npos) open_at(i, "a '...' string");
      i = past == std::string_view::npos ? n : past;
    } else if (c == '"') {
      token(i);
      size_t past = past_quoted(s, i, false);
      if (past == std::string_view::npos) open_at(i, "a \"...\" name");
      i = past == std::string_view::npos ? n : past;
    } else if (c == '$' && dollar_tag_at(s, i) > 0) {
      token(i);
      size_t len = dollar_tag_at(s, i);
      std::string_view tag = s.substr(i, len);
      size_t close = s.find(tag, i + len);
      if (close == std::string_view::npos) open_at(i, "a $tag$ body");
      i = close == std::string_view::npos ? n : close + len;
    } else if (ident_start(uc)) {
      token(i);
      size_t b = i;
      while (i < n && ident_char(static_cast<unsigned char>(s[i])))
        ++i;
      std::string_view w = s.substr(b, i - b);
      // psql's heuristic: in CREATE [OR REPLACE] FUNCTION|PROCEDURE, a
      // BEGIN ATOMIC body's ';' do not end the statement until its END; the
      // same holds for SQLite's CREATE [TEMP] TRIGGER [IF NOT EXISTS] ... BEGIN.
      if (word_count == 0) creates = word_is(w, "create");
      if (creates && word_count > 0 && word_count < 6 &&
          (word_is(w, "function") || word_is(w, "procedure") || word_is(w, "trigger")))
        routine = true;
      ++word_count;
      if (routine && paren_depth == 0) {
        if (word_is(w, "begin"))
          ++begin_depth;
        else if (word_is(w, "case") && begin_depth > 0)
          ++begin_depth;
        else if (word_is(w, "end") && begin_depth > 0)
          --begin_depth;
      }
    } else if (std::isdigit(uc)) {
      token(i);
      while (i < n &&
             (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '_'))
        ++i;
    } else if (c == '(') {
      token(i);
      ++paren_depth;
      ++i;
    } else if (c == ')') {
      token(i);
      if (paren_depth > 0) --paren_depth;
      ++i;
    } else if (c == ';') {
      ++i;
      if (paren_depth == 0 && begin_depth == 0) finish(i);
    } else if (c == '\\' ||
               (c == '.' && start == std::string_view::npos && (i == 0 || s[i - 1] == '\n'))) {
      // No SQL has a backslash outside a string: it is psql's meta-command
      // (\i, \set, \copy), which runs to the end of its line. A '.' opening
      // a line between statements is a sqlite3 shell command (.read).
      if (notes) notes->client_commands.push_back(i);
      while (i < n && s[i] != '\n')
        ++i;
    } else {
      token(i);
      ++i;
    }
  }
  finish(n);
  return out;
}

namespace {

bool tok_ident_start(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool tok_ident_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

}  // namespace

std::vector<Tok> tokenize_sql(std::string_view s) {
  std::vector<Tok> out;
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
    Tok t{5, i, i};
    size_t j = i + 1;
    if ((c == 'x' || c == 'X') && i + 1 < n && s[i + 1] == '\'') {
      t.kind = 4;
      j = quoted(i + 1, '\'');
    } else if (tok_ident_start(c)) {
      t.kind = 0;
      while (j < n && tok_ident_char(static_cast<unsigned char>(s[j])))
        ++j;
    } else if (c == '\'') {
      t.kind = 2;
      j = quoted(i, '\'');
    } else if (c == '"' || c == '`' || c == '[') {
      t.kind = 1;
      j = quoted(i, c == '[' ? ']' : static_cast<char>(c));
    } else if (std::isdigit(c) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      t.kind = 3;
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
    out.push_back(std::move(t));
    i = j;
  }
  return out;
}

// Whitespace, "-- line" and "/* block */" comments before a statement. An
// unterminated block comment is left for SQLite to report.
const char* skip_space_and_comments(const char* p, const char* end) {
  for (;;) {
    while (p < end && std::isspace(static_cast<unsigned char>(*p)))
      ++p;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
      while (p < end && *p != '\n')
        ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      const char* q = p + 2;
      while (end - q >= 2 && !(q[0] == '*' && q[1] == '/'))
        ++q;
      if (end - q < 2) return p;
      p = q + 2;
    } else {
      return p;
    }
  }
}

}  // namespace legacy

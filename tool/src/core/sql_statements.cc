#include "core/sql_statements.h"

#include <cctype>
#include <string>

#include "core/text.h"

namespace retort {

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
// itself (and, in E'' strings, a backslash escapes the next character).
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
  return s.size();
}

}  // namespace

std::vector<StatementSpan> split_sql_statements(std::string_view s) {
  std::vector<StatementSpan> out;
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
    } else if (c == '\'') {
      token(i);
      // E'...' (and e'...') take backslash escapes; plain strings do not
      // (standard_conforming_strings has been on by default since 9.1).
      bool backslash = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                       (i < 2 || !ident_char(static_cast<unsigned char>(s[i - 2])));
      i = past_quoted(s, i, backslash);
    } else if (c == '"') {
      token(i);
      i = past_quoted(s, i, false);
    } else if (c == '$' && dollar_tag_at(s, i) > 0) {
      token(i);
      size_t len = dollar_tag_at(s, i);
      std::string_view tag = s.substr(i, len);
      size_t close = s.find(tag, i + len);
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
    } else {
      token(i);
      ++i;
    }
  }
  finish(n);
  return out;
}

namespace {

std::string lower_word(std::string_view sql, size_t at) {
  size_t e = at;
  while (e < sql.size() && std::isalpha(static_cast<unsigned char>(sql[e])))
    ++e;
  std::string w(sql.substr(at, e - at));
  for (auto& c : w)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

}  // namespace

const char* const kOwnTransactionHint =
    "retort wraps each revision and its bookkeeping in one transaction itself; remove the "
    "statement, or mark the section 'transaction:false'";

Error transaction_control_error(std::string_view sql, const StatementSpan& span,
                                const std::string& file, int first_line) {
  return Error("BEGIN, COMMIT and ROLLBACK cannot run inside a revision's transaction: " +
               statement_excerpt(sql.substr(span.begin, span.end - span.begin)))
      .at(file, file.empty() ? 0 : line_at(sql, span.begin, first_line))
      .hint(kOwnTransactionHint);
}

std::string statement_excerpt(std::string_view sql) {
  // Masked whole before it is cut, so no part of a password survives.
  const std::string masked = redact_secrets(std::string(sql));
  auto t = trim(std::string_view(masked));
  std::string line(trim(t.substr(0, t.find('\n'))));
  if (line.size() > 80) line = line.substr(0, 77) + "...";
  return line;
}

bool ends_transaction(std::string_view sql, const StatementSpan& span) {
  std::string w = lower_word(sql, span.begin);
  if (w == "begin" || w == "start" || w == "commit" || w == "end" || w == "abort") return true;
  if (w != "rollback") return false;
  // ROLLBACK TO [SAVEPOINT] keeps the transaction open.
  size_t at = span.begin + w.size();
  while (at < span.end && std::isspace(static_cast<unsigned char>(sql[at])))
    ++at;
  return lower_word(sql, at) != "to";
}

size_t utf8_char_offset(std::string_view text, long position) {
  if (position <= 1) return 0;
  long chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (++chars == position) return i;
    }
  }
  return text.size();
}

}  // namespace retort

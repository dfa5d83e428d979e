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

std::vector<StatementSpan> split_sql_statements(std::string_view s, LexNotes* notes) {
  std::vector<StatementSpan> out;
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

std::string lower_word(std::string_view sql, size_t at) {
  size_t e = at;
  while (e < sql.size() && std::isalpha(static_cast<unsigned char>(sql[e])))
    ++e;
  std::string w(sql.substr(at, e - at));
  for (auto& c : w)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

std::string to_upper_words(const std::string& a, const std::string& b) {
  std::string out = a + " " + b;
  for (auto& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
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

namespace {

// The statement's words outside parentheses, lowercased, up to `limit`.
std::vector<std::string> leading_words(std::string_view sql, const StatementSpan& span,
                                       size_t limit) {
  std::vector<std::string> words;
  int depth = 0;
  for (size_t i = span.begin; i < span.end && words.size() < limit;) {
    const auto c = static_cast<unsigned char>(sql[i]);
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (std::isalpha(c) && depth == 0) {
      std::string w = lower_word(sql, i);
      i += w.size();
      words.push_back(std::move(w));
    } else {
      ++i;
    }
  }
  return words;
}

}  // namespace

std::vector<Error> unrunnable_text(std::string_view sql, const std::string& file, int first_line) {
  std::vector<Error> out;
  auto at = [&](Error e, size_t offset) {
    out.push_back(std::move(e.at(file, file.empty() ? 0 : line_at(sql, offset, first_line))));
  };
  LexNotes notes;
  auto spans = split_sql_statements(sql, &notes);
  for (size_t c : notes.client_commands) {
    // The command's name only (\i, .read): its arguments may be anything.
    size_t e = c + 1;
    while (e < sql.size() && std::isalnum(static_cast<unsigned char>(sql[e])))
      ++e;
    bool psql = sql[c] == '\\';
    at(Error(std::string(psql ? "psql meta-command " : "sqlite3 shell command ") +
             std::string(sql.substr(c, e - c)) + " is not SQL; the database would refuse it")
           .hint("only that client understands it: put the SQL it stands for in the revision "
                 "itself"),
       c);
  }
  for (const auto& span : spans) {
    auto words = leading_words(sql, span, 24);
    if (words.empty()) continue;
    if (words[0] == "delimiter") {
      at(Error("DELIMITER is a command of the mysql client, not SQL: " +
               statement_excerpt(sql.substr(span.begin, span.end - span.begin)))
             .hint("remove it: retort keeps a BEGIN ... END body together by itself"),
         span.begin);
    } else if (words[0] == "copy") {
      for (size_t k = 1; k + 1 < words.size(); ++k)
        if ((words[k] == "from" && words[k + 1] == "stdin") ||
            (words[k] == "to" && words[k + 1] == "stdout")) {
          at(Error("COPY ... " + to_upper_words(words[k], words[k + 1]) +
                   " needs psql to carry the data; retort sends statements only: " +
                   statement_excerpt(sql.substr(span.begin, span.end - span.begin)))
                 .hint("write the rows as INSERT ... VALUES, or COPY from a file the server "
                       "can read"),
             span.begin);
          break;
        }
    }
  }
  if (notes.open_at != std::string_view::npos)
    at(Error(std::string(notes.open_what) + " starts here and is still open where the section "
                                            "ends")
           .hint("close it; everything after it would be read as part of it"),
       notes.open_at);
  return out;
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

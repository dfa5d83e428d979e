// Feeds arbitrary bytes to the SQL lexer with every preset, and to what is
// built on it. Besides not crashing: the tokens follow each other without a
// gap, none is empty, they cover the input and only the last can be
// unterminated; statements lie inside the text in order; skip_trivia stops
// at a token start and skips nothing but trivia. The schema tokenizer and
// its helpers run too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "sql/lexer.h"
#include "sql/statements.h"
#include "sql/tokens.h"

namespace {

using retort::sql::LexerOptions;
using retort::sql::Token;
using retort::sql::TokenKind;

void check(bool ok) {
  if (!ok) std::abort();
}

// Every token, checking the invariants on the way.
std::vector<Token> all_tokens(std::string_view s, const LexerOptions& o) {
  std::vector<Token> out;
  retort::sql::Lexer lexer(s, o);
  Token t;
  size_t at = 0;
  while (lexer.next(t)) {
    check(t.begin == at && t.end > t.begin && t.end <= s.size());
    check(out.empty() || !out.back().unterminated);
    at = t.end;
    out.push_back(t);
  }
  check(at == s.size());
  return out;
}

// From each token that starts a run of trivia, skip_trivia must reach the
// next token that is not trivia, or an unterminated comment. Runs only, so
// the check stays linear.
void check_skip_trivia(std::string_view s, const LexerOptions& o, const std::vector<Token>& all) {
  std::vector<size_t> stop(all.size() + 1, s.size());
  for (size_t k = all.size(); k-- > 0;)
    stop[k] =
        !retort::sql::is_trivia(all[k].kind) || all[k].unterminated ? all[k].begin : stop[k + 1];
  for (size_t k = 0; k < all.size(); ++k)
    if (k == 0 || !retort::sql::is_trivia(all[k - 1].kind))
      check(retort::sql::skip_trivia(s, all[k].begin, o) == stop[k]);
  check(retort::sql::skip_trivia(s, s.size(), o) == s.size());
}

// Statements lie inside the text, in order, none empty.
void check_split(std::string_view s, const LexerOptions& o) {
  retort::LexNotes notes;
  size_t at = 0;
  for (const auto& span : retort::sql::split_statements(s, o, &notes)) {
    check(span.begin >= at && span.begin < span.end && span.end <= s.size());
    at = span.end;
  }
  check(notes.open_at == std::string_view::npos || notes.open_at < s.size());
  for (size_t c : notes.client_commands)
    check(c < s.size());
}

// What is built on the schema tokenizer must not crash either.
void tokenize(std::string_view s) {
  size_t at = 0;
  for (const auto& t : retort::tokenize_sql(s)) {
    check(t.begin >= at && t.end > t.begin && t.end <= s.size() &&
          t.text == s.substr(t.begin, t.end - t.begin));
    at = t.end;
  }
  (void)retort::normalize_sql(s);
  (void)retort::compact_sql(s);
  (void)retort::sql_mentions(s, "a");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  for (const auto& o :
       {LexerOptions::revision_default(), LexerOptions::schema_default(), LexerOptions::sqlite(),
        LexerOptions::postgres(), LexerOptions::mariadb()}) {
    auto all = all_tokens(s, o);
    check_skip_trivia(s, o, all);
    size_t n = 0;
    for (const auto& t : all)
      if (!retort::sql::is_trivia(t.kind)) ++n;
    check(retort::sql::tokens(s, o).size() == n);
    check_split(s, o);
  }
  tokenize(s);
  return 0;
}

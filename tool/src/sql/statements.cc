#include "sql/statements.h"

#include <string>

namespace retort {

namespace {

// Tracks the bodies that hide their ';' (LexerOptions::compound): depth() is
// how many are open at the statement's current token.
class Bodies {
 public:
  explicit Bodies(sql::CompoundBodies kind) : kind_(kind) {}
  int depth() const {
    return kind_ == sql::CompoundBodies::kBeginEnd ? static_cast<int>(open_.size()) : depth_;
  }
  void reset() { *this = Bodies(kind_); }

  // Every token of the statement but trivia; `paren` is the parenthesis
  // depth it stands at.
  void token(const sql::Token& t, std::string_view text, int paren) {
    if (kind_ == sql::CompoundBodies::kNone) return;
    if (t.kind != sql::TokenKind::kWord) {
      if (kind_ == sql::CompoundBodies::kBeginEnd) non_word(text);
      return;
    }
    if (words_ == 0) creates_ = sql::keyword_is(text, "create");
    // CREATE [OR REPLACE] [DEFINER = ...] FUNCTION|PROCEDURE|TRIGGER|EVENT
    const size_t window = kind_ == sql::CompoundBodies::kRoutineAndTrigger ? 6 : 8;
    if (creates_ && words_ > 0 && words_ < window &&
        (sql::keyword_is(text, "function") || sql::keyword_is(text, "procedure") ||
         sql::keyword_is(text, "trigger") ||
         (kind_ == sql::CompoundBodies::kBeginEnd && sql::keyword_is(text, "event"))))
      routine_ = true;
    ++words_;
    if (kind_ == sql::CompoundBodies::kRoutineAndTrigger)
      routine_and_trigger(text, paren);
    else
      begin_end(text, paren);
  }

 private:
  // psql's heuristic: in CREATE [OR REPLACE] FUNCTION|PROCEDURE, a BEGIN
  // ATOMIC body's ';' do not end the statement until its END; the same holds
  // for SQLite's CREATE [TEMP] TRIGGER [IF NOT EXISTS] ... BEGIN.
  void routine_and_trigger(std::string_view w, int paren) {
    if (!routine_ || paren != 0) return;
    if (sql::keyword_is(w, "begin") || (sql::keyword_is(w, "case") && depth_ > 0))
      ++depth_;
    else if (sql::keyword_is(w, "end") && depth_ > 0)
      --depth_;
  }

  // MariaDB's stored programs, as its parser nests them: BEGIN ... END, and
  // at the start of a statement in a body IF, LOOP, WHILE, REPEAT and CASE,
  // which close with END IF and so on (IF() and REPEAT() elsewhere are
  // functions); a CASE expression's CASE ... END anywhere. A top-level BEGIN
  // NOT ATOMIC is a block, a plain BEGIN a transaction.
  void begin_end(std::string_view w, int paren) {
    const bool was_start = at_start_, was_end = after_end_, was_begin = after_begin_;
    at_start_ = after_end_ = after_begin_ = false;
    auto is = [&](std::string_view k) { return sql::keyword_is(w, k); };
    if (words_ == 1) first_begin_ = is("begin");
    if (!routine_ && words_ == 2 && first_begin_ && is("not")) {
      routine_ = true;
      open_.push_back('s');
      at_start_ = after_begin_ = true;
      return;
    }
    if (!routine_ || paren != 0) return;
    const bool block = is("if") || is("loop") || is("while") || is("repeat") || is("case");
    if (was_end && block) return;  // END IF, END LOOP, ...: part of the END
    if (is("begin")) {
      open_.push_back('s');
      at_start_ = after_begin_ = true;
    } else if (was_begin && (is("not") || is("atomic"))) {
      at_start_ = after_begin_ = true;
    } else if (is("end")) {
      if (!open_.empty()) open_.pop_back();
      after_end_ = true;
    } else if (was_start && block) {
      open_.push_back('s');
      at_start_ = is("loop") || is("repeat");
    } else if (is("case")) {
      open_.push_back('e');  // an expression: its THEN and ELSE are followed by values
    } else if (((is("then") || is("else")) && (open_.empty() || open_.back() == 's')) || is("do") ||
               is("loop") || is("repeat") || (is("row") && open_.empty())) {
      at_start_ = true;  // a statement of the body follows (FOR EACH ROW: a trigger's)
    }
  }

  void non_word(std::string_view text) {
    at_start_ = routine_ && (text == ";" || text == ":");  // ... ; or label:
    after_end_ = after_begin_ = false;
  }

  sql::CompoundBodies kind_;
  int depth_ = 0;     // kRoutineAndTrigger
  std::string open_;  // kBeginEnd: per open block, 's' (statements) or 'e' (a CASE expression)
  size_t words_ = 0;
  bool creates_ = false, routine_ = false;  // CREATE ... FUNCTION|PROCEDURE|TRIGGER
  bool first_begin_ = false, at_start_ = false, after_end_ = false, after_begin_ = false;
};

const char* open_what(const sql::Token& t, char open) {
  switch (t.kind) {
    case sql::TokenKind::kBlockComment:
      return "a /* comment";
    case sql::TokenKind::kDollarBody:
      return "a $tag$ body";
    case sql::TokenKind::kBlob:
      return "an X'...' literal";
    case sql::TokenKind::kString:
      return open == '"' ? "a \"...\" string" : "a '...' string";
    case sql::TokenKind::kQuotedName:
      return open == '`' ? "a `...` name" : open == '[' ? "a [...] name" : "a \"...\" name";
    default:
      return "a quote";
  }
}

}  // namespace

std::vector<StatementSpan> sql::split_statements(std::string_view s, const LexerOptions& options,
                                                 LexNotes* notes) {
  std::vector<StatementSpan> out;
  const size_t n = s.size();
  size_t start = std::string_view::npos;  // first token of the current statement
  int paren_depth = 0;
  Bodies bodies(options.compound);
  auto finish = [&](size_t end) {
    if (start != std::string_view::npos) out.push_back({start, end});
    start = std::string_view::npos;
    paren_depth = 0;
    bodies.reset();
  };
  Lexer lexer(s, options);
  Token t;
  while (lexer.next(t)) {
    const std::string_view text = s.substr(t.begin, t.size());
    if (t.unterminated && notes && notes->open_at == std::string_view::npos) {
      notes->open_at = t.begin;
      notes->open_what = open_what(t, text[0]);
    }
    if (is_trivia(t.kind)) continue;
    if (t.kind == TokenKind::kPunct &&
        (text == "\\" || (text == "." && start == std::string_view::npos &&
                          (t.begin == 0 || s[t.begin - 1] == '\n')))) {
      // No SQL has a backslash outside a string: it is psql's meta-command
      // (\i, \set, \copy), which runs to the end of its line. A '.' opening
      // a line between statements is a sqlite3 shell command (.read).
      if (notes) notes->client_commands.push_back(t.begin);
      const size_t nl = s.find('\n', t.begin);
      lexer.seek(nl == std::string_view::npos ? n : nl);
      continue;
    }
    if (t.kind == TokenKind::kSemicolon) {
      if (paren_depth == 0 && bodies.depth() == 0) {
        finish(t.end);
        continue;
      }
    } else if (start == std::string_view::npos) {
      start = t.begin;
    }
    if (t.kind == TokenKind::kPunct && text == "(") ++paren_depth;
    if (t.kind == TokenKind::kPunct && text == ")" && paren_depth > 0) --paren_depth;
    bodies.token(t, text, paren_depth);
  }
  finish(n);
  return out;
}

std::vector<StatementSpan> split_sql_statements(std::string_view sql, LexNotes* notes) {
  return sql::split_statements(sql, sql::LexerOptions::revision_default(), notes);
}

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The run of letters at `at`, lower-cased.
std::string lower_word(std::string_view sql, size_t at) {
  size_t e = at;
  while (e < sql.size() && is_alpha(sql[e]))
    ++e;
  return sql::ascii_lower(sql.substr(at, e - at));
}

}  // namespace

bool ends_transaction(std::string_view sql, const StatementSpan& span) {
  std::string w = lower_word(sql, span.begin);
  if (w == "begin" || w == "start" || w == "commit" || w == "end" || w == "abort") return true;
  if (w != "rollback") return false;
  // ROLLBACK TO [SAVEPOINT] keeps the transaction open.
  size_t at = span.begin + w.size();
  while (at < span.end && (sql[at] == ' ' || (sql[at] >= '\t' && sql[at] <= '\r')))
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

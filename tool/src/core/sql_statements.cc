#include "core/sql_statements.h"

#include <cctype>
#include <string>

#include "core/text.h"

namespace retort {

namespace {

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

// The statement's words outside parentheses, lowercased, up to `limit`;
// words in strings, names and comments are not the statement's.
std::vector<std::string> leading_words(std::string_view sql, const StatementSpan& span,
                                       size_t limit) {
  std::vector<std::string> words;
  int depth = 0;
  const std::string_view text = sql.substr(span.begin, span.end - span.begin);
  sql::Lexer lexer(text, sql::LexerOptions::revision_default());
  sql::Token t;
  while (words.size() < limit && lexer.next(t)) {
    const std::string_view token = text.substr(t.begin, t.size());
    if (token == "(") ++depth;
    if (token == ")" && depth > 0) --depth;
    if (t.kind == sql::TokenKind::kWord && depth == 0) words.push_back(sql::ascii_lower(token));
  }
  return words;
}

}  // namespace

std::vector<Error> unrunnable_text(std::string_view sql, const std::string& file, int first_line) {
  LexNotes notes;
  auto spans = split_sql_statements(sql, &notes);
  return unrunnable_text(sql, spans, notes, file, first_line);
}

std::vector<Error> unrunnable_text(std::string_view sql, const std::vector<StatementSpan>& spans,
                                   const LexNotes& notes, const std::string& file, int first_line) {
  std::vector<Error> out;
  auto at = [&](Error e, size_t offset) {
    out.push_back(std::move(e.at(file, file.empty() ? 0 : line_at(sql, offset, first_line))));
  };
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

}  // namespace retort

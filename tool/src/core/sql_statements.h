// Where each statement of a revision's SQL begins and ends, without a
// database: quotes, E'' strings, "identifiers", $tag$ bodies, nested /* */
// comments, PostgreSQL's BEGIN ATOMIC ... END and SQLite's CREATE TRIGGER
// ... BEGIN ... END bodies all hide their ';', as psql's lexer and SQLite's
// parser see them. The PostgreSQL driver uses the boundaries to name a
// failing statement's line and to send statements one at a time outside a
// transaction (VACUUM, CREATE INDEX CONCURRENTLY); lint uses them to find
// transaction control a revision must not hold. SQLite's driver splits with
// SQLite itself.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sql/lexer.h"

namespace retort {

struct StatementSpan {
  size_t begin = 0;  // first byte of the statement's first token (comments skipped)
  size_t end = 0;    // one past its ';', or the end of the text
};

// What the split saw that no database would run as the file means it.
struct LexNotes {
  std::vector<size_t> client_commands;      // a psql \command or sqlite3 .command
  size_t open_at = std::string_view::npos;  // a quote, comment or body left open
  const char* open_what = "";               // "a /* comment", ...
};

// Statements holding only comments and whitespace are left out.
// LexerOptions::revision_default(): lint may not know the database.
std::vector<StatementSpan> split_sql_statements(std::string_view sql, LexNotes* notes = nullptr);

namespace sql {
// The statements of `sql` as a database with `options` reads them.
std::vector<StatementSpan> split_statements(std::string_view sql, const LexerOptions& options,
                                            LexNotes* notes = nullptr);
}  // namespace sql

// Text of a section that only a client program understands (psql's \i or
// \set, sqlite3's .read, the mysql client's DELIMITER), COPY ... FROM STDIN
// whose data would follow inline, or a quote, comment or $tag$ body still
// open where the section ends: one Error at each one's line. `sql` starts
// at `first_line` of `file`. Lint and the migrator refuse such a revision
// before anything runs.
std::vector<Error> unrunnable_text(std::string_view sql, const std::string& file, int first_line);

// BEGIN, START TRANSACTION, COMMIT, END, ABORT or ROLLBACK (but not ROLLBACK
// TO a savepoint): a statement that would end retort's own transaction.
bool ends_transaction(std::string_view sql, const StatementSpan& span);

// What to do about such a statement, in every message that refuses one.
extern const char* const kOwnTransactionHint;

// The error for `span` of `sql`, a statement that ends retort's transaction,
// at `file`'s line (none when `file` is empty); `sql` starts at `first_line`.
Error transaction_control_error(std::string_view sql, const StatementSpan& span,
                                const std::string& file, int first_line);

// First line of a statement, shortened, for "in statement: ..." hints.
std::string statement_excerpt(std::string_view sql);

// Byte offset of a 1-based character position (as the server reports it in
// PG_DIAG_STATEMENT_POSITION) in UTF-8 text.
size_t utf8_char_offset(std::string_view text, long position);

}  // namespace retort

// Where each statement of SQL text begins and ends, without a database, as
// the lexer's options say the database reads it: quotes, comments, $tag$
// bodies and compound bodies (PostgreSQL's BEGIN ATOMIC ... END, SQLite's
// CREATE TRIGGER ... BEGIN ... END, MariaDB's stored programs) hide their
// ';'. The PostgreSQL driver uses the boundaries to name a failing
// statement's line and to send statements one at a time outside a
// transaction (VACUUM, CREATE INDEX CONCURRENTLY); lint uses them to find
// transaction control a revision must not hold. SQLite's driver splits with
// SQLite itself.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

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

namespace sql {
// The statements of `sql` as a database with `options` reads them.
// Statements holding only comments and whitespace are left out.
std::vector<StatementSpan> split_statements(std::string_view sql, const LexerOptions& options,
                                            LexNotes* notes = nullptr);
}  // namespace sql

// split_statements with LexerOptions::revision_default(), for revisions
// whose database lint may not know.
std::vector<StatementSpan> split_sql_statements(std::string_view sql, LexNotes* notes = nullptr);

// BEGIN, START TRANSACTION, COMMIT, END, ABORT or ROLLBACK (but not ROLLBACK
// TO a savepoint): a statement that would end retort's own transaction.
bool ends_transaction(std::string_view sql, const StatementSpan& span);

// Byte offset of a 1-based character position (as the server reports it in
// PG_DIAG_STATEMENT_POSITION) in UTF-8 text.
size_t utf8_char_offset(std::string_view text, long position);

}  // namespace retort

// What retort refuses in a revision's SQL, and how it says so: the parts of
// statement handling that need Error and the secrets registry. Splitting
// itself is sql/statements.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sql/statements.h"

namespace retort {

// Text of a section that only a client program understands (psql's \i or
// \set, sqlite3's .read, the mysql client's DELIMITER), COPY ... FROM STDIN
// whose data would follow inline, or a quote, comment or $tag$ body still
// open where the section ends: one Error at each one's line. `sql` starts
// at `first_line` of `file`. Lint and the migrator refuse such a revision
// before anything runs.
std::vector<Error> unrunnable_text(std::string_view sql, const std::string& file, int first_line);
// The same over a split already made, so a caller that needs the statements
// too splits once.
std::vector<Error> unrunnable_text(std::string_view sql, const std::vector<StatementSpan>& spans,
                                   const LexNotes& notes, const std::string& file, int first_line);

// What to do about a statement that ends retort's transaction
// (ends_transaction), in every message that refuses one.
extern const char* const kOwnTransactionHint;

// The error for `span` of `sql`, a statement that ends retort's transaction,
// at `file`'s line (none when `file` is empty); `sql` starts at `first_line`.
Error transaction_control_error(std::string_view sql, const StatementSpan& span,
                                const std::string& file, int first_line);

// First line of a statement, shortened, for "in statement: ..." hints.
std::string statement_excerpt(std::string_view sql);

}  // namespace retort

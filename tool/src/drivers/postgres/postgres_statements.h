// Where each statement of a PostgreSQL script begins and ends, found the way
// psql's lexer finds them: quotes, E'' strings, "identifiers", $tag$ bodies,
// nested /* */ comments and BEGIN ATOMIC ... END bodies all hide their ';'.
// The driver sends a transactional section to the server whole and only uses
// these boundaries to name the failing statement's line; outside a
// transaction (VACUUM, CREATE INDEX CONCURRENTLY) it sends one at a time,
// as psql does, because the server refuses those in a multi-statement string.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace retort {

struct StatementSpan {
  size_t begin = 0;  // first byte of the statement's first token (comments skipped)
  size_t end = 0;    // one past its ';', or the end of the text
};

// Statements holding only comments and whitespace are left out.
std::vector<StatementSpan> split_postgres_statements(std::string_view sql);

// Byte offset of a 1-based character position (as the server reports it in
// PG_DIAG_STATEMENT_POSITION) in UTF-8 text.
size_t utf8_char_offset(std::string_view text, long position);

}  // namespace retort

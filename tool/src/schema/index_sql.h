// The grammar CREATE TABLE and CREATE INDEX share on every database: a
// parenthesised list split at top-level commas, and an index's elements,
// options and predicate. SQLite's and PostgreSQL's readers both use it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "schema/schema_model.h"
#include "sql/tokens.h"

namespace retort {

// The source text of tokens [first, last], or "" when the range is empty.
std::string text_between(const std::string& sql, const std::vector<SqlToken>& t, size_t first,
                         size_t last);
// Splits tokens [b, e) at top-level commas into [begin, end) ranges.
std::vector<std::pair<size_t, size_t>> split_top_level(const std::vector<SqlToken>& t, size_t b,
                                                       size_t e);
// Index of the '(' opening the column list of CREATE TABLE/INDEX ... name (.
size_t body_open(const std::vector<SqlToken>& t);

// A CREATE INDEX's column elements, the options between them and WHERE
// (INCLUDE, NULLS NOT DISTINCT, WITH), and its predicate.
void parse_create_index(const std::string& sql, Index& index);

}  // namespace retort

// Partial state: a revision whose statements ran in part and cannot be taken
// back (DDL on MariaDB, a transaction:false section anywhere). While such a
// revision runs, the progress table (<version_table>_progress, made on
// first use) says how many of its statements are done and the checksum of
// those statements; a run that fails leaves that row, naming the statement
// that failed, so `current`, `history` and `verify` can say what is there,
// `upgrade` can continue at the statement that failed when the ones before
// are unchanged, and `resolve` can record what a person repaired by hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backend/driver.h"
#include "core/plan.h"
#include "sql/statements.h"

namespace retort {

struct Partial {
  std::string revision;
  Direction direction = Direction::kUpgrade;
  int done = 0;          // statements that ran, from the first
  int total = 0;         // statements in the section
  std::string checksum;  // of statements 1..done
  // The statement (1-based) that was running when the run stopped without
  // learning how it ended; 0 when none. It may or may not have taken effect.
  int running = 0;
  int failed_line = 0;  // line of the statement that failed; 0 when unknown
  std::string error;    // what the database said, first line, passwords masked

  // "partial: 2 of 3 statements"
  std::string summary() const;
};

// <version_table>_progress, beside the version table.
std::string progress_table(const std::string& version_table);

// The rows of the progress table; none when it does not exist.
std::vector<Partial> read_partials(Driver& d, const std::string& progress_table);
// Creates the table when missing; the caller commits.
void ensure_progress_table(Driver& d, const std::string& progress_table);

// The checksum of the first `k` statements of `sql` (split at `spans`): what
// a partial row records, and what continuing it compares with the file.
std::string statements_checksum(std::string_view sql, const std::vector<StatementSpan>& spans,
                                size_t k);

// The SQL that keeps the row up to date.
std::string insert_partial(const BookkeepingSql& b, const std::string& table, const Partial& p);
std::string update_partial(const BookkeepingSql& b, const std::string& table, const Partial& p);
std::string delete_partial(const BookkeepingSql& b, const std::string& table,
                           const std::string& revision);

}  // namespace retort

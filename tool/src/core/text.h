// Small string helpers shared by the parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace retort {

std::string_view trim(std::string_view s);
std::vector<std::string> split_list(std::string_view s,
                                    char sep = ',');  // trimmed, empties dropped
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with_ci(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
// 1-based line number of byte `offset` in `text`, counting from `first_line`.
int line_at(std::string_view text, size_t offset, int first_line = 1);
// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
std::string quote_sql_string(std::string_view s);  // 'it''s'
// A user-given string (a revision id, a target) as a message shows it: in
// single quotes, with control characters and anything else that could move
// the cursor or recolour the terminal escaped (\n, \x1b, \u{202e}), and cut
// after `max` bytes with the whole length said, so a 10 KB argument stays one
// short line. Messages show such a string once, through this.
std::string quoted_for_display(std::string_view s, size_t max = 80);
// The whole of a regular file of at most kMaxFileBytes; anything else (a FIFO,
// a device, a directory, a link to one, a larger file) is an Error naming the
// path, as is a failed read.
constexpr long long kMaxFileBytes = 256LL << 20;
std::string read_file(const std::string& path);
// Writes via a temporary file and rename, so readers never see half a file.
// With exclusive=true an existing file is an error instead of being replaced.
void write_file_atomic(const std::string& path, std::string_view content, bool exclusive);

}  // namespace retort

#include "migrate/progress.h"

#include <cstdlib>

#include "core/sha256.h"
#include "core/text.h"

namespace retort {

namespace {

const char* direction_name(Direction d) {
  return d == Direction::kUpgrade ? "upgrade" : "downgrade";
}

std::string int_or_null(int v) {
  return v > 0 ? std::to_string(v) : std::string("NULL");
}

}  // namespace

std::string Partial::summary() const {
  std::string s =
      "partial: " + std::to_string(done) + " of " + std::to_string(total) + " statements";
  if (direction == Direction::kDowngrade) s += " of its downgrade";
  if (running > 0) s += ", statement " + std::to_string(running) + " may have run";
  return s;
}

std::string progress_table(const std::string& version_table) {
  return version_table + "_progress";
}

std::vector<Partial> read_partials(Driver& d, const std::string& table) {
  const BookkeepingSql& b = d.bookkeeping();
  std::vector<Partial> out;
  if (d.query(b.find_table_query(table)).empty()) return out;
  for (auto& row : d.query("SELECT revision, direction, statements_done, statements_total, "
                           "checksum, running, failed_line, error FROM " +
                           b.quote_name(table) + " ORDER BY revision")) {
    Partial p;
    p.revision = row.at(0);
    p.direction = row.at(1) == "downgrade" ? Direction::kDowngrade : Direction::kUpgrade;
    p.done = std::atoi(row.at(2).c_str());
    p.total = std::atoi(row.at(3).c_str());
    p.checksum = row.at(4);
    p.running = std::atoi(row.at(5).c_str());
    p.failed_line = std::atoi(row.at(6).c_str());
    p.error = row.at(7);
    out.push_back(std::move(p));
  }
  return out;
}

void ensure_progress_table(Driver& d, const std::string& table) {
  // Types every backend takes as they are.
  d.execute("CREATE TABLE IF NOT EXISTS " + d.bookkeeping().quote_name(table) +
                " (\n"
                "  revision VARCHAR(128) NOT NULL PRIMARY KEY,\n"
                "  direction VARCHAR(16) NOT NULL,\n"
                "  statements_done INTEGER NOT NULL,\n"
                "  statements_total INTEGER NOT NULL,\n"
                "  checksum CHAR(64) NOT NULL,\n"
                "  running INTEGER,\n"
                "  failed_line INTEGER,\n"
                "  error VARCHAR(2000)\n);\n",
            {});
}

std::string statements_checksum(std::string_view sql, const std::vector<StatementSpan>& spans,
                                size_t k) {
  std::string text;
  for (size_t i = 0; i < k && i < spans.size(); ++i) {
    std::string_view s = trim(sql.substr(spans[i].begin, spans[i].end - spans[i].begin));
    // CRLF and LF files are the same statements.
    for (size_t j = 0; j < s.size(); ++j)
      if (!(s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n')) text += s[j];
    text += '\n';
  }
  return sha256_hex(text);
}

std::string insert_partial(const BookkeepingSql& b, const std::string& table, const Partial& p) {
  return "INSERT INTO " + b.quote_name(table) +
         " (revision, direction, statements_done, statements_total, checksum, running, "
         "failed_line, error) VALUES (" +
         b.string_literal(p.revision) + ", " + b.string_literal(direction_name(p.direction)) +
         ", " + std::to_string(p.done) + ", " + std::to_string(p.total) + ", " +
         b.string_literal(p.checksum) + ", " + int_or_null(p.running) + ", " +
         int_or_null(p.failed_line) + ", " +
         (p.error.empty() ? std::string("NULL") : b.string_literal(p.error)) + ");\n";
}

std::string update_partial(const BookkeepingSql& b, const std::string& table, const Partial& p) {
  return "UPDATE " + b.quote_name(table) + " SET statements_done = " + std::to_string(p.done) +
         ", checksum = " + b.string_literal(p.checksum) + ", running = " + int_or_null(p.running) +
         ", failed_line = " + int_or_null(p.failed_line) +
         ", error = " + (p.error.empty() ? std::string("NULL") : b.string_literal(p.error)) +
         " WHERE revision = " + b.string_literal(p.revision) + ";\n";
}

std::string delete_partial(const BookkeepingSql& b, const std::string& table,
                           const std::string& revision) {
  return "DELETE FROM " + b.quote_name(table) + " WHERE revision = " + b.string_literal(revision) +
         ";\n";
}

}  // namespace retort

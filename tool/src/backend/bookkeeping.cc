#include "backend/bookkeeping.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace retort {

std::string BookkeepingSql::quote_identifier(const std::string& name) const {
  return '"' + name + '"';
}

std::string BookkeepingSql::string_literal(const std::string& text) const {
  return quote_sql_string(text);
}

std::string BookkeepingSql::time_literal(const std::string& utc) const {
  return string_literal(utc);
}

std::string BookkeepingSql::quote_name(const std::string& dotted) const {
  std::string out;
  for (const auto& part : split_list(dotted, '.')) {
    if (!out.empty()) out += '.';
    out += quote_identifier(part);
  }
  return out;
}

std::string BookkeepingSql::select_heads(const std::string& version_table) const {
  return "SELECT version_num FROM " + quote_name(version_table) + " ORDER BY version_num";
}

std::string BookkeepingSql::select_checksums(const std::string& log_table) const {
  return "SELECT revision, checksum FROM " + quote_name(log_table) +
         " WHERE direction = 'upgrade' ORDER BY id";
}

std::string BookkeepingSql::move_heads(const std::string& version_table,
                                       const std::vector<std::string>& before,
                                       const std::vector<std::string>& after) const {
  std::vector<std::string> removed, added;
  for (const auto& h : before)
    if (std::find(after.begin(), after.end(), h) == after.end()) removed.push_back(h);
  for (const auto& h : after)
    if (std::find(before.begin(), before.end(), h) == before.end()) added.push_back(h);
  const std::string table = quote_name(version_table);
  std::string sql;
  if (removed.size() == 1 && added.size() == 1)
    return "UPDATE " + table + " SET version_num = " + string_literal(added[0]) +
           " WHERE version_num = " + string_literal(removed[0]) + ";\n";
  for (const auto& h : removed)
    sql += "DELETE FROM " + table + " WHERE version_num = " + string_literal(h) + ";\n";
  for (const auto& h : added)
    sql += "INSERT INTO " + table + " (version_num) VALUES (" + string_literal(h) + ");\n";
  return sql;
}

std::string BookkeepingSql::insert_log(const std::string& log_table, const LogRecord& r) const {
  auto text_or_null = [this](const std::string& s) {
    return s.empty() ? std::string("NULL") : string_literal(s);
  };
  auto time_or_now = [&](const std::string& s) { return s.empty() ? now() : time_literal(s); };
  return "INSERT INTO " + quote_name(log_table) +
         " (revision, direction, checksum, started_at, finished_at, duration_ms, applied_by, host)"
         " VALUES (" +
         string_literal(r.revision) + ", " + string_literal(r.direction) + ", " +
         text_or_null(r.checksum) + ", " + time_or_now(r.started_at) + ", " +
         time_or_now(r.finished_at) + ", " +
         (r.duration_ms < 0 ? std::string("NULL") : std::to_string(r.duration_ms)) + ", " +
         text_or_null(r.applied_by) + ", " + text_or_null(r.host) + ");\n";
}

}  // namespace retort

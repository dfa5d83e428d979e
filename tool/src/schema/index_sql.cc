#include "schema/index_sql.h"

#include <algorithm>

#include "core/text.h"

namespace retort {

std::string text_between(const std::string& sql, const std::vector<SqlToken>& t, size_t first,
                         size_t last) {
  if (first > last || last >= t.size()) return {};
  return sql.substr(t[first].begin, t[last].end - t[first].begin);
}

std::vector<std::pair<size_t, size_t>> split_top_level(const std::vector<SqlToken>& t, size_t b,
                                                       size_t e) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  size_t start = b;
  for (size_t i = b; i < e; ++i) {
    if (t[i].is('(')) ++depth;
    if (t[i].is(')')) --depth;
    if (depth == 0 && t[i].is(',')) {
      out.emplace_back(start, i);
      start = i + 1;
    }
  }
  if (start < e) out.emplace_back(start, e);
  return out;
}

size_t body_open(const std::vector<SqlToken>& t) {
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].is('(')) return i;
  return t.size();
}

void parse_create_index(const std::string& sql, Index& ix) {
  auto t = tokenize_sql(sql);
  size_t open = body_open(t);
  if (open == t.size()) return;
  size_t close = matching_paren(t, open);
  ix.elements.clear();
  for (auto [b, e] : split_top_level(t, open + 1, std::min(close, t.size())))
    if (b < e) ix.elements.push_back(text_between(sql, t, b, e - 1));
  // PostgreSQL's INCLUDE (...), NULLS NOT DISTINCT, WITH (...) come between
  // the columns and the WHERE.
  size_t where = close + 1;
  for (int depth = 0; where < t.size(); ++where) {
    if (t[where].is('(')) ++depth;
    if (t[where].is(')')) --depth;
    if (depth == 0 && t[where].is_word("WHERE")) break;
  }
  ix.options = where > close + 1 ? text_between(sql, t, close + 1, where - 1) : std::string();
  if (where < t.size()) ix.where = std::string(trim(sql.substr(t[where].end)));
}

}  // namespace retort

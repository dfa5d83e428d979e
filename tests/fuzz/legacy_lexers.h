// Frozen copies of the three lexers sql/lexer.cc replaces, as they were
// before it, so lexer_fuzzer can diff the new one against them byte for
// byte. They go once the new lexer has taken over.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace legacy {

struct Span {
  size_t begin = 0, end = 0;
};
struct Notes {
  std::vector<size_t> client_commands;
  size_t open_at = std::string_view::npos;
  const char* open_what = "";
};
std::vector<Span> split_sql_statements(std::string_view sql, Notes* notes);

struct Tok {
  int kind;  // 0 word, 1 quoted name, 2 string, 3 number, 4 blob, 5 punct
  size_t begin, end;
};
std::vector<Tok> tokenize_sql(std::string_view sql);

const char* skip_space_and_comments(const char* p, const char* end);

}  // namespace legacy

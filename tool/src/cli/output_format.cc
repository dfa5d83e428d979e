#include "cli/output_format.h"

#include "core/error.h"
#include "core/text.h"

namespace retort {

const char* format_name(OutputFormat f) {
  switch (f) {
    case OutputFormat::kText:
      return "text";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kDot:
      return "dot";
    case OutputFormat::kMermaid:
      return "mermaid";
  }
  return "text";
}

OutputFormat parse_output_format(const std::string& value,
                                 std::initializer_list<OutputFormat> allowed) {
  std::vector<std::string> names;
  for (OutputFormat f : allowed) {
    if (value == format_name(f)) return f;
    names.emplace_back(format_name(f));
  }
  throw Error("unknown --format " + quoted_for_display(value) + ": use " + join(names, ", "))
      .usage();
}

}  // namespace retort

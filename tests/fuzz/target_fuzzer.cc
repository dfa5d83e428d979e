// Feeds arbitrary text to the target-expression parsers (upgrade/downgrade
// targets and the offline A:B range). Bad input must be a usage Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)retort::parse_target(text);
  } catch (const retort::Error& e) {
    (void)e.format();
  }
  try {
    (void)retort::parse_target_range(text);
  } catch (const retort::Error& e) {
    (void)e.format();
  }
  return 0;
}

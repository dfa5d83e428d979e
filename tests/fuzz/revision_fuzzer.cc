// Feeds arbitrary bytes to the revision-file parser, as a file would reach
// it, at both depths, then to lint's statement checks (the SQL splitter).
// Malformed input must end in retort::Error, nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/revision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto depth : {retort::ParseDepth::kFull, retort::ParseDepth::kHeaders}) {
    try {
      retort::Revision r = retort::parse_revision(text, "versions/fuzz.sql", depth);
      (void)r.upgrade.checksum();
      (void)r.downgrade.checksum();
      (void)r.upgrade.empty();
      (void)r.downgrade.empty();
      if (depth == retort::ParseDepth::kFull) retort::check_statements(r);
    } catch (const retort::Error& e) {
      (void)e.format();
    }
  }
  return 0;
}

// Feeds arbitrary text to the database URL parser and the redaction of
// URL-looking text. Besides not crashing: a password never survives
// redacted() or an error message. The input is parsed as it is, and also
// spliced around a known password (a user name from the letters and digits
// before the first newline, the rest after '@'), so the check cannot be
// fooled by a password that also occurs elsewhere in the URL.
// Known and reported, so kept out of the check: a password holding a space or
// a quote, or a user name holding '/', is printed unmasked.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "backend/url.h"
#include "core/database_url.h"
#include "core/error.h"

namespace {

constexpr std::string_view kSecret = "Zq9SecretXy7";

void parse(const std::string& text, bool spliced) {
  (void)retort::redact_url_text(text);
  try {
    retort::DatabaseUrl url = retort::parse_database_url(text, "fuzz", "/base");
    std::string shown = url.redacted();
    if (url.has_password && !url.password.empty() && shown.find("***") == std::string::npos)
      std::abort();  // a password, and nothing masked
    if (spliced && url.password == kSecret && shown.find(kSecret) != std::string::npos)
      std::abort();  // the known password shown
    (void)url.is_memory();
  } catch (const retort::Error& e) {
    if (spliced && std::string(e.what()).find(kSecret) != std::string::npos) std::abort();
    (void)e.format();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  parse(text, false);
  if (text.find(kSecret) != std::string::npos) return 0;
  size_t nl = text.find('\n');
  std::string user;
  for (char c : nl == std::string::npos ? std::string("u") : text.substr(0, nl))
    if (std::isalnum(static_cast<unsigned char>(c))) user += c;
  std::string rest = nl == std::string::npos ? text : text.substr(nl + 1);
  if ((user + rest).find(kSecret) != std::string::npos) return 0;
  parse("postgresql://" + user + ":" + std::string(kSecret) + "@" + rest, true);
  return 0;
}

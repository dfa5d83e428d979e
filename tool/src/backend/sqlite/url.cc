// Which query parameters a sqlite:/// URL may carry, checked when the URL
// is read so that a typo is an error before anything is opened.
#include <initializer_list>
#include <string>

#include "backend/sqlite/sqlite.h"
#include "core/text.h"

namespace retort {

void check_sqlite_url(const DatabaseUrl& url, const UrlFailure& fail) {
  auto one_of = [](const std::string& v, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
      if (v == a) return true;
    return false;
  };
  auto boolean = [&](const std::string& v) {
    return one_of(to_lower(v), {"true", "false", "1", "0", "yes", "no", "on", "off"});
  };
  bool uri = false;
  for (const auto& [k, v] : url.query)
    if (k == "uri" && boolean(v)) uri = one_of(to_lower(v), {"true", "1", "yes", "on"});
  for (const auto& param : url.query) {
    // Named copies, not structured bindings: clang 14 (the fuzz build) cannot
    // capture those in a lambda.
    const std::string& k = param.first;
    const std::string& v = param.second;
    auto bad_value = [&](const char* allowed) {
      return fail("'" + k + "=" + v + "' is not a value SQLite takes (" + allowed + ")");
    };
    if (k == "mode") {
      if (!one_of(v, {"ro", "rw", "rwc", "memory"})) throw bad_value("ro, rw, rwc or memory");
    } else if (k == "cache") {
      if (!one_of(v, {"shared", "private"})) throw bad_value("shared or private");
    } else if (k == "uri" || k == "check_same_thread") {
      if (!boolean(v)) throw bad_value("true or false");
    } else if (k == "timeout") {
      char* end = nullptr;
      double seconds = std::strtod(v.c_str(), &end);
      if (v.empty() || *end || seconds < 0 || seconds > 86400)
        throw bad_value("a number of seconds, the busy timeout");
    } else if (k == "vfs" || k == "immutable" || k == "nolock" || k == "psow" || k == "modeof") {
      if (!uri)
        throw fail("SQLite URI parameter '" + k + "' needs uri=true in the URL")
            .hint("sqlite:///app.db?" + k + "=...&uri=true passes it to SQLite in a file: URI");
    } else {
      throw fail("unknown SQLite URL parameter '" + k + "'")
          .hint(
              "a sqlite:/// URL takes mode=ro|rw|rwc|memory, cache=shared|private, "
              "timeout=SECONDS, "
              "check_same_thread (ignored), and with uri=true vfs, immutable, nolock, psow, "
              "modeof");
    }
  }
}

}  // namespace retort

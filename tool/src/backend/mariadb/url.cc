// Which query parameters a mariadb:// or mysql:// URL may carry, checked
// when the URL is read so that a typo is an error before anything connects.
// The names are those of SQLAlchemy's MySQL dialects and the mysql client,
// so an Alembic user's DATABASE_URL works unchanged.
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "backend/mariadb/mariadb.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

bool one_of(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (v == a) return true;
  return false;
}

}  // namespace

void check_mariadb_url(const DatabaseUrl& url, const UrlFailure& fail) {
  for (const auto& param : url.query) {
    // Named copies, not structured bindings: clang 14 (the fuzz build) cannot
    // capture those in a lambda.
    const std::string& k = param.first;
    const std::string& v = param.second;
    auto bad_value = [&](const char* allowed) {
      return fail("'" + k + "=" + v + "' is not a value retort takes for MariaDB (" + allowed +
                  ")");
    };
    if (k == "unix_socket") {
      if (v.empty() || v[0] != '/') throw bad_value("the absolute path of the server's socket");
    } else if (k == "charset") {
      bool ok = !v.empty() && v.size() <= 32;
      for (char c : v)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (!ok) throw bad_value("a character set name such as utf8mb4");
    } else if (k == "ssl_mode") {
      if (!one_of(to_lower(v),
                  {"disabled", "preferred", "required", "verify_ca", "verify_identity"}))
        throw bad_value("DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
    } else if (k == "ssl_ca" || k == "ssl_cert" || k == "ssl_key" || k == "ssl_capath") {
      if (v.empty()) throw bad_value("a file path");
    } else if (k == "connect_timeout") {
      char* end = nullptr;
      long seconds = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end || seconds < 0 || seconds > 86400)
        throw bad_value("a whole number of seconds, 0 to 86400");
    } else if (k == "password") {
      register_secret(v);
    } else {
      throw fail("unknown MariaDB URL parameter '" + k + "'")
          .hint(
              "a mariadb:// or mysql:// URL takes unix_socket=/path, charset=NAME, "
              "ssl_mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY, ssl_ca, ssl_capath, "
              "ssl_cert, ssl_key, connect_timeout=SECONDS and password");
    }
  }
}

}  // namespace retort

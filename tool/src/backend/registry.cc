// The one list of backends. Everything else finds a database through here,
// by a URL's scheme or its backend name, and never compares names itself.
#include "backend/mariadb/mariadb.h"
#include "backend/native.h"
#include "backend/postgres/postgres.h"
#include "backend/sqlite/sqlite.h"
#include "core/error.h"

namespace retort {

const std::vector<const Backend*>& registered_backends() {
  static const std::vector<const Backend*> all = {&sqlite_backend(), &postgres_backend(),
                                                  &mariadb_backend()};
  return all;
}

std::unique_ptr<Driver> adopt_sqlite3(void* db, const DriverOptions& options) {
  return adopt_sqlite_connection(db, options);
}

const Backend* backend_named(std::string_view name) {
  for (const Backend* b : registered_backends())
    if (b->name() == name) return b;
  return nullptr;
}

const Backend* backend_for_scheme(std::string_view scheme) {
  for (const Backend* b : registered_backends())
    for (auto s : b->schemes())
      if (s == scheme) return b;
  return nullptr;
}

const Backend& backend_of(const DatabaseUrl& url) {
  if (const Backend* b = backend_named(url.backend)) return *b;
  throw Error("cannot connect to " + url.redacted() + " (from " + url.source + "): the " +
              url.backend + " driver is not built into this retort")
      .hint("this build speaks " + spoken_schemes());
}

std::string spoken_schemes() {
  const auto& all = registered_backends();
  std::string out;
  for (size_t i = 0; i < all.size(); ++i) {
    auto schemes = all[i]->schemes();
    out += i == 0 ? "" : i + 1 == all.size() ? " and " : ", ";
    out += std::string(schemes.front()) + "://";
    for (size_t k = 1; k < schemes.size(); ++k)
      out += (k == 1 ? " (also " : ", ") + std::string(schemes[k]) + "://" +
             (k + 1 == schemes.size() ? ")" : "");
  }
  return out;
}

std::unique_ptr<Driver> open_driver(const DatabaseUrl& url, const DriverOptions& options) {
  return backend_of(url).connect(url, options);
}

Schema Backend::introspect(Driver&, const IntrospectOptions&) const {
  throw Error("autogenerate cannot read " + std::string(name()) + " schemas yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

Schema Backend::load_models(const std::vector<std::string>&, Driver*,
                            const std::vector<std::string>&) const {
  throw Error("autogenerate does not support " + std::string(name()) + " databases yet")
      .hint("write this revision by hand: retort revision --empty -m MESSAGE");
}

}  // namespace retort

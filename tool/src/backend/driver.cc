#include "backend/driver.h"

#include "core/error.h"

namespace retort {

std::unique_ptr<Driver> open_driver(const DatabaseUrl& url, const DriverOptions& options) {
  if (url.backend == "sqlite") return open_sqlite_driver(url, options);
  if (url.backend == "postgresql") return open_postgres_driver(url, options);
  throw Error("cannot connect to " + url.redacted() + " (from " + url.source + "): the " +
              url.backend + " driver is not built into this retort")
      .hint("this build speaks sqlite:// and postgresql://");
}

}  // namespace retort

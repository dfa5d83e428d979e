// Drivers over a connection the application opened itself, for the
// runtime's overloads that take one: the connection is used as it is and
// left open when the driver goes. `db` is the C API's handle (sqlite3*),
// passed untyped so that no header but the driver's includes <sqlite3.h>.
#pragma once

#include <memory>

#include "backend/driver.h"

namespace retort {

std::unique_ptr<Driver> adopt_sqlite3(void* db, const DriverOptions& options);

}  // namespace retort

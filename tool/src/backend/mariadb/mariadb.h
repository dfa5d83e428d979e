// Everything retort knows about MariaDB (and MySQL, which speaks the same
// protocol and most of the same SQL), behind the Backend in backend.cc: the
// URL parameters it takes (url.cc) and the bookkeeping SQL (bookkeeping.cc).
// The driver (driver.cc, the only file that includes <mysql.h>) is a module
// loaded for mariadb:// and mysql:// URLs only. Only files in this folder and
// backend/registry.cc include this header.
#pragma once

#include <memory>

#include "backend/backend.h"

namespace retort {

const Backend& mariadb_backend();

// Loads the driver module on first use (backend.cc, backend/module.h).
std::unique_ptr<Driver> open_mariadb_driver(const DatabaseUrl& url, const DriverOptions& options);
std::unique_ptr<BookkeepingSql> make_mariadb_bookkeeping();
// unix_socket, charset, ssl_mode, the ssl_* files and connect_timeout.
void check_mariadb_url(const DatabaseUrl& url, const UrlFailure& fail);

// DDL, GRANT, LOCK TABLES, CALL (which may run DDL), ...: what commits the
// transaction it runs in (statements.cc).
bool mariadb_commits_implicitly(std::string_view statement);
// Whether the statement may stand inside BEGIN NOT ATOMIC ... END: not a
// stored program's own CREATE or DROP, nor what compound statements refuse.
bool mariadb_wraps_in_compound(std::string_view statement);

}  // namespace retort

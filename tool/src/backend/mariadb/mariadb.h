// Everything retort knows about MariaDB (and MySQL, which speaks the same
// protocol and most of the same SQL), behind the Backend in backend.cc: the
// URL parameters it takes (url.cc), the bookkeeping SQL (bookkeeping.cc),
// reading a schema from information_schema (introspect.cc, through
// Driver::query only), loading the models into a scratch database that is
// always dropped (load_models.cc), and the schema dialect (schema_dialect.cc).
// The driver (driver.cc, the only file that includes <mysql.h>) is a module
// loaded for mariadb:// and mysql:// URLs only. Only files in this folder and
// backend/registry.cc include this header.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "schema/schema_dialect.h"
#include "schema/schema_model.h"

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

// Reads one database (options.schema, or the connection's DATABASE()) from
// information_schema. Types are COLUMN_TYPE's ("int(11) unsigned"; a JSON
// column, longtext with its implicit json_valid() CHECK, reads as json); an
// AUTO_INCREMENT column's default reads as "AUTO_INCREMENT", ON UPDATE as
// Column::on_update; a collation only where it differs from the table's;
// the table's ENGINE, DEFAULT CHARSET and COLLATE as Table::options; unique
// keys as unique indexes, keyed "table.name" (index names are per table);
// view definitions with the database's own name taken off.
Schema introspect_mariadb(Driver& driver, const IntrospectOptions& options);

// Creates a scratch database on the target's server (its character set and
// collation), runs the model files there, reads it back, and drops it, also
// after an error; scratch databases a killed run left behind are dropped
// when over an hour old. The target database is left unchanged.
Schema load_models_mariadb(Driver& driver, const std::vector<std::string>& files,
                           const std::vector<std::string>& exclude_tables);
// The scratch databases' names: kMariadbScratchPrefix<pid>_<unix time>_<random>.
inline constexpr std::string_view kMariadbScratchPrefix = "retort_scratch_";

std::unique_ptr<SchemaDialect> make_mariadb_schema_dialect();

// A MariaDB type by meaning, for comparing: lower case, display widths
// dropped (int(11) is int) except tinyint(1), which BOOL is; INTEGER is
// int, NUMERIC and DEC are decimal(10,0) unless given, DOUBLE PRECISION
// and REAL are double, CHARACTER VARYING(n) is varchar(n).
std::string canonical_mariadb_type(const std::string& type);
// `name`, doubling embedded backticks.
std::string quote_mariadb_name(std::string_view name);
// 'text', with quotes doubled and backslashes escaped.
std::string quote_mariadb_string(std::string_view text);

}  // namespace retort

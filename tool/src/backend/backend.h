// The interface a database implements, and the registry of them. The
// migrator, autogenerate and the CLI reach a database only through a
// Backend; each one lives in backend/<db>/, and backend/registry.cc is the
// only file that names them. Adding a database is a folder, a registry line
// and its tests.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/bookkeeping.h"
#include "backend/driver.h"
#include "core/database_url.h"
#include "core/error.h"
#include "schema/schema_dialect.h"
#include "schema/schema_model.h"
#include "sql/lexer.h"

namespace retort {

// What the migrator asks instead of a backend's name.
struct Capabilities {
  bool transactional_ddl = true;  // DDL rolls back with its transaction
  // lock_run() holds a lock of the server's for the whole run; without one,
  // the write transaction's own lock (SQLite's BEGIN IMMEDIATE) keeps
  // deployers apart.
  bool advisory_locks = false;
  bool savepoints = true;                // SAVEPOINT / ROLLBACK TO inside a revision
  bool schemas = false;                  // version_table = schema.table names a schema
  bool concurrent_index_builds = false;  // CREATE INDEX CONCURRENTLY, outside a transaction
};

struct IntrospectOptions {
  std::vector<std::string> exclude_tables;  // retort's own bookkeeping tables
  std::string schema;                       // the schema to read; empty: the default one
};

// An empty database of its own for `retort test`, gone with the object.
class ScratchDatabase {
 public:
  virtual ~ScratchDatabase() = default;
  virtual const DatabaseUrl& url() const = 0;
};

// Builds "invalid database URL '…' from SOURCE: why", password masked.
using UrlFailure = std::function<Error(const std::string& why)>;

class Backend {
 public:
  virtual ~Backend() = default;
  // Equal to DatabaseUrl::backend of its URLs: "sqlite", "postgresql".
  virtual std::string_view name() const = 0;
  // As people write it, for messages: "SQLite", "PostgreSQL".
  virtual std::string_view title() const = 0;
  // URL schemes, the canonical one first ("postgresql", "postgres"); a
  // SQLAlchemy "+driver" suffix is taken off before they are compared.
  virtual std::vector<std::string_view> schemes() const = 0;
  virtual UrlForm url_form() const = 0;
  // Example URLs for hints about malformed ones.
  virtual std::vector<std::string_view> url_examples() const = 0;
  // Refuses query parameters the database would not take, via `fail`.
  virtual void check_url(const DatabaseUrl& url, const UrlFailure& fail) const {
    (void)url;
    (void)fail;
  }
  virtual const Capabilities& capabilities() const = 0;
  // How lint and the migrator's check before a run read a revision for this
  // database: its quotes, comments and bodies.
  virtual sql::LexerOptions lexer_options() const = 0;
  // Whether the database commits `statement` as it runs it, whatever
  // transaction it is in (MariaDB's DDL): a revision holding one cannot be
  // rolled back, so the migrator records its progress statement by
  // statement. Only asked when !capabilities().transactional_ddl.
  virtual bool commits_implicitly(std::string_view statement) const {
    (void)statement;
    return false;
  }

  // The bookkeeping statements, also for offline scripts: never connects.
  virtual std::unique_ptr<BookkeepingSql> bookkeeping() const = 0;
  // nullptr when the database does not exist and !options.create_if_missing.
  virtual std::unique_ptr<Driver> connect(const DatabaseUrl& url,
                                          const DriverOptions& options) const = 0;

  // Autogenerate. A backend without it returns nullptr here, and the two
  // functions below are then never called.
  virtual std::unique_ptr<SchemaDialect> schema_dialect() const { return nullptr; }
  virtual Schema introspect(Driver& driver, const IntrospectOptions& options) const;
  // The schema the model files describe. `target` is the database being
  // migrated (nullptr when it does not exist yet); a backend that needs a
  // scratch on the server uses it and leaves it unchanged.
  virtual Schema load_models(const std::vector<std::string>& files, Driver* target,
                             const std::vector<std::string>& exclude_tables) const;
  // A new, empty database of this kind for a test run, beside the one `near`
  // names: a file in a temporary directory for a file-path URL; on a server,
  // CREATE DATABASE with `near`'s credentials and DROP DATABASE when done
  // (the user needs the privilege to create databases).
  virtual std::unique_ptr<ScratchDatabase> scratch_database(const DatabaseUrl& near) const;
  // Where `desired` (the models) spells an expression differently from
  // `current` (the target) but the database reads both the same, gives
  // `desired` the target's text, so the diff sees no change. None by default.
  virtual void align_spelling(Driver& target, const Schema& current, Schema& desired) const {
    (void)target;
    (void)current;
    (void)desired;
  }
};

// The registry (backend/registry.cc).
const std::vector<const Backend*>& registered_backends();
// Throws Error naming `url`'s source when no backend of that name is built in.
const Backend& backend_of(const DatabaseUrl& url);
const Backend* backend_named(std::string_view name);
const Backend* backend_for_scheme(std::string_view scheme);
// "sqlite:// and postgresql:// (also postgres://)", for hints.
std::string spoken_schemes();

// Opens the database the URL names, through its backend. With
// create_if_missing=false, returns nullptr when it does not exist yet.
std::unique_ptr<Driver> open_driver(const DatabaseUrl& url, const DriverOptions& options);

}  // namespace retort

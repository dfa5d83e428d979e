// The tests' side of the backend registry: for each database, what the tests
// need that retort's own Backend does not give them (a fresh database, reading
// it back with the database's own client, the client's command line, and the
// strings the tests expect that differ per database). Tests choose what
// differs between databases only through a fixture, never by comparing
// names, so a new backend without a fixture, or without a text a test asks
// for, fails loudly instead of quietly taking another database's path.
//
// A new backend adds one class to backend_fixture.cc and one line to
// backend_fixtures(); the unit test backend_fixture_test.cc checks that every
// registered backend has a fixture and that all fixtures know the same keys.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"

namespace retort::test {

// A database a test owns.
struct FixtureDatabase {
  std::string url;          // opens it from any directory
  std::string project_url;  // as a project's retort.ini says it, relative to the project
  std::string name;         // SQLite: the file's path; PostgreSQL: the database's name
};

// How a schema the database reports compares with the one the models
// describe (autogenerate_support's dump()).
struct SchemaReadback {
  bool column_order;           // compared; false: by name, as a column added back comes last
  bool generation_expression;  // a generated column's expression is read back
  bool constraint_names;       // constraints keep their names
  bool index_sql;              // an index compares as the server's own CREATE INDEX text
};

// The autogenerate schema-pair corpus, relative to the source tree: one
// directory per scenario, with a file for each registered backend (its
// BackendFixture::schema_pair_file(), or the .skip that says why not).
inline constexpr std::string_view kSchemaPairsDir = "tests/fixtures/schema_pairs";

class BackendFixture {
 public:
  virtual ~BackendFixture() = default;
  // The product registry's name of the backend ("sqlite", "postgresql").
  virtual std::string_view name() const = 0;
  // retort's own backend of that name; fails the test when it is not built in.
  const Backend& backend() const;
  const Capabilities& capabilities() const { return backend().capabilities(); }
  bool autogenerates() const { return backend().schema_dialect() != nullptr; }

  // A new, empty database; a file goes in `dir`, which the caller owns.
  virtual FixtureDatabase create(const std::string& dir) const = 0;
  // Whether the database is there yet (a SQLite file appears on first use).
  virtual bool exists(const FixtureDatabase& db) const = 0;
  // Fails the test unless the database's own check finds it intact.
  virtual void require_intact(const FixtureDatabase& db) const = 0;

  // Read and written with the database's own client library or program,
  // never through retort. column(): the first column of each row.
  virtual std::vector<std::string> column(const FixtureDatabase& db,
                                          const std::string& sql) const = 0;
  virtual void exec(const FixtureDatabase& db, const std::string& sql) const = 0;
  // Runs an SQL script file with the client program, stopping at an error.
  virtual void run_script(const FixtureDatabase& db, const std::string& path) const = 0;
  virtual std::vector<std::string> tables(const FixtureDatabase& db) const = 0;  // sorted
  // The client program reading SQL from its standard input (sqlite3, psql).
  virtual std::vector<std::string> client_argv(const FixtureDatabase& db) const = 0;

  // What the client program (client_argv) runs to write "ready" to the file
  // `path` once everything before it has run: how a test knows a client
  // session holds its lock.
  virtual std::string client_marker(const std::string& path) const = 0;

  // SQL with which a client session takes the advisory lock retort holds
  // for a run on `version_table` (Capabilities::advisory_locks). Fails the
  // test on a backend without one.
  virtual std::string hold_run_lock_sql(const std::string& version_table) const;

  // A schema that qualified bookkeeping names (schema.retort_version) may
  // use in `db`: the fixture's text of that name, or (MariaDB, whose
  // schemas are databases) the database itself.
  virtual std::string bookkeeping_schema(const FixtureDatabase& db) const {
    (void)db;
    return text("sql: schema for qualified bookkeeping names");
  }

  // Quoted names too match without regard to case.
  virtual bool names_ignore_case() const = 0;
  virtual SchemaReadback readback() const = 0;
  // Its files of a scenario of the autogenerate schema-pair corpus, relative
  // to the source tree: kSchemaPairsDir/<scenario>/<name()>.sql, the pair,
  // or <name()>.skip, one line saying why the backend has none.
  std::string schema_pair_file(const std::string& scenario) const;
  std::string schema_pair_skip_file(const std::string& scenario) const;

  // The one expected string under `key`. Fails the test, naming the key and
  // the backend, when the fixture has none: never another backend's value.
  const std::string& text(const std::string& key) const;
  // Every expected string under `key`, possibly none on purpose; fails the
  // test when the key is missing.
  const std::vector<std::string>& texts(const std::string& key) const;
  std::vector<std::string> keys() const;

 protected:
  using Texts = std::map<std::string, std::vector<std::string>>;
  virtual const Texts& text_table() const = 0;
};

// Every fixture, in the product registry's order. Fails the test when a
// registered backend has no fixture or a fixture no registered backend.
const std::vector<const BackendFixture*>& backend_fixtures();
const BackendFixture& fixture_named(std::string_view name);  // fails the test when none

// Catch2 generators of backend names:
//   Project p(GENERATE(all_backends()));
//   Project p(GENERATE(backends_with(&Capabilities::advisory_locks)));
Catch::Generators::GeneratorWrapper<std::string> all_backends();
Catch::Generators::GeneratorWrapper<std::string> backends_with(bool Capabilities::*capability);
// The backends autogenerate reads and writes (Backend::schema_dialect()).
Catch::Generators::GeneratorWrapper<std::string> autogenerate_backends();

}  // namespace retort::test

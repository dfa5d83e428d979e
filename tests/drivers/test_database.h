// One fresh, empty database per test on a given backend, so every case of
// the conformance suite runs unchanged against SQLite and PostgreSQL.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "backend/backend.h"
#include "backend/url.h"
#include "backend_fixture.h"
#include "core/database_url.h"
#include "core/error.h"
#include "expect_error.h"
#include "temp_dir.h"

namespace retort::test {

class TestDatabase {
 public:
  // On each backend: TestDatabase db(GENERATE(all_backends())) (backend_fixture.h).
  explicit TestDatabase(std::string backend);
  const std::string& backend() const { return backend_; }
  // What differs between databases: ask the fixture, never the name.
  const BackendFixture& fixture() const { return fixture_; }
  const std::string& text(const std::string& key) const { return fixture_.text(key); }
  const std::vector<std::string>& texts(const std::string& key) const {
    return fixture_.texts(key);
  }
  const std::string& url_text() const { return database_.url; }
  DatabaseUrl url() const { return parse_database_url(database_.url, "the test"); }
  std::unique_ptr<Driver> open(int lock_timeout_ms = 5000) const;
  // A schema that qualified bookkeeping names may use.
  std::string schema() const { return fixture_.bookkeeping_schema(database_); }
  // First column of the first row of a query on a fresh connection ("" if none).
  std::string value(const std::string& sql) const;
  long long count(const std::string& table) const;
  bool table_exists(const std::string& table) const;

 private:
  std::string backend_;
  const BackendFixture& fixture_;
  TempDir dir_;  // where a file database goes
  FixtureDatabase database_;
};

}  // namespace retort::test

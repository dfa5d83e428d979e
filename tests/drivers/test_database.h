// One fresh, empty database per test on a given backend, so every case of
// the conformance suite runs unchanged against SQLite and PostgreSQL.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "backend/backend.h"
#include "backend/url.h"
#include "core/database_url.h"
#include "core/error.h"
#include "expect_error.h"
#include "temp_dir.h"

namespace retort::test {

// Every backend the suite runs against, as a Catch2 generator:
//   const std::string backend = GENERATE(backends());
inline auto backends() {
  return Catch::Generators::values<std::string>({"sqlite", "postgresql"});
}

class TestDatabase {
 public:
  explicit TestDatabase(std::string backend);
  const std::string& backend() const { return backend_; }
  bool is_postgres() const { return backend_ == "postgresql"; }
  const std::string& url_text() const { return url_; }
  DatabaseUrl url() const { return parse_database_url(url_, "the test"); }
  std::unique_ptr<Driver> open(int lock_timeout_ms = 5000) const;
  // A schema that qualified bookkeeping names may use.
  std::string schema() const { return is_postgres() ? "deploy" : "main"; }
  // First column of the first row of a query on a fresh connection ("" if none).
  std::string value(const std::string& sql) const;
  long long count(const std::string& table) const;
  bool table_exists(const std::string& table) const;

 private:
  std::string backend_;
  std::string url_;
  std::unique_ptr<TempDir> dir_;
};

}  // namespace retort::test

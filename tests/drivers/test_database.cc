#include "test_database.h"

namespace retort::test {

TestDatabase::TestDatabase(std::string backend)
    : backend_(std::move(backend)),
      fixture_(fixture_named(backend_)),
      database_(fixture_.create(dir_.path())) {}

std::unique_ptr<Driver> TestDatabase::open(int lock_timeout_ms) const {
  DriverOptions o;
  o.lock_timeout_ms = lock_timeout_ms;
  auto d = open_driver(url(), o);
  REQUIRE(d);
  return d;
}

std::string TestDatabase::value(const std::string& sql) const {
  auto rows = open()->query(sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

long long TestDatabase::count(const std::string& table) const {
  return std::stoll(value("SELECT count(*) FROM " + table));
}

bool TestDatabase::table_exists(const std::string& table) const {
  auto d = open();
  return !d->query(d->bookkeeping().find_table_query(table)).empty();
}

}  // namespace retort::test

#include "sqlite_inspect.h"

#include <sqlite3.h>

#include <stdexcept>

namespace retort::test {

namespace {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db, 10000);
  }
  ~Db() { sqlite3_close(db); }
};

}  // namespace

std::vector<std::string> sqlite_column(const std::string& db_path, const std::string& sql) {
  Db d(db_path);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("bad test query: ") + sqlite3_errmsg(d.db) + ": " + sql);
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto* v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    out.push_back(v ? v : "NULL");
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    throw std::runtime_error(std::string("query failed: ") + sqlite3_errmsg(d.db));
  return out;
}

std::string sqlite_value(const std::string& db_path, const std::string& sql) {
  auto rows = sqlite_column(db_path, sql);
  return rows.empty() ? "" : rows.front();
}

std::vector<std::string> sqlite_tables(const std::string& db_path) {
  return sqlite_column(db_path,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY name");
}

void sqlite_exec(const std::string& db_path, const std::string& sql) {
  Db d(db_path);
  char* err = nullptr;
  if (sqlite3_exec(d.db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("test exec failed: " + msg);
  }
}

SqliteWriteLock::SqliteWriteLock(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot lock " + db_path);
  }
  db_ = db;
}

SqliteWriteLock::~SqliteWriteLock() {
  auto* db = static_cast<sqlite3*>(db_);
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

}  // namespace retort::test

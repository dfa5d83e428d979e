// Reads a SQLite file directly (not through retort) so tests can check what
// really is in the database.
#pragma once

#include <string>
#include <vector>

namespace retort::test {

// Rows of the query's first column, as text ("NULL" for NULL).
std::vector<std::string> sqlite_column(const std::string& db_path, const std::string& sql);
std::string sqlite_value(const std::string& db_path, const std::string& sql);  // first row or ""
std::vector<std::string> sqlite_tables(const std::string& db_path);            // sorted user tables
void sqlite_exec(const std::string& db_path, const std::string& sql);

// Holds SQLite's write lock (BEGIN IMMEDIATE) until destroyed.
class SqliteWriteLock {
 public:
  explicit SqliteWriteLock(const std::string& db_path);
  ~SqliteWriteLock();
  SqliteWriteLock(const SqliteWriteLock&) = delete;
  SqliteWriteLock& operator=(const SqliteWriteLock&) = delete;

 private:
  void* db_ = nullptr;
};

}  // namespace retort::test

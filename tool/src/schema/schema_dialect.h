// What autogenerate needs to know about one database's DDL: when two types
// or defaults mean the same, which changes its ALTER TABLE cannot make, and
// how to write each operation as SQL. Each backend implements it in
// backend/<db>/schema_dialect.cc; the helpers here are shared by all.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "schema/ops.h"
#include "schema/schema_model.h"

namespace retort {

class SchemaDialect {
 public:
  virtual ~SchemaDialect() = default;
  virtual std::string name() const = 0;

  // INT and integer, varchar(20) and character varying(20): same meaning.
  virtual bool same_type(const std::string& a, const std::string& b) const = 0;
  // Canonical text of a default expression, for comparison.
  virtual std::string normalize_default(const std::string& expr) const;
  // Whether changing a column from one type to the other can lose data.
  virtual bool is_narrowing(const std::string& from, const std::string& to) const = 0;

  // Why `from` must be rebuilt as `to` for a table option that no ALTER
  // changes (SQLite: WITHOUT ROWID, STRICT, the rowid alias,
  // AUTOINCREMENT); none by default.
  virtual std::vector<std::string> rebuild_reasons(const Table& from, const Table& to) const {
    (void)from;
    (void)to;
    return {};
  }

  // Rewrites ops the database cannot run as they are (SQLite: table
  // rebuilds). `from` and `to` are the schemas the ops were diffed from.
  virtual std::vector<Op> lower(std::vector<Op> ops, const Schema& from,
                                const Schema& to) const = 0;
  // The SQL for a (lowered) list of ops, with the reviewer's comments and a
  // "-- WARNING: data loss" line above each destructive statement: each op's
  // notes, then its statements, a blank line between ops.
  virtual std::string render(const std::vector<Op>& ops) const;

 protected:
  // One op's statements, each ending in ";\n".
  virtual std::string render_one(const Op& op) const = 0;

  // Views in both schemas that read one of `names` (tables or views), also
  // through other views, and that no op in `ops` drops or creates: the
  // change blocks or breaks them, so they are dropped before `ops` with
  // `why` as a note, and created again after them. Triggers on a view that
  // `ops` then recreates go with it (dropping a view drops its triggers).
  static std::vector<Op> recreate_dependent_views(std::vector<Op> ops,
                                                  const std::set<std::string>& names,
                                                  const Schema& from, const Schema& to,
                                                  const std::string& why);

  // The same words for the same loss on every database.
  static std::string drop_table_sql(const std::string& table);
  static std::string drop_column_warning(const std::string& table, const Column& column);
};

}  // namespace retort

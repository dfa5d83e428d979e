// The exclude setting's globs, and what they take out of a schema model.
#include <catch2/catch.hpp>

#include "schema/schema_filter.h"

using namespace retort;

TEST_CASE("exclude globs match names without regard to case") {
  const std::vector<std::string> globs = {"pgq_*", "legacy", "t?mp"};
  CHECK(excluded_by(globs, "pgq_events"));
  CHECK(excluded_by(globs, "PGQ_Events"));
  CHECK(excluded_by(globs, "Legacy"));
  CHECK(excluded_by(globs, "temp"));
  CHECK_FALSE(excluded_by(globs, "legacy_users"));
  CHECK_FALSE(excluded_by(globs, "users"));
  CHECK_FALSE(excluded_by({}, "users"));
}

TEST_CASE("exclude takes out the objects it names, and an excluded table's indexes") {
  Schema s;
  s.tables["users"].name = "users";
  s.tables["pgq_jobs"].name = "pgq_jobs";
  s.views["pgq_view"].name = "pgq_view";
  Index on_queue;
  on_queue.name = "jobs_at";
  on_queue.table = "pgq_jobs";
  s.indexes["jobs_at"] = on_queue;
  Index on_users;
  on_users.name = "users_name";
  on_users.table = "users";
  s.indexes["users_name"] = on_users;
  s.sequences["pgq_seq"].name = "pgq_seq";
  s.enums["pgq_state"].name = "pgq_state";
  std::set<std::string> removed;
  exclude_objects(s, {"pgq_*"}, removed);
  CHECK(s.tables.size() == 1);
  CHECK(s.tables.count("users"));
  CHECK(s.views.empty());
  CHECK(s.indexes.size() == 1);
  CHECK(s.indexes.count("users_name"));
  CHECK(s.sequences.empty());
  CHECK(s.enums.empty());
  // The index went with its table, uncounted.
  CHECK(removed == std::set<std::string>{"sequence pgq_seq", "table pgq_jobs", "type pgq_state",
                                         "view pgq_view"});
}

// Concurrent deployers against one SQLite file or one PostgreSQL database:
// every revision is applied exactly once and every process succeeds.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;

TEST_CASE("16 concurrent upgrades apply each revision exactly once") {
  Project p(GENERATE(all_backends()));
  auto ids = p.add_chain(40);
  std::vector<Running> procs;
  for (int i = 0; i < 16; ++i)
    procs.push_back(start_retort({"upgrade", "head"}, {p.root(), {}}));
  int ok = 0;
  for (const auto& proc : procs) {
    auto r = wait_retort(proc);
    INFO(r.all());
    CHECK(r.exit_code == 0);
    ok += r.exit_code == 0;
  }
  CHECK(ok == 16);
  CHECK(p.heads() == std::vector<std::string>{ids.back()});
  CHECK(p.value("SELECT count(*) FROM retort_log WHERE direction = 'upgrade'") == "40");
  CHECK(p.value("SELECT count(DISTINCT revision) FROM retort_log") == "40");
  CHECK(p.tables().size() == 42);
}

TEST_CASE("a deployer that cannot get the write lock in time gets a clear error") {
  Project p;
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.add({"wait0002", "r0001", "CREATE TABLE w (x);", "DROP TABLE w;"});
  {
    SqliteWriteLock lock(p.db());  // as another process's open write transaction would
    auto r = p.run({"upgrade", "--lock-timeout", "1"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("app.db is locked by another process (waited 1 s)"));
    CHECK_THAT(r.err, Catch::Contains("--lock-timeout"));
  }
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  // Once the lock is gone the same command goes through.
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"wait0002"});
}

// Offline mode: the script `--sql` prints is what the live run does, so
// running it with the database's client (sqlite3, psql) gives the same database.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("upgrade --sql prints a script that brings a database to head") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  auto r = p.run({"upgrade", "head", "--sql"});
  REQUIRE(r.exit_code == 0);
  CHECK(p.run({"current"}).out.rfind("base (no revision applied", 0) == 0);  // nothing was touched
  CHECK_THAT(r.out, Contains("-- Running upgrade r0001 -> r0002, rev r0002\n"));
  CHECK_THAT(
      r.out,
      Contains(
          p.text("offline: begin") + "CREATE TABLE t2 (id INTEGER PRIMARY KEY);\n" +
          // As the live run, which undoes a revision's session settings before its bookkeeping.
          p.text("offline: session reset before the bookkeeping") + "UPDATE " +
          p.fixture().backend().bookkeeping()->quote_name("retort_version") +
          " SET version_num = 'r0002' WHERE version_num = 'r0001';\n"));
  write_text(p.root() + "/up.sql", r.out);
  p.run_client_script(p.root() + "/up.sql");
  CHECK(p.heads() == std::vector<std::string>{"r0003"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1", "t2", "t3"});
  // retort agrees the database is at head, and its checksums match.
  CHECK(p.run({"current"}).out == "r0003 (head)\n");
  CHECK(p.run({"verify"}).exit_code == 0);
  CHECK(p.run({"upgrade"}).out == "Nothing to do: the database is at r0003\n");
}

TEST_CASE("downgrade FROM:TO --sql and partial ranges") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto down = p.run({"downgrade", "head:r0001", "--sql"});
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.out, Contains("-- Running downgrade r0003 -> r0002"));
  CHECK_THAT(down.out, Contains("-- Running downgrade r0002 -> r0001"));
  CHECK(down.out.find("r0001 -> ,") == std::string::npos);
  write_text(p.root() + "/down.sql", down.out);
  p.run_client_script(p.root() + "/down.sql");
  CHECK(p.heads() == std::vector<std::string>{"r0001"});

  auto part = p.run({"upgrade", "r0001:r0003", "--sql"});
  REQUIRE(part.exit_code == 0);
  CHECK(part.out.find("CREATE TABLE t1 ") == std::string::npos);
  CHECK_THAT(part.out, Contains("CREATE TABLE t3 "));

  auto no_from = p.run({"downgrade", "base", "--sql"});
  CHECK(no_from.exit_code == 2);
  CHECK_THAT(no_from.err, Contains("offline downgrade needs a starting point"));
  auto backwards = p.run({"downgrade", "base:r0003", "--sql"});
  CHECK(backwards.exit_code == 2);
  CHECK_THAT(backwards.err, Contains("a downgrade cannot start at base"));
  CHECK_THAT(backwards.err, Contains("retort downgrade r0003:base --sql"));

  // Online, the database is where a run starts: a range is a usage error.
  auto online = p.run({"downgrade", "r0001:base"});
  CHECK(online.exit_code == 2);
  CHECK_THAT(online.err, Contains("'r0001:base' is a FROM:TO range, which only offline mode "
                                  "takes"));
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
}

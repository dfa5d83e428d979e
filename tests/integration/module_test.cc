// The driver module the tool loads must be this build's: a stale one on the
// module path is an error naming its path, and nothing is called in it.
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("a driver module from another build is refused, naming its path") {
  Project p;
  struct Case {
    std::string dir, why;
  };
  const Case c = GENERATE(Case{"stale-build", "is from another build of retort (0.0.1-"},
                          Case{"stale-abi", "speaks module interface"});
  CAPTURE(c.dir);
  const std::string dir = std::string(RETORT_STALE_MODULES) + "/" + c.dir;
  auto r = p.run({"current", "--url", "postgresql://app:secret@127.0.0.1:9/db"},
                 {{"RETORT_MODULE_DIR", dir}});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("PostgreSQL support is not available: the module " + dir +
                             "/retort_postgres.so " + c.why));
  CHECK_THAT(r.err, Contains("rebuild retort"));
  CHECK_THAT(r.all(), !Contains("secret"));
}

TEST_CASE("SQLite needs no module: a broken module path does not matter to it") {
  Project p;
  p.add_chain(1);
  auto r =
      p.run({"upgrade"}, {{"RETORT_MODULE_DIR", std::string(RETORT_STALE_MODULES) + "/stale-abi"}});
  CHECK(r.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
}

// retort embed, the command behind retort_embed_migrations(): the files it
// writes, when it leaves them alone, and the revisions and names it refuses.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

long long mtime_ns(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

}  // namespace

TEST_CASE("embed writes a header with the heads and a source holding every file") {
  Project p;
  p.add_chain(2);
  const std::string out = p.root() + "/gen";
  auto r = p.run({"embed", "--output-dir", out, "--name", "app_migrations"});
  INFO(r.all());
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  std::string h = slurp(out + "/app_migrations.h");
  CHECK_THAT(h, Contains("const retort::Script& app_migrations();"));
  CHECK_THAT(h, Contains("inline constexpr std::string_view app_migrations_head = \"r0002\";"));
  CHECK_THAT(h, Contains("app_migrations_heads = {\"r0002\"};"));
  CHECK_THAT(h, Contains("app_migrations_revision_count = 2;"));
  std::string cc = slurp(out + "/app_migrations.cc");
  CHECK_THAT(cc, Contains("{\"migrations/versions/0001_r0001.sql\", kText0, sizeof kText0 - 1},"));
  CHECK_THAT(cc, Contains("    \"-- revision: r0002\\n\"\n"));
  CHECK_THAT(cc, Contains("retort::ScriptSettings{\"retort_version\", \"retort_log\", true}"));

  // Nothing changed: neither file is written again, so nothing recompiles.
  const long long h_time = mtime_ns(out + "/app_migrations.h");
  const long long cc_time = mtime_ns(out + "/app_migrations.cc");
  REQUIRE(p.run({"embed", "--output-dir", out, "--name", "app_migrations"}).exit_code == 0);
  CHECK(mtime_ns(out + "/app_migrations.h") == h_time);
  CHECK(mtime_ns(out + "/app_migrations.cc") == cc_time);
  // A new head changes the header.
  p.add({"r0003", "r0002", "CREATE TABLE t3 (id INTEGER);", "DROP TABLE t3;"});
  REQUIRE(p.run({"embed", "--output-dir", out, "--name", "app_migrations"}).exit_code == 0);
  CHECK_THAT(slurp(out + "/app_migrations.h"), Contains("app_migrations_head = \"r0003\";"));
}

TEST_CASE("embed refuses what lint refuses, naming the file and line") {
  Project p;
  p.add_chain(1);
  p.add({"r0002", "r0001", "CREATE TABLE t2 (id INTEGER);\nCOMMIT;", "DROP TABLE t2;"});
  auto r = p.run({"embed", "--output-dir", p.root() + "/gen", "--name", "app_migrations"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("migrations/versions/0002_r0002.sql:"));
  CHECK_THAT(r.err, Contains("COMMIT"));
}

TEST_CASE("embed takes only a C++ identifier as the name and needs an output directory") {
  Project p;
  p.add_chain(1);
  auto bad = p.run({"embed", "--output-dir", p.root() + "/gen", "--name", "2-app"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("--name '2-app' is not a C++ identifier"));
  auto none = p.run({"embed", "--name", "app"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Contains("--output-dir is required"));
}

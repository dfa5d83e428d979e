// Bad input of every kind: a clear error saying what is wrong and what to
// do, the right exit code, and nothing changed.
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

TEST_CASE("a malformed header names the file and line") {
  Project p;
  write_text(p.versions() + "/0001_bad.sql",
             "-- revision: abc-123\n-- down_revison: \n-- migrate:upgrade\n-- migrate:downgrade\n");
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(
      r.err,
      Contains("retort: error: migrations/versions/0001_bad.sql:1: invalid revision id 'abc-123'"));
  CHECK_THAT(r.err, Contains("migrations/versions/0001_bad.sql:2: unknown header 'down_revison'"));
  CHECK_THAT(r.err, Contains("did you mean 'down_revision'?"));
  CHECK_FALSE(file_exists(p.db()));  // nothing was even opened
}

TEST_CASE("every broken file is reported, not just the first") {
  Project p;
  write_text(p.versions() + "/0001_a.sql",
             "-- revision: a1\n-- migrate:upgrade\n-- migrate:downgrade\n");
  write_text(p.versions() + "/0002_b.sql",
             "-- revision: b1\n-- down_revision: a1\n-- migrate:upgrade\n");
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0001_a.sql: missing '-- down_revision:' header"));
  CHECK_THAT(r.err, Contains("0002_b.sql: missing '-- migrate:downgrade' section"));
}

TEST_CASE("a down_revision no file defines") {
  Project p;
  p.add({"aaaa0001", "", "", ""});
  p.add({"bbbb0002", "gone0000", "", ""});
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("0002_bbbb0002.sql:2: Can't locate revision identified by 'gone0000' "
                             "(named by down_revision of bbbb0002)"));
  CHECK_THAT(r.err, Contains("restore the revision file that defines 'gone0000'"));
}

TEST_CASE("duplicate ids and cycles") {
  Project p;
  p.add({"dup00001", "", "", ""});
  p.add({"dup00001", "", "", ""});
  auto dup = p.run({"heads"});
  CHECK(dup.exit_code == 1);
  CHECK_THAT(dup.err,
             Contains("0002_dup00001.sql:1: duplicate revision id 'dup00001', also defined in "
                      "migrations/versions/0001_dup00001.sql"));
  Project c;
  c.add({"cyc00001", "cyc00002", "", ""});
  c.add({"cyc00002", "cyc00001", "", ""});
  auto cyc = c.run({"history"});
  CHECK(cyc.exit_code == 1);
  CHECK_THAT(cyc.err, Contains("is part of a cycle through down_revision: cyc00001 -> cyc00002 -> "
                               "cyc00001"));
}

TEST_CASE("unknown targets and usage errors exit 2") {
  Project p;
  p.add_chain(1);
  auto bad = p.run({"upgrade", "head;DROP TABLE x"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("invalid target 'head;DROP TABLE x'"));
  auto unknown_cmd = p.run({"upgarde"});
  CHECK(unknown_cmd.exit_code == 2);
  CHECK_THAT(unknown_cmd.err, Contains("unknown command 'upgarde'"));
  CHECK_THAT(unknown_cmd.err, Contains("did you mean 'upgrade'?"));
  auto unknown_opt = p.run({"upgrade", "--frobnicate"});
  CHECK(unknown_opt.exit_code == 2);
  CHECK_THAT(unknown_opt.err, Contains("frobnicate"));
  auto no_cmd = p.run({});
  CHECK(no_cmd.exit_code == 2);
  CHECK_THAT(no_cmd.err, Contains("usage: retort"));
  CHECK_FALSE(file_exists(p.db()));
}

TEST_CASE("a file that is not a SQLite database") {
  Project p;
  p.add_chain(1);
  write_text(p.db(), std::string(4096, 'x'));
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("is not a SQLite database"));
  CHECK_THAT(r.err, Contains("retort.ini:3 (database_url)"));
  CHECK(read_text(p.db()) == std::string(4096, 'x'));
}

TEST_CASE("an unknown URL scheme says where the URL came from") {
  Project p;
  p.add_chain(1);
  auto cli = p.run({"upgrade", "--url", "oracle://u:hunter2@h/db"});
  CHECK(cli.exit_code == 1);
  CHECK_THAT(cli.err, Contains("unknown database URL scheme 'oracle' from --url"));
  auto env = p.run({"current"}, {{"DATABASE_URL", "oracle://x"}});
  CHECK_THAT(env.err,
             Contains("unknown database URL scheme 'oracle' from DATABASE_URL in the environment"));
  CHECK(cli.all().find("hunter2") == std::string::npos);
}

TEST_CASE("no config found") {
  TempDir d;
  auto r = run_retort({"history"}, {d.path(), {}});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("no retort.ini found in " + d.path() + " or any directory above it"));
  CHECK_THAT(r.err, Contains("run `retort init`"));
  auto missing = run_retort({"-c", "nope.ini", "history"}, {d.path(), {}});
  CHECK_THAT(missing.err, Contains("config file nope.ini (from -c/--config) does not exist"));
}

TEST_CASE("a version table naming a revision no file defines") {
  Project p(GENERATE(all_backends()));
  p.add_chain(2);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.exec("UPDATE retort_version SET version_num = 'deadbeef0000'");
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("Can't locate revision identified by 'deadbeef0000': the database's "
                             "retort_version table names it, but no revision file defines it"));
  CHECK_THAT(r.err, Contains("retort stamp --purge"));
  auto cur = p.run({"current"});
  CHECK(cur.exit_code == 1);
  // The remedy works.
  auto stamp = p.run({"stamp", "--purge", "r0002"});
  REQUIRE(stamp.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"r0002"});
}

TEST_CASE("a read-only database file") {
  Project p;
  p.add_chain(2);
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  chmod(p.root().c_str(), 0755);
  chmod(p.db().c_str(), 0444);
  // Root ignores permission bits, so retort runs as an unprivileged user.
  auto r = run_retort({"upgrade"}, {p.root(), {}, "nobody"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("app.db is read-only"));
  CHECK_THAT(r.err, Contains("check the file's permissions"));
  chmod(p.db().c_str(), 0644);
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "t1"});
}

TEST_CASE("downgrading a database that does not exist creates nothing") {
  Project p;
  p.add_chain(1);
  auto r = p.run({"downgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("does not exist yet, so there is nothing to downgrade"));
  CHECK_FALSE(file_exists(p.db()));
}

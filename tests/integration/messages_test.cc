// What the real tool prints for revision-graph and target errors, and what
// -q leaves out: cycles named as cycles, user-given ids shown once, escaped
// and cut, ambiguous prefixes counted, and no chatter under -q.
#include <catch2/catch.hpp>

#include "autogenerate_support.h"
#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// Nothing that could rewrite the terminal got through, the whole report is
// a few short lines, and the escaped form appears exactly once.
void check_sanitised(const RunResult& r, const std::string& shown) {
  INFO(r.err);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\x07') == std::string::npos);
  CHECK(r.err.find('\r') == std::string::npos);
  CHECK(r.err.size() < 600);
  size_t first = r.err.find(shown);
  REQUIRE(first != std::string::npos);
  CHECK(r.err.find(shown, first + 1) == std::string::npos);
}

}  // namespace

TEST_CASE("a cycle through depends_on, or through both kinds of link, is called a cycle") {
  Project p;
  p.add({"aaaa0001", "", "", ""});
  p.add({"bbbb0002", "aaaa0001", "", "", "", "-- depends_on: cccc0003\n"});
  p.add({"cccc0003", "aaaa0001", "", "", "", "-- depends_on: bbbb0002\n"});
  for (const char* cmd : {"history", "upgrade", "heads"}) {
    auto r = p.run({cmd});
    CHECK(r.exit_code == 1);
    CHECK(
        r.err ==
        "retort: error: migrations/versions/0002_bbbb0002.sql:3: revision 'bbbb0002' is part of a "
        "cycle through depends_on: bbbb0002 -> cccc0003 -> bbbb0002\n"
        "  hint: down_revision and depends_on must name older revisions: point one of these at "
        "a revision outside the cycle, or remove it\n");
  }

  Project m;
  m.add({"aaaa0001", "", "", "", "", "-- depends_on: cccc0003\n"});
  m.add({"bbbb0002", "aaaa0001", "", ""});
  m.add({"cccc0003", "bbbb0002", "", ""});
  m.add({"dddd0004", "cccc0003", "", ""});  // on top of the cycle, not in it
  auto r = m.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "retort: error: migrations/versions/0001_aaaa0001.sql:3: revision 'aaaa0001' is part of a "
        "cycle through down_revision and depends_on: aaaa0001 -> cccc0003 -> bbbb0002 -> "
        "aaaa0001\n"
        "  hint: A -> B: A's down_revision names B, except where aaaa0001's depends_on names "
        "cccc0003\n"
        "  hint: down_revision and depends_on must name older revisions: point one of these at a "
        "revision outside the cycle, or remove it\n");

  Project d;
  d.add({"cyc00001", "cyc00002", "", ""});
  d.add({"cyc00002", "cyc00001", "", ""});
  auto cyc = d.run({"history"});
  CHECK(cyc.exit_code == 1);
  CHECK_THAT(cyc.err,
             Contains("0001_cyc00001.sql:2: revision 'cyc00001' is part of a cycle through "
                      "down_revision: cyc00001 -> cyc00002 -> cyc00001\n"));
}

TEST_CASE("an id of 10 KB or with escape sequences is shown once, cut and escaped") {
  Project p;
  p.add_chain(2);
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  const std::string huge(10240, 'a');
  const std::string cut = "'" + std::string(80, 'a') + "'... (10240 bytes in all)";
  const std::string esc = "ab\x1b[2J\x1b]0;owned\x07\ncd";
  const std::string esc_shown = "'ab\\x1b[2J\\x1b]0;owned\\x07\\ncd'";

  auto show = p.run({"show", huge});
  CHECK(show.exit_code == 1);
  CHECK(show.err == "retort: error: " + cut +
                        " is not a revision\n  hint: name one revision: an id, a unique prefix of "
                        "4+ characters, head, or LABEL@head\n");
  check_sanitised(show, cut);
  auto show_esc = p.run({"show", esc});
  CHECK_THAT(show_esc.err, Contains("retort: error: " + esc_shown + " is not a revision\n"));
  check_sanitised(show_esc, esc_shown);

  for (const char* cmd : {"stamp", "downgrade", "upgrade"}) {
    INFO(cmd);
    auto r = p.run({cmd, huge + "\n"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("retort: error: invalid target '" + std::string(80, 'a') +
                               "'... (10241 bytes in all): a revision id is letters, digits and "
                               "'_'\n"));
    check_sanitised(r, "(10241 bytes in all)");
    auto e = p.run({cmd, esc});
    CHECK(e.exit_code == 2);
    CHECK_THAT(e.err, Contains("retort: error: invalid target " + esc_shown + ":"));
    check_sanitised(e, esc_shown);
  }
  auto steps = p.run({"downgrade", "r0001-" + std::string(5000, '9')});
  CHECK(steps.exit_code == 2);
  CHECK_THAT(steps.err, Contains("what follows '-' must be a step count from 1 to 1000000"));
  check_sanitised(steps, "(5006 bytes in all)");

  // The ends of a history range are targets, as upgrade's are.
  auto range = p.run({"history", "-r", esc + ":"});
  CHECK(range.exit_code == 2);
  CHECK_THAT(range.err, Contains("retort: error: invalid target " + esc_shown + ":"));
  check_sanitised(range, esc_shown);
  auto head = p.run({"revision", "-m", "x", "--head", esc});
  CHECK(head.exit_code == 1);
  check_sanitised(head, esc_shown);
  auto rev_id = p.run({"merge", "-m", "x", "--rev-id", esc, "heads"});
  CHECK(rev_id.exit_code == 2);
  CHECK_THAT(rev_id.err,
             Contains("retort: error: --rev-id " + esc_shown + " is not a revision id"));
  check_sanitised(rev_id, esc_shown);
  // Nothing was changed by any of them.
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
}

TEST_CASE("a version table row holding escape sequences is shown escaped") {
  Project p(GENERATE(all_backends()));
  p.add_chain(1);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.exec("UPDATE retort_version SET version_num = " + p.text("sql: the text dead, ESC, [2Jbeef"));
  for (const char* cmd : {"current", "upgrade"}) {
    INFO(cmd);
    auto r = p.run({cmd});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("retort: error: Can't locate revision identified by "
                               "'dead\\x1b[2Jbeef': the database's retort_version table names it, "
                               "but no revision file defines it\n"
                               "  hint: that is not a revision id retort writes: the row was "
                               "written by something else\n"));
    check_sanitised(r, "'dead\\x1b[2Jbeef'");
  }
  auto stamp = p.run({"stamp", "--purge", "r0001"});
  CHECK(stamp.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"r0001"});
}

TEST_CASE("an ambiguous prefix says how many candidates are not listed") {
  Project p;
  for (int i = 0; i < 47; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "beef%04d", i);
    p.add({id, "", "", ""});
  }
  auto r = p.run({"show", "beef"});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "retort: error: revision prefix 'beef' is ambiguous: beef0000, beef0001, beef0002, "
        "beef0003, beef0004, beef0005, beef0006, beef0007, beef0008, beef0009 and 37 more\n"
        "  hint: give more characters of the revision id\n");
}

TEST_CASE("quiet (-q) prints only errors and the requested data") {
  TempDir dir;
  auto init = run_retort({"-q", "init"}, {dir.path(), {}, ""});
  CHECK(init.exit_code == 0);
  CHECK(init.all() == "");
  auto tmpl = run_retort({"init", "--template", "-q"}, {dir.path(), {}, ""});
  CHECK(tmpl.exit_code == 0);
  CHECK(tmpl.all() == "");

  ModelProject p(GENERATE(autogenerate_backends()));
  INFO(p.backend());
  p.add_chain(1);
  auto up = p.run({"-q", "upgrade"});
  CHECK(up.exit_code == 0);
  CHECK(up.all() == "");
  p.models("CREATE TABLE t1 (id INTEGER);\nCREATE TABLE extra (id INTEGER PRIMARY KEY);\n");
  auto gen = p.run({"-q", "revision", "--autogenerate", "-m", "auto"});
  INFO(gen.all());
  CHECK(gen.exit_code == 0);
  CHECK(gen.all() == "");
  REQUIRE(p.run({"-q", "upgrade"}).exit_code == 0);
  auto same = p.run({"revision", "-m", "no change", "-q"});  // "No changes detected" unsaid
  CHECK(same.exit_code == 0);
  CHECK(same.all() == "");
  auto loud = p.run({"revision", "-m", "not quiet", "--empty", "--head", "base"});
  CHECK_THAT(loud.out, Contains("Generating migrations/versions/"));
  CHECK_THAT(loud.out, Contains(" ... done\n"));
  auto merge = p.run({"-q", "merge", "-m", "join", "heads"});
  INFO(merge.err);
  CHECK(merge.exit_code == 0);
  CHECK(merge.all() == "");
  auto stamp = p.run({"-q", "stamp", "heads"});
  CHECK(stamp.exit_code == 0);
  CHECK(stamp.all() == "");
  auto down = p.run({"-q", "downgrade", "base"});
  CHECK(down.exit_code == 0);
  CHECK(down.all() == "");
  // The requested data still comes out.
  auto heads = p.run({"-q", "heads"});
  CHECK(heads.exit_code == 0);
  CHECK(heads.out != "");
}

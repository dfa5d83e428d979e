// Hostile input: targets carrying SQL (what REV= passes through), revision
// files with NUL bytes, 10 MB lines, CRLF and a UTF-8 BOM. Each gives a clear
// error or does exactly what the file says; nothing is executed that was not
// meant to be (a sentinel table survives), and nothing is written outside
// versions/ and the database.
#include <catch2/catch.hpp>

#include <chrono>

#include "project.h"
#include "reliability_support.h"

using namespace retort::test;
using Catch::Contains;
using Catch::StartsWith;

namespace {

// The project tree without the SQLite database and its journal.
std::map<std::string, long long> project_files(const Project& p) {
  auto files = snapshot_tree(p.root());
  for (auto it = files.begin(); it != files.end();)
    it = it->first.rfind("app.db", 0) == 0 ? files.erase(it) : std::next(it);
  return files;
}

// A database at sent0001 holding the sentinel table x, which no hostile input
// may touch.
void setup_sentinel(Project& p) {
  p.add(
      {"sent0001", "", "CREATE TABLE x (id INTEGER);\nINSERT INTO x VALUES (1);", "DROP TABLE x;"});
  p.add({"next0002", "sent0001", "CREATE TABLE y (id INTEGER);", "DROP TABLE y;"});
  REQUIRE(p.run({"upgrade", "sent0001"}).exit_code == 0);
}

void check_sentinel(const Project& p) {
  CHECK(p.heads() == std::vector<std::string>{"sent0001"});
  CHECK(p.value("SELECT count(*) FROM x") == "1");
  CHECK(p.value("SELECT count(*) FROM retort_log") == "1");
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "x"});
}

const std::vector<std::string> kSqlTargets = {
    "head; DROP TABLE x",
    "sent0001'; DROP TABLE x; --",
    "' OR '1'='1",
    "sent0001\" OR \"1\"=\"1",
    "sent0001+1; DELETE FROM retort_version",
    "-1 OR 1=1",
    "x@head; DROP TABLE x",
    "base:head; DROP TABLE x",
    "head\nDROP TABLE x",
    "sent%",
    "sen_0001",
    "________",
    "$(touch pwned)",
    "`touch pwned`",
    "../../../etc/passwd",
    "head --",
    "sent0001/*",
    "head\x01",
    // Boost.Program_options placeholders: its own messages loop for ever
    // on an argument holding one, so retort must never format them.
    "--%canonical_option%",
    "--%original_token%",
    "-%option%",
    "--lock-timeout=%value%",
    "%invalid_line%",
};

}  // namespace

TEST_CASE("targets carrying SQL are refused before anything runs") {
  Project p(GENERATE(all_backends()));
  setup_sentinel(p);
  auto before = project_files(p);
  int tried = 0;
  for (const auto& target : kSqlTargets) {
    for (std::vector<std::string> args : {std::vector<std::string>{"upgrade", target},
                                          {"downgrade", target},
                                          {"stamp", target},
                                          {"show", target},
                                          {"upgrade", "--sql", target},
                                          {"history", "-r", target}}) {
      INFO("retort " << args[0] << " '" << target << "'");
      auto bounded = run_retort_bounded(args, p.root(), std::chrono::seconds(20));
      CHECK_FALSE(bounded.timed_out);
      const RunResult& r = bounded.result;
      INFO(r.all());
      CHECK((r.exit_code == 1 || r.exit_code == 2));
      CHECK_THAT(r.err, StartsWith("retort: error: "));
      CHECK(r.out.find("DROP TABLE x") == std::string::npos);  // not even in an offline script
      ++tried;
    }
  }
  check_sentinel(p);
  CHECK(project_files(p) == before);
  CHECK_FALSE(file_exists(p.root() + "/pwned"));
  report("hostile-targets-" + p.backend(),
         "hostile targets " + p.backend() + ": " + std::to_string(tried) + " runs (" +
             std::to_string(kSqlTargets.size()) +
             " SQL-carrying targets x upgrade, downgrade, stamp, show, --sql, history -r): all "
             "refused, sentinel intact, no file written");
}

TEST_CASE("revision files with NUL bytes are refused with the file and line") {
  Project p(GENERATE(all_backends()));
  setup_sentinel(p);
  struct Case {
    std::string name, text, where;
  };
  std::string header = "-- revision: nul00003\n-- down_revision: next0002\n-- message: n\n\n";
  std::vector<Case> cases = {
      {"in the SQL",
       header + "-- migrate:upgrade\nCREATE TABLE z (id INTEGER);" + std::string(1, '\0') +
           "DROP TABLE x;\n\n-- migrate:downgrade\nDROP TABLE z;\n",
       "0003_nul.sql:6: file contains a NUL byte"},
      {"in a header",
       "-- revision: nul" + std::string(1, '\0') + "00003\n-- down_revision: next0002\n" +
           "\n-- migrate:upgrade\nDROP TABLE x;\n-- migrate:downgrade\n",
       "0003_nul.sql:1: file contains a NUL byte"},
      {"a binary file", std::string(4096, '\0'), "0003_nul.sql:1: file contains a NUL byte"},
  };
  for (const auto& c : cases) {
    INFO("NUL " << c.name);
    write_text(p.versions() + "/0003_nul.sql", c.text);
    auto before = project_files(p);
    for (std::vector<std::string> args : {std::vector<std::string>{"upgrade"},
                                          {"upgrade", "head", "--sql"},
                                          {"history"},
                                          {"lint", "migrations/versions/0003_nul.sql"}}) {
      INFO("retort " << args[0]);
      auto r = p.run(args);
      INFO(r.all());
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Contains(c.where));
      CHECK(r.out.find("DROP TABLE x") == std::string::npos);
    }
    check_sentinel(p);
    CHECK(project_files(p) == before);
  }
  report("hostile-files-" + p.backend(),
         "NUL bytes " + p.backend() + ": 3 files x 4 commands refused with file:line, nothing run");
}

TEST_CASE("10 MB lines: headers, comments and statements are read whole") {
  Project p;
  setup_sentinel(p);
  const std::string big(10 * 1024 * 1024, 'z');
  p.add({"long0003", "next0002",
         "-- " + big + "\nCREATE TABLE w (v TEXT);\nINSERT INTO w VALUES ('" + big + "');",
         "DROP TABLE w;", "a message of " + big});
  auto t0 = std::chrono::steady_clock::now();
  auto r = p.run({"upgrade"});
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(ms < 20000);
  CHECK(p.heads() == std::vector<std::string>{"long0003"});
  CHECK(p.value("SELECT length(v) FROM w") == std::to_string(big.size()));
  CHECK(p.value("SELECT count(*) FROM x") == "1");
  CHECK(p.run({"history"}).exit_code == 0);
  CHECK(p.run({"verify"}).exit_code == 0);
  auto down = p.run({"downgrade", "sent0001"});
  CHECK(down.exit_code == 0);
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "x"});

  // One 10 MB line and nothing else is not a revision: a clear error.
  write_text(p.versions() + "/0004_junk.sql", big);
  auto junk = p.run({"upgrade"});
  CHECK(junk.exit_code == 1);
  CHECK_THAT(junk.err, Contains("0004_junk.sql"));
  CHECK(junk.err.size() < 64 * 1024);  // the error does not echo the line
  CHECK(p.heads() == std::vector<std::string>{"sent0001"});
  CHECK(p.tables() == std::vector<std::string>{"retort_log", "retort_version", "x"});
  report("hostile-files-sqlite", "10 MB lines: header, comment and statement applied in " +
                                     std::to_string(ms) + " ms; a 10 MB junk file refused");
}

TEST_CASE("CRLF and a UTF-8 BOM are read as the same revision") {
  Project p(GENERATE(all_backends()));
  setup_sentinel(p);
  const std::string& trigger = p.text("sql: table z whose trigger sets note to x;y");
  const std::string& down = p.text("sql: drop table z and its trigger");
  std::string lf = render_revision({"crlf0003", "next0002", trigger, down});
  std::string crlf;
  for (char c : lf)
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  std::string path = p.versions() + "/0003_crlf.sql";
  write_text(path, "\xEF\xBB\xBF" + crlf);
  auto r = p.run({"upgrade"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"crlf0003"});
  CHECK(p.value("SELECT note FROM z") == "x;y");
  // The checksum folds CRLF: the same file saved with LF and no BOM verifies.
  write_text(path, lf);
  auto v = p.run({"verify"});
  INFO(v.all());
  CHECK(v.exit_code == 0);
  auto d = p.run({"downgrade", "-1"});
  INFO(d.all());
  CHECK(d.exit_code == 0);
  CHECK(p.heads() == std::vector<std::string>{"next0002"});
  CHECK(p.value("SELECT count(*) FROM x") == "1");
  report("hostile-files-" + p.backend(),
         "CRLF + BOM " + p.backend() +
             ": applied (trigger with ';' in strings), verifies as LF, "
             "downgrades");
}

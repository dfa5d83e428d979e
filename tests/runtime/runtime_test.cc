// The embedding API (<retort/retort.h>) against every backend: the same
// books as the tool, read back with the tool, edited revisions refused as
// the tool refuses them. The scripts are built here from a Project's files
// with retort::Script, as the generated <name>.cc builds them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "project.h"

// After every header of the tool's: see tool/src/runtime/core_names.h.
#include <retort/retort.h>

using namespace retort::test;
using Catch::Contains;

namespace {

struct FileScript {
  std::vector<std::string> paths, texts;
  std::vector<retort::ScriptFile> files;
};

// The project's revision files as the generated code embeds them: named as
// the tool, run in the project, names them.
retort::Script script_of(const Project& p) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(p.versions()))
    if (e.path().extension() == ".sql") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  FileScript s;
  for (const auto& n : names) {
    std::ifstream in(p.versions() + "/" + n, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    s.paths.push_back("migrations/versions/" + n);
    s.texts.push_back(text.str());
  }
  for (size_t i = 0; i < names.size(); ++i)
    s.files.push_back({s.paths[i].c_str(), s.texts[i].c_str(), s.texts[i].size()});
  return retort::Script(s.files.data(), s.files.size());
}

template <class F>
retort::v1::Error expect_api_error(F&& f) {
  try {
    f();
  } catch (const retort::v1::Error& e) {
    return e;
  }
  FAIL("expected retort::Error, but nothing was thrown");
  throw std::logic_error("unreachable");
}

std::vector<std::string> ids(const std::vector<retort::Applied>& applied) {
  std::vector<std::string> out;
  for (const auto& a : applied)
    out.push_back(a.revision);
  return out;
}

}  // namespace

TEST_CASE("an embedded script upgrades the database, and the tool reads it back") {
  Project p(GENERATE(all_backends()));
  p.add_chain(3);
  retort::Script script = script_of(p);
  const std::string& url = p.database().url;

  CHECK_FALSE(retort::is_current(script, url));
  std::vector<std::string> progress;
  retort::Options o;
  o.on_progress = [&](const retort::Applied& a) { progress.push_back(a.revision); };
  retort::Result r = retort::upgrade(script, url, "head", o);
  CHECK(ids(r.applied) == std::vector<std::string>{"r0001", "r0002", "r0003"});
  CHECK(progress == ids(r.applied));
  CHECK(r.applied[1].message == "rev r0002");
  CHECK(r.applied[1].direction == retort::Direction::kUpgrade);
  CHECK(r.applied[1].duration.count() > 0);
  CHECK(r.heads == std::vector<std::string>{"r0003"});
  CHECK(p.heads() == std::vector<std::string>{"r0003"});
  CHECK(p.log_count("r0002", "upgrade") == 1);
  // The log holds the checksums the tool computes from the same files.
  CHECK(p.value("SELECT checksum FROM retort_log WHERE revision='r0002'") ==
        script.revisions()[1].upgrade.checksum);

  CHECK(p.run({"current"}).out == "r0003 (head)\n");
  auto verify = p.run({"verify"});
  CHECK(verify.exit_code == 0);
  CHECK(verify.out == "OK: 3 applied revision(s) match their files\n");
  CHECK_THAT(p.run({"history"}).out, Contains("r0003"));

  // Up to date: nothing to do, nothing logged.
  retort::Result again = retort::upgrade(script, url);
  CHECK(again.applied.empty());
  CHECK(again.heads == std::vector<std::string>{"r0003"});
  CHECK(p.log_count("r0003", "upgrade") == 1);
  CHECK(retort::is_current(script, url));
  CHECK(retort::current(script, url) == std::vector<std::string>{"r0003"});
  retort::Status st = retort::status(script, url);
  CHECK(st.applied == std::vector<std::string>{"r0001", "r0002", "r0003"});
  CHECK(st.pending.empty());
  CHECK(st.partial.empty());
}

TEST_CASE("an embedded script continues what the tool applied, and downgrades") {
  Project p(GENERATE(all_backends()));
  p.add_chain(2);
  REQUIRE(p.run({"upgrade", "r0001"}).exit_code == 0);
  p.add({"r0003", "r0002", "CREATE TABLE t3 (id INTEGER PRIMARY KEY);", "DROP TABLE t3;"});
  retort::Script script = script_of(p);
  const std::string& url = p.database().url;

  retort::Status st = retort::status(script, url);
  CHECK(st.heads == std::vector<std::string>{"r0001"});
  CHECK(st.applied == std::vector<std::string>{"r0001"});
  CHECK(st.pending == std::vector<std::string>{"r0002", "r0003"});
  CHECK_FALSE(retort::is_current(script, url));

  std::vector<std::string> lines;
  retort::Options o;
  o.on_log = [&](std::string_view line) { lines.emplace_back(line); };
  CHECK(ids(retort::upgrade(script, url, "r0002", o).applied) == std::vector<std::string>{"r0002"});
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Contains("Running upgrade r0001 -> r0002, rev r0002 ("));
  CHECK(ids(retort::upgrade(script, url).applied) == std::vector<std::string>{"r0003"});
  CHECK(p.run({"current"}).out == "r0003 (head)\n");

  retort::Result down = retort::downgrade(script, url, "r0001");
  CHECK(ids(down.applied) == std::vector<std::string>{"r0003", "r0002"});
  CHECK(down.applied[0].direction == retort::Direction::kDowngrade);
  CHECK(down.heads == std::vector<std::string>{"r0001"});
  CHECK(p.run({"current"}).out == "r0001\n");
  CHECK(retort::downgrade(script, url, "base").heads.empty());
  CHECK(p.run({"current"}).out == "base (no revision applied)\n");
}

TEST_CASE("an embedded revision that differs from what was applied is refused as the tool does") {
  Project p(GENERATE(all_backends()));
  p.add_chain(2);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  // The application carries an edited r0001.
  const std::string file = p.versions() + "/0001_r0001.sql";
  std::string text;
  {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  std::string edited = text;
  edited.replace(edited.find("CREATE TABLE t1"), 15, "CREATE TABLE  t1");
  { std::ofstream(file, std::ios::trunc) << edited; }
  retort::Script script = script_of(p);
  auto e = expect_api_error([&] { retort::upgrade(script, p.database().url); });
  CHECK_THAT(e.what(), Contains("revision r0001 was edited after it was applied to"));
  CHECK(e.file() == "migrations/versions/0001_r0001.sql");
  CHECK(e.line() == script.revisions()[0].upgrade.marker_line);
  CHECK(e.revision() == "r0001");
  CHECK(e.kind() == retort::ErrorKind::kInput);
  CHECK_THAT(e.format(), Contains("--allow-edited"));
  // The tool says the same of the same file.
  auto cli = p.run({"upgrade"});
  CHECK(cli.exit_code == 1);
  CHECK_THAT(cli.err, Contains("migrations/versions/0001_r0001.sql:" + std::to_string(e.line()) +
                               ": revision r0001 was edited"));

  retort::Options o;
  o.allow_edited = true;
  CHECK(retort::upgrade(script, p.database().url, "head", o).applied.empty());
}

TEST_CASE("a failing embedded revision names its file, line, revision and the database's code") {
  Project p(GENERATE(all_backends()));
  p.add_chain(1);
  p.add({"r0002", "r0001", "CREATE TABLE t2 (id INTEGER);\nINSERT INTO no_such_table VALUES (1);",
         "DROP TABLE t2;"});
  retort::Script script = script_of(p);
  auto e = expect_api_error([&] { retort::upgrade(script, p.database().url); });
  CHECK(e.revision() == "r0002");
  CHECK(e.file() == "migrations/versions/0002_r0002.sql");
  CHECK(e.line() == script.revisions()[1].upgrade.first_line + 1);
  CHECK_THAT(e.format(), Contains("the database is at r0001"));
  CHECK(e.database_code() == p.text("runtime: code of a missing table"));
  CHECK(retort::current(script, p.database().url) == std::vector<std::string>{"r0001"});
}

TEST_CASE("embedded revisions are parsed as revision files: errors name the file and line") {
  const std::string text =
      "-- created: 2026-12-01\n-- down_revision:\n-- revision: not-an-id\n\n-- "
      "migrate:upgrade\nSELECT 1;\n"
      "-- migrate:downgrade\nSELECT 1;\n";
  retort::ScriptFile f{"migrations/versions/1_abc.sql", text.c_str(), text.size()};
  auto e = expect_api_error([&] { retort::Script s(&f, 1); });
  INFO(e.format());
  CHECK(e.file() == "migrations/versions/1_abc.sql");
  CHECK(e.line() == 3);
  CHECK(e.kind() == retort::ErrorKind::kInput);
}

TEST_CASE("a password in the URL never appears in an error") {
  retort::Script script(nullptr, 0);
  auto e = expect_api_error([&] {
    retort::upgrade(script, "postgresql://u:s3cr3tpw@127.0.0.1:1/none?connect_timeout=2");
  });
  INFO(e.format());
  CHECK_THAT(e.format(), Contains("cannot connect to postgresql://u:***@127.0.0.1:1/none"));
  CHECK_THAT(e.format(), !Contains("s3cr3tpw"));
}

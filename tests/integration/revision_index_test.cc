// The revision index as users meet it: current, history and heads after
// edits, additions, removals and renames of revision files that the index
// had recorded, and after the index itself was damaged.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "project.h"

using namespace retort::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    out.push_back(e.path().string());
  return out;
}

}  // namespace

TEST_CASE("the revision index never gives a stale answer") {
  Project p;
  const std::string cache = p.root() + "/cache";
  const std::map<std::string, std::string> env = {{"RETORT_CACHE_DIR", cache}};
  p.add({"aaaa0001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "first"});
  p.add({"bbbb0002", "aaaa0001", "", "", "second"});
  std::string third = p.add({"cccc0003", "bbbb0002", "", "", "third"});
  REQUIRE(p.run({"upgrade", "head"}, env).exit_code == 0);
  // Files are recorded once they are older than the file system's
  // timestamps can tell apart (core/revision_index.h).
  std::this_thread::sleep_for(std::chrono::milliseconds(3300));
  REQUIRE(p.run({"history"}, env).exit_code == 0);
  auto indexes = files_in(cache);
  REQUIRE(indexes.size() == 1);
  const std::string index = indexes[0];
  CHECK(p.run({"current"}, env).out == "cccc0003 (head)\n");

  // An edit of the same size that makes a branch.
  std::string text = read_text(third);
  text.replace(text.find("-- down_revision: bbbb0002"), 26, "-- down_revision: aaaa0001");
  write_text(third, text);
  CHECK(p.run({"heads"}, env).out == "bbbb0002 (head), second\ncccc0003 (head), third\n");
  CHECK(p.run({"current"}, env).out == "cccc0003 (head)\n");

  // A revision added after the database's, then removed again.
  std::string fourth = p.add({"dddd0004", "cccc0003", "", "", "fourth"});
  CHECK(p.run({"current"}, env).out == "cccc0003\n");
  fs::remove(fourth);
  CHECK(p.run({"current"}, env).out == "cccc0003 (head)\n");

  // A rename.
  fs::rename(p.versions() + "/0002_bbbb0002.sql", p.versions() + "/0002_renamed.sql");
  CHECK_THAT(p.run({"history", "--verbose", "-r", "bbbb0002:bbbb0002"}, env).out,
             Contains("Path: migrations/versions/0002_renamed.sql\n"));

  // A damaged index is read past and replaced.
  write_text(index, std::string(4096, 'x'));
  fs::permissions(index, fs::perms::owner_read | fs::perms::owner_write);
  CHECK(p.run({"heads"}, env).out == "bbbb0002 (head), second\ncccc0003 (head), third\n");
  CHECK(read_text(index) != std::string(4096, 'x'));
  CHECK(p.run({"current"}, env).out == "cccc0003 (head)\n");

  // Another retort executable (a copy of this one) keeps an index of its
  // own: two builds in use on one project do not replace each other's.
  std::this_thread::sleep_for(std::chrono::milliseconds(3300));
  REQUIRE(p.run({"heads"}, env).exit_code == 0);
  const std::string recorded = read_text(index);
  const std::string other = p.root() + "/other-retort";
  fs::copy_file(RETORT_BIN, other);
  RunOptions o{p.root(), env};
  o.binary = other;
  o.within_s = 120;
  CHECK(run_retort({"heads"}, o).out == "bbbb0002 (head), second\ncccc0003 (head), third\n");
  CHECK(files_in(cache).size() == 2);
  CHECK(p.run({"heads"}, env).out == "bbbb0002 (head), second\ncccc0003 (head), third\n");
  CHECK(read_text(index) == recorded);

  // RETORT_CACHE_DIR=off: no index at all.
  fs::remove_all(cache);
  CHECK(p.run({"history"}, {{"RETORT_CACHE_DIR", "off"}}).exit_code == 0);
  CHECK_FALSE(fs::exists(cache));
}

// The revision index (core/revision_index.h): headers are taken from it only
// while a file's stamp is unchanged; a missing, foreign or damaged index is
// ignored, never trusted and never a crash.
#include "core/revision_index.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/script_directory.h"
#include "temp_dir.h"

using retort::FileStamp;
using retort::IndexedFile;
using retort::Revision;
using retort::ScriptDirectory;
using retort::test::read_text;
using retort::test::TempDir;
using retort::test::write_text;
namespace fs = std::filesystem;

namespace {

std::string revision_text(const std::string& id, const std::string& down,
                          const std::string& message) {
  return "-- revision: " + id + "\n-- down_revision: " + down + "\n-- message: " + message +
         "\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 2;\n";
}

FileStamp stamp_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return retort::file_stamp(st);
}

std::string real(const std::string& path) {
  return fs::canonical(path).string();
}

// A directory of three revisions a <- b <- c, and an index directory.
struct Project {
  TempDir tmp;
  std::string versions = tmp / "m/versions";
  std::string index_dir = tmp / "cache";
  std::vector<std::string> names = {"1_a.sql", "2_b.sql", "3_c.sql"};
  Project() {
    write_text(versions + "/1_a.sql", revision_text("aaaa", "", "first"));
    write_text(versions + "/2_b.sql", revision_text("bbbb", "aaaa", "second"));
    write_text(versions + "/3_c.sql", revision_text("cccc", "bbbb", "third"));
  }
  ScriptDirectory dir() const { return ScriptDirectory(tmp / "m", index_dir); }
  std::string index_file() const { return retort::index_file_path(index_dir, real(versions)); }
  // Writes an index that records each file with its current stamp and the
  // headers given (by default those of the file, message prefixed with
  // "indexed "), so that a load shows where each header came from.
  void write_index(std::vector<Revision> headers = {}) const {
    if (headers.empty())
      for (const auto& r : ScriptDirectory(tmp / "m").load(retort::ParseDepth::kHeaders)) {
        headers.push_back(r);
        headers.back().message = "indexed " + r.message;
      }
    std::vector<IndexedFile> files;
    for (size_t i = 0; i < names.size() && i < headers.size(); ++i)
      files.push_back({names[i], stamp_of(versions + "/" + names[i]), &headers[i]});
    REQUIRE(retort::write_index(index_file(), real(versions), files));
  }
  std::vector<std::string> messages(retort::ParseDepth depth = retort::ParseDepth::kHeaders) const {
    std::vector<std::string> out;
    for (const auto& r : dir().load(depth))
      out.push_back(r.message);
    return out;
  }
};

// Rewrites a file (or, with replace, writes a new file in its place) so that
// its stamp surely changes, even where timestamps are coarse: the index of
// these tests records files just written, which a real load never does.
void rewrite(const std::string& path, const std::string& text, bool replace = false) {
  FileStamp before = stamp_of(path);
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (replace) fs::remove(path);
    write_text(path, text);
    if (!(stamp_of(path) == before)) return;
  }
  FAIL("the stamp of " << path << " did not change");
}

}  // namespace

TEST_CASE("index: what is written is read back, for its directory only", "[index]") {
  Project p;
  p.write_index();
  auto entries = retort::read_index(p.index_file(), real(p.versions));
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].name == "2_b.sql");
  CHECK(entries[1].stamp == stamp_of(p.versions + "/2_b.sql"));
  CHECK(entries[1].headers.id == "bbbb");
  CHECK(entries[1].headers.down_revisions == std::vector<std::string>{"aaaa"});
  CHECK(entries[1].headers.message == "indexed second");
  CHECK(entries[1].headers.id_line == 1);
  CHECK(entries[1].headers.down_revision_line == 2);
  CHECK(retort::read_index(p.index_file(), real(p.tmp.path())).empty());
  CHECK(retort::read_index(p.index_dir + "/missing.index", real(p.versions)).empty());
}

TEST_CASE("index: headers come from it while the files are unchanged, never for SQL", "[index]") {
  Project p;
  p.write_index();
  CHECK(p.messages() ==
        std::vector<std::string>{"indexed first", "indexed second", "indexed third"});
  auto revs = p.dir().load(retort::ParseDepth::kHeaders);
  CHECK_THAT(revs[1].path, Catch::Matchers::EndsWith("m/versions/2_b.sql"));
  CHECK(revs[1].upgrade.sql.empty());
  // A full load reads every file.
  auto full = p.dir().load(retort::ParseDepth::kFull);
  CHECK(full[1].message == "second");
  CHECK_THAT(full[1].upgrade.sql, Catch::Matchers::Contains("SELECT 1;"));
}

TEST_CASE("index: an edited, added, removed or renamed file is read again", "[index]") {
  Project p;
  p.write_index();
  SECTION("an edit of the same size") {
    rewrite(p.versions + "/2_b.sql", revision_text("bbbb", "aaaa", "SECOND"));
    CHECK(p.messages() == std::vector<std::string>{"indexed first", "SECOND", "indexed third"});
  }
  SECTION("an edit of a header that changes the graph") {
    rewrite(p.versions + "/3_c.sql", revision_text("cccc", "aaaa", "third"));
    auto revs = p.dir().load(retort::ParseDepth::kHeaders);
    CHECK(revs[2].down_revisions == std::vector<std::string>{"aaaa"});
    CHECK(revs[2].message == "third");
  }
  SECTION("a file added") {
    write_text(p.versions + "/4_d.sql", revision_text("dddd", "cccc", "fourth"));
    CHECK(p.messages() ==
          std::vector<std::string>{"indexed first", "indexed second", "indexed third", "fourth"});
  }
  SECTION("a file removed") {
    fs::remove(p.versions + "/2_b.sql");
    CHECK(p.messages() == std::vector<std::string>{"indexed first", "indexed third"});
  }
  SECTION("a file renamed") {
    fs::rename(p.versions + "/2_b.sql", p.versions + "/2_renamed.sql");
    auto revs = p.dir().load(retort::ParseDepth::kHeaders);
    REQUIRE(revs.size() == 3);
    CHECK(revs[1].message == "second");
    CHECK_THAT(revs[1].path, Catch::Matchers::EndsWith("2_renamed.sql"));
  }
  SECTION("a file replaced by another of the same name") {
    rewrite(p.versions + "/1_a.sql", revision_text("aaaa", "", "FIRST"), /*replace=*/true);
    CHECK(p.messages()[0] == "FIRST");
  }
  SECTION("a file made a broken link") {
    fs::remove(p.versions + "/1_a.sql");
    fs::create_symlink(p.tmp / "nowhere.sql", p.versions + "/1_a.sql");
    CHECK_THROWS(p.messages());
  }
}

TEST_CASE("index: a damaged index is ignored, never trusted, never a crash", "[index]") {
  Project p;
  p.write_index();
  const std::string good = read_text(p.index_file());
  const std::vector<std::string> from_files = {"first", "second", "third"};
  auto expect_ignored = [&](const std::string& bytes) {
    write_text(p.index_file(), bytes);
    ::chmod(p.index_file().c_str(), 0600);
    CHECK(retort::read_index(p.index_file(), real(p.versions)).empty());
    CHECK(p.messages() == from_files);
  };
  SECTION("cut short anywhere") {
    for (size_t n = 0; n < good.size(); n += (n < 64 ? 1 : 37)) {
      CAPTURE(n);
      expect_ignored(good.substr(0, n));
    }
  }
  SECTION("any byte changed") {
    for (size_t i = 0; i < good.size(); i += (i < 64 ? 1 : 5)) {
      CAPTURE(i);
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x41);
      expect_ignored(bad);
    }
  }
  SECTION("garbage, or a byte too many") {
    expect_ignored(std::string(5000, '\xff'));
    expect_ignored(good + "x");
    expect_ignored("");
  }
  SECTION("writable by others") {
    ::chmod(p.index_file().c_str(), 0666);
    CHECK(retort::read_index(p.index_file(), real(p.versions)).empty());
    CHECK(p.messages() == from_files);
  }
  SECTION("a directory in its place") {
    fs::remove(p.index_file());
    fs::create_directories(p.index_file());
    CHECK(p.messages() == from_files);
  }
}

TEST_CASE("index: a load records only files that have settled", "[index]") {
  Project p;
  // The files were written just now: a second edit within the timestamp
  // granularity could keep their stamps, so nothing is recorded yet.
  CHECK(p.messages() == std::vector<std::string>{"first", "second", "third"});
  CHECK_FALSE(fs::exists(p.index_file()));
  // An index holding files that are no longer recordable is rewritten.
  p.write_index();
  p.messages();
  CHECK(retort::read_index(p.index_file(), real(p.versions)).empty());
}

TEST_CASE("index: writing one removes the directory's indexes unused for a week", "[index]") {
  Project p;
  const std::string mine = p.index_file();
  const std::string name = fs::path(mine).filename().string();
  const std::string prefix = name.substr(0, name.find('-') + 1);
  REQUIRE(prefix.size() == 17);
  auto old_file = [&](const std::string& n, int days) {
    std::string path = p.index_dir + "/" + n;
    write_text(path, "x");
    auto when = fs::last_write_time(path) - std::chrono::hours(24 * days);
    fs::last_write_time(path, when);
    return path;
  };
  const std::string stale = old_file(prefix + "0123456789abcdef.index", 8);
  const std::string stale_tmp = old_file(name + ".Ab12Cd", 1);
  const std::string recent = old_file(prefix + "fedcba9876543210.index", 6);
  const std::string other_dir = old_file("0000000000000000-0123456789abcdef.index", 30);
  const std::string unrelated = old_file(prefix + "notes.txt", 30);
  p.write_index();
  CHECK(fs::exists(mine));
  CHECK_FALSE(fs::exists(stale));
  CHECK_FALSE(fs::exists(stale_tmp));
  CHECK(fs::exists(recent));
  CHECK(fs::exists(other_dir));
  CHECK(fs::exists(unrelated));
}

TEST_CASE("index: writing one keeps the directory's 3 newest other indexes", "[index]") {
  Project p;
  const std::string name = fs::path(p.index_file()).filename().string();
  const std::string prefix = name.substr(0, name.find('-') + 1);
  std::vector<std::string> others;
  for (int age = 1; age <= 5; ++age) {
    std::string path =
        p.index_dir + "/" + prefix + std::string(15, 'a') + std::to_string(age) + ".index";
    write_text(path, "x");
    fs::last_write_time(path, fs::last_write_time(path) - std::chrono::hours(age));
    others.push_back(path);
  }
  const std::string writing = p.index_dir + "/" + name + ".Zz9Yy8";  // another process's, now
  write_text(writing, "x");
  p.write_index();
  CHECK(fs::exists(others[0]));
  CHECK(fs::exists(others[1]));
  CHECK(fs::exists(others[2]));
  CHECK_FALSE(fs::exists(others[3]));
  CHECK_FALSE(fs::exists(others[4]));
  CHECK(fs::exists(writing));
}

TEST_CASE("index: where it goes", "[index]") {
  auto with_env = [](const char* cache, const char* xdg, const char* home) {
    auto set = [](const char* k, const char* v) {
      if (v)
        ::setenv(k, v, 1);
      else
        ::unsetenv(k);
    };
    std::string saved[3];
    const char* keys[3] = {"RETORT_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};
    bool had[3];
    for (int i = 0; i < 3; ++i) {
      const char* v = std::getenv(keys[i]);
      had[i] = v != nullptr;
      if (v) saved[i] = v;
    }
    set("RETORT_CACHE_DIR", cache);
    set("XDG_CACHE_HOME", xdg);
    set("HOME", home);
    std::string out = retort::default_index_dir();
    for (int i = 0; i < 3; ++i)
      set(keys[i], had[i] ? saved[i].c_str() : nullptr);
    return out;
  };
  CHECK(with_env("/c", "/x", "/h") == "/c");
  CHECK(with_env("off", "/x", "/h").empty());
  CHECK(with_env("", "/x", "/h").empty());
  CHECK(with_env(nullptr, "/x", "/h") == "/x/retort");
  CHECK(with_env(nullptr, "relative", "/h") == "/h/.cache/retort");
  CHECK(with_env(nullptr, nullptr, "/h") == "/h/.cache/retort");
  CHECK(with_env(nullptr, nullptr, nullptr).empty());
  CHECK(retort::index_file_path("/c", "/a/versions") !=
        retort::index_file_path("/c", "/b/versions"));
}

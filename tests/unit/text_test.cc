// The small string and file helpers the parsers share.
#include "core/text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "expect_error.h"
#include "temp_dir.h"

using Catch::Matchers::Contains;
using retort::test::expect_error;
using retort::test::read_text;
using retort::test::TempDir;
using retort::test::write_text;
using V = std::vector<std::string>;

namespace fs = std::filesystem;

TEST_CASE("trim drops spaces, tabs, CR and LF at both ends only", "[text]") {
  CHECK(retort::trim("  a b \t\r\n") == "a b");
  CHECK(retort::trim("\r\n") == "");
  CHECK(retort::trim("") == "");
  CHECK(retort::trim("x") == "x");
}

TEST_CASE("split_list trims items and drops empty ones", "[text]") {
  CHECK(retort::split_list(" a, b ,,c ,") == V{"a", "b", "c"});
  CHECK(retort::split_list("").empty());
  CHECK(retort::split_list(" , ").empty());
  CHECK(retort::split_list("x  y", ' ') == V{"x", "y"});
  CHECK(retort::join(V{"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(retort::join(V{}, ", ") == "");
}

TEST_CASE("case helpers", "[text]") {
  CHECK(retort::starts_with_ci("SQLite:///x", "sqlite:"));
  CHECK_FALSE(retort::starts_with_ci("sq", "sqlite"));
  CHECK(retort::to_lower("PostgreSQL+Psycopg2") == "postgresql+psycopg2");
}

TEST_CASE("line_at counts newlines before an offset", "[text]") {
  const std::string text = "a\nbb\r\nccc\n";
  CHECK(retort::line_at(text, 0) == 1);
  CHECK(retort::line_at(text, 2) == 2);
  CHECK(retort::line_at(text, 6) == 3);
  CHECK(retort::line_at(text, 6, 10) == 12);
  CHECK(retort::line_at(text, 1000) == 4);  // clamped to the end
}

TEST_CASE("edit_distance for did-you-mean", "[text]") {
  CHECK(retort::edit_distance("down_revison", "down_revision") == 1);
  CHECK(retort::edit_distance("", "abc") == 3);
  CHECK(retort::edit_distance("kitten", "sitting") == 3);
  CHECK(retort::edit_distance("same", "same") == 0);
}

TEST_CASE("quote_sql_string doubles single quotes", "[text]") {
  CHECK(retort::quote_sql_string("it's") == "'it''s'");
  CHECK(retort::quote_sql_string("") == "''");
  CHECK(retort::quote_sql_string("''") == "''''''");
}

TEST_CASE("quoted_for_display escapes what could rewrite the terminal and cuts long text",
          "[text]") {
  using retort::quoted_for_display;
  CHECK(quoted_for_display("abc123") == "'abc123'");
  CHECK(quoted_for_display("a\nb\tc\rd") == "'a\\nb\\tc\\rd'");
  CHECK(quoted_for_display("\x1b[31mred\x1b[0m") == "'\\x1b[31mred\\x1b[0m'");
  CHECK(quoted_for_display(std::string("a\0b\x7f", 4)) == "'a\\x00b\\x7f'");
  CHECK(quoted_for_display("it's a\\b") == "'it\\'s a\\\\b'");
  // Valid UTF-8 stays; C1 controls (U+009B is a one-byte CSI), bidi
  // overrides and broken sequences do not.
  CHECK(quoted_for_display("caf\xc3\xa9") == "'caf\xc3\xa9'");
  CHECK(quoted_for_display("x\xc2\x9b"
                           "2J") == "'x\\u{9b}2J'");
  CHECK(quoted_for_display("ab\xe2\x80\xae"
                           "cd") == "'ab\\u{202e}cd'");
  CHECK(quoted_for_display("\xff\xc3") == "'\\xff\\xc3'");
  CHECK(quoted_for_display(std::string(10240, 'a'), 8) == "'aaaaaaaa'... (10240 bytes in all)");
  CHECK(quoted_for_display("12345678", 8) == "'12345678'");
  CHECK(quoted_for_display(std::string(10240, 'a')).size() < 120);
}

TEST_CASE("read_file reads bytes as they are and names a missing path", "[text]") {
  TempDir tmp;
  write_text(tmp / "f.sql", std::string("a\r\nb\0c", 6));
  CHECK(retort::read_file(tmp / "f.sql") == std::string("a\r\nb\0c", 6));
  retort::Error e = expect_error([&] { retort::read_file(tmp / "missing.sql"); });
  CHECK(e.file() == tmp / "missing.sql");
  CHECK_THAT(e.what(), Contains("cannot read file"));
}

TEST_CASE("read_file refuses what is not a regular file, and files over the limit", "[text]") {
  TempDir tmp;
  REQUIRE(mkfifo((tmp / "pipe.sql").c_str(), 0644) == 0);
  retort::Error fifo = expect_error([&] { retort::read_file(tmp / "pipe.sql"); });
  CHECK(fifo.file() == tmp / "pipe.sql");
  CHECK_THAT(fifo.what(), Contains("is a named pipe (FIFO), not a regular file"));

  REQUIRE(symlink("/dev/null", (tmp / "null.sql").c_str()) == 0);
  CHECK_THAT(expect_error([&] { retort::read_file(tmp / "null.sql"); }).what(),
             Contains("links to a character device"));

  int fd = ::open((tmp / "big.sql").c_str(), O_WRONLY | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, retort::kMaxFileBytes + 1) == 0);  // sparse: no blocks written
  ::close(fd);
  CHECK_THAT(expect_error([&] { retort::read_file(tmp / "big.sql"); }).what(),
             Contains("larger than 256 MiB"));
}

TEST_CASE("write_file_atomic: replace, or refuse an existing file when exclusive", "[text]") {
  TempDir tmp;
  const std::string path = tmp / "out.sql";
  retort::write_file_atomic(path, "one", /*exclusive=*/true);
  CHECK(read_text(path) == "one");
  retort::write_file_atomic(path, "two", /*exclusive=*/false);
  CHECK(read_text(path) == "two");

  retort::Error e = expect_error([&] { retort::write_file_atomic(path, "three", true); });
  CHECK_THAT(e.what(), Contains("file already exists"));
  CHECK(e.file() == path);
  CHECK(read_text(path) == "two");

  // No temporary files are left behind either way.
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == 1);

  CHECK_THROWS_WITH(retort::write_file_atomic(tmp / "no/such/dir/x.sql", "x", true),
                    Contains("cannot create file"));
}

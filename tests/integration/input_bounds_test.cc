// Input that cannot escape: files that are not regular files or are too
// large, text that only a client program understands, file names the build
// cannot carry and numbers out of range are refused with an error naming
// the file, before anything runs, and never hang.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

void make_fifo(const std::string& path) {
  REQUIRE(mkfifo(path.c_str(), 0644) == 0);
}

// A sparse file of `bytes`: its size says it is large, its blocks are few.
void make_sparse(const std::string& path, long long bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, bytes) == 0);
  close(fd);
}

}  // namespace

TEST_CASE("a revision file that is a FIFO, a device or too large is refused, not read") {
  Project p;
  p.add_chain(1);
  const std::string file = p.versions() + "/0002_odd.sql";
  struct Kind {
    std::string name, expected;
  };
  const Kind kind = GENERATE(Kind{"fifo", "is a named pipe (FIFO), not a regular file"},
                             Kind{"link to /dev/zero", "links to a character device"},
                             Kind{"directory", "is a directory, not a regular file"},
                             Kind{"300 MiB", "file is larger than 256 MiB, the most retort reads"});
  CAPTURE(kind.name);
  if (kind.name == "fifo") make_fifo(file);
  if (kind.name == "link to /dev/zero") REQUIRE(symlink("/dev/zero", file.c_str()) == 0);
  if (kind.name == "directory") REQUIRE(mkdir(file.c_str(), 0755) == 0);
  if (kind.name == "300 MiB") make_sparse(file, 300LL << 20);
  for (const char* command : {"current", "upgrade", "lint", "history"}) {
    CAPTURE(command);
    auto r = p.run({command});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("migrations/versions/0002_odd.sql: " + kind.expected));
  }
  auto r = p.run({"lint", file});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains(kind.expected));
  CHECK_FALSE(file_exists(p.db()));  // nothing was opened
}

TEST_CASE("settings, the template and model files that are FIFOs are refused") {
  Project p;
  p.add_chain(1);
  SECTION("retort.ini") {
    std::filesystem::remove(p.root() + "/retort.ini");
    make_fifo(p.root() + "/retort.ini");
    auto r = p.run({"current"});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("retort.ini: is a named pipe (FIFO)"));
  }
  SECTION(".env") {
    make_fifo(p.root() + "/.env");
    write_text(p.root() + "/retort.ini", "[retort]\nscript_location = migrations\n");
    auto r = p.run({"current"});
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains(".env: is a named pipe (FIFO)"));
  }
  SECTION("the template") {
    std::filesystem::remove(p.root() + "/migrations/script.sql.tmpl");
    make_fifo(p.root() + "/migrations/script.sql.tmpl");
    auto r = p.run({"revision", "-m", "next"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("script.sql.tmpl: is a named pipe (FIFO)"));
  }
  SECTION("a model file") {
    write_text(p.root() + "/retort.ini", "[retort]\nscript_location = migrations\ndatabase_url = " +
                                             p.url() + "\nmodels = models\n");
    write_text(p.root() + "/models/a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
    make_fifo(p.root() + "/models/b.sql");
    REQUIRE(p.run({"upgrade"}).exit_code == 0);
    auto r = p.run({"revision", "--autogenerate", "-m", "next"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("models/b.sql: is a named pipe (FIFO)"));
  }
}

TEST_CASE("a SQLite database path that is a FIFO or a device is refused") {
  Project p;
  p.add_chain(1);
  const std::string target = GENERATE(std::string("fifo"), std::string("/dev/zero"));
  CAPTURE(target);
  if (target == "fifo")
    make_fifo(p.db());
  else
    REQUIRE(symlink(target.c_str(), p.db().c_str()) == 0);
  for (const char* command : {"current", "upgrade"}) {
    auto r = p.run({command});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("is not a regular file"));
  }
}

TEST_CASE("text only a client program understands is refused before anything runs") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  struct Case {
    std::string sql, expected;
    int line;  // of the offending text in the file
  };
  const Case c = GENERATE(
      Case{"CREATE TABLE t2 (a INTEGER);\n\\i other.sql", "psql meta-command \\i is not SQL", 7},
      Case{"\\set ON_ERROR_STOP on\nCREATE TABLE t2 (a INTEGER);", "psql meta-command", 6},
      Case{"CREATE TABLE t2 (a INTEGER);\n.read other.sql",
           "sqlite3 shell command .read is not SQL", 7},
      Case{"DELIMITER //\nCREATE TABLE t2 (a INTEGER)//", "DELIMITER is a command of the mysql", 6},
      Case{"CREATE TABLE t2 (a INTEGER);\nCOPY t2 (a) FROM stdin;\n1\n2\n\\.",
           "COPY ... FROM STDIN needs psql to carry the data", 7},
      Case{"CREATE TABLE t2 (a INTEGER);\n/* a comment that never ends\nDROP TABLE t1;",
           "a /* comment starts here and is still open where the section ends", 7},
      Case{"CREATE TABLE t2 (a INTEGER);\nINSERT INTO t2 VALUES ('it''s);",
           "a '...' string starts here and is still open", 7},
      Case{"CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $bdy$ LANGUAGE sql;",
           "a $tag$ body starts here and is still open", 6});
  CAPTURE(c.sql);
  // $tag$ bodies are PostgreSQL's: MariaDB reads $body$ as a name.
  if (c.expected.find("$tag$") != std::string::npos &&
      !p.fixture().backend().lexer_options().dollar_quotes)
    return;
  p.add_chain(1);
  std::string file = p.add({"r0002", "r0001", c.sql, "DROP TABLE t2;"});
  const std::string shown =
      "migrations/versions/" + std::filesystem::path(file).filename().string();

  auto lint = p.run({"lint", file});
  CHECK(lint.exit_code == 1);
  CHECK_THAT(lint.err, Contains(c.expected));
  CHECK_THAT(lint.err, Contains(":" + std::to_string(c.line) + ": "));

  auto up = p.run({"upgrade"});
  CHECK(up.exit_code == 1);
  CHECK_THAT(up.err, Contains(shown + ":" + std::to_string(c.line) + ": "));
  CHECK_THAT(up.err, Contains(c.expected));
  // Not even r0001, which is fine, ran: the plan was refused whole.
  CHECK(p.heads().empty());
  auto tables = p.tables();
  CHECK(std::find(tables.begin(), tables.end(), "t1") == tables.end());

  auto offline = p.run({"upgrade", "--sql"});
  CHECK(offline.exit_code == 1);
  CHECK_THAT(offline.err, Contains(c.expected));
}

TEST_CASE("backslashes and dots inside strings, comments and bodies are SQL, not commands") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"r0001", "",
         "CREATE TABLE t1 (a TEXT);\n"
         "INSERT INTO t1 VALUES ('C:\\temp\\new');\n"
         "-- \\i is only a comment here\n"
         "/* .read neither */\n"
         "INSERT INTO t1 VALUES ('\n.read inside a string');",
         "DROP TABLE t1;"});
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 0);
  CHECK(p.value("SELECT count(*) FROM t1") == "2");
  CHECK(p.value("SELECT count(*) FROM t1 WHERE a = 'C:\\temp\\new'") == "1");
}

TEST_CASE("revision file names the build cannot carry are refused, naming the file") {
  Project p;
  p.add_chain(1);
  struct Case {
    std::string name, expected;
  };
  const Case c = GENERATE(Case{"0002_a;b.sql", "holds ';', where CMake splits a list"},
                          Case{"0002_$x.sql", "holds '$', which Make and Ninja read"},
                          Case{"0002_#x.sql", "holds '#', which Make and Ninja read"},
                          Case{"0002_a\"b.sql", "holds '\"'"}, Case{"0002_a\\b.sql", "holds '\\'"},
                          Case{"0002_a\nb.sql", "holds a control character"});
  CAPTURE(c.name);
  write_text(p.versions() + "/" + c.name, render_revision({"r0002", "r0001", "", ""}));
  for (const char* command : {"upgrade", "lint", "current"}) {
    auto r = p.run({command});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains(c.expected));
    CHECK_THAT(r.err, Contains("the build cannot carry it"));
  }
  auto r = p.run({"lint", p.versions() + "/" + c.name});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains(c.expected));
  CHECK_FALSE(file_exists(p.db()));
}

TEST_CASE("a file_template that gives a name the build cannot carry writes nothing") {
  Project p;
  write_text(p.root() + "/retort.ini", "[retort]\nscript_location = migrations\ndatabase_url = " +
                                           p.url() + "\nfile_template = %(rev)s#%(slug)s\n");
  auto r = p.run({"revision", "-m", "first"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("retort.ini:4: file_template '%(rev)s#%(slug)s' holds '#'"));
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(p.versions()))
    files += e.path().extension() == ".sql";
  CHECK(files == 0);
}

TEST_CASE("numeric options out of range are usage errors that say the range") {
  Project p;
  p.add_chain(1);
  for (std::string value : {"2147484", "-1", "99999999999", "-99999999999999999999"}) {
    for (const char* command : {"upgrade", "stamp"}) {
      CAPTURE(value, command);
      std::vector<std::string> args = {command, "--lock-timeout", value};
      if (std::string(command) == "stamp") args.push_back("head");
      auto r = p.run(args);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Contains("--lock-timeout " + value + " is out of range"));
      CHECK_THAT(r.err, Contains("give SECONDS from 0 to 604800"));
    }
  }
  RunResult r = p.run({"upgrade", "--lock-timeout", "5s"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--lock-timeout '5s' is not a whole number"));
  CHECK_FALSE(file_exists(p.db()));
}

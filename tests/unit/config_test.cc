// retort.ini parsing, finding the config, and the database URL's precedence:
// --url > DATABASE_URL > .env beside the config > database_url > --default-url.
#include "core/config.h"
#include "backend/url.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "expect_error.h"
#include "temp_dir.h"

using Catch::Matchers::Contains;
using retort::choose_database_url;
using retort::Config;
using retort::ConfigSearch;
using retort::Error;
using retort::load_config;
using retort::parse_config;
using retort::read_dotenv_value;
using retort::UrlSources;
using retort::test::expect_error;
using retort::test::TempDir;
using retort::test::write_text;

namespace fs = std::filesystem;

TEST_CASE("parse_config reads every key", "[config]") {
  Config c = parse_config(
      "[retort]\n"                            // 1
      "script_location = db/migrations\n"     // 2
      "database_url = sqlite:///app.db\n"     // 3
      "version_table = app.schema_version\n"  // 4
      "log_table = schema_log\n"              // 5
      "file_template = %(rev)s_%(slug)s\n"    // 6
      "timezone = local\n"                    // 7
      "models = models/a.sql models/b.sql\n"  // 8
      "transaction_per_migration = no\n",     // 9
      "/proj/retort.ini", "/proj");
  CHECK(c.path == "/proj/retort.ini");
  CHECK(c.dir == "/proj");
  CHECK(c.script_location == "/proj/db/migrations");
  REQUIRE(c.database_url.has_value());
  CHECK(*c.database_url == "sqlite:///app.db");
  CHECK(c.version_table == "app.schema_version");
  CHECK(c.log_table == "schema_log");
  CHECK(c.file_template == "%(rev)s_%(slug)s");
  CHECK(c.timezone == "local");
  CHECK(c.models == std::vector<std::string>{"models/a.sql", "models/b.sql"});
  CHECK_FALSE(c.transaction_per_migration);
  CHECK(c.key_lines.at("script_location") == 2);
  CHECK(c.key_lines.at("transaction_per_migration") == 9);
  CHECK(c.where("version_table") == "/proj/retort.ini:4 (version_table)");
}

TEST_CASE("parse_config defaults", "[config]") {
  Config c = parse_config("[retort]\n", "/p/retort.ini", "/p");
  CHECK(c.script_location == "/p/migrations");
  CHECK_FALSE(c.database_url.has_value());
  CHECK(c.version_table == "retort_version");
  CHECK(c.log_table == "retort_log");
  CHECK(c.file_template == "%(year)s%(month)s%(day)s%(hour)s%(minute)s%(second)s_%(slug)s");
  CHECK(c.timezone == "UTC");
  CHECK(c.transaction_per_migration);
  CHECK(c.where("database_url") == "database_url (default; not set in /p/retort.ini)");
  CHECK(Config{}.where("version_table") == "the built-in default of version_table");
}

TEST_CASE("script_location: relative to the ini's directory, absolute kept, %(here)s", "[config]") {
  CHECK(parse_config("[retort]\nscript_location = ./a/../migs/\n", "/p/retort.ini", "/p")
            .script_location == "/p/migs");
  CHECK(parse_config("[retort]\nscript_location = /abs/migs\n", "/p/retort.ini", "/p")
            .script_location == "/abs/migs");
  Config here = parse_config(
      "[retort]\nscript_location = %(here)s/db\ndatabase_url = sqlite:///%(here)s/app.db\n",
      "/p/retort.ini", "/p");
  CHECK(here.script_location == "/p/db");
  CHECK(*here.database_url == "sqlite:////p/app.db");
}

TEST_CASE("a missing [retort] section is an error", "[config]") {
  Error e =
      expect_error([] { parse_config("[alembic]\nscript_location = x\n", "/p/retort.ini", "/p"); });
  CHECK_THAT(e.what(), Contains("no [retort] section"));
  CHECK(e.file() == "/p/retort.ini");
  CHECK_THAT(e.format(), Contains("retort init"));
}

TEST_CASE("other sections are ignored", "[config]") {
  Config c = parse_config(
      "[loggers]\nkeys = root\nbogus = 1\n[retort]\nversion_table = vt\n[other]\nversion_table = "
      "no\n",
      "/p/retort.ini", "/p");
  CHECK(c.version_table == "vt");
}

TEST_CASE("an unknown key is an error with its line and a suggestion", "[config]") {
  Error e = expect_error([] {
    parse_config("[retort]\nscript_location = m\nversion_tabel = v\n", "/p/retort.ini", "/p");
  });
  CHECK_THAT(e.what(), Contains("unknown setting 'version_tabel' in [retort]"));
  CHECK(e.file() == "/p/retort.ini");
  CHECK(e.line() == 3);
  CHECK_THAT(e.format(),
             Contains("retort: error: /p/retort.ini:3: unknown setting 'version_tabel'"));
  CHECK_THAT(e.format(), Contains("did you mean 'version_table'?"));
}

TEST_CASE("an unknown key far from any real one gets no suggestion", "[config]") {
  Error e =
      expect_error([] { parse_config("[retort]\nsqlalchemy.url = x\n", "/p/retort.ini", "/p"); });
  CHECK_THAT(e.what(), Contains("unknown setting 'sqlalchemy.url'"));
  CHECK(e.hints().empty());
}

TEST_CASE("a key given twice is an error naming both lines", "[config]") {
  Error e = expect_error([] {
    parse_config("[retort]\nversion_table = a\n\nversion_table = b\n", "/p/retort.ini", "/p");
  });
  CHECK_THAT(e.what(), Contains("setting 'version_table' appears twice (first on line 2)"));
  CHECK(e.line() == 4);
}

TEST_CASE("a line without '=' is an error", "[config]") {
  Error e = expect_error([] { parse_config("[retort]\njust words\n", "/p/retort.ini", "/p"); });
  CHECK_THAT(e.what(), Contains("expected 'key = value'"));
  CHECK(e.line() == 2);
}

TEST_CASE("';' and '#' comments, whole-line and inline", "[config]") {
  Config c = parse_config(
      "; an alembic.ini style comment\n"
      "# a hash comment\n"
      "[retort]\n"
      "; version_table = commented_out\n"
      "  # log_table = also_commented\n"
      "version_table = vt ; the table name\n",
      "/p/retort.ini", "/p");
  CHECK(c.version_table == "vt");
  CHECK(c.log_table == "retort_log");
  CHECK(c.key_lines.count("log_table") == 0);
}

TEST_CASE("a '#' inside a value is part of the value, not a comment", "[config]") {
  // configparser (alembic.ini) keeps it, and SQLAlchemy reads everything up to
  // the last '@' as the password; cutting the line at '#' would silently
  // connect with the wrong password, or print the start of it in an error.
  Config c =
      parse_config("[retort]\ndatabase_url = postgresql://u:p#ss@h/db\n", "/p/retort.ini", "/p");
  REQUIRE(c.database_url.has_value());
  CHECK(*c.database_url == "postgresql://u:p#ss@h/db");
}

TEST_CASE("invalid table names are errors with the line", "[config]") {
  for (const std::string bad : {"1table", "my-table", "a b", ".x", "x.", "t;drop"}) {
    CAPTURE(bad);
    Error e = expect_error(
        [&] { parse_config("[retort]\n\nversion_table = " + bad + "\n", "/p/retort.ini", "/p"); });
    CHECK_THAT(e.what(), Contains("version_table '" + bad + "' is not a table name"));
    CHECK(e.line() == 3);
  }
  CHECK_THROWS_WITH(
      parse_config("[retort]\nversion_table = t\nlog_table = t\n", "/p/retort.ini", "/p"),
      Contains("version_table and log_table are both 't'"));
}

TEST_CASE("invalid file_template, timezone and booleans are errors", "[config]") {
  CHECK_THROWS_WITH(parse_config("[retort]\nfile_template = %(rev)s\n", "/p/r.ini", "/p"),
                    Contains("must contain %(slug)s"));
  CHECK_THROWS_WITH(parse_config("[retort]\nfile_template = ../%(slug)s\n", "/p/r.ini", "/p"),
                    Contains("no '/' or '..'"));
  Error tz =
      expect_error([] { parse_config("[retort]\ntimezone = Europe/Paris\n", "/p/r.ini", "/p"); });
  CHECK_THAT(tz.what(), Contains("timezone 'Europe/Paris' is not supported"));
  CHECK(tz.line() == 2);
  CHECK_THROWS_WITH(parse_config("[retort]\ntransaction_per_migration = maybe\n", "/p/r.ini", "/p"),
                    Contains("transaction_per_migration must be true or false, not 'maybe'"));
}

TEST_CASE("read_dotenv_value: export, quotes, comments, last wins", "[config]") {
  CHECK(read_dotenv_value("DATABASE_URL=sqlite:///a.db\n", "DATABASE_URL") == "sqlite:///a.db");
  CHECK(read_dotenv_value("export DATABASE_URL=sqlite:///b.db\n", "DATABASE_URL") ==
        "sqlite:///b.db");
  CHECK(read_dotenv_value("DATABASE_URL=\"sqlite:///c d.db\"\n", "DATABASE_URL") ==
        "sqlite:///c d.db");
  CHECK(read_dotenv_value("DATABASE_URL='sqlite:///e.db'\n", "DATABASE_URL") == "sqlite:///e.db");
  CHECK(read_dotenv_value("DATABASE_URL=sqlite:///f.db # the dev db\n", "DATABASE_URL") ==
        "sqlite:///f.db");
  CHECK(read_dotenv_value("# DATABASE_URL=sqlite:///commented.db\n", "DATABASE_URL") ==
        std::nullopt);
  CHECK(read_dotenv_value("DATABASE_URL=sqlite:///1.db\nDATABASE_URL=sqlite:///2.db\n",
                          "DATABASE_URL") == "sqlite:///2.db");
  CHECK(read_dotenv_value("OTHER=1\nDATABASE_URL_X=2\n", "DATABASE_URL") == std::nullopt);
  CHECK(read_dotenv_value("  DATABASE_URL = sqlite:///g.db  \r\n", "DATABASE_URL") ==
        "sqlite:///g.db");
  CHECK(read_dotenv_value("", "DATABASE_URL") == std::nullopt);
  // A quoted value followed by a comment loses the comment and the quotes.
  CHECK(read_dotenv_value("DATABASE_URL=\"sqlite:///h.db\" # local\n", "DATABASE_URL") ==
        "sqlite:///h.db");
  // An unclosed quote on the key's line is an error at that line; other lines are not ours.
  auto e = retort::test::expect_error([] {
    read_dotenv_value("OTHER='x\n\nDATABASE_URL=\"postgresql://u:pw@h/db\n", "DATABASE_URL",
                      "migrations/.env");
  });
  CHECK(e.file() == "migrations/.env");
  CHECK(e.line() == 3);
  CHECK_THAT(e.format(), Contains("DATABASE_URL has an opening \" but no closing one"));
  CHECK(e.format().find("pw") == std::string::npos);
}

TEST_CASE("choose_database_url: --url > env > .env > ini > fallback", "[config]") {
  TempDir tmp;
  const std::string ini = tmp / "retort.ini";
  Config c = parse_config("[retort]\n\ndatabase_url = sqlite:///from_ini.db\n", ini, tmp.path());
  UrlSources s;
  s.cli = "sqlite:////cli.db";
  s.env = "sqlite:////env.db";
  s.fallback = "sqlite:////fallback.db";
  write_text(tmp / ".env", "DATABASE_URL=sqlite:///from_dotenv.db\n");

  {
    auto u = choose_database_url(c, s);
    CHECK(u.database == "/cli.db");
    CHECK(u.source == "--url");
  }
  s.cli.clear();
  {
    auto u = choose_database_url(c, s);
    CHECK(u.database == "/env.db");
    CHECK(u.source == "DATABASE_URL in the environment");
  }
  s.env.clear();
  {
    auto u = choose_database_url(c, s);
    CHECK(u.database == tmp / "from_dotenv.db");  // relative to the config's directory
    CHECK(u.source == "DATABASE_URL in " + (tmp / ".env"));
  }
  fs::remove(tmp / ".env");
  {
    auto u = choose_database_url(c, s);
    CHECK(u.database == tmp / "from_ini.db");
    CHECK(u.source == ini + ":3 (database_url)");
  }
  c.database_url.reset();
  {
    auto u = choose_database_url(c, s);
    CHECK(u.database == "/fallback.db");
    CHECK(u.source == "--default-url");
  }
  s.fallback.clear();
  Error none = expect_error([&] { choose_database_url(c, s); });
  CHECK_THAT(none.what(), Contains("no database URL is set"));
  CHECK_THAT(none.format(), Contains("pass --url, set DATABASE_URL"));
  CHECK_THAT(none.format(), Contains(ini));
}

TEST_CASE("a .env without DATABASE_URL falls through to the ini", "[config]") {
  TempDir tmp;
  Config c =
      parse_config("[retort]\ndatabase_url = sqlite:///ini.db\n", tmp / "retort.ini", tmp.path());
  write_text(tmp / ".env", "SECRET_KEY=abc\nDATABASE_URL=\n");
  auto u = choose_database_url(c, {});
  CHECK(u.database == tmp / "ini.db");
}

TEST_CASE("URL errors name the source they came from", "[config]") {
  TempDir tmp;
  const std::string ini = tmp / "retort.ini";
  Config c = parse_config("[retort]\ndatabase_url = oracle://scott:tiger@h/db\n", ini, tmp.path());

  Error from_ini = expect_error([&] { choose_database_url(c, {}); });
  CHECK_THAT(from_ini.what(),
             Contains("unknown database URL scheme 'oracle' from " + ini + ":2 (database_url)"));
  CHECK(from_ini.format().find("tiger") == std::string::npos);

  write_text(tmp / ".env", "DATABASE_URL=oracle://x/y\n");
  CHECK_THROWS_WITH(choose_database_url(c, {}),
                    Contains("'oracle' from DATABASE_URL in " + (tmp / ".env")));

  UrlSources env;
  env.env = "sqlite://host/x.db";
  CHECK_THROWS_WITH(choose_database_url(c, env), Contains("from DATABASE_URL in the environment"));
  UrlSources cli;
  cli.cli = "nonsense";
  CHECK_THROWS_WITH(choose_database_url(c, cli), Contains("from --url"));
}

TEST_CASE("load_config searches upward from the working directory", "[config]") {
  TempDir tmp;
  write_text(tmp / "proj/retort.ini", "[retort]\nscript_location = db\n");
  fs::create_directories(tmp / "proj/src/deep");
  ConfigSearch s;
  s.cwd = tmp / "proj/src/deep";
  Config c = load_config(s);
  CHECK(fs::equivalent(c.path, tmp / "proj/retort.ini"));
  CHECK(fs::path(c.script_location) == fs::path(tmp / "proj/db"));

  SECTION("--script-location overrides the ini") {
    s.script_location = "/elsewhere";
    CHECK(load_config(s).script_location == "/elsewhere");
  }
}

TEST_CASE("load_config: RETORT_CONFIG and -c, -c winning", "[config]") {
  TempDir tmp;
  write_text(tmp / "a/retort.ini", "[retort]\nversion_table = from_env\n");
  write_text(tmp / "b/custom.ini", "[retort]\nversion_table = from_flag\n");
  write_text(tmp / "cwd/retort.ini", "[retort]\nversion_table = from_cwd\n");
  ConfigSearch s;
  s.cwd = tmp / "cwd";
  CHECK(load_config(s).version_table == "from_cwd");
  s.env_path = tmp / "a/retort.ini";
  CHECK(load_config(s).version_table == "from_env");
  s.explicit_path = tmp / "b/custom.ini";
  Config c = load_config(s);
  CHECK(c.version_table == "from_flag");
  CHECK(fs::path(c.dir) == fs::path(tmp / "b"));
}

TEST_CASE("load_config errors: missing -c file, missing RETORT_CONFIG file, nothing found",
          "[config]") {
  TempDir tmp;
  ConfigSearch s;
  s.cwd = tmp.path();
  s.explicit_path = tmp / "nope.ini";
  Error e = expect_error([&] { load_config(s); });
  CHECK_THAT(e.what(), Contains("config file " + (tmp / "nope.ini") +
                                " (from -c/--config) does not exist or is not a file"));

  s.explicit_path.clear();
  s.env_path = tmp / "gone.ini";
  CHECK_THROWS_WITH(load_config(s), Contains("(from RETORT_CONFIG)"));

  s.env_path.clear();
  fs::create_directories(tmp / "empty/sub");
  s.cwd = tmp / "empty/sub";
  // Nothing above a temp dir should hold a retort.ini; if one does, this
  // test would find it, so check that assumption first.
  bool any_above = false;
  for (fs::path d = s.cwd;; d = d.parent_path()) {
    any_above |= fs::exists(d / "retort.ini");
    if (d == d.parent_path()) break;
  }
  REQUIRE_FALSE(any_above);
  Error none = expect_error([&] { load_config(s); });
  CHECK_THAT(none.what(),
             Contains("no retort.ini found in " + s.cwd + " or any directory above it"));
  CHECK_THAT(none.format(), Contains("retort init"));

  SECTION("with --script-location alone no config is needed") {
    s.script_location = "/some/migrations";
    Config c = load_config(s);
    CHECK(c.path.empty());
    CHECK(c.script_location == "/some/migrations");
  }
}

TEST_CASE("load_config reports the line of a bad key in the file it found", "[config]") {
  TempDir tmp;
  write_text(tmp / "retort.ini", "[retort]\nscript_locaton = x\n");
  ConfigSearch s;
  s.cwd = tmp.path();
  Error e = expect_error([&] { load_config(s); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.file(), Contains("retort.ini"));
  CHECK_THAT(e.format(), Contains("did you mean 'script_location'?"));
}

TEST_CASE("syntax errors in any section are reported by line, never handed to Boost", "[config]") {
  // Boost's message for this line loops forever formatting "%invalid_line%".
  Error e = expect_error(
      [] { parse_config("[retort]\nscript_location = m\n[x%invalid_line%y\n", "r.ini", "/p"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Contains("no closing ']'"));
  Error f = expect_error([] { parse_config("[other]\njust words\n[retort]\n", "r.ini", "/p"); });
  CHECK(f.line() == 2);
  CHECK_THAT(f.what(), Contains("expected 'key = value'"));
  // Found by the fuzzer: text after a header's ']' went on to Boost.
  Error g = expect_error(
      [] { parse_config("[reto[retort]x%invalid_line%y\nscript_location = m\n", "r.ini", "/p"); });
  CHECK(g.line() == 1);
  CHECK_THAT(g.what(), Contains("unexpected text after the section header's ']'"));
  // An inline comment that swallows the '=' leaves no 'key = value'.
  Error h = expect_error(
      [] { parse_config("[retort]\nscript_location = m\n%invalid_line% ;= x\n", "r.ini", "/p"); });
  CHECK(h.line() == 3);
  CHECK_THAT(h.what(), Contains("expected 'key = value'"));
}

TEST_CASE("a comment may follow a section header", "[config]") {
  Config c = parse_config("[retort]  ; settings\nscript_location = m\n[other] # more\nx = y\n",
                          "/p/r.ini", "/p");
  CHECK(c.script_location == "/p/m");
  CHECK(c.key_lines.at("script_location") == 2);
}

// parse_database_url(), DatabaseUrl::redacted() and redact_url_text(): the
// SQLAlchemy URL forms, where each error says the URL came from, and that a
// password never shows.
#include "core/database_url.h"
#include "backend/url.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "expect_error.h"

using Catch::Matchers::Contains;
using retort::DatabaseUrl;
using retort::Error;
using retort::parse_database_url;
using retort::redact_url_text;
using retort::test::expect_error;

TEST_CASE("sqlite:///relative is relative to the base directory", "[url]") {
  DatabaseUrl u = parse_database_url("sqlite:///data/app.db", "retort.ini:3", "/srv/project");
  CHECK(u.backend == "sqlite");
  CHECK(u.database == "/srv/project/data/app.db");
  CHECK(u.source == "retort.ini:3");
  CHECK_FALSE(u.is_memory());
  CHECK(u.redacted() == "sqlite:////srv/project/data/app.db");

  SECTION("without a base directory it stays relative (to the working directory)") {
    DatabaseUrl r = parse_database_url("sqlite:///app.db", "--url");
    CHECK(r.database == "app.db");
  }
}

TEST_CASE("sqlite:////absolute keeps the absolute path", "[url]") {
  DatabaseUrl u = parse_database_url("sqlite:////var/lib/app.db", "--url", "/srv/project");
  CHECK(u.database == "/var/lib/app.db");
  CHECK(u.redacted() == "sqlite:////var/lib/app.db");
}

TEST_CASE("sqlite:// and sqlite:///:memory: are in memory", "[url]") {
  DatabaseUrl a = parse_database_url("sqlite://", "--url", "/srv");
  CHECK(a.backend == "sqlite");
  CHECK(a.is_memory());
  DatabaseUrl b = parse_database_url("sqlite:///:memory:", "--url", "/srv");
  CHECK(b.is_memory());
  CHECK(b.database == ":memory:");
  CHECK(b.redacted() == "sqlite:///:memory:");
}

TEST_CASE("a SQLite URL with a host is an error with an example", "[url]") {
  Error e = expect_error([] { parse_database_url("sqlite://app.db", "--url"); });
  CHECK_THAT(e.what(), Contains("invalid database URL 'sqlite://app.db' from --url"));
  CHECK_THAT(e.what(), Contains("sqlite:///path/to/file.db"));
}

TEST_CASE("a SQLite path is percent-decoded", "[url]") {
  DatabaseUrl u = parse_database_url("sqlite:////tmp/my%20db%2Bx.db", "--url");
  CHECK(u.database == "/tmp/my db+x.db");
}

TEST_CASE("postgresql URL: every part", "[url]") {
  DatabaseUrl u = parse_database_url(
      "postgresql://app_user:s3cret@db.example.com:5432/"
      "appdb?sslmode=require&application_name=retort",
      "DATABASE_URL in the environment");
  CHECK(u.backend == "postgresql");
  CHECK(u.user == "app_user");
  CHECK(u.password == "s3cret");
  CHECK(u.has_password);
  CHECK(u.host == "db.example.com");
  CHECK(u.port == "5432");
  CHECK(u.database == "appdb");
  REQUIRE(u.query.size() == 2);
  CHECK(u.query[0] == std::make_pair(std::string("sslmode"), std::string("require")));
  CHECK(u.query[1].first == "application_name");
  CHECK(u.source == "DATABASE_URL in the environment");
  CHECK_FALSE(u.is_memory());
  CHECK(u.redacted() ==
        "postgresql://app_user:***@db.example.com:5432/"
        "appdb?sslmode=require&application_name=retort");
}

TEST_CASE("postgres:// and postgresql+driver:// are PostgreSQL", "[url]") {
  DatabaseUrl a = parse_database_url("postgres://u@localhost/app", "--url");
  CHECK(a.backend == "postgresql");
  CHECK(a.user == "u");
  CHECK_FALSE(a.has_password);
  CHECK(a.port.empty());
  CHECK(a.redacted() == "postgresql://u@localhost/app");
  DatabaseUrl b = parse_database_url("postgresql+psycopg2://u:pw@h/app", "--url");
  CHECK(b.backend == "postgresql");
  CHECK(b.password == "pw");
  DatabaseUrl c = parse_database_url("PostgreSQL://h/app", "--url");
  CHECK(c.backend == "postgresql");
}

TEST_CASE("user and password are percent-decoded", "[url]") {
  DatabaseUrl u = parse_database_url("postgresql://us%40er:p%40ss%3Aw%2Fd@h/db", "--url");
  CHECK(u.user == "us@er");
  CHECK(u.password == "p@ss:w/d");
  CHECK(u.redacted().find("p@ss") == std::string::npos);
  CHECK(u.redacted().find("p%40ss") == std::string::npos);
}

TEST_CASE("an IPv6 host in brackets, with and without a port", "[url]") {
  DatabaseUrl u = parse_database_url("postgresql://u:pw@[::1]:6543/db", "--url");
  CHECK(u.host == "::1");
  CHECK(u.port == "6543");
  CHECK(u.database == "db");
  DatabaseUrl v = parse_database_url("postgresql://[fe80::1]/db", "--url");
  CHECK(v.host == "fe80::1");
  CHECK(v.port.empty());
  CHECK_THROWS_WITH(parse_database_url("postgresql://[::1/db", "--url"),
                    Contains("unclosed '[' in the host"));
  CHECK_THROWS_WITH(parse_database_url("postgresql://[::1]x/db", "--url"),
                    Contains("junk after the IPv6 address"));
}

TEST_CASE("redacted() of an IPv6 URL keeps the brackets so it is still a URL", "[url]") {
  DatabaseUrl u = parse_database_url("postgresql://u:pw@[::1]:6543/db", "--url");
  CHECK(u.redacted() == "postgresql://u:***@[::1]:6543/db");
}

TEST_CASE("a port that is not a number is an error naming the source", "[url]") {
  Error e = expect_error([] {
    parse_database_url("postgresql://u:hunter2@h:54x2/db", "retort.ini:4 (database_url)");
  });
  CHECK_THAT(e.what(), Contains("invalid database URL 'postgresql://u:***@h:54x2/db' from "
                                "retort.ini:4 (database_url): the port (after the host's last "
                                "':') is not a number"));
  CHECK_THAT(e.what(), Contains("from retort.ini:4 (database_url)"));
  CHECK_THAT(e.format(), !Contains("hunter2"));
  CHECK(e.exit_code() == retort::kExitFailure);
}

TEST_CASE("an unknown scheme is an error naming the source", "[url]") {
  Error e = expect_error(
      [] { parse_database_url("oracle://root:topsecret@h/db", "DATABASE_URL in /p/.env"); });
  CHECK_THAT(e.what(),
             Contains("unknown database URL scheme 'oracle' from DATABASE_URL in /p/.env"));
  REQUIRE_FALSE(e.hints().empty());
  CHECK_THAT(e.hints()[0], Contains("sqlite://"));
  CHECK_THAT(e.format(), !Contains("topsecret"));
}

TEST_CASE("text without a scheme is an error", "[url]") {
  CHECK_THROWS_WITH(parse_database_url("app.db", "--url"),
                    Contains("invalid database URL 'app.db' from --url: it has no scheme:// part"));
  CHECK_THROWS_WITH(parse_database_url("://x", "--url"), Contains("no scheme"));
  CHECK_THROWS_WITH(parse_database_url("postgresql://h/db?sslmode", "--url"),
                    Contains("query parameter 'sslmode' has no '='"));
}

TEST_CASE("redacted() never contains the password", "[url]") {
  for (const std::string url :
       {"postgresql://u:topsecret@h:5432/db", "postgresql://:topsecret@h/db",
        "postgres://u:topsecret@[::1]/db?sslmode=require",
        "postgresql://u@h/db?password=topsecret"}) {
    CAPTURE(url);
    DatabaseUrl u = parse_database_url(url, "--url");
    CHECK(u.has_password);
    CHECK(u.redacted().find("topsecret") == std::string::npos);
    CHECK_THAT(u.redacted(), Contains("***"));
  }
  DatabaseUrl empty_pw = parse_database_url("postgresql://u:@h/db", "--url");
  CHECK(empty_pw.has_password);
  CHECK(empty_pw.redacted() == "postgresql://u:***@h/db");
  // A password in the query is masked where it was written.
  CHECK(parse_database_url("postgresql://h/db?user=u&password=pw", "--url").redacted() ==
        "postgresql://h/db?user=u&password=***");
}

TEST_CASE("redact_url_text masks passwords of URLs inside any text", "[url]") {
  CHECK(redact_url_text("postgresql://u:secret@h/db") == "postgresql://u:***@h/db");
  CHECK(redact_url_text("could not connect to postgresql://u:secret@h:5432/db: refused") ==
        "could not connect to postgresql://u:***@h:5432/db: refused");
  CHECK(redact_url_text("a=postgres://x:one@h/db b=postgres://y:two@h/db") ==
        "a=postgres://x:***@h/db b=postgres://y:***@h/db");
  CHECK(redact_url_text("postgresql://u@h/db") == "postgresql://u@h/db");
  CHECK(redact_url_text("sqlite:///app.db") == "sqlite:///app.db");
  CHECK(redact_url_text("no url here: just text") == "no url here: just text");
  // An '@' in the password (not percent-encoded) must not leave a tail behind.
  CHECK(redact_url_text("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db");
}

TEST_CASE("a password holding '/' or '?' is still masked in errors", "[url]") {
  // SQLAlchemy reads everything up to the last '@' as user:password; a
  // password with an unencoded '/' must not be echoed by the error about it.
  CHECK(redact_url_text("postgresql://u:pa/ss@h/db").find("pa/ss") == std::string::npos);
  CHECK(redact_url_text("postgresql://u:pa?ss@h/db").find("pa?ss") == std::string::npos);
  Error e = expect_error([] { parse_database_url("postgresql://u:pa/ss@h:x/db", "--url"); });
  CHECK(e.format().find("pa/ss") == std::string::npos);
}

TEST_CASE("a password with a raw space or after a stray '/' is still the password", "[url]") {
  auto u = parse_database_url("postgresql://me:pa ss@host/db", "--url");
  CHECK(u.user == "me");
  CHECK(u.password == "pa ss");
  CHECK(u.redacted().find("pa ss") == std::string::npos);
  CHECK(redact_url_text("postgresql://me/x:s3cretpw@host/db?sslmode").find("s3cretpw") ==
        std::string::npos);
  Error e =
      expect_error([] { parse_database_url("postgresql://me/x:s3cretpw@host:x/db", "--url"); });
  CHECK(e.format().find("s3cretpw") == std::string::npos);
}

TEST_CASE("a malformed URL never shows its password: the exact masked text", "[url]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // a ':' typed for '@'
      {"postgresql://app:pw:host/db",
       "invalid database URL 'postgresql://app:***' from --url: the port (after the host's last "
       "':') is not a number"},
      {"postgresql://app:pwhost:5432/db",
       "invalid database URL 'postgresql://app:***' from --url: the host has more than one ':' "
       "(an IPv6 address goes in brackets: [::1])"},
      {"postgresql://app:pwhost/db",
       "invalid database URL 'postgresql://app:***' from --url: the port (after the host's last "
       "':') is not a number"},
      // a '/' missing, or the ':' of the scheme
      {"postgresql:/app:pw@h/db",
       "invalid database URL 'postgresql:/***@h/db' from --url: it has no scheme:// part"},
      {"postgresql//app:pw@h/db",
       "invalid database URL 'postgresql//***@h/db' from --url: it has no scheme:// part"},
      {"app:pw@h/db", "invalid database URL 'app:***@h/db' from --url: it has no scheme:// part"},
      // a bad port after a password
      {"postgresql://app:pw@h:54x2/db",
       "invalid database URL 'postgresql://app:***@h:54x2/db' from --url: the port (after the "
       "host's last ':') is not a number"},
      // the password in the query
      {"postgresql://h/db?password=pw&sslmode",
       "invalid database URL 'postgresql://h/db?password=***&sslmode' from --url: query "
       "parameter 'sslmode' has no '='"},
      {"postgresql://h/db?sslpassword=pw&x",
       "invalid database URL 'postgresql://h/db?sslpassword=***&x' from --url: query parameter "
       "'x' has no '='"},
      {"postgresql://h/db?password:pw",
       "invalid database URL 'postgresql://h/db?***' from --url: a query parameter has no '='"},
      // an '@' too many, and a user name that is not one
      {"postgresql://app@pw@h:x/db",
       "invalid database URL 'postgresql://***@h:x/db' from --url: the port (after the host's "
       "last ':') is not a number"},
      {"sqlite://app:pw@h/x.db",
       "invalid database URL 'sqlite://app:***@h/x.db' from --url: this URL names a file, not "
       "a host: write sqlite:///path/to/file.db"},
  };
  for (const auto& [url, message] : cases) {
    CAPTURE(url);
    Error e = expect_error([&] { parse_database_url(url, "--url"); });
    CHECK(e.what() == message);
    CHECK(e.format().find("pw") == std::string::npos);
  }
}

TEST_CASE("redact_url_input masks a URL however it is broken", "[url]") {
  using retort::redact_url_input;
  CHECK(redact_url_input("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db");
  CHECK(redact_url_input("postgresql://h:5432/db") == "postgresql://h:5432/db");
  CHECK(redact_url_input("postgresql://[::1]:5432/db") == "postgresql://[::1]:5432/db");
  CHECK(redact_url_input("postgresql://u:p/w@h/db") == "postgresql://u:***@h/db");
  CHECK(redact_url_input("postgresql://app:p/whost/db") == "postgresql://app:***");
  CHECK(redact_url_input("postgresql://u@h/db?PassWord=pw") == "postgresql://u@h/db?PassWord=***");
  CHECK(redact_url_input("postgresql://u@h/db?passfile=/x") == "postgresql://u@h/db?passfile=/x");
}

TEST_CASE("a percent-encoded password is a secret in both spellings", "[url]") {
  auto u = parse_database_url("postgresql://u:pa%23ss%20w0rd@h/db", "--url");
  CHECK(u.password == "pa#ss w0rd");
  CHECK(u.redacted() == "postgresql://u:***@h/db");
  CHECK(retort::redact_secrets("echo pa#ss w0rd and pa%23ss%20w0rd") == "echo *** and ***");
  auto q = parse_database_url("postgresql://u@h/db?password=qu%3Bery", "--url");
  CHECK(retort::redact_secrets("qu;ery qu%3Bery") == "*** ***");
}

TEST_CASE("SQLite URL parameters are checked as SQLAlchemy's pysqlite reads them", "[url]") {
  for (const std::string ok :
       {"sqlite:///x.db?mode=ro", "sqlite:///x.db?mode=rw", "sqlite:///x.db?mode=rwc",
        "sqlite:///x.db?mode=memory&cache=shared", "sqlite:///x.db?timeout=2.5",
        "sqlite:///x.db?check_same_thread=false", "sqlite:///x.db?uri=true&immutable=1",
        "sqlite:///x.db?vfs=unix-none&uri=true"}) {
    CAPTURE(ok);
    CHECK_NOTHROW(parse_database_url(ok, "--url"));
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"sqlite:///x.db?mdoe=ro",
       "invalid database URL 'sqlite:///x.db?mdoe=ro' from DATABASE_URL in the environment: "
       "unknown SQLite URL parameter 'mdoe'"},
      {"sqlite:///x.db?mode=readonly",
       "invalid database URL 'sqlite:///x.db?mode=readonly' from DATABASE_URL in the "
       "environment: 'mode=readonly' is not a value SQLite takes (ro, rw, rwc or memory)"},
      {"sqlite:///x.db?timeout=soon",
       "invalid database URL 'sqlite:///x.db?timeout=soon' from DATABASE_URL in the "
       "environment: 'timeout=soon' is not a value SQLite takes (a number of seconds, the busy "
       "timeout)"},
      {"sqlite:///x.db?immutable=1",
       "invalid database URL 'sqlite:///x.db?immutable=1' from DATABASE_URL in the environment: "
       "SQLite URI parameter 'immutable' needs uri=true in the URL"},
  };
  for (const auto& [url, message] : bad) {
    CAPTURE(url);
    Error e = expect_error([&] { parse_database_url(url, "DATABASE_URL in the environment"); });
    CHECK(e.what() == message);
  }
}

TEST_CASE("an '@' in the host is refused, so libpq never echoes what precedes it", "[url]") {
  Error e = expect_error([] { parse_database_url("postgresql://app@pw@h/db", "--url"); });
  CHECK(e.what() == std::string("invalid database URL 'postgresql://***@h/db' from --url: the "
                                "host holds an '@' (write one in the user or password as %40)"));
}

TEST_CASE("mariadb:// and mysql:// URLs, SQLAlchemy's driver spellings included", "[url]") {
  for (const char* text : {"mariadb://app:s3cret@db.example.com:3306/appdb",
                           "mysql://app:s3cret@db.example.com:3306/appdb",
                           "mysql+pymysql://app:s3cret@db.example.com:3306/appdb",
                           "mysql+mysqldb://app:s3cret@db.example.com:3306/appdb",
                           "mariadb+mariadbconnector://app:s3cret@db.example.com:3306/appdb"}) {
    CAPTURE(text);
    DatabaseUrl u = parse_database_url(text, "DATABASE_URL in the environment");
    CHECK(u.backend == "mariadb");
    CHECK(u.user == "app");
    CHECK(u.password == "s3cret");
    CHECK(u.host == "db.example.com");
    CHECK(u.port == "3306");
    CHECK(u.database == "appdb");
    CHECK(u.redacted() == "mariadb://app:***@db.example.com:3306/appdb");
  }
}

TEST_CASE("MariaDB URL parameters are checked when the URL is read", "[url]") {
  DatabaseUrl u = parse_database_url(
      "mysql://app@localhost/appdb?unix_socket=/run/mysqld/mysqld.sock&charset=utf8mb4&ssl_mode="
      "REQUIRED&connect_timeout=5",
      "--url");
  CHECK(u.query.size() == 4);
  struct Bad {
    const char* url;
    const char* says;
  };
  for (const Bad& b :
       {Bad{"mariadb://h/db?unix_socket=relative.sock",
            "'unix_socket=relative.sock' is not a value"},
        Bad{"mariadb://h/db?ssl_mode=sometimes", "DISABLED, PREFERRED, REQUIRED, VERIFY_CA or"},
        Bad{"mariadb://h/db?charset=utf8;drop", "a character set name such as utf8mb4"},
        Bad{"mariadb://h/db?connect_timeout=5s", "a whole number of seconds"},
        Bad{"mariadb://u:topsecret@h/db?sslmode=require",
            "unknown MariaDB URL parameter 'sslmode'"}}) {
    CAPTURE(b.url);
    auto e = expect_error([&] { parse_database_url(b.url, "retort.ini:3 (database_url)"); });
    CHECK_THAT(e.format(), Contains(b.says));
    CHECK_THAT(e.format(), Contains("from retort.ini:3 (database_url)"));
    CHECK_THAT(e.format(), !Contains("topsecret"));
  }
}

#include "cli/arg_parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "expect_error.h"

using Catch::Matchers::Contains;
using retort::ArgParser;
using retort::Error;
using retort::kExitUsage;
using retort::test::expect_error;

namespace {

struct Upgrade {
  std::vector<std::string> target;
  bool sql = false;
  std::string message;
  int lock_timeout = 60;
  ArgParser parser{"upgrade [TARGET]", "upgrade the database"};
  Upgrade() {
    parser.positional("TARGET", "where to go", &target, 1);
    parser.flag("sql", "print SQL", &sql);
    parser.option("message,m", "MESSAGE", "a message", &message);
    parser.int_option("lock-timeout", "SECONDS", "how long to wait", &lock_timeout, 0, 3600);
  }
};

Error parse_error(std::vector<std::string> args) {
  Upgrade u;
  Error e = expect_error([&] { u.parser.parse(args); });
  CHECK(e.exit_code() == kExitUsage);
  CHECK_THAT(e.format(), Contains("usage: retort upgrade [TARGET]"));
  return e;
}

}  // namespace

TEST_CASE("options, flags and positionals are read", "[args]") {
  Upgrade u;
  REQUIRE(u.parser.parse({"abc123", "--sql", "-m", "hello", "--lock-timeout=5"}));
  CHECK(u.target == std::vector<std::string>{"abc123"});
  CHECK(u.sql);
  CHECK(u.message == "hello");
  CHECK(u.lock_timeout == 5);
}

TEST_CASE("a negative number is a target, not an option", "[args]") {
  Upgrade u;
  REQUIRE(u.parser.parse({"-1"}));
  CHECK(u.target == std::vector<std::string>{"-1"});
}

TEST_CASE("command-line mistakes say what is wrong with which option", "[args]") {
  CHECK_THAT(parse_error({"--bogus"}).what(), Contains("unrecognised option '--bogus'"));
  CHECK_THAT(parse_error({"--lock-timeout", "abc"}).what(),
             Contains("--lock-timeout 'abc' is not a whole number"));
  CHECK_THAT(parse_error({"--lock-timeout=1", "--lock-timeout=2"}).what(),
             Contains("option '--lock-timeout' cannot be specified more than once"));
  CHECK_THAT(parse_error({"--sql=yes"}).what(),
             Contains("option '--sql' does not take any arguments"));
  CHECK_THAT(parse_error({"-m"}).what(),
             Contains("the required argument for option '--message' is missing"));
  CHECK_THAT(parse_error({"a", "b"}).what(), Contains("too many arguments"));
}

// Boost.Program_options's own messages loop for ever on these: these calls
// returning at all is the test.
TEST_CASE("arguments holding Boost's placeholders get an error, not a hang", "[args]") {
  CHECK_THAT(parse_error({"--%canonical_option%"}).what(),
             Contains("unrecognised option '--%canonical_option%'"));
  CHECK_THAT(parse_error({"--%original_token%"}).what(),
             Contains("unrecognised option '--%original_token%'"));
  CHECK_THAT(parse_error({"--lock-timeout", "%value%"}).what(),
             Contains("--lock-timeout '%value%' is not a whole number"));
  CHECK_THAT(parse_error({"--message", "%value%x%option%", "--sql=%value%"}).what(),
             Contains("option '--sql' does not take any arguments"));
}

TEST_CASE("a whole-number option outside its range says the range", "[args]") {
  for (const char* v : {"3601", "-5", "2147484", "9999999999999999999999"}) {
    CAPTURE(v);
    Error e = parse_error({"--lock-timeout=" + std::string(v)});
    CHECK_THAT(e.format(), Contains("--lock-timeout " + std::string(v) + " is out of range"));
    CHECK_THAT(e.format(), Contains("give SECONDS from 0 to 3600"));
  }
  CHECK_THAT(parse_error({"--lock-timeout", "ten"}).format(),
             Contains("--lock-timeout 'ten' is not a whole number"));
  Upgrade u;
  REQUIRE(u.parser.parse({"--lock-timeout", "3600"}));
  CHECK(u.lock_timeout == 3600);
}

namespace {

// As main() reads the words before the command.
struct Globals {
  std::string config;
  bool quiet = false;
  std::vector<std::string> rest;
  ArgParser parser{"[-c FILE] [-q] COMMAND [ARGS]", "retort"};
  Globals() {
    parser.option("config,c", "FILE", "config", &config);
    parser.flag("quiet,q", "quiet", &quiet);
    parser.rest("COMMAND", "the command and its arguments", &rest);
  }
};

}  // namespace

TEST_CASE("rest(): options end at the first word that is not an option's value", "[args]") {
  using V = std::vector<std::string>;
  Globals g;
  REQUIRE(g.parser.parse({"-q", "-c", "config", "config", "--get", "x", "-c", "y"}));
  CHECK(g.quiet);
  CHECK(g.config == "config");  // a value named like an option is still a value
  CHECK(g.rest == V{"config", "--get", "x", "-c", "y"});
  Globals number;
  REQUIRE(number.parser.parse({"-1", "-q"}));
  CHECK(number.rest == V{"-1", "-q"});
  CHECK_FALSE(number.quiet);
  Globals none;
  REQUIRE(none.parser.parse({"-c", "upgrade"}));
  CHECK(none.config == "upgrade");
  CHECK(none.rest.empty());
  Globals bad;
  CHECK_THAT(expect_error([&] {
               bad.parser.parse({"--bogus", "upgrade"});
             }).what(),
             Contains("unrecognised option '--bogus'"));
}

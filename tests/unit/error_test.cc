// retort::Error: how an error prints (file:line, hints, further problems),
// its exit code, and that registered secrets never reach the output.
#include "core/error.h"

#include <catch2/catch.hpp>
#include <string>

#include "expect_error.h"

using retort::Error;
using retort::ErrorList;

TEST_CASE("format(): retort: error: file:line: message, then hints", "[error]") {
  Error e("unknown header 'down_revison'");
  e.at("versions/x.sql", 3).hint("did you mean 'down_revision'?");
  CHECK(e.format() ==
        "retort: error: versions/x.sql:3: unknown header 'down_revison'\n"
        "  hint: did you mean 'down_revision'?\n");
  CHECK(e.exit_code() == retort::kExitFailure);
}

TEST_CASE("format() without a line or a file", "[error]") {
  CHECK(Error("boom").at("retort.ini").format() == "retort: error: retort.ini: boom\n");
  CHECK(Error("boom").format() == "retort: error: boom\n");
}

TEST_CASE("usage() makes exit code 2", "[error]") {
  Error e("bad flag");
  e.usage();
  CHECK(e.exit_code() == retort::kExitUsage);
}

TEST_CASE("ErrorList throws one error carrying all of them, in order", "[error]") {
  ErrorList list;
  list.throw_if_any();  // nothing collected: no throw
  list.add(Error("first").at("a.sql", 1));
  list.add(Error("second").at("b.sql", 2).hint("fix b"));
  list.add(Error("third"));
  CHECK(list.size() == 3);
  Error e = retort::test::expect_error([&] { list.throw_if_any(); });
  CHECK(std::string(e.what()) == "first");
  CHECK(e.more().size() == 2);
  CHECK(e.format() ==
        "retort: error: a.sql:1: first\n"
        "retort: error: b.sql:2: second\n"
        "  hint: fix b\n"
        "retort: error: third\n");
  CHECK(list.empty());
}

TEST_CASE("redact_secrets masks every registered secret", "[error]") {
  retort::register_secret("s3cr3t-Pw");
  retort::register_secret("");  // ignored, must not mask everything
  CHECK(retort::redact_secrets("password authentication failed: s3cr3t-Pw / s3cr3t-Pw") ==
        "password authentication failed: *** / ***");
  CHECK(retort::redact_secrets("nothing secret") == "nothing secret");
}

TEST_CASE("an internal error asks for a report; categories say what to do", "[error]") {
  retort::Error e = retort::Error("'AddColumn' has no rendering").internal().hint("context");
  CHECK(e.format() ==
        "retort: internal error: 'AddColumn' has no rendering\n"
        "  hint: context\n"
        "  hint: this is a bug in retort; please report it with the command you ran\n");
  using retort::ErrorCategory;
  CHECK(retort::Error("x").category() == ErrorCategory::kInput);
  CHECK(retort::Error("x").lock().is_transient());
  CHECK(retort::Error("x").connection().is_transient());
  CHECK(retort::Error("x").resource().is_transient());
  CHECK_FALSE(retort::Error("x").syntax().is_transient());
  CHECK(retort::Error("x").rows().is_rows());
  CHECK_FALSE(retort::Error("x").internal().is_transient());
}

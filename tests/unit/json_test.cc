// The JSON writer of --format json: escaping, UTF-8, layout and key order.
#include "core/json.h"

#include <catch2/catch.hpp>

#include "core/utf8.h"

using retort::Json;
using retort::json_quote;
using retort::valid_utf8;

TEST_CASE("json_quote escapes quotes, backslashes and control characters", "[json]") {
  CHECK(json_quote("plain") == "\"plain\"");
  CHECK(json_quote("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_quote("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(json_quote(std::string("\x01\x1f\x7f", 3)) == R"("\u0001\u001f\u007f")");
  CHECK(json_quote(std::string("nul\0here", 8)) == R"("nul\u0000here")");
  CHECK(json_quote("/") == "\"/\"");
}

TEST_CASE("json_quote passes UTF-8 through and replaces what is not", "[json]") {
  CHECK(json_quote("b\xC3\xA9la \xE2\x9C\x93 \xF0\x9F\x98\x80") ==
        "\"b\xC3\xA9la \xE2\x9C\x93 \xF0\x9F\x98\x80\"");
  CHECK(json_quote("\xFF") == R"("\ufffd")");                      // never valid
  CHECK(json_quote("\x80x") == R"("\ufffdx")");                    // a stray continuation byte
  CHECK(json_quote("\xC3") == R"("\ufffd")");                      // cut short at the end
  CHECK(json_quote("\xC3(") == R"("\ufffd(")");                    // cut short by ASCII
  CHECK(json_quote("\xC0\xAF") == R"("\ufffd\ufffd")");            // overlong '/'
  CHECK(json_quote("\xE0\x80\xAF") == R"("\ufffd\ufffd\ufffd")");  // overlong, 3 bytes
  CHECK(json_quote("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");  // a UTF-16 surrogate
  CHECK(json_quote("\xF4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
}

TEST_CASE("valid_utf8 replaces each bad byte with U+FFFD", "[json]") {
  CHECK(valid_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
  CHECK(valid_utf8("a\xFF"
                   "b") ==
        "a\xEF\xBF\xBD"
        "b");
}

TEST_CASE("Json writes members in insertion order, indented", "[json]") {
  Json o = Json::object();
  o.set("z", 1).set("a", Json());
  o.set("list", std::vector<std::string>{"x", "y"});
  o.set("empty", Json::array());
  o.set("nested", Json::object().set("t", true).set("f", false));
  o.set("z", "again");  // keeps its place
  CHECK(o.dump() ==
        "{\n"
        "  \"z\": \"again\",\n"
        "  \"a\": null,\n"
        "  \"list\": [\n"
        "    \"x\",\n"
        "    \"y\"\n"
        "  ],\n"
        "  \"empty\": [],\n"
        "  \"nested\": {\n"
        "    \"t\": true,\n"
        "    \"f\": false\n"
        "  }\n"
        "}\n");
  CHECK(Json::object().dump() == "{}\n");
  CHECK(Json(size_t{42}).dump() == "42\n");
}

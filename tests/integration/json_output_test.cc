// --format json on current, status, history, heads and show: parsed with
// Python's json module, keys and values checked, strings escaped.
#include <catch2/catch.hpp>

#include "json_check.h"
#include "project.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// a0000001 -> b0000002 (labelled) and c0000003, merged by d0000004.
void add_merged(Project& p) {
  p.add({"a0000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;", "create a"});
  p.add({"b0000002", "a0000001", "CREATE TABLE b (x INTEGER);", "DROP TABLE b;", "create b",
         "-- branch_labels: feature\n"});
  p.add({"c0000003", "a0000001", "CREATE TABLE c (x INTEGER);", "DROP TABLE c;", "create c"});
  p.add({"d0000004", "b0000002, c0000003", "", "", "merge"});
}

}  // namespace

TEST_CASE("current --format json gives the heads, partial rows and missing heads") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_merged(p);
  auto base = p.run({"current", "--format", "json"});
  REQUIRE(base.exit_code == 0);
  CHECK(json_eval(base.out, "data['heads']") == "[]");
  CHECK(json_eval(base.out, "data['missing_heads']") == "[\"d0000004\"]");
  CHECK(json_eval(base.out, "data['at_every_head']") == "false");

  REQUIRE(p.run({"upgrade", "b0000002"}).exit_code == 0);
  auto part = p.run({"current", "--format", "json", "--check-heads"});
  CHECK(part.exit_code == 1);  // the JSON is printed, then the gate fails
  CHECK_THAT(part.err, Contains("head d0000004 is not applied"));
  CHECK(json_eval(part.out, "data['database_exists']") == "true");
  CHECK(json_eval(part.out, "[h['revision'] for h in data['heads']]") == "[\"b0000002\"]");
  CHECK(json_eval(part.out, "data['heads'][0]['branch_labels']") == "[\"feature\"]");
  CHECK(json_eval(part.out, "data['heads'][0]['down_revisions']") == "[\"a0000001\"]");
  CHECK(json_eval(part.out, "data['partial']") == "[]");

  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto head = p.run({"current", "--format", "json", "--check-heads"});
  CHECK(head.exit_code == 0);
  CHECK(json_eval(head.out, "data['heads'][0]['is_merge_point']") == "true");
  CHECK(json_eval(head.out, "data['at_every_head']") == "true");
  CHECK(json_eval(head.out, "sorted(data.keys())") ==
        "[\"at_every_head\", \"database_exists\", \"heads\", \"missing_heads\", \"partial\"]");
}

TEST_CASE("status --format json gives each revision's state and the counts") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  add_merged(p);
  REQUIRE(p.run({"upgrade", "c0000003"}).exit_code == 0);
  auto r = p.run({"status", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json_eval(r.out, "[(x['revision'], x['state']) for x in data['revisions']]") ==
        "[[\"a0000001\", \"applied\"], [\"b0000002\", \"pending\"], [\"c0000003\", \"applied\"], "
        "[\"d0000004\", \"pending\"]]");
  CHECK(json_eval(r.out, "[data['applied'], data['pending'], data['partial']]") == "[2, 2, 0]");
  CHECK(json_eval(r.out, "data['revisions'][0]['is_branch_point']") == "true");
  CHECK(json_eval(r.out, "data['revisions'][0]['partial']") == "null");
}

TEST_CASE("status --format json describes a partly applied revision") {
  Project p(GENERATE(all_backends()));
  CAPTURE(p.backend());
  p.add({"ok000001", "", "CREATE TABLE a (x INTEGER);", "DROP TABLE a;"});
  p.add({"bad00002", "ok000001",
         "CREATE TABLE b (x INTEGER);\nINSERT INTO a VALUES (1);\n\nINSERT INTO nosuch "
         "VALUES (1);",
         "DROP TABLE b;\nDELETE FROM a;", "", "", " transaction:false", " transaction:false"});
  REQUIRE(p.run({"upgrade"}).exit_code == 1);
  auto r = p.run({"status", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json_eval(r.out, "data['revisions'][1]['state']") == "\"partial\"");
  CHECK(json_eval(r.out, "data['revisions'][1]['partial']") ==
        "{\"direction\": \"upgrade\", \"revision\": \"bad00002\", \"running_statement\": null, "
        "\"statements_done\": 2, \"statements_total\": 3, \"summary\": \"partial: 2 of 3 "
        "statements\"}");
  CHECK(json_eval(r.out, "[data['applied'], data['pending'], data['partial']]") == "[1, 0, 1]");
  auto current = p.run({"current", "--format", "json"});
  CHECK(json_eval(current.out, "[x['revision'] for x in data['partial']]") == "[\"bad00002\"]");
}

TEST_CASE("history, heads and show --format json") {
  Project p;
  add_merged(p);
  auto h = p.run({"history", "--format", "json"});
  REQUIRE(h.exit_code == 0);
  // Newest first, as the text; is_current is null unless asked for.
  CHECK(json_eval(h.out, "[x['revision'] for x in data['revisions']]") ==
        "[\"d0000004\", \"c0000003\", \"b0000002\", \"a0000001\"]");
  CHECK(json_eval(h.out, "data['revisions'][0]['down_revisions']") ==
        "[\"b0000002\", \"c0000003\"]");
  CHECK(json_eval(h.out, "data['revisions'][0]['is_current']") == "null");
  CHECK(json_eval(h.out, "sorted(data['revisions'][3].keys())") ==
        "[\"branch_labels\", \"created\", \"depends_on\", \"down_revisions\", \"is_base\", "
        "\"is_branch_point\", \"is_current\", \"is_head\", \"is_merge_point\", \"message\", "
        "\"partial\", \"path\", \"revision\"]");
  CHECK(json_eval(h.out, "data['revisions'][3]['path']") ==
        "\"migrations/versions/0001_a0000001.sql\"");

  REQUIRE(p.run({"upgrade", "c0000003"}).exit_code == 0);
  auto marked = p.run({"history", "--indicate-current", "--format", "json", "-r", "base:c0000003"});
  REQUIRE(marked.exit_code == 0);
  CHECK(json_eval(marked.out, "[(x['revision'], x['is_current']) for x in data['revisions']]") ==
        "[[\"c0000003\", true], [\"a0000001\", false]]");

  auto heads = p.run({"heads", "--format", "json"});
  REQUIRE(heads.exit_code == 0);
  CHECK(json_eval(heads.out, "[x['revision'] for x in data['heads']]") == "[\"d0000004\"]");

  auto show = p.run({"show", "b0000002", "--format", "json"});
  REQUIRE(show.exit_code == 0);
  CHECK(json_eval(show.out, "data['revisions'][0]['upgrade']") ==
        "{\"sql\": \"CREATE TABLE b (x INTEGER);\", \"transactional\": true}");
  CHECK(json_eval(show.out, "data['revisions'][0]['downgrade']") ==
        "{\"irreversible\": false, \"sql\": \"DROP TABLE b;\", \"transactional\": true}");
  CHECK(json_eval(show.out, "data['revisions'][0]['message']") == "\"create b\"");
}

TEST_CASE("JSON strings carry quotes, control characters and any UTF-8") {
  Project p;
  std::string sql = "CREATE TABLE q (x TEXT DEFAULT 'a\ttab', y TEXT DEFAULT 'back\\slash \"q\"');";
  // The message: a quote, a backslash, a tab, non-ASCII text and a byte
  // that is not UTF-8.
  p.add({"a0000001", "", sql, "DROP TABLE q;",
         "say \"hi\" \\ to\tb\xC3\xA9la \xE2\x9C\x93 \xFF end"});
  auto r = p.run({"show", "a0000001", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(R"("message": "say \"hi\" \\ to\tbéla ✓ \ufffd end")"));
  CHECK(json_eval(r.out, "data['revisions'][0]['message']") ==
        "\"say \\\"hi\\\" \\\\ to\\tbéla ✓ \xEF\xBF\xBD end\"");
  CHECK(json_eval(r.out, "data['revisions'][0]['upgrade']['sql']") ==
        R"("CREATE TABLE q (x TEXT DEFAULT 'a\ttab', y TEXT DEFAULT 'back\\slash \"q\"');")");
  // The same message reaches the other formats intact.
  auto h = p.run({"history", "--format", "json"});
  CHECK(json_eval(h.out, "len(data['revisions'][0]['message'])") == "26");
}

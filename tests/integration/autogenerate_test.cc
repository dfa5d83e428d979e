// retort revision --autogenerate and retort check, end to end on both
// backends: the schema-pair corpus round trip (apply A, autogenerate to B,
// upgrade, compare, downgrade, compare, autogenerate again) and the checks
// the two share; then every user-facing message of the feature, against real
// SQLite files. PostgreSQL's own cases are in autogenerate_pg_test.cc.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "autogenerate_support.h"

using namespace retort::test;
using Catch::Contains;

namespace {

// One pair's round trip on one backend.
void round_trip(const Pair& pair, const std::string& backend) {
  INFO(backend << " pair " << pair.name);
  ModelProject p(backend);
  auto schema_a = model_schema(p, pair.a), schema_b = model_schema(p, pair.b);

  p.models(pair.a);
  auto first = p.run({"revision", "-m", "a"});  // an empty A: "No changes detected"
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  if (!pair.rows.empty()) p.exec(pair.rows);
  auto rows_a = row_counts(p, schema_a);
  REQUIRE(dump(db_schema(p), backend) == dump(as_database_spells(p, schema_a), backend));

  p.models(pair.b);
  auto gen = p.run({"revision", "-m", "b"});
  INFO(gen.all());
  REQUIRE(gen.exit_code == 0);
  REQUIRE_THAT(gen.out, Contains("Generating "));
  INFO(read_text(revision_files(p).back()));
  CHECK(p.run({"check"}).exit_code == 1);

  auto up = p.run({"upgrade"});
  INFO(up.all());
  REQUIRE(up.exit_code == 0);
  CHECK(dump(db_schema(p), backend) == dump(as_database_spells(p, schema_b), backend));
  auto rows_b = row_counts(p, schema_b);
  for (const auto& [t, n] : rows_a)
    if (rows_b.count(t)) CHECK(rows_b[t] == n);  // rows survive, rebuilt or not

  auto again = p.run({"revision", "-m", "again"});
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.out, Contains("No changes detected"));
  CHECK(p.run({"check"}).exit_code == 0);

  auto down = p.run({"downgrade", "-1"});
  INFO(down.all());
  REQUIRE(down.exit_code == 0);
  CHECK(dump(db_schema(p), backend) == dump(as_database_spells(p, schema_a), backend));
  auto rows_back = row_counts(p, schema_a);
  for (const auto& [t, n] : rows_a)
    if (rows_b.count(t)) CHECK(rows_back[t] == n);
}

}  // namespace

TEST_CASE("each backend's corpus has at least 40 schema pairs") {
  auto backend = GENERATE(autogenerate_backends());
  INFO(backend);
  CHECK(pair_files(backend).size() >= 40);
}

// Until a backend's autogenerate is written, it says so and writes nothing.
TEST_CASE("autogenerate says when it cannot") {
  for (const BackendFixture* f : backend_fixtures()) {
    if (f->autogenerates()) continue;
    DYNAMIC_SECTION(f->name()) {
      ModelProject p(std::string(f->name()));
      p.add_chain(1);
      REQUIRE(p.run({"upgrade"}).exit_code == 0);
      p.models("CREATE TABLE extra (id INTEGER PRIMARY KEY);\n");
      auto r = p.run({"revision", "--autogenerate", "-m", "auto"});
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Contains("autogenerate does not support " + std::string(f->name()) +
                                 " databases yet"));
      CHECK_THAT(r.err, Contains("hint: write this revision by hand: retort revision --empty"));
      CHECK(p.run({"check"}).exit_code == 1);
      CHECK(p.heads() == std::vector<std::string>{"r0001"});
    }
  }
}

// A scenario that a backend has no file for shows here: it needs a .skip
// whose one line says why ("the feature does not exist in SQLite: ...",
// "not supported by retort on PostgreSQL yet: ..." or "not written yet:
// ..."), and every one of them is listed.
TEST_CASE("schema pairs: every scenario has a file, or a reason it has none, for each backend") {
  const auto all = scenarios();
  REQUIRE_FALSE(all.empty());
  std::set<std::string> known;  // the file names a scenario's directory may hold
  for (const BackendFixture* f : backend_fixtures()) {
    known.insert(std::string(f->name()) + ".sql");
    known.insert(std::string(f->name()) + ".skip");
  }
  for (const auto& scenario : all) {
    const std::string dir = std::string(kSchemaPairsDir) + "/" + scenario;
    size_t pairs = 0;
    for (const auto& name : scenario_file_names(scenario)) {
      if (!known.count(name))
        FAIL_CHECK(dir << "/" << name << " is neither <backend>.sql nor <backend>.skip of a "
                       << "registered backend");
      if (name.size() > 4 && name.substr(name.size() - 4) == ".sql") ++pairs;
    }
    if (pairs == 0) FAIL_CHECK(dir << " holds a pair for no backend");
  }
  for (const BackendFixture* f : backend_fixtures()) {
    if (!f->autogenerates()) continue;  // its refusal: "autogenerate says when it cannot"
    const std::string backend(f->name());
    std::vector<std::string> skipped, lacking;
    for (const auto& scenario : all) {
      const ScenarioFiles files = scenario_files(scenario, backend);
      if (!files.pair.empty()) {
        if (!files.skip.empty())
          FAIL_CHECK(f->schema_pair_skip_file(scenario)
                     << " skips a scenario that has " << f->schema_pair_file(scenario));
        continue;
      }
      const std::string reason = files.skip.empty() ? "" : skip_reason(files.skip);
      if (!reason.empty())
        skipped.push_back(scenario + ": " + reason);
      else if (files.skip.empty())
        lacking.push_back(scenario + ": neither " + backend + ".sql nor " + backend + ".skip");
      else
        lacking.push_back(scenario + ": " + backend + ".skip holds no one-line reason");
    }
    std::ostringstream list;
    for (const auto& s : skipped)
      list << "\n  " << s;
    if (!skipped.empty())
      WARN(backend << " has no pair for " << skipped.size() << " of " << all.size()
                   << " scenarios:" << list.str());
    std::ostringstream missing;
    for (const auto& s : lacking)
      missing << "\n  " << s;
    if (!lacking.empty())
      FAIL_CHECK(backend << " has no pair, and no reason why, for " << lacking.size()
                         << " scenarios (write " << kSchemaPairsDir << "/<scenario>/" << backend
                         << ".sql, or a " << backend
                         << ".skip of one line saying why not):" << missing.str());
  }
}

TEST_CASE("schema pairs round-trip: upgrade to B, downgrade to A, then nothing to do") {
  for (const auto& scenario : scenarios())
    for (const BackendFixture* f : backend_fixtures()) {
      if (!f->autogenerates()) continue;  // its refusal: "autogenerate says when it cannot"
      const std::string backend(f->name());
      DYNAMIC_SECTION(scenario << " on " << backend) {
        const ScenarioFiles files = scenario_files(scenario, backend);
        if (!files.pair.empty())
          round_trip(read_pair(files.pair), backend);
        else if (!files.skip.empty())
          SUCCEED(backend << " skips " << scenario << ": " << skip_reason(files.skip));
        else
          FAIL(backend << " has no pair for " << scenario << ", and no " << backend
                       << ".skip saying why");
      }
    }
}

TEST_CASE("types compare by meaning, not spelling") {
  ModelProject p(GENERATE(autogenerate_backends()));
  INFO(p.backend());
  p.models(p.text("models: types"));
  REQUIRE(p.run({"revision", "-m", "t"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  // Same meaning, other spelling: case, quoting, spacing and parentheses in
  // expressions do not matter, nor how a type is spelled.
  p.models(p.text("models: types respelled"));
  auto r = p.run({"revision", "-m", "respelled"});
  INFO(r.all());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("No changes detected"));
  CHECK(p.run({"check"}).exit_code == 0);
}

TEST_CASE("the generated revision marks data loss and possible renames for the reviewer") {
  ModelProject p(GENERATE(autogenerate_backends()));
  INFO(p.backend());
  // A backend may also change a column's type in place (PostgreSQL:
  // users.bio), which can lose data: its fixture says what that adds.
  p.models(p.text("models: users and old_logs"));
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.models(p.text("models: users and logs renamed"));
  auto r = p.run({"revision", "-m", "b"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Detected drop column users.name"));
  CHECK_THAT(r.out, Contains("Detected add table logs"));
  std::string up = upgrade_of(read_text(revision_files(p).back()));
  // Names as the database quotes them.
  auto q = [&](const std::string& name) {
    std::string quoted = p.text("sql: the name x, quoted");
    return quoted.replace(quoted.find('x'), 1, name);
  };
  CHECK_THAT(up, Contains("-- WARNING: data loss: drops table old_logs and all its rows\n"
                          "DROP TABLE " +
                          q("old_logs") + ";"));
  CHECK_THAT(up, Contains("-- WARNING: data loss: drops column users.name and its values\n"
                          "ALTER TABLE " +
                          q("users") + " DROP COLUMN " + q("name") + ";"));
  CHECK_THAT(up, Contains("ALTER TABLE " + q("old_logs") + " RENAME TO " + q("logs") + ";"));
  CHECK_THAT(up, Contains("ALTER TABLE " + q("users") + " RENAME COLUMN " + q("name") + " TO " +
                          q("full_name") + ";"));
  CHECK_THAT(up, Contains("retort does not guess renames"));
  for (const auto& more : p.texts("autogenerate: more in the upgrade of the renames"))
    CHECK_THAT(up, Contains(more));
  // Tables are dropped before the ones they reference and created after.
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
}

TEST_CASE("no changes: 'No changes detected', no file, exit 0") {
  ModelProject p;
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n");
  REQUIRE(p.run({"revision", "-m", "users"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto before = revision_files(p);
  auto r = p.run({"revision", "-m", "nothing"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("No changes detected\n"));
  CHECK(revision_files(p) == before);
}

TEST_CASE("dependency order: referenced tables are created first and dropped last") {
  ModelProject p;
  p.models("");
  p.models(
      "CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id));\n"
      "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));\n"
      "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
  REQUIRE(p.run({"revision", "-m", "abc"}).exit_code == 0);
  std::string text = read_text(revision_files(p).back());
  auto down_at = text.find("-- migrate:downgrade");
  std::string up = text.substr(0, down_at), down = text.substr(down_at);
  CHECK(up.find("CREATE TABLE a ") < up.find("CREATE TABLE b "));
  CHECK(up.find("CREATE TABLE b ") < up.find("CREATE TABLE c "));
  CHECK(down.find("DROP TABLE \"c\"") < down.find("DROP TABLE \"b\""));
  CHECK(down.find("DROP TABLE \"b\"") < down.find("DROP TABLE \"a\""));
}

TEST_CASE("rows and their values survive a SQLite table rebuild") {
  ModelProject p;
  p.models(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, nick TEXT);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON "
      "DELETE CASCADE, body TEXT);\n"
      "CREATE INDEX ix_users_email ON users (email);\n"
      "CREATE VIEW v_posts AS SELECT u.email, p.body FROM posts p JOIN users u ON u.id = "
      "p.user_id;\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  sqlite_exec(p.db(),
              "INSERT INTO users VALUES (1, 'ada@x', NULL), (2, 'grace@x', 'g');"
              "INSERT INTO posts VALUES (10, 1, 'note G'), (11, 2, 'A-0');");
  // NOT NULL with a default, a CHECK and a changed type: only a rebuild does it.
  p.models(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL CHECK (email LIKE "
      "'%@%'), nick TEXT NOT NULL DEFAULT 'anon', score REAL);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON "
      "DELETE CASCADE, body TEXT);\n"
      "CREATE INDEX ix_users_email ON users (email);\n"
      "CREATE VIEW v_posts AS SELECT u.email, p.body FROM posts p JOIN users u ON u.id = "
      "p.user_id;\n");
  REQUIRE(p.run({"revision", "-m", "b"}).exit_code == 0);
  std::string text = read_text(revision_files(p).back());
  CHECK_THAT(text, Contains("-- Rebuild users: SQLite's ALTER TABLE cannot make these changes:"));
  CHECK_THAT(text, Contains("coalesce(\"nick\", 'anon')"));
  auto up = p.run({"upgrade"});
  INFO(up.all() << text);
  REQUIRE(up.exit_code == 0);
  CHECK(sqlite_column(p.db(), "SELECT id || ':' || email || ':' || nick FROM users ORDER BY id") ==
        std::vector<std::string>{"1:ada@x:anon", "2:grace@x:g"});
  // The posts that reference the rebuilt table are untouched (no cascade),
  // and the view over both still works.
  CHECK(sqlite_column(p.db(), "SELECT email || '/' || body FROM v_posts ORDER BY body") ==
        std::vector<std::string>{"grace@x/A-0", "ada@x/note G"});
  CHECK(sqlite_value(p.db(), "SELECT count(*) FROM sqlite_schema WHERE name = 'ix_users_email'") ==
        "1");
  REQUIRE(p.run({"downgrade", "-1"}).exit_code == 0);
  CHECK(sqlite_column(p.db(), "SELECT id || ':' || email || ':' || nick FROM users ORDER BY id") ==
        std::vector<std::string>{"1:ada@x:anon", "2:grace@x:g"});
  CHECK(sqlite_value(p.db(), "SELECT count(*) FROM posts") == "2");
}

TEST_CASE("a rebuild whose rows break a new foreign key fails before commit") {
  ModelProject p;
  p.models(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  sqlite_exec(p.db(), "INSERT INTO users VALUES (1); INSERT INTO posts VALUES (1, 1), (2, 99);");
  p.models(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n");
  REQUIRE(p.run({"revision", "-m", "fk"}).exit_code == 0);
  auto r = p.run({"upgrade"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("CHECK constraint failed: foreign_key_violations = 0"));
  CHECK_THAT(r.err, Contains("FROM pragma_foreign_key_"));
  CHECK_THAT(r.err, Contains("Rows already in the database break it: fix them (or the file)"));
  // Rolled back: the old table and its rows are as they were.
  CHECK(sqlite_value(p.db(), "SELECT count(*) FROM pragma_foreign_key_list('posts')") == "0");
  CHECK(sqlite_value(p.db(), "SELECT count(*) FROM posts") == "2");
}

TEST_CASE("the target database must be at head first") {
  ModelProject p;
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  auto r = p.run({"revision", "-m", "b"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("Target database is not up to date: it is at base, the head is "));
  CHECK_THAT(r.err, Contains("run `retort upgrade head` (make db-up) first"));
  CHECK(revision_files(p).size() == 1);
  auto c = p.run({"check"});
  CHECK(c.exit_code == 1);
  CHECK_THAT(c.err, Contains("Target database is not up to date"));
}

TEST_CASE("retort check: exit 0 when models match, 1 listing the differences") {
  ModelProject p;
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  auto empty = p.run({"check"});
  CHECK(empty.exit_code == 1);
  CHECK_THAT(empty.out, Contains("  add table users\n"));
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  auto ok = p.run({"check"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "No changes detected: the models match the database\n");
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n");
  auto diff = p.run({"check"});
  CHECK(diff.exit_code == 1);
  CHECK(diff.out ==
        "The models differ from the database at head (1 difference):\n"
        "  add column users.email TEXT\n"
        "Write the revision with: retort revision --autogenerate -m MESSAGE (make db-new "
        "MSG=...)\n");
  CHECK(p.run({"check", "--help"}).exit_code == 0);
}

TEST_CASE("model errors name the glob, or the file and line") {
  ModelProject p;
  auto none = p.run({"revision", "-m", "x"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Contains("models glob 'models/*.sql' (from "));
  CHECK_THAT(none.err, Contains("retort.ini:4 (models)) matches no file"));

  p.models(
      "CREATE TABLE ok (id INTEGER PRIMARY KEY);\n\nCREATE TABLE bad (id INTEGER PRIMARY KEY,);\n");
  auto bad = p.run({"revision", "-m", "x"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Contains("models/schema.sql:3: near \")\": syntax error"));
  CHECK(revision_files(p).empty());
}

TEST_CASE("autogenerate needs models, and an empty revision can be asked for") {
  Project plain;
  auto r = plain.run({"revision", "--autogenerate", "-m", "x"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("no models are configured"));
  CHECK_THAT(r.err, Contains("models = models/*.sql"));

  ModelProject p;
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  auto e = p.run({"revision", "--empty", "-m", "seed data"});
  CHECK(e.exit_code == 0);
  REQUIRE(revision_files(p).size() == 1);
  CHECK_THAT(read_text(revision_files(p)[0]), Contains("-- migrate:upgrade\n\n"));
  CHECK(p.run({"revision", "--empty", "--autogenerate", "-m", "x"}).exit_code == 2);
}

TEST_CASE("the exclude setting leaves what it names alone on both sides; check counts it") {
  ModelProject p(GENERATE(autogenerate_backends()));
  INFO(p.backend());
  // Line 5 of retort.ini.
  write_text(p.root() + "/retort.ini",
             read_text(p.root() + "/retort.ini") + "exclude = queue_* , legacy\n");
  // The database holds tables managed elsewhere; the models do not know them.
  p.models("CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  REQUIRE(p.run({"revision", "-m", "a"}).exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  p.exec("CREATE TABLE queue_jobs (id INTEGER PRIMARY KEY);");
  p.exec("CREATE TABLE legacy (id INTEGER PRIMARY KEY);");
  p.exec("CREATE VIEW queue_view AS SELECT id FROM queue_jobs;");
  auto ok = p.run({"check"});
  INFO(ok.all());
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Contains("3 objects excluded by "));
  CHECK_THAT(ok.out, Contains("retort.ini:5 (exclude)\n"));
  CHECK_THAT(ok.out, Contains("No changes detected"));
  // The models' own copy of an excluded table is left out too, and what is
  // not excluded still differs.
  p.models(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "CREATE TABLE queue_jobs (id INTEGER PRIMARY KEY, extra TEXT);\n");
  auto diff = p.run({"check"});
  CHECK(diff.exit_code == 1);
  CHECK_THAT(diff.out, Contains("  add column users.email"));
  CHECK(diff.out.find("queue_jobs") == std::string::npos);
  CHECK(diff.out.find("legacy") == std::string::npos);
  CHECK(p.run({"config", "--get", "exclude"}).out == "queue_* legacy\n");
}

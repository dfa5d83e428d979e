// retort revision --autogenerate and retort check, end to end against real
// SQLite files: the schema-pair corpus round trip (apply A, autogenerate to
// B, upgrade, compare, downgrade, compare, autogenerate again), and every
// user-facing message of the feature.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/database_url.h"
#include "drivers/driver.h"
#include "project.h"
#include "schema/autogenerate.h"
#include "schema/introspect.h"
#include "core/text.h"
#include "schema/sql_tokens.h"

using namespace retort::test;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

const char* const kIni =
    "[retort]\nscript_location = migrations\ndatabase_url = sqlite:///app.db\n"
    "models = models/*.sql\n";

// A canonical text of a schema: what "the schema equals B" means here. It
// shows declared types exactly, so a pair only passes when the types really
// changed in the database.
std::string dump(const retort::Schema& s) {
  std::ostringstream out;
  for (const auto& [k, t] : s.tables) {
    out << "table " << k << (t.without_rowid ? " without rowid" : "")
        << (t.autoincrement ? " autoincrement" : "") << "\n";
    for (const auto& c : t.columns)
      out << "  column " << retort::to_lower(c.name) << " " << c.type
          << (c.not_null ? " not null" : "")
          << (c.default_sql ? " default " + retort::normalize_sql(*c.default_sql) : "")
          << (c.generated ? " generated" : "") << "\n";
    std::vector<std::string> cons;
    for (auto c : t.constraints) {
      if (c.kind == retort::Constraint::Kind::kCheck) c.expression = retort::normalize_sql(c.expression);
      c.name.clear();
      cons.push_back(retort::normalize_sql(retort::describe(c)));
    }
    std::sort(cons.begin(), cons.end());
    for (const auto& c : cons)
      out << "  " << c << "\n";
  }
  for (const auto& [k, ix] : s.indexes) {
    out << "index " << k << " on " << retort::to_lower(ix.table) << (ix.unique ? " unique" : "");
    for (const auto& e : ix.elements)
      out << " [" << retort::normalize_sql(e) << "]";
    if (!ix.where.empty()) out << " where " << retort::normalize_sql(ix.where);
    out << "\n";
  }
  for (const auto& [k, v] : s.views)
    out << "view " << k << " " << retort::normalize_sql(v.definition) << "\n";
  for (const auto& [k, tr] : s.triggers)
    out << "trigger " << k << " " << retort::normalize_sql(tr.sql) << "\n";
  return out.str();
}

retort::Schema db_schema(const Project& p) {
  auto url = retort::parse_database_url("sqlite:///" + p.db(), "test");
  auto d = retort::open_sqlite_driver(url, {});
  return retort::introspect_sqlite(*d, {{"retort_version", "retort_log"}, {}});
}

retort::Schema model_schema(const std::string& sql) {
  TempDir tmp;
  write_text(tmp / "m.sql", sql);
  return retort::load_models({tmp / "m.sql"}, "sqlite", {});
}

struct Pair {
  std::string name, a, b, rows;
};

Pair read_pair(const std::string& path) {
  Pair p;
  p.name = fs::path(path).stem().string();
  std::string* cur = nullptr;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    if (line == "-- @a") cur = &p.a;
    else if (line == "-- @b") cur = &p.b;
    else if (line == "-- @rows") cur = &p.rows;
    else if (cur) *cur += line + "\n";
  }
  return p;
}

std::vector<std::string> pair_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(std::string(RETORT_SOURCE_DIR) + "/tests/fixtures/schema_pairs"))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> row_counts(const Project& p, const retort::Schema& s) {
  std::map<std::string, std::string> out;
  for (const auto& [k, t] : s.tables)
    out[k] = sqlite_value(p.db(), "SELECT count(*) FROM " + retort::quote_ident(t.name));
  return out;
}

std::vector<std::string> revision_files(const Project& p) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(p.versions()))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct ModelProject : Project {
  ModelProject() { write_text(root() + "/retort.ini", kIni); }
  void models(const std::string& sql) const { write_text(root() + "/models/schema.sql", sql); }
};

}  // namespace

TEST_CASE("the corpus has at least 40 schema pairs") { CHECK(pair_files().size() >= 40); }

TEST_CASE("schema pairs round-trip: upgrade to B, downgrade to A, then nothing to do") {
  auto file = GENERATE(from_range(pair_files()));
  Pair pair = read_pair(file);
  INFO("pair " << pair.name);
  ModelProject p;
  auto schema_a = model_schema(pair.a), schema_b = model_schema(pair.b);

  p.models(pair.a);
  auto first = p.run({"revision", "-m", "a"});
  INFO(first.all());
  REQUIRE(first.exit_code == 0);
  REQUIRE(p.run({"upgrade"}).exit_code == 0);
  if (!pair.rows.empty()) sqlite_exec(p.db(), pair.rows);
  auto rows_a = row_counts(p, schema_a);
  REQUIRE(dump(db_schema(p)) == dump(schema_a));

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
  CHECK(dump(db_schema(p)) == dump(schema_b));
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
  CHECK(dump(db_schema(p)) == dump(schema_a));
  auto rows_back = row_counts(p, schema_a);
  for (const auto& [t, n] : rows_a)
    if (rows_b.count(t)) CHECK(rows_back[t] == n);
}

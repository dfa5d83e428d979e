#include "autogenerate_support.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>

#include "backend/backend.h"
#include "backend/url.h"
#include "core/database_url.h"
#include "core/text.h"
#include "migrate/autogenerate.h"
#include "sql/tokens.h"

namespace fs = std::filesystem;

namespace retort::test {

namespace {

// retort.ini's URL may be relative to the project directory, and the tests
// do not run there. With `create`=false, nullptr when it does not exist yet.
std::unique_ptr<Driver> connect(const Project& p, bool create = true) {
  DriverOptions o;
  o.create_if_missing = create;
  return open_driver(parse_database_url(p.database().url, "test"), o);
}

// The absolute path of one relative to the source tree.
std::string source_path(const std::string& relative) {
  return std::string(RETORT_SOURCE_DIR) + "/" + relative;
}

}  // namespace

ModelProject::ModelProject(std::string backend) : Project(std::move(backend)) {
  write_text(root() + "/retort.ini", read_text(root() + "/retort.ini") + "models = models/*.sql\n");
}

void ModelProject::models(const std::string& sql) const {
  write_text(root() + "/models/schema.sql", sql);
}

// Types are shown as the database reports them (SQLite: as declared;
// PostgreSQL: canonical), so a pair only passes when the types really changed
// in the database. Where the backends differ, their fixtures' readback()
// says how; PostgreSQL never sets without_rowid, autoincrement or triggers.
std::string dump(const Schema& s, const std::string& backend) {
  const BackendFixture& f = fixture_named(backend);
  const SchemaReadback r = f.readback();
  std::ostringstream out;
  for (const auto& [k, t] : s.tables) {
    out << "table " << k << (t.comment.empty() ? "" : " comment " + t.comment)
        << (t.without_rowid ? " without rowid" : "") << (t.strict ? " strict" : "")
        << (t.autoincrement ? " autoincrement" : "");
    for (const auto& [name, value] : t.options)
      out << " " << name << "=" << value;
    out << "\n";
    auto columns = t.columns;
    if (!r.column_order)
      std::sort(columns.begin(), columns.end(),
                [](const auto& x, const auto& y) { return x.name < y.name; });
    for (const auto& c : columns)
      out << "  column " << (f.names_ignore_case() ? to_lower(c.name) : c.name) << " " << c.type
          << (c.collation.empty() ? "" : " collate " + c.collation)
          << (c.comment.empty() ? "" : " comment " + c.comment) << (c.not_null ? " not null" : "")
          << (c.default_sql ? " default " + normalize_sql(*c.default_sql) : "")
          << (c.on_update.empty() ? "" : " on update " + normalize_sql(c.on_update))
          << (c.generated
                  ? (r.generation_expression ? " " + c.definition : std::string(" generated"))
                  : "")
          << "\n";
    std::vector<std::string> cons;
    for (auto c : t.constraints) {
      if (c.kind == Constraint::Kind::kCheck) c.expression = normalize_sql(c.expression);
      if (r.constraint_names) {
        // describe() shows a key's options (DEFERRABLE, MATCH FULL).
        cons.push_back(c.name + ": " + describe(c));
      } else {
        c.name.clear();
        cons.push_back(normalize_sql(describe(c)));
      }
    }
    std::sort(cons.begin(), cons.end());
    for (const auto& c : cons)
      out << "  " << c << "\n";
  }
  for (const auto& [k, ix] : s.indexes) {
    if (r.index_sql) {
      out << "index " << k << " " << ix.sql << "\n";
      continue;
    }
    out << "index " << k << " on " << (f.names_ignore_case() ? to_lower(ix.table) : ix.table)
        << (ix.unique ? " unique" : "") << (ix.method.empty() ? "" : " using " + ix.method);
    for (const auto& e : ix.elements)
      out << " [" << normalize_sql(e) << "]";
    if (!ix.where.empty()) out << " where " << normalize_sql(ix.where);
    out << "\n";
  }
  for (const auto& [k, v] : s.views)
    out << "view " << k << " " << normalize_sql(v.definition) << "\n";
  for (const auto& [k, tr] : s.triggers)
    out << "trigger " << k << " " << normalize_sql(tr.sql) << "\n";
  for (const auto& [k, q] : s.sequences)
    out << "sequence " << q.name << " as " << q.type << " start " << q.start << " increment "
        << q.increment << " min " << q.min << " max " << q.max << " cache " << q.cache
        << (q.cycle ? " cycle" : "")
        << (q.owner_table.empty() ? "" : " owned by " + q.owner_table + "." + q.owner_column)
        << "\n";
  for (const auto& [k, e] : s.enums)
    out << "enum " << e.name << " (" << join(e.labels, ", ") << ")\n";
  return out.str();
}

Schema db_schema(const Project& p) {
  auto d = connect(p);
  IntrospectOptions options{{"retort_version", "retort_log", "retort_version_progress"}, {}};
  return p.fixture().backend().introspect(*d, options);
}

Schema model_schema(const Project& p, const std::string& sql) {
  TempDir tmp;
  write_text(tmp / "m.sql", sql);
  // As autogenerate does: the project's database, when it exists, is the
  // target (SQLite: an in-memory scratch database, the target unused.
  // PostgreSQL: a scratch schema in the target, rolled back).
  auto d = connect(p, /*create=*/false);
  return p.fixture().backend().load_models({tmp / "m.sql"}, d.get(), {});
}

Schema as_database_spells(const Project& p, Schema models) {
  auto d = connect(p);
  const Schema current = db_schema(p);
  p.fixture().backend().align_spelling(*d, current, models);
  return models;
}

std::vector<std::string> scenarios() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(source_path(std::string(kSchemaPairsDir))))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> scenario_file_names(const std::string& scenario) {
  std::vector<std::string> out;
  for (const auto& e :
       fs::directory_iterator(source_path(std::string(kSchemaPairsDir) + "/" + scenario)))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

ScenarioFiles scenario_files(const std::string& scenario, const std::string& backend) {
  const BackendFixture& f = fixture_named(backend);
  ScenarioFiles out;
  if (std::string pair = source_path(f.schema_pair_file(scenario)); fs::exists(pair))
    out.pair = pair;
  if (std::string skip = source_path(f.schema_pair_skip_file(scenario)); fs::exists(skip))
    out.skip = skip;
  return out;
}

std::string skip_reason(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  if (lines.size() != 1 || trim(lines[0]).empty()) return "";
  return lines[0];
}

Pair read_pair(const std::string& path) {
  Pair p;
  p.name = fs::path(path).parent_path().filename().string();
  std::string* cur = nullptr;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) {
    if (line == "-- @a")
      cur = &p.a;
    else if (line == "-- @b")
      cur = &p.b;
    else if (line == "-- @rows")
      cur = &p.rows;
    else if (cur)
      *cur += line + "\n";
  }
  return p;
}

std::vector<std::string> pair_files(const std::string& backend) {
  std::vector<std::string> out;
  for (const auto& scenario : scenarios())
    if (auto files = scenario_files(scenario, backend); !files.pair.empty())
      out.push_back(files.pair);
  return out;
}

std::map<std::string, std::string> row_counts(const Project& p, const Schema& s) {
  std::map<std::string, std::string> out;
  // The name as the database quotes it ("name", `name`), its quote doubled.
  const std::string quoted = p.text("sql: the name x, quoted");
  const char quote = quoted.back();
  for (const auto& [k, t] : s.tables) {
    std::string name;
    for (char c : t.name)
      name += c == quote ? std::string(2, c) : std::string(1, c);
    out[k] = p.value("SELECT count(*) FROM " + std::string(1, quoted.front()) + name + quote);
  }
  return out;
}

std::vector<std::string> revision_files(const Project& p) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(p.versions()))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string upgrade_of(const std::string& revision_text) {
  return revision_text.substr(0, revision_text.find("-- migrate:downgrade"));
}

}  // namespace retort::test

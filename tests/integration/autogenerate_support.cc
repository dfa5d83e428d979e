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

std::unique_ptr<Driver> connect(const Project& p) {
  // retort.ini's SQLite URL is relative to the project directory, and the
  // tests do not run there.
  if (!p.is_postgres()) return open_driver(parse_database_url("sqlite:///" + p.db(), "test"), {});
  return open_driver(parse_database_url(p.url(), "test"), {});
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
// in the database. Where the backends differ it is marked; PostgreSQL never
// sets without_rowid, autoincrement or triggers.
std::string dump(const Schema& s, const std::string& backend) {
  const bool pg = backend == "postgresql";
  std::ostringstream out;
  for (const auto& [k, t] : s.tables) {
    out << "table " << k << (t.comment.empty() ? "" : " comment " + t.comment)
        << (t.without_rowid ? " without rowid" : "") << (t.strict ? " strict" : "")
        << (t.autoincrement ? " autoincrement" : "") << "\n";
    auto columns = t.columns;
    // PostgreSQL: by name, as a column added back by a downgrade comes last.
    // SQLite rebuilds the table, so its column order is compared too.
    if (pg)
      std::sort(columns.begin(), columns.end(),
                [](const auto& x, const auto& y) { return x.name < y.name; });
    for (const auto& c : columns)
      out << "  column " << (pg ? c.name : to_lower(c.name)) << " " << c.type
          << (c.collation.empty() ? "" : " collate " + c.collation)
          << (c.comment.empty() ? "" : " comment " + c.comment) << (c.not_null ? " not null" : "")
          << (c.default_sql ? " default " + normalize_sql(*c.default_sql) : "")
          // PostgreSQL: the generation expression too.
          << (c.generated ? (pg ? " " + c.definition : std::string(" generated")) : "") << "\n";
    std::vector<std::string> cons;
    for (auto c : t.constraints) {
      if (c.kind == Constraint::Kind::kCheck) c.expression = normalize_sql(c.expression);
      if (pg) {
        // PostgreSQL keeps constraint names; describe() shows a key's options
        // (DEFERRABLE, MATCH FULL).
        cons.push_back(c.name + ": " + describe(c));
      } else {
        // SQLite does not always keep constraint names.
        c.name.clear();
        cons.push_back(normalize_sql(describe(c)));
      }
    }
    std::sort(cons.begin(), cons.end());
    for (const auto& c : cons)
      out << "  " << c << "\n";
  }
  for (const auto& [k, ix] : s.indexes) {
    // PostgreSQL: the CREATE INDEX as the server deparses it. SQLite: parsed
    // from the CREATE INDEX it keeps as written.
    if (pg) {
      out << "index " << k << " " << ix.sql << "\n";
      continue;
    }
    out << "index " << k << " on " << to_lower(ix.table) << (ix.unique ? " unique" : "");
    for (const auto& e : ix.elements)
      out << " [" << normalize_sql(e) << "]";
    if (!ix.where.empty()) out << " where " << normalize_sql(ix.where);
    out << "\n";
  }
  for (const auto& [k, v] : s.views)
    out << "view " << k << " " << normalize_sql(v.definition) << "\n";
  for (const auto& [k, tr] : s.triggers)
    out << "trigger " << k << " " << normalize_sql(tr.sql) << "\n";
  for (const auto& [k, e] : s.enums)
    out << "enum " << e.name << " (" << join(e.labels, ", ") << ")\n";
  return out.str();
}

Schema db_schema(const Project& p) {
  auto d = connect(p);
  IntrospectOptions options{{"retort_version", "retort_log"}, {}};
  return backend_of(parse_database_url(p.url(), "test")).introspect(*d, options);
}

Schema model_schema(const Project& p, const std::string& sql) {
  TempDir tmp;
  write_text(tmp / "m.sql", sql);
  // SQLite: an in-memory scratch database. PostgreSQL: a scratch schema in
  // the project's database, rolled back.
  const Backend& backend = backend_of(parse_database_url(p.url(), "test"));
  if (!p.is_postgres()) return backend.load_models({tmp / "m.sql"}, nullptr, {});
  auto d = connect(p);
  return backend.load_models({tmp / "m.sql"}, d.get(), {});
}

Pair read_pair(const std::string& path) {
  Pair p;
  p.name = fs::path(path).stem().string();
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
  std::string dir = std::string(RETORT_SOURCE_DIR) + "/tests/fixtures/schema_pairs" +
                    (backend == "postgresql" ? "_postgresql" : "");
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".sql") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::map<std::string, std::string> row_counts(const Project& p, const Schema& s) {
  std::map<std::string, std::string> out;
  for (const auto& [k, t] : s.tables)
    out[k] = p.value("SELECT count(*) FROM " + quote_ident(t.name));
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

#include "migrate/autogenerate.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"
#include "migrate/progress.h"
#include "schema/diff.h"
#include "schema/schema_dialect.h"
#include "schema/schema_filter.h"

namespace fs = std::filesystem;

namespace retort {

std::vector<std::string> resolve_model_files(const std::vector<std::string>& globs,
                                             const std::string& base_dir,
                                             const std::string& where) {
  if (globs.empty())
    throw Error("no models are configured, so there is nothing to autogenerate from")
        .hint(
            "list the SQL files that declare the schema you want under [retort] in retort.ini, "
            "e.g.  models = models/*.sql")
        .hint("or write the revision by hand: retort revision -m MESSAGE");
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& pattern : globs) {
    fs::path p(pattern);
    std::string full =
        p.is_absolute() || base_dir.empty() ? pattern : (fs::path(base_dir) / p).string();
    glob_t g{};
    int rc = ::glob(full.c_str(), 0, nullptr, &g);
    std::vector<std::string> matched;
    if (rc == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i)
        matched.emplace_back(g.gl_pathv[i]);
    globfree(&g);
    std::vector<std::string> found;
    // Whatever matches and is not a directory is read: read_file() refuses
    // a FIFO or a device by name instead of it being passed over in silence.
    for (const auto& m : matched) {
      std::error_code ec;
      if (fs::is_directory(m, ec)) {
        for (const auto& e : fs::directory_iterator(m, ec))
          if (e.path().extension() == ".sql" && !e.is_directory(ec))
            found.push_back(e.path().string());
      } else {
        found.push_back(m);
      }
    }
    if (found.empty())
      throw Error("models glob '" + pattern + "' (from " + where + ") matches no file in " +
                  (base_dir.empty() ? std::string(".") : display_path(base_dir)))
          .hint("create the model files, or fix the glob; globs are relative to " +
                std::string(base_dir.empty() ? "the current directory" : "the config's directory"));
    std::sort(found.begin(), found.end());
    for (auto& f : found) {
      std::string key = fs::weakly_canonical(f).string();
      if (seen.insert(key).second) files.push_back(f);
    }
  }
  return files;
}

void require_at_head(const RevisionGraph& g, Driver* driver, const MigrateOptions& options) {
  std::vector<std::string> stored;
  if (driver) {
    std::ostringstream sink;
    Migrator m(g, *driver, options, sink);
    stored = m.stored_heads();
  }
  std::vector<std::string> heads;
  for (const auto* h : g.heads())
    heads.push_back(h->id);
  std::sort(stored.begin(), stored.end());
  std::sort(heads.begin(), heads.end());
  if (stored == heads) return;
  std::string at = stored.empty() ? "base" : join(stored, ", ");
  throw Error("Target database is not up to date: it is at " + at + ", the head" +
              (heads.size() > 1 ? "s are " : " is ") + join(heads, ", "))
      .hint(std::string("run `retort upgrade ") + (heads.size() > 1 ? "heads" : "head") +
            "` (make db-up) first, then run this again: autogenerate and check compare the "
            "models with the database at head");
}

SchemaChanges compare_schemas(const Schema& current, const Schema& desired,
                              const SchemaDialect& dialect) {
  SchemaChanges out;
  out.changes = diff_schemas(current, desired, dialect);
  if (out.changes.empty()) return out;
  auto lowered = dialect.lower(out.changes, current, desired);
  out.upgrade_sql = dialect.render(lowered);
  out.downgrade_sql = dialect.render(reverse(lowered));
  return out;
}

std::unique_ptr<SchemaDialect> schema_dialect_of(const Backend& backend) {
  auto dialect = backend.schema_dialect();
  if (!dialect)
    throw Error("autogenerate does not support " + std::string(backend.name()) + " databases yet")
        .hint("write this revision by hand: retort revision --empty -m MESSAGE");
  return dialect;
}

SchemaChanges autogenerate(const AutogenerateRequest& r) {
  const Config& c = *r.config;
  const auto& globs = r.model_globs.empty() ? c.models : r.model_globs;
  std::string where = r.model_globs.empty() ? c.where("models") : std::string("--models");
  auto files = resolve_model_files(globs, r.model_globs.empty() ? c.dir : std::string(), where);
  require_at_head(*r.graph, r.target, r.migrate);
  // retort's own tables, the progress table of partly applied revisions too.
  std::vector<std::string> exclude = {r.migrate.version_table, r.migrate.log_table,
                                      progress_table(r.migrate.version_table)};
  const Backend& backend = *r.backend;
  auto dialect = schema_dialect_of(backend);
  Schema desired = backend.load_models(files, r.target, exclude);
  Schema current = r.target ? backend.introspect(*r.target, {exclude, {}}) : Schema{};
  std::set<std::string> excluded;
  exclude_objects(desired, c.exclude, excluded);
  exclude_objects(current, c.exclude, excluded);
  if (r.target) backend.align_spelling(*r.target, current, desired);
  SchemaChanges out = compare_schemas(current, desired, *dialect);
  out.excluded = excluded.size();
  return out;
}

}  // namespace retort

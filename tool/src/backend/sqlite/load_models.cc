#include "backend/sqlite/sqlite.h"
#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"

namespace retort {

Schema load_models_sqlite(const std::vector<std::string>& files,
                          const std::vector<std::string>& exclude_tables) {
  // SQLite itself parses the models, in a private in-memory database.
  DatabaseUrl scratch_url;
  scratch_url.backend = "sqlite";
  scratch_url.form = UrlForm::kFilePath;
  scratch_url.database = ":memory:";
  scratch_url.source = "the scratch database for the models";
  DriverOptions o;
  auto scratch = open_sqlite_driver(scratch_url, o);
  for (const auto& f : files) {
    std::string sql = read_file(f);
    try {
      scratch->execute(sql, SqlOrigin{display_path(f), 1, {}});
    } catch (Error& e) {
      e.hint("the models are SQL that builds the schema you want; fix this statement in " +
             display_path(f));
      throw;
    }
  }
  return introspect_sqlite(*scratch, {exclude_tables, {}});
}

}  // namespace retort

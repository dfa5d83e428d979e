// SQLite as the registry sees it: sqlite:/// file URLs, DDL inside
// transactions, and a write lock (BEGIN IMMEDIATE) instead of an advisory one.
#include "backend/sqlite/sqlite.h"

namespace retort {

namespace {

class SqliteBackend final : public Backend {
 public:
  std::string_view name() const override { return "sqlite"; }
  std::string_view title() const override { return "SQLite"; }
  std::vector<std::string_view> schemes() const override { return {"sqlite"}; }
  UrlForm url_form() const override { return UrlForm::kFilePath; }
  std::vector<std::string_view> url_examples() const override {
    return {"sqlite:///app.db", "sqlite:////var/lib/app.db"};
  }
  void check_url(const DatabaseUrl& url, const UrlFailure& fail) const override {
    check_sqlite_url(url, fail);
  }
  const Capabilities& capabilities() const override {
    static const Capabilities caps{/*transactional_ddl=*/true, /*advisory_locks=*/false,
                                   /*savepoints=*/true, /*schemas=*/false,
                                   /*concurrent_index_builds=*/false};
    return caps;
  }
  // Revisions are read by the rules of both databases (PostgreSQL's quotes
  // and $tag$ bodies, SQLite's trigger bodies), as they always were.
  sql::LexerOptions lexer_options() const override { return sql::LexerOptions::revision_default(); }
  std::unique_ptr<BookkeepingSql> bookkeeping() const override { return make_sqlite_bookkeeping(); }
  std::unique_ptr<Driver> connect(const DatabaseUrl& url,
                                  const DriverOptions& options) const override {
    return open_sqlite_driver(url, options);
  }
  std::unique_ptr<SchemaDialect> schema_dialect() const override {
    return make_sqlite_schema_dialect();
  }
  Schema introspect(Driver& driver, const IntrospectOptions& options) const override {
    return introspect_sqlite(driver, options);
  }
  Schema load_models(const std::vector<std::string>& files, Driver* /*target*/,
                     const std::vector<std::string>& exclude_tables) const override {
    return load_models_sqlite(files, exclude_tables);
  }
};

}  // namespace

const Backend& sqlite_backend() {
  static const SqliteBackend backend;
  return backend;
}

}  // namespace retort

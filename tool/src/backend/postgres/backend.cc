// PostgreSQL as the registry sees it: postgresql:// (and postgres://) server
// URLs, transactional DDL, an advisory lock for the run, and schemas.
#include "backend/module.h"
#include "backend/postgres/postgres.h"
#include "core/error.h"

namespace retort {

namespace {

class PostgresBackend final : public Backend {
 public:
  std::string_view name() const override { return "postgresql"; }
  std::string_view title() const override { return "PostgreSQL"; }
  std::vector<std::string_view> schemes() const override { return {"postgresql", "postgres"}; }
  UrlForm url_form() const override { return UrlForm::kServer; }
  std::vector<std::string_view> url_examples() const override {
    return {"postgresql://user:password@localhost:5432/app"};
  }
  const Capabilities& capabilities() const override {
    static const Capabilities caps{/*transactional_ddl=*/true, /*advisory_locks=*/true,
                                   /*savepoints=*/true, /*schemas=*/true,
                                   /*concurrent_index_builds=*/true};
    return caps;
  }
  // Revisions are read by the rules of both databases (PostgreSQL's quotes
  // and $tag$ bodies, SQLite's trigger bodies), as they always were.
  sql::LexerOptions lexer_options() const override { return sql::LexerOptions::revision_default(); }
  std::unique_ptr<BookkeepingSql> bookkeeping() const override {
    return make_postgres_bookkeeping();
  }
  std::unique_ptr<Driver> connect(const DatabaseUrl& url,
                                  const DriverOptions& options) const override {
    return open_postgres_driver(url, options);
  }
  std::unique_ptr<SchemaDialect> schema_dialect() const override {
    return make_postgres_schema_dialect();
  }
  Schema introspect(Driver& driver, const IntrospectOptions& options) const override {
    Schema s = introspect_postgres(driver, options);
    introspect_postgres_enums(driver, options, s);
    return s;
  }
  Schema load_models(const std::vector<std::string>& files, Driver* target,
                     const std::vector<std::string>& exclude_tables) const override {
    // The scratch is a schema on the target's own server, rolled back after.
    if (!target)
      throw Error("autogenerate needs the PostgreSQL database to exist")
          .hint("create it (createdb), run `retort upgrade head`, then autogenerate again");
    return load_models_postgres(*target, files, exclude_tables);
  }
  void align_spelling(Driver& target, const Schema& current, Schema& desired) const override {
    align_postgres_spelling(target, current, desired);
  }
};

}  // namespace

std::unique_ptr<Driver> open_postgres_driver(const DatabaseUrl& url, const DriverOptions& options) {
  // libpq lives in a module, loaded for postgresql:// URLs only.
  const DriverModule& m = load_driver_module("postgres", "postgresql", "PostgreSQL support");
  return std::unique_ptr<Driver>(m.open(url, options));
}

const Backend& postgres_backend() {
  static const PostgresBackend backend;
  return backend;
}

}  // namespace retort

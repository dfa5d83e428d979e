// MariaDB and MySQL as the registry sees them: mariadb:// and mysql:// server
// URLs (also SQLAlchemy's mysql+pymysql:// and the like), DDL that commits
// as it runs, GET_LOCK() for the run, and autogenerate through a scratch
// database.
#include "backend/mariadb/mariadb.h"
#include "backend/module.h"
#include "core/error.h"

namespace retort {

namespace {

class MariadbBackend final : public Backend {
 public:
  std::string_view name() const override { return "mariadb"; }
  std::string_view title() const override { return "MariaDB"; }
  std::vector<std::string_view> schemes() const override { return {"mariadb", "mysql"}; }
  UrlForm url_form() const override { return UrlForm::kServer; }
  std::vector<std::string_view> url_examples() const override {
    return {"mariadb://user:password@localhost:3306/app"};
  }
  void check_url(const DatabaseUrl& url, const UrlFailure& fail) const override {
    check_mariadb_url(url, fail);
  }
  // Every DDL statement commits the transaction it runs in, before and
  // after itself; DML and the bookkeeping are transactional (InnoDB).
  const Capabilities& capabilities() const override {
    static const Capabilities caps{/*transactional_ddl=*/false, /*advisory_locks=*/true,
                                   /*savepoints=*/true, /*schemas=*/false,
                                   /*concurrent_index_builds=*/false};
    return caps;
  }
  sql::LexerOptions lexer_options() const override { return sql::LexerOptions::mariadb(); }
  bool commits_implicitly(std::string_view statement) const override {
    return mariadb_commits_implicitly(statement);
  }
  std::unique_ptr<BookkeepingSql> bookkeeping() const override {
    return make_mariadb_bookkeeping();
  }
  std::unique_ptr<Driver> connect(const DatabaseUrl& url,
                                  const DriverOptions& options) const override {
    return open_mariadb_driver(url, options);
  }
  std::unique_ptr<SchemaDialect> schema_dialect() const override {
    return make_mariadb_schema_dialect();
  }
  Schema introspect(Driver& driver, const IntrospectOptions& options) const override {
    return introspect_mariadb(driver, options);
  }
  Schema load_models(const std::vector<std::string>& files, Driver* target,
                     const std::vector<std::string>& exclude_tables) const override {
    // The scratch is a database of its own on the target's server, dropped after.
    if (!target)
      throw Error("autogenerate needs the MariaDB database to exist")
          .hint("create it (CREATE DATABASE), run `retort upgrade head`, then autogenerate again");
    return load_models_mariadb(*target, files, exclude_tables);
  }
};

}  // namespace

std::unique_ptr<Driver> open_mariadb_driver(const DatabaseUrl& url, const DriverOptions& options) {
  // libmariadb lives in a module, loaded for mariadb:// and mysql:// URLs only.
  const DriverModule& m = load_driver_module("mariadb", "mariadb", "MariaDB and MySQL support");
  return std::unique_ptr<Driver>(m.open(url, options));
}

const Backend& mariadb_backend() {
  static const MariadbBackend backend;
  return backend;
}

}  // namespace retort

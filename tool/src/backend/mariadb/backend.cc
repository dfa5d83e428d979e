// MariaDB and MySQL as the registry sees them: mariadb:// and mysql:// server
// URLs (also SQLAlchemy's mysql+pymysql:// and the like), DDL that commits
// as it runs, and GET_LOCK() for the run.
#include "backend/mariadb/mariadb.h"
#include "backend/module.h"

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

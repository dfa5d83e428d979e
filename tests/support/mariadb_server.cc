#include "mariadb_server.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "backend/url.h"
#include "core/database_url.h"
#include "pg_server.h"  // run_command

namespace retort::test {

MariadbServer& MariadbServer::get() {
  static MariadbServer* server = [] {
    const char* url = std::getenv("RETORT_TEST_MARIADB_URL");
    const char* sock = std::getenv("RETORT_TEST_MARIADB_SOCKET");
    if (!url || !*url || !sock || !*sock)
      throw std::runtime_error(
          "no MariaDB server for the tests: RETORT_TEST_MARIADB_URL is not set. Run the tests "
          "with `make test`, or under scripts/with-mariadb (scripts/with-mariadb "
          "build/tests/retort_integration_tests)");
    auto* s = new MariadbServer();
    DatabaseUrl u = parse_database_url(url, "RETORT_TEST_MARIADB_URL");
    s->user_ = u.user;
    s->password_ = u.password;
    s->host_ = u.host;
    s->port_ = std::atoi(u.port.c_str());
    s->socket_ = sock;
    s->option_file_ = "/tmp/retort-mariadb-client-" + std::to_string(::getpid()) + ".cnf";
    {
      int fd = ::open(s->option_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd < 0) throw std::runtime_error("cannot write " + s->option_file_);
      std::string text = "[client]\nuser=" + s->user_ + "\npassword=" + s->password_ +
                         "\nhost=" + s->host_ + "\nport=" + u.port + "\n";
      bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!ok) throw std::runtime_error("cannot write " + s->option_file_);
    }
    // Removed when the process ends.
    static struct Remove {
      std::string path;
      ~Remove() { ::unlink(path.c_str()); }
    } remove{s->option_file_};
    return s;
  }();
  return *server;
}

std::string MariadbServer::url(const std::string& db) const {
  return "mariadb://" + user_ + ":" + password_ + "@" + host_ + ":" + std::to_string(port_) + "/" +
         db;
}

std::string MariadbServer::socket_url(const std::string& db) const {
  return "mariadb://" + user_ + ":" + password_ + "@localhost/" + db + "?unix_socket=" + socket_;
}

std::string MariadbServer::client(const std::string& db, const std::string& sql) const {
  auto args = client_args();
  for (const char* a : {"--batch", "--skip-column-names", "--raw", "-D"})
    args.emplace_back(a);
  args.push_back(db);
  args.emplace_back("-e");
  args.push_back(sql);
  auto r = run_command(args);
  if (r.status != 0) throw std::runtime_error("mariadb failed on " + sql + ":\n" + r.output);
  return r.output;
}

std::vector<std::string> MariadbServer::client_args() const {
  return {"mariadb", "--defaults-file=" + option_file_};
}

std::string MariadbServer::create_database() {
  std::string name = "retort_t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  client("retort_test", "CREATE DATABASE " + name);
  return name;
}

}  // namespace retort::test

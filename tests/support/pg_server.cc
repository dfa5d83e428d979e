#include "pg_server.h"

#include "shared_temp.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include "backend/url.h"
#include "core/database_url.h"

namespace fs = std::filesystem;

namespace retort::test {

namespace {

std::string random_hex(size_t n) {
  std::random_device rd;
  std::string out;
  const char* digits = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i)
    out += digits[rd() % 16];
  return out;
}

bool executable(const std::string& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

// The server's bin directory: $RETORT_PG_BINDIR, else the newest Debian
// /usr/lib/postgresql/N/bin, else wherever initdb is on PATH.
std::string find_bindir() {
  if (const char* env = std::getenv("RETORT_PG_BINDIR"); env && *env) {
    if (!executable(std::string(env) + "/initdb"))
      throw std::runtime_error(std::string("RETORT_PG_BINDIR=") + env + " has no initdb");
    return env;
  }
  std::vector<std::pair<int, std::string>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    std::string bin = e.path().string() + "/bin";
    if (executable(bin + "/initdb") && executable(bin + "/pg_ctl") && executable(bin + "/postgres"))
      found.emplace_back(std::atoi(e.path().filename().c_str()), bin);
  }
  if (!found.empty()) return std::max_element(found.begin(), found.end())->second;
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      std::string dir = p.substr(start, end - start);
      if (!dir.empty() && executable(dir + "/initdb") && executable(dir + "/pg_ctl")) return dir;
      start = end + 1;
    }
  }
  throw std::runtime_error(
      "no PostgreSQL server found (initdb, pg_ctl, postgres): install Debian's postgresql "
      "package (scripts/install-deps test) or set RETORT_PG_BINDIR. The PostgreSQL tests "
      "need a real server and are never skipped.");
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& stdin_text) {
  int out[2], in[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    for (const auto& [k, v] : env)
      ::setenv(k.c_str(), v.c_str(), 1);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  if (!stdin_text.empty()) {
    ssize_t w = ::write(in[1], stdin_text.data(), stdin_text.size());
    (void)w;
  }
  ::close(in[1]);
  CommandResult r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) r.output.append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

PgServer& PgServer::get() {
  // Built once; its destructor (at exit) stops the server it started.
  static std::unique_ptr<PgServer> server;
  static std::string failure;
  if (!failure.empty()) throw std::runtime_error(failure);
  if (!server) {
    server.reset(new PgServer());
    try {
      const char* shared = std::getenv("RETORT_TEST_PG_URL");
      if (shared && *shared)
        server->attach(shared);
      else
        server->start();
    } catch (const std::exception& e) {
      failure = std::string("cannot start the test PostgreSQL server: ") + e.what();
      throw std::runtime_error(failure);
    }
  }
  return *server;
}

void PgServer::attach(const std::string& url_text) {
  DatabaseUrl u = parse_database_url(url_text, "RETORT_TEST_PG_URL");
  if (u.backend != "postgresql")
    throw std::runtime_error("RETORT_TEST_PG_URL is not postgresql://");
  user_ = u.user;
  password_ = u.password;
  host_ = u.host.empty() ? "127.0.0.1" : u.host;
  port_ = u.port.empty() ? 5432 : std::atoi(u.port.c_str());
  if (const char* s = std::getenv("RETORT_TEST_PG_SOCKET_DIR")) socket_dir_ = s;
  try {
    bindir_ = find_bindir();
  } catch (const std::exception&) {
    // psql from PATH is enough for a server someone else started.
  }
}

void PgServer::start() {
  bindir_ = find_bindir();
  const bool root = ::geteuid() == 0;
  std::vector<std::string> as_server;  // initdb refuses to run as root
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (root) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw)
      throw std::runtime_error("running as root but there is no 'postgres' user to run the server");
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    as_server = {"runuser", "-u", "postgres", "--"};
  }
  // The postgres user must reach the data and socket directories, and the
  // socket path must fit in sun_path, whatever TMPDIR the tests were given.
  std::string tmpl = shared_temp_base() + "/retort-pg-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  base_dir_ = tmpl;
  ::chmod(base_dir_.c_str(), 0755);
  if (root && ::chown(base_dir_.c_str(), uid, gid) != 0)
    throw std::runtime_error("cannot chown " + base_dir_ + " to postgres");
  const std::string data = base_dir_ + "/data";
  const std::string pg_ctl = bindir_ + "/pg_ctl";

  // The watchdog stops the server and removes the directory once our end of
  // the pipe closes: at exit, or when this process dies for any reason.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::string prefix;
  for (const auto& a : as_server)
    prefix += a + " ";
  std::string script = "cat >/dev/null; " + prefix +
                       "\"$1\" -D \"$2\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$3\"";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setsid();  // a Ctrl-C meant for the tests must not kill the cleanup
    ::dup2(fds[0], 0);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", pg_ctl.c_str(), data.c_str(),
            base_dir_.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  watchdog_fd_ = fds[1];
  watchdog_pid_ = pid;

  const std::string superuser_password = "su-" + random_hex(16);
  const std::string pwfile = base_dir_ + "/superuser.pw";
  {
    std::ofstream f(pwfile);
    f << superuser_password << "\n";
  }
  ::chmod(pwfile.c_str(), 0600);
  if (root && ::chown(pwfile.c_str(), uid, gid) != 0) throw std::runtime_error("chown failed");

  auto server_cmd = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = as_server;
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, {{"LC_ALL", "C"}});
  };
  auto init = server_cmd({bindir_ + "/initdb", "-D", data, "-U", "postgres", "--pwfile=" + pwfile,
                          "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"});
  if (init.status != 0) throw std::runtime_error("initdb failed:\n" + init.output);
  std::filesystem::remove(pwfile);

  std::string log = base_dir_ + "/server.log";
  for (int attempt = 0;; ++attempt) {
    port_ = free_port();
    {
      // postgresql.auto.conf is read last, so these settings win.
      std::ofstream conf(data + "/postgresql.auto.conf", std::ios::app);
      conf << "listen_addresses = '127.0.0.1'\n"
           << "port = " << port_ << "\n"
           << "unix_socket_directories = '" << base_dir_ << "'\n"
           << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
           << "max_connections = 100\n";
    }
    auto started = server_cmd({pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "start"});
    if (started.status == 0) break;
    if (attempt == 2)
      throw std::runtime_error("pg_ctl start failed:\n" + started.output + "\n" + tail_of(log));
  }
  socket_dir_ = base_dir_;

  user_ = "retort_test";
  password_ = "pw-" + random_hex(20);
  auto role = run_command(
      {bindir_ + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir_, "-p",
       std::to_string(port_), "-U", "postgres", "-d", "postgres", "-c",
       "CREATE ROLE " + user_ + " LOGIN CREATEDB CREATEROLE PASSWORD '" + password_ + "'"},
      {{"PGPASSWORD", superuser_password}});
  if (role.status != 0) throw std::runtime_error("cannot create the test role:\n" + role.output);
}

PgServer::~PgServer() {
  if (watchdog_fd_ >= 0) ::close(watchdog_fd_);
  if (watchdog_pid_ > 0) {
    int status;
    while (::waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string PgServer::url(const std::string& db) const {
  return "postgresql://" + user_ + ":" + password_ + "@" + host_ + ":" + std::to_string(port_) +
         "/" + db;
}

std::string PgServer::socket_url(const std::string& db) const {
  return "postgresql://" + user_ + ":" + password_ + "@/" + db + "?host=" + socket_dir_ +
         "&port=" + std::to_string(port_);
}

std::string PgServer::psql(const std::string& db, const std::string& sql) const {
  std::string bin = bindir_.empty() ? std::string("psql") : bindir_ + "/psql";
  auto r = run_command({bin, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host_, "-p",
                        std::to_string(port_), "-U", user_, "-d", db, "-c", sql},
                       {{"PGPASSWORD", password_}, {"PGCONNECT_TIMEOUT", "10"}});
  if (r.status != 0) throw std::runtime_error("psql failed on " + sql + ":\n" + r.output);
  return r.output;
}

std::string PgServer::create_database() {
  std::string name = "retort_t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  psql("postgres", "CREATE DATABASE " + name);
  return name;
}

}  // namespace retort::test

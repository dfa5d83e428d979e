#include "tool_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "shared_temp.h"
#include "temp_dir.h"

extern char** environ;

namespace retort::test {

namespace {

std::atomic<int> counter{0};

// The revision indexes of the tools a test process runs go in a directory of
// its own, removed when it ends, not in the user's ~/.cache.
const std::string& index_dir() {
  static TempDir dir;
  return dir.path();
}

std::vector<std::string> make_env(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    // Tests decide these themselves; a developer's shell must not leak in.
    if (key == "DATABASE_URL" || key == "RETORT_CONFIG" || key == "MSG" || key == "REV" ||
        key == "RETORT_CACHE_DIR")
      continue;
    if (extra.count(key)) continue;
    env.push_back(kv);
  }
  if (!extra.count("RETORT_CACHE_DIR")) env.push_back("RETORT_CACHE_DIR=" + index_dir());
  for (const auto& [k, v] : extra)
    if (!v.empty()) env.push_back(k + "=" + v);
  return env;
}

// Another user cannot run the binary where it was built when the checkout
// sits in a private directory (a 0700 home): it runs a copy of the binary
// and its lib/retort modules in a 0755 directory, made once per test process.
struct RunnableCopy {
  std::string dir;
  RunnableCopy() {
    namespace fs = std::filesystem;
    std::string tmpl = shared_temp_base() + "/retort-bin-XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    const fs::path bin = RETORT_BIN;
    const fs::path modules = bin.parent_path().parent_path() / "lib" / "retort";
    fs::create_directories(dir + "/bin");
    fs::create_directories(dir + "/lib");
    fs::copy_file(bin, dir + "/bin/retort");
    if (fs::is_directory(modules))
      fs::copy(modules, dir + "/lib/retort", fs::copy_options::recursive);
    fs::permissions(dir, fs::perms(0755));
    for (const auto& e : fs::recursive_directory_iterator(dir))
      fs::permissions(e.path(), fs::perms(0755));
  }
  ~RunnableCopy() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

std::string retort_for_other_user() {
  static RunnableCopy copy;
  return copy.dir + "/bin/retort";
}

}  // namespace

Running start_retort(const std::vector<std::string>& args, const RunOptions& options) {
  Running r;
  std::string base = shared_temp_base() + "/retort-run-" + std::to_string(getpid()) + "-" +
                     std::to_string(counter++);
  r.out_path = base + ".out";
  r.err_path = base + ".err";
  std::vector<std::string> argv_s = {options.binary.empty() ? RETORT_BIN : options.binary};
  if (!options.user.empty() && geteuid() == 0)
    argv_s = {"/usr/sbin/runuser", "-u", options.user, "--", retort_for_other_user()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = make_env(options.env);
  std::vector<char*> envp;
  for (auto& e : env_s)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  int dead_pipe[2] = {-1, -1};
  if (options.stdout_to == kClosedPipe) {
    if (pipe(dead_pipe) != 0) throw std::runtime_error("pipe failed");
    close(dead_pipe[0]);
  }
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int out = dead_pipe[1] >= 0 ? dead_pipe[1]
              : options.stdout_to.empty()
                  ? open(r.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600)
                  : open(options.stdout_to.c_str(), O_WRONLY);
    int err = open(r.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null < 0) _exit(126);
    dup2(null, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(125);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (dead_pipe[1] >= 0) close(dead_pipe[1]);
  r.pid = pid;
  return r;
}

RunResult wait_retort(const Running& r, int within_s) {
  int status = 0;
  RunResult res;
  if (within_s <= 0) {
    if (waitpid(r.pid, &status, 0) < 0) throw std::runtime_error("waitpid failed");
  } else {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(within_s);
    while (waitpid(r.pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(r.pid, SIGKILL);
        waitpid(r.pid, &status, 0);
        res.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  res.out = access(r.out_path.c_str(), F_OK) == 0 ? read_text(r.out_path) : "";
  res.err = read_text(r.err_path);
  unlink(r.out_path.c_str());
  unlink(r.err_path.c_str());
  return res;
}

RunResult run_retort(const std::vector<std::string>& args, const RunOptions& options) {
  return wait_retort(start_retort(args, options), options.within_s);
}

}  // namespace retort::test

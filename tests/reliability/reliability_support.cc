#include "reliability_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "temp_dir.h"

namespace retort::test {

namespace fs = std::filesystem;

RunResult run_retort_file_limited(const std::vector<std::string>& args, const std::string& cwd,
                                  long max_file_bytes) {
  TempDir out;
  std::string out_path = out / "out", err_path = out / "err";
  std::vector<std::string> argv_s = {RETORT_BIN};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0) _exit(126);
    dup2(o, 1);
    dup2(e, 2);
    if (chdir(cwd.c_str()) != 0) _exit(125);
    // An ignored signal stays ignored across exec: the write gets EFBIG.
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl {
      static_cast<rlim_t>(max_file_bytes), static_cast<rlim_t>(max_file_bytes)
    };
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(124);
    unsetenv("DATABASE_URL");
    unsetenv("RETORT_CONFIG");
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

ClientSession::ClientSession(const std::vector<std::string>& argv_s) {
  std::vector<std::string> copy = argv_s;
  std::vector<char*> argv;
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int p[2];
  if (pipe(p) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(p[0], 0);
    close(p[0]);
    close(p[1]);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(p[0]);
  pid_ = pid;
  fd_ = p[1];
}

ClientSession::~ClientSession() {
  if (fd_ >= 0) close(fd_);
  if (pid_ > 0) {
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void ClientSession::send(const std::string& sql) {
  std::string text = sql + "\n";
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd_, p, left);
    if (n <= 0) throw std::runtime_error("psql session closed");
    p += n;
    left -= static_cast<size_t>(n);
  }
}

bool ClientSession::sync(const std::string& command, const std::string& marker) {
  send(command);
  return wait_until(
      [&] { return file_exists(marker) && read_text(marker).find("ready") != std::string::npos; },
      std::chrono::seconds(30));
}

BoundedRun run_retort_bounded(const std::vector<std::string>& args, const std::string& cwd,
                              std::chrono::milliseconds timeout) {
  auto t0 = std::chrono::steady_clock::now();
  Running r = start_retort(args, {cwd, {}});
  BoundedRun b;
  bool exited = wait_until(
      [&] {
        // Peek without reaping, so wait_retort() still collects it.
        siginfo_t info{};
        return waitid(P_PID, static_cast<id_t>(r.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
               info.si_pid == r.pid;
      },
      timeout);
  if (!exited) {
    b.timed_out = true;
    kill(r.pid, SIGKILL);
  }
  b.result = wait_retort(r);
  b.ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  return b;
}

std::map<std::string, long long> snapshot_tree(const std::string& root) {
  std::map<std::string, long long> files;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file())
      files[fs::relative(e.path(), root).string()] = static_cast<long long>(e.file_size());
    else if (!e.is_directory())
      files[fs::relative(e.path(), root).string()] = -1;
  }
  return files;
}

void report(const std::string& name, const std::string& line) {
  std::cout << "reliability: " << line << std::endl;
  const char* dir = std::getenv("RETORT_RELIABILITY_REPORT");
  if (!dir || !*dir) return;
  fs::create_directories(dir);
  std::ofstream(std::string(dir) + "/" + name + ".txt", std::ios::app) << line << "\n";
}

}  // namespace retort::test

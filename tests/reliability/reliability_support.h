// What the reliability suite needs beyond tests/support: retort under a file
// size limit, a psql session held open (to hold locks from another process),
// a snapshot of a directory tree, and the suite's report of figures.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tool_runner.h"

namespace retort::test {

// Runs retort in `cwd` with RLIMIT_FSIZE set to `max_file_bytes` and SIGXFSZ
// ignored, so a write past the limit fails with EFBIG, as on a full disk.
RunResult run_retort_file_limited(const std::vector<std::string>& args, const std::string& cwd,
                                  long max_file_bytes);

// A database client (psql, sqlite3) reading SQL from a pipe for as long as
// the object lives: another process holding a lock. Destroying it closes the
// pipe, which ends the session and releases its locks.
class ClientSession {
 public:
  explicit ClientSession(const std::vector<std::string>& argv);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;
  void send(const std::string& sql);
  // Sends `command`, the client's way of writing "ready" to the file
  // `marker` once everything sent before it has run
  // (BackendFixture::client_marker), and waits up to 30 s for the file;
  // false on timeout.
  bool sync(const std::string& command, const std::string& marker);

 private:
  int pid_ = -1;
  int fd_ = -1;
};

// A retort run that may hang: finished (with its result) within `timeout`,
// or killed with SIGKILL after it (timed_out set).
struct BoundedRun {
  RunResult result;
  bool timed_out = false;
  long ms = 0;
};
BoundedRun run_retort_bounded(const std::vector<std::string>& args, const std::string& cwd,
                              std::chrono::milliseconds timeout);

// Every regular file under `root` (relative path -> size), to prove a run
// wrote nothing it should not have.
std::map<std::string, long long> snapshot_tree(const std::string& root);

// Appends a line to the suite's report ($RETORT_RELIABILITY_REPORT/<name>.txt),
// which `make test-reliability` prints at the end, and to stdout.
void report(const std::string& name, const std::string& line);

// Polls `done` until it is true or `timeout` passes; returns whether it did.
template <typename F>
bool wait_until(F done, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    struct timespec ts {
      0, 20 * 1000 * 1000
    };
    nanosleep(&ts, nullptr);
  }
  return true;
}

}  // namespace retort::test

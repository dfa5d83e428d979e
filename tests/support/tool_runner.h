// Runs the built `retort` binary the way a user would and captures what it
// printed, so integration tests check real processes against real files.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace retort::test {

struct RunResult {
  int exit_code = -1;
  std::string out;         // stdout
  std::string err;         // stderr
  bool timed_out = false;  // killed after RunOptions::within_s
  std::string all() const { return out + err; }
};

struct RunOptions {
  std::string cwd;
  std::map<std::string, std::string> env;  // added to (or, with "", removed from) the environment
  std::string user;  // when running as root: run retort as this user (for permission tests)
  // Where stdout goes instead of the captured file: a path ("/dev/full"), or
  // kClosedPipe, a pipe whose reader has gone (as in `retort ... | head -1`).
  std::string stdout_to;
  // When > 0, a tool still running after this many seconds is killed with
  // SIGKILL and the result says timed_out, so a hang fails a test instead of
  // stalling the suite.
  int within_s = 0;
  // Another retort executable to run instead of the one built (a copy).
  std::string binary;
};
inline const char* const kClosedPipe = "|closed";

RunResult run_retort(const std::vector<std::string>& args, const RunOptions& options);

// Starts retort without waiting; wait_retort() collects it.
struct Running {
  int pid = -1;
  std::string out_path, err_path;
};
Running start_retort(const std::vector<std::string>& args, const RunOptions& options);
RunResult wait_retort(const Running& r, int within_s = 0);  // as RunOptions::within_s

}  // namespace retort::test

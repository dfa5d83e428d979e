// Feeds arbitrary command lines (one argument per line of the input) to the
// command-line parser, with the kinds of options retort's commands declare.
// Anything it does not accept must end in a usage Error, promptly: Boost's
// own messages loop for ever on arguments holding its placeholders.
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/arg_parser.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::ostringstream sink;  // --help prints the help
  static auto* quiet = std::cout.rdbuf(sink.rdbuf());
  (void)quiet;
  sink.str({});

  std::vector<std::string> args;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string arg; std::getline(in, arg);)
    args.push_back(arg);

  std::vector<std::string> targets, labels;
  std::string message, url;
  bool sql = false, quiet_flag = false;
  int lock_timeout = 60;
  retort::ArgParser p("upgrade [TARGET]", "fuzz");
  p.positional("TARGET", "target", &targets, -1);
  p.flag("sql", "offline", &sql);
  p.flag("quiet,q", "quiet", &quiet_flag);
  p.option("message,m", "MESSAGE", "message", &message);
  p.option("url", "URL", "url", &url);
  p.int_option("lock-timeout", "SECONDS", "wait", &lock_timeout, 0, 604800);
  p.repeated("branch-label", "LABEL", "labels", &labels);
  try {
    (void)p.parse(args);
  } catch (const retort::Error& e) {
    (void)e.format();
  }
  return 0;
}

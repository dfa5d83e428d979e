// retort's entry point: finds the command and reports errors. Everything
// else lives in retort_core.
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/interrupt.h"

namespace {

using retort::Error;

std::string usage() {
  std::ostringstream out;
  out << "usage: retort [-c FILE] [--url URL] [-q|-v] COMMAND [ARGS]\n\n"
         "Versioned, reviewable, reversible schema migrations for SQLite and "
         "PostgreSQL.\n\nCommands:\n";
  for (const auto& c : retort::command_table()) {
    std::string name = c.name;
    name.resize(12, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nRun 'retort COMMAND --help' for a command's options.\n";
  return out.str();
}

// Global options may come before the command, read here; the words from the
// command on go to the command's own parser, which takes them too.
int dispatch(const std::vector<std::string>& argv, std::ostream& out) {
  retort::GlobalOptions g;
  bool version = false;
  std::vector<std::string> command_line;
  retort::ArgParser p("[-c FILE] [--url URL] [-q|-v] COMMAND [ARGS]", "");
  retort::add_global_options(p, g);
  p.flag("version", "print retort's version", &version);
  p.rest("COMMAND", "the command and its arguments", &command_line);
  p.help_text(usage());
  if (!p.parse(argv)) return retort::kExitOk;
  if (version) {
    out << "retort 0.1.0\n";
    return retort::kExitOk;
  }
  if (command_line.empty()) {
    std::cerr << usage();
    return retort::kExitUsage;
  }
  std::string name = command_line[0];
  if (name == "help") {
    if (command_line.size() < 2) {
      out << usage();
      return retort::kExitOk;
    }
    name = command_line[1];
    const auto* c = retort::find_command(name);
    if (!c) throw Error("unknown command '" + name + "'").usage();
    retort::Context ctx({"--help"}, g, out);
    return c->run(ctx);
  }
  const auto* command = retort::find_command(name);
  if (!command) {
    Error e("unknown command '" + name + "'");
    auto near = retort::suggest_command(name);
    if (!near.empty()) e.hint("did you mean '" + std::string(near) + "'?");
    e.hint("run 'retort --help' for the list of commands");
    throw e.usage();
  }
  retort::Context ctx(std::vector<std::string>(command_line.begin() + 1, command_line.end()), g,
                      out);
  return command->run(ctx);
}

// The process may hold a database password (the URL, PGPASSWORD): no core
// dump, and no other process of the same user reading its memory.
void keep_memory_private() {
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  struct rlimit none {};
  ::setrlimit(RLIMIT_CORE, &none);
}

// stdout, written with write(2) so that the first failure's errno is kept:
// output that did not reach its file (a full disk, a closed pipe) is a
// failure, never a quiet exit 0 with a truncated script.
class StdoutBuffer final : public std::streambuf {
 public:
  StdoutBuffer() { setp(buf_, buf_ + sizeof buf_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    while (p < pptr() && error_ == 0) {
      ssize_t n = ::write(1, p, static_cast<size_t>(pptr() - p));
      if (n > 0)
        p += n;
      else if (n < 0 && errno != EINTR)
        error_ = errno;
    }
    setp(buf_, buf_ + sizeof buf_);  // after a failure the rest is dropped
    return error_ == 0;
  }

  char buf_[16384];
  int error_ = 0;
};

int check_output(StdoutBuffer& buf, int code) {
  std::cout.flush();
  if (buf.error() == 0) return code;
  std::cerr << "retort: error: cannot write to standard output (" << std::strerror(buf.error())
            << ")\n"
            << "  hint: what retort printed is incomplete; "
            << (code == retort::kExitOk ? "the command itself completed"
                                        : "the command failed as well, see above")
            << "\n";
  return code != retort::kExitOk ? code : retort::kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  keep_memory_private();
  retort::install_signal_handlers();
  std::ios::sync_with_stdio(false);
  StdoutBuffer out;
  std::cout.rdbuf(&out);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Errors may quote what a database said, so they pass through
  // redact_secrets(); normal output only ever prints redacted URLs.
  int code = retort::kExitFailure;
  try {
    code = dispatch(args, std::cout);
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << retort::redact_secrets(e.format());
    code = e.exit_code();
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << retort::redact_secrets(std::string("retort: internal error: ") + e.what() + "\n")
              << "  hint: " << retort::kReportBugHint << "\n";
    code = retort::kExitFailure;
  }
  code = check_output(out, code);
  std::cout.rdbuf(nullptr);  // `out` ends before the stream does
  return code;
}

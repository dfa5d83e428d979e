// retort's entry point: finds the command and reports errors. Everything
// else lives in retort_core.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/context.h"
#include "core/error.h"

namespace {

using retort::Error;

void print_usage(std::ostream& out) {
  out << "usage: retort [-c FILE] [--url URL] [-q|-v] COMMAND [ARGS]\n\n"
         "Versioned, reviewable, reversible schema migrations for SQLite and "
         "PostgreSQL.\n\nCommands:\n";
  for (const auto& c : retort::command_table()) {
    std::string name = c.name;
    name.resize(12, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nRun 'retort COMMAND --help' for a command's options.\n";
}

// Global options may come before the command; after it, each command's own
// parser accepts them too.
int dispatch(const std::vector<std::string>& argv, std::ostream& out) {
  retort::GlobalOptions g;
  size_t i = 0;
  auto value = [&](const std::string& opt) -> std::string {
    if (i + 1 >= argv.size()) throw Error("option " + opt + " needs a value").usage();
    return argv[++i];
  };
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    auto eq = a.find('=');
    std::string name = a.substr(0, eq);
    auto take = [&](std::string& into) {
      into = eq == std::string::npos ? value(name) : a.substr(eq + 1);
    };
    if (name == "-c" || name == "--config")
      take(g.config);
    else if (name == "--url")
      take(g.url);
    else if (name == "--default-url")
      take(g.default_url);
    else if (name == "--script-location")
      take(g.script_location);
    else if (a == "-q" || a == "--quiet")
      g.quiet = true;
    else if (a == "-v" || a == "--verbose")
      g.verbose = true;
    else if (a == "-h" || a == "--help") {
      print_usage(out);
      return retort::kExitOk;
    } else if (a == "--version") {
      out << "retort 0.1.0\n";
      return retort::kExitOk;
    } else
      break;
  }
  if (i == argv.size()) {
    print_usage(std::cerr);
    return retort::kExitUsage;
  }
  std::string name = argv[i];
  if (name == "help") {
    if (i + 1 < argv.size())
      name = argv[i + 1];
    else {
      print_usage(out);
      return retort::kExitOk;
    }
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
  retort::Context ctx(std::vector<std::string>(argv.begin() + i + 1, argv.end()), g, out);
  return command->run(ctx);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
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
              << "  hint: this is a bug in retort; please report it with the command you ran\n";
    code = retort::kExitFailure;
  }
  std::cout.flush();
  return code;
}

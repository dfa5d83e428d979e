// The table of commands: name, one-line help, and the function that runs it.
// main() only looks commands up here.
#pragma once

#include <string_view>
#include <vector>

namespace retort {

class Context;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(Context& ctx);
};

const std::vector<Command>& command_table();
const Command* find_command(std::string_view name);
// The closest command name, for "did you mean"; empty if none is close.
std::string_view suggest_command(std::string_view name);

int run_init(Context&);
int run_revision(Context&);
int run_merge(Context&);
int run_upgrade(Context&);
int run_downgrade(Context&);
int run_current(Context&);
int run_status(Context&);
int run_history(Context&);
int run_heads(Context&);
int run_branches(Context&);
int run_show(Context&);
int run_stamp(Context&);
int run_resolve(Context&);
int run_verify(Context&);
int run_lint(Context&);
int run_check(Context&);
int run_test(Context&);
int run_config(Context&);
int run_embed(Context&);

}  // namespace retort

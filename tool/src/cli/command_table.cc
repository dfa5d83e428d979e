#include "cli/command_table.h"

#include "core/text.h"

namespace retort {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"init", "create retort.ini, the revision template and versions/", run_init},
      {"revision", "write a new revision file", run_revision},
      {"merge", "write a revision that merges two or more heads", run_merge},
      {"upgrade", "upgrade the database to a target (default: head)", run_upgrade},
      {"downgrade", "downgrade the database to a target (default: -1)", run_downgrade},
      {"current", "show the database's current revision(s)", run_current},
      {"status", "list every revision as applied [X], pending [ ] or partial [~]", run_status},
      {"history", "list revisions, newest first", run_history},
      {"heads", "show the heads of the revision graph", run_heads},
      {"branches", "show the branch points of the revision graph", run_branches},
      {"show", "show one revision", run_show},
      {"stamp", "record a revision in the database without running it", run_stamp},
      {"resolve", "record that a partly applied revision was finished or undone by hand",
       run_resolve},
      {"verify", "check that applied revisions still match their files", run_verify},
      {"lint", "check revision files (and the graph) without a database", run_lint},
      {"test", "stairway-test each revision: up, down and up on a scratch database", run_test},
      {"check", "exit 1 when the models and the database at head differ (for CI)", run_check},
      {"config", "print a setting of retort.ini as retort reads it", run_config},
      {"embed", "write the C++ files that compile the revisions into a program", run_embed},
  };
  return table;
}

const Command* find_command(std::string_view name) {
  for (const auto& c : command_table())
    if (name == c.name) return &c;
  return nullptr;
}

std::string_view suggest_command(std::string_view name) {
  std::string_view best;
  size_t best_d = 3;
  for (const auto& c : command_table()) {
    size_t d = edit_distance(name, c.name);
    if (d < best_d ||
        (std::string_view(c.name).substr(0, name.size()) == name && name.size() >= 2)) {
      best_d = std::min(d, best_d);
      best = c.name;
      if (std::string_view(c.name).substr(0, name.size()) == name && name.size() >= 2) break;
    }
  }
  return best;
}

}  // namespace retort

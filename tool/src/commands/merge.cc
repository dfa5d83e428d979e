// retort merge -m MSG REV REV...
#include <algorithm>
#include <iostream>

#include "commands/command_table.h"
#include "commands/context.h"
#include "core/error.h"
#include "core/revision_writer.h"
#include "core/text.h"

namespace retort {

int run_merge(Context& ctx) {
  ArgParser p("merge -m MESSAGE REV REV... | heads",
              "Write a revision whose down_revision is all the given revisions, joining their "
              "branches. 'heads' stands for every current head.");
  std::string message, env_var;
  std::vector<std::string> revs;
  p.option("message,m", "MESSAGE", "what the merge is for", &message);
  p.option("message-from-env", "VAR", "read the message from environment variable VAR", &env_var);
  p.positional("REV", "revisions to merge, or 'heads'", &revs, -1);
  if (!ctx.parse(p)) return kExitOk;
  std::string msg = required_message(message, env_var);

  const auto& g = ctx.graph(ParseDepth::kHeaders);
  std::vector<std::string> parents;
  for (const auto& r : revs) {
    if (r == "heads") {
      for (auto* h : g.heads())
        parents.push_back(h->id);
    } else {
      parents.push_back(g.resolve(r).id);
    }
  }
  std::sort(parents.begin(), parents.end());
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  if (parents.size() < 2)
    throw Error("merge needs at least two revisions, got " + std::to_string(parents.size()))
        .hint("`retort heads` lists what there is to merge")
        .usage();
  NewRevision nr;
  nr.message = msg;
  nr.down_revisions = parents;
  const auto& c = ctx.config();
  std::string path = write_revision(c.script_location, c.file_template, c.timezone != "local", nr);
  ctx.out() << "Generating " << display_path(path) << " ... done\n";
  return kExitOk;
}

}  // namespace retort

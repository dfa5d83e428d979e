// retort merge -m MSG REV REV...
#include <algorithm>
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/revision_writer.h"
#include "core/text.h"

namespace retort {

int run_merge(Context& ctx) {
  ArgParser p("merge -m MESSAGE REV REV... | heads",
              "Write a revision whose down_revision is all the given revisions, joining their "
              "branches. 'heads' stands for every current head.");
  std::string message, env_var, rev_id;
  std::vector<std::string> revs;
  p.option("message,m", "MESSAGE", "what the merge is for", &message);
  p.option("message-from-env", "VAR", "read the message from environment variable VAR", &env_var);
  p.option("rev-id", "ID", "use this revision id instead of a random one", &rev_id);
  p.positional("REV", "revisions to merge (ids, prefixes or LABEL@head), or 'heads'", &revs, -1);
  if (!ctx.parse(p)) return kExitOk;
  if (!rev_id.empty() && !is_valid_revision_id(rev_id))
    throw Error("--rev-id " + quoted_for_display(rev_id) + " is not a revision id")
        .hint("use letters, digits and '_'")
        .usage();
  std::string msg = required_message(message, env_var);

  const auto& g = ctx.graph(ParseDepth::kHeaders);
  if (!rev_id.empty() && g.find(rev_id))
    throw Error("revision id '" + rev_id + "' already exists").at(g.find(rev_id)->path);
  std::vector<std::string> parents;
  for (const auto& r : revs) {
    if (r == "heads") {
      for (auto* h : g.heads())
        parents.push_back(h->id);
    } else {
      parents.push_back(g.resolve_one(r).id);
    }
  }
  std::sort(parents.begin(), parents.end());
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  if (parents.size() < 2)
    throw Error("merge needs at least two revisions, got " + std::to_string(parents.size()))
        .hint("`retort heads` lists what there is to merge")
        .usage();
  NewRevision nr;
  nr.id = rev_id;
  nr.message = msg;
  nr.down_revisions = parents;
  const auto& c = ctx.config();
  std::string path = write_revision(c.script_location, c.file_template, c.timezone != "local", nr);
  if (ctx.verbosity() > 0) ctx.out() << "Generating " << display_path(path) << " ... done\n";
  return kExitOk;
}

}  // namespace retort

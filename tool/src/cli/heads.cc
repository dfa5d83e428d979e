// retort heads / retort branches
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/output_format.h"
#include "cli/revision_format.h"
#include "cli/revision_json.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

int run_heads(Context& ctx) {
  ArgParser p("heads [--verbose] [--format text|json]",
              "Show the heads of the revision graph (revisions with no child).");
  std::string format = "text";
  p.option("format", "FORMAT", "text (default) or json", &format);
  if (!ctx.parse(p)) return kExitOk;
  const OutputFormat fmt = parse_output_format(format, {OutputFormat::kText, OutputFormat::kJson});
  const auto& g = ctx.graph(ParseDepth::kHeaders);
  Json heads = Json::array();
  for (const Revision* r : g.heads()) {
    size_t i = g.index_of(*r);
    if (fmt == OutputFormat::kJson) {
      heads.push(revision_json(g, i));
      continue;
    }
    ctx.out() << (ctx.verbosity() > 1 ? verbose_block(g, i, nullptr)
                                      : r->id + revision_flags(g, i, nullptr) + ", " + r->message)
              << "\n";
  }
  if (fmt == OutputFormat::kJson) {
    Json o = Json::object();
    o.set("heads", std::move(heads));
    ctx.out() << o.dump();
  }
  return kExitOk;
}

int run_branches(Context& ctx) {
  ArgParser p("branches [--verbose]",
              "Show the branch points of the revision graph and where each branch goes.");
  if (!ctx.parse(p)) return kExitOk;
  const auto& g = ctx.graph(ParseDepth::kHeaders);
  for (size_t i = 0; i < g.size(); ++i) {
    if (g.children(i).size() < 2) continue;
    const Revision& r = g.at(i);
    ctx.out() << r.id << revision_flags(g, i, nullptr) << ", " << r.message << "\n";
    for (size_t c : g.children(i))
      ctx.out() << "    -> " << g.at(c).id << revision_flags(g, c, nullptr) << ", "
                << g.at(c).message << "\n";
  }
  return kExitOk;
}

}  // namespace retort

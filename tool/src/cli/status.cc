// retort status [--exit-code] [--format text|json]
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/database_state.h"
#include "cli/output_format.h"
#include "cli/revision_format.h"
#include "cli/revision_json.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

enum class RevisionState { kApplied, kPending, kPartial };

const char* state_name(RevisionState s) {
  switch (s) {
    case RevisionState::kApplied:
      return "applied";
    case RevisionState::kPending:
      return "pending";
    case RevisionState::kPartial:
      return "partial";
  }
  return "pending";
}

const char* state_mark(RevisionState s) {
  switch (s) {
    case RevisionState::kApplied:
      return "[X]";
    case RevisionState::kPending:
      return "[ ]";
    case RevisionState::kPartial:
      return "[~]";
  }
  return "[ ]";
}

// "r1, r2 and 3 more": a gate's message stays one readable line.
std::string some_ids(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 10;
  if (ids.size() <= kShown) return join(ids, ", ");
  std::vector<std::string> first(ids.begin(), ids.begin() + kShown);
  return join(first, ", ") + " and " + std::to_string(ids.size() - kShown) + " more";
}

}  // namespace

int run_status(Context& ctx) {
  ArgParser p("status [--exit-code] [--format text|json]",
              "List every revision, oldest first, as applied [X], pending [ ] or partly "
              "applied [~].");
  bool exit_code = false;
  std::string format = "text";
  p.flag("exit-code", "exit 1 when any revision is pending or partly applied", &exit_code);
  p.option("format", "FORMAT", "text (default) or json", &format);
  if (!ctx.parse(p)) return kExitOk;
  const OutputFormat fmt = parse_output_format(format, {OutputFormat::kText, OutputFormat::kJson});
  const auto& g = ctx.graph(ParseDepth::kHeaders);
  DatabaseState s = read_database_state(ctx, g);

  std::vector<std::string> pending, partial;
  Json revisions = Json::array();
  for (size_t i : g.topological_order()) {
    const Revision& r = g.at(i);
    const Partial* part = s.partial_of(r.id);
    RevisionState state = part           ? RevisionState::kPartial
                          : s.applied[i] ? RevisionState::kApplied
                                         : RevisionState::kPending;
    if (state == RevisionState::kPending) pending.push_back(r.id);
    if (state == RevisionState::kPartial) partial.push_back(r.id);
    if (fmt == OutputFormat::kJson) {
      Json o = revision_json(g, i);
      o.set("state", state_name(state));
      o.set("partial", part ? partial_json(*part) : Json());
      revisions.push(std::move(o));
    } else {
      ctx.out() << state_mark(state) << " " << r.id << revision_flags(g, i, nullptr) << ", "
                << r.message << (part ? " (" + part->summary() + ")" : std::string()) << "\n";
    }
  }
  if (fmt == OutputFormat::kJson) {
    Json o = Json::object();
    o.set("database_exists", s.exists);
    o.set("revisions", std::move(revisions));
    o.set("applied", g.size() - pending.size() - partial.size());
    o.set("pending", pending.size());
    o.set("partial", partial.size());
    ctx.out() << o.dump();
  }
  if (exit_code && (!pending.empty() || !partial.empty())) {
    std::vector<std::string> what;
    if (!pending.empty())
      what.push_back(std::to_string(pending.size()) +
                     (pending.size() == 1 ? " revision is" : " revisions are") + " pending (" +
                     some_ids(pending) + ")");
    if (!partial.empty())
      what.push_back(std::to_string(partial.size()) +
                     (partial.size() == 1 ? " revision is" : " revisions are") +
                     " partly applied (" + some_ids(partial) + ")");
    throw Error(join(what, "; "))
        .hint(partial.empty() ? "`retort upgrade heads` applies them"
                              : "finish or undo a partly applied revision with `retort upgrade` "
                                "or `retort resolve`");
  }
  return kExitOk;
}

}  // namespace retort

// retort current [--check-heads] [--format text|json]
#include <future>
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "cli/database_state.h"
#include "cli/output_format.h"
#include "cli/revision_format.h"
#include "cli/revision_json.h"
#include "core/error.h"
#include "core/text.h"
#include "migrate/migrator.h"

namespace retort {

namespace {

Json current_json(const RevisionGraph& g, const DatabaseState& s,
                  const std::vector<size_t>& missing) {
  Json heads = Json::array(), partial = Json::array(), lacking = Json::array();
  for (size_t h : s.heads)
    heads.push(revision_json(g, h));
  for (const auto& part : s.partials)
    partial.push(partial_json(part));
  for (size_t m : missing)
    lacking.push(g.at(m).id);
  Json o = Json::object();
  o.set("database_exists", s.exists);
  o.set("heads", std::move(heads));
  o.set("partial", std::move(partial));
  o.set("missing_heads", std::move(lacking));
  o.set("at_every_head", missing.empty() && s.partials.empty());
  return o;
}

}  // namespace

int run_current(Context& ctx) {
  ArgParser p("current [--check-heads] [--format text|json] [--verbose]",
              "Show the revision(s) the database is at.");
  bool check_heads = false;
  std::string format = "text";
  p.flag("check-heads", "exit 1 unless the database is at every head of the graph", &check_heads);
  p.option("format", "FORMAT", "text (default) or json", &format);
  if (!ctx.parse(p)) return kExitOk;
  const OutputFormat fmt = parse_output_format(format, {OutputFormat::kText, OutputFormat::kJson});
  const std::string& table = ctx.config().version_table;
  // Reading the revision files and opening the database are independent and
  // each take a few milliseconds on a large history: do them side by side.
  auto graph = std::async(std::launch::async, [&ctx]() -> const RevisionGraph& {
    return ctx.graph(ParseDepth::kHeaders);
  });
  auto driver = ctx.connect(/*create_if_missing=*/false);
  if (ctx.verbosity() > 1 && fmt == OutputFormat::kText)
    ctx.out() << "Current revision(s) for " << ctx.url().redacted() << ":\n";
  StoredState stored;
  if (driver) stored = read_state(*driver, table);
  const RevisionGraph& g = graph.get();
  DatabaseState s =
      database_state(g, driver != nullptr, std::move(stored), table, ctx.url().redacted());
  auto missing = missing_heads(g, s);

  if (fmt == OutputFormat::kJson) {
    ctx.out() << current_json(g, s, missing).dump();
  } else {
    if (s.heads.empty())
      ctx.out() << "base (no revision applied"
                << (s.exists ? "" : "; the database does not exist yet") << ")\n";
    for (size_t h : s.heads)
      ctx.out() << (ctx.verbosity() > 1 ? verbose_block(g, h, nullptr)
                                        : g.at(h).id + revision_flags(g, h, nullptr))
                << "\n";
    // A revision that ran in part and could not be rolled back, after the heads.
    for (const auto& part : s.partials)
      ctx.out() << part.revision << " (" << part.summary() << ")\n";
  }
  if (check_heads && (!missing.empty() || !s.partials.empty())) {
    std::vector<std::string> ids, parts;
    for (size_t m : missing)
      ids.push_back(g.at(m).id);
    for (const auto& part : s.partials)
      parts.push_back(part.revision + " (" + part.summary() + ")");
    Error e(missing.empty()
                ? "the database is at every head but has a revision partly applied: " +
                      join(parts, ", ")
                : "the database is not at every head: " +
                      std::string(ids.size() == 1 ? "head " : "heads ") + join(ids, ", ") +
                      (ids.size() == 1 ? " is" : " are") + " not applied");
    if (!missing.empty() && !parts.empty()) e.hint("partly applied: " + join(parts, ", "));
    e.hint(s.partials.empty()
               ? "`retort upgrade heads` applies what is missing"
               : "see `retort status`, then `retort upgrade heads` or `retort resolve`");
    throw e;
  }
  return kExitOk;
}

}  // namespace retort

// retort show REV [--format text|json]
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

Json section_json(const Section& s, bool downgrade) {
  Json o = Json::object();
  o.set("sql", std::string(trim(s.sql)));
  o.set("transactional", s.transactional);
  if (downgrade) o.set("irreversible", s.irreversible);
  return o;
}

}  // namespace

int run_show(Context& ctx) {
  ArgParser p("show REV [--format text|json]",
              "Show one revision: its place in the graph and its SQL. REV is an id, a "
              "unique prefix, LABEL@head, head (every head when there are several), heads, "
              "base, or current (the database's revision(s)).");
  std::vector<std::string> revs;
  std::string format = "text";
  p.positional("REV", "the revision", &revs, 1);
  p.option("format", "FORMAT", "text (default) or json", &format);
  if (!ctx.parse(p)) return kExitOk;
  if (revs.empty()) throw Error("show needs a revision: retort show REV").usage();
  const OutputFormat fmt = parse_output_format(format, {OutputFormat::kText, OutputFormat::kJson});
  const auto& g = ctx.graph();
  std::vector<const Revision*> picked;
  if (revs[0] == "head" || revs[0] == "heads") {
    picked = g.heads();
  } else if (revs[0] == "base") {
    picked = g.bases();
  } else if (revs[0] == "current") {
    DatabaseState s = read_database_state(ctx, g);
    if (s.heads.empty())
      throw Error("the database is at base: no revision is applied, so there is none to show")
          .hint("`retort status` lists what is pending");
    for (size_t h : s.heads)
      picked.push_back(&g.at(h));
  } else {
    picked = {&g.resolve_one(revs[0])};
  }
  Json list = Json::array();
  for (const Revision* r : picked) {
    size_t i = g.index_of(*r);
    if (fmt == OutputFormat::kJson) {
      Json o = revision_json(g, i);
      o.set("upgrade", section_json(r->upgrade, false));
      o.set("downgrade", section_json(r->downgrade, true));
      list.push(std::move(o));
      continue;
    }
    ctx.out() << verbose_block(g, i, nullptr) << "\n-- migrate:upgrade"
              << (r->upgrade.transactional ? "" : " transaction:false") << "\n"
              << trim(r->upgrade.sql) << "\n\n-- migrate:downgrade"
              << (r->downgrade.irreversible ? " irreversible" : "")
              << (r->downgrade.transactional ? "" : " transaction:false") << "\n"
              << trim(r->downgrade.sql) << "\n";
  }
  if (fmt == OutputFormat::kJson) {
    Json o = Json::object();
    o.set("revisions", std::move(list));
    ctx.out() << o.dump();
  }
  return kExitOk;
}

}  // namespace retort

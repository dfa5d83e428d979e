#include "cli/database_state.h"

#include <algorithm>

#include "cli/context.h"
#include "core/error.h"
#include "core/plan.h"
#include "core/text.h"

namespace retort {

const Partial* DatabaseState::partial_of(const std::string& id) const {
  for (const auto& p : partials)
    if (p.revision == id) return &p;
  return nullptr;
}

DatabaseState database_state(const RevisionGraph& g, bool exists, StoredState stored,
                             const std::string& version_table, const std::string& where) {
  DatabaseState s;
  s.exists = exists;
  s.stored = std::move(stored.heads);
  s.partials = std::move(stored.partials);
  s.heads = heads_from_ids(g, s.stored, version_table);
  if (auto wrong = contradictory_heads(g, s.heads); !wrong.empty())
    throw Error("the version table " + version_table + " in " + where +
                " contradicts itself: " + join(wrong, "; "))
        .hint("its rows are: " + join(s.stored, ", "))
        .hint(
            "look at the schema, then record where it really is with `retort stamp --purge "
            "<revision>`");
  s.applied = s.heads.empty() ? std::vector<char>(g.size(), 0) : g.ancestors(s.heads, true);
  return s;
}

DatabaseState read_database_state(Context& ctx, const RevisionGraph& g) {
  const std::string& table = ctx.config().version_table;
  auto driver = ctx.connect(/*create_if_missing=*/false);
  StoredState stored;
  if (driver) stored = read_state(*driver, table);
  return database_state(g, driver != nullptr, std::move(stored), table, ctx.url().redacted());
}

std::vector<size_t> missing_heads(const RevisionGraph& g, const DatabaseState& s) {
  std::vector<size_t> out;
  for (const Revision* r : g.heads()) {
    size_t i = g.index_of(*r);
    if (std::find(s.heads.begin(), s.heads.end(), i) == s.heads.end()) out.push_back(i);
  }
  return out;
}

}  // namespace retort

#include "migrate/stairway.h"

#include "core/text.h"
#include "migrate/progress.h"
#include "schema/diff.h"

namespace retort {

namespace {

Target revision_target(const std::string& id) {
  Target t;
  t.kind = Target::kRevision;
  t.revision = t.text = id;
  return t;
}

// A step's failure says which revision and which step.
template <typename F>
void step(const Revision& r, const char* what, F&& f) {
  try {
    f();
  } catch (Error& e) {
    e.hint(std::string("stairway test of ") + r.id + ": the step that failed was " + what);
    throw;
  }
}

}  // namespace

StairwayOutcome run_stairway(const RevisionGraph& g, size_t i, Driver& d,
                             const MigrateOptions& options, std::ostream& out) {
  const Revision& r = g.at(i);
  const Backend& backend = d.backend();
  auto dialect = backend.schema_dialect();
  if (!dialect)
    throw Error("retort test needs a database whose schema retort can read; " +
                std::string(backend.title()) + " has no introspection");
  IntrospectOptions read;
  read.exclude_tables = {options.version_table, options.log_table,
                         progress_table(options.version_table)};
  Migrator m(g, d, options, out);
  step(r, "the upgrade to its parents", [&] {
    std::vector<size_t> below = g.parents(i);
    below.insert(below.end(), g.dependencies(i).begin(), g.dependencies(i).end());
    for (size_t b : below) {
      // One parent's upgrade may have applied another already.
      auto heads = m.applied_heads();
      if (!heads.empty() && g.ancestors(heads, true)[b]) continue;
      m.upgrade(revision_target(g.at(b).id));
    }
  });
  Schema before = backend.introspect(d, read);
  step(r, "its upgrade", [&] { m.upgrade(revision_target(r.id)); });
  StairwayOutcome outcome;
  if (r.downgrade.irreversible) return outcome;
  step(r, "its downgrade", [&] { m.downgrade_revision(i); });
  Schema after = backend.introspect(d, read);
  auto left = diff_schemas(before, after, *dialect);
  if (!left.empty()) {
    std::vector<std::string> what;
    for (const auto& op : left)
      what.push_back(describe(op));
    throw Error("the downgrade of " + r.id + " does not give back the schema from before its " +
                "upgrade; what it left differs by: " + join(what, "; "))
        .at(r.path, r.downgrade.marker_line)
        .hint("make the downgrade undo exactly what the upgrade does (retort show " + r.id + ")");
  }
  step(r, "its upgrade after the downgrade", [&] { m.upgrade(revision_target(r.id)); });
  outcome.downgrade_tested = true;
  return outcome;
}

}  // namespace retort

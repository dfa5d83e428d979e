// Stairway tests: a revision goes up, down and up again on a scratch
// database, and its downgrade must give back the schema from before its
// upgrade, as the database's own introspection reads it.
#pragma once

#include <iosfwd>
#include <string>

#include "backend/backend.h"
#include "backend/driver.h"
#include "core/revision_graph.h"
#include "migrate/migrator.h"

namespace retort {

struct StairwayOutcome {
  bool downgrade_tested = false;  // false: the revision is irreversible
};

// On `d`, an empty database: upgrade to the parents (and dependencies) of
// revision `i`, read the schema, upgrade to `i`, downgrade one step, compare
// the schema, upgrade again. Throws Error naming the revision and the step
// that failed, or the differences the downgrade left.
StairwayOutcome run_stairway(const RevisionGraph& g, size_t i, Driver& d,
                             const MigrateOptions& options, std::ostream& out);

}  // namespace retort

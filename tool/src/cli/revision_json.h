// Revisions and partial rows as the JSON objects of `--format json`. The
// keys are documented in the README and stay stable: add keys, never rename.
#pragma once

#include "core/json.h"
#include "core/revision_graph.h"
#include "migrate/progress.h"

namespace retort {

// revision, down_revisions, depends_on, branch_labels, message, created,
// path, is_base, is_head, is_branch_point, is_merge_point.
Json revision_json(const RevisionGraph& g, size_t i);
// revision, direction, statements_done, statements_total, running_statement,
// summary (the text `current` prints).
Json partial_json(const Partial& p);

}  // namespace retort

// The order views are created and dropped in: a view over another comes
// after it and goes before it. A pass over a dialect's lowered ops.
#pragma once

#include <vector>

#include "schema/ops.h"

namespace retort {

// Sorts each run of CreateView (of DropView) ops in `ops` so that a view is
// created after every view it reads (schema_model.h view_reads: the
// catalog's dependencies where the backend read them, else its text) and
// dropped before them. Ops between the runs keep their places.
void order_views(std::vector<Op>& ops);

}  // namespace retort

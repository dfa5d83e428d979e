// Which revisions `retort history -r START:END` lists: those from START up
// to END, both included. Pure graph logic; the database's heads come from a
// callback that is called only when a form needs them.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "core/revision_graph.h"

namespace retort {

// START: empty or base (from the first revision), current, -N (N steps below
// END), or any target (id, prefix, ID+N, ID-N, label@head, label@-1, …).
// END: empty, head or heads (to the last), current, +N (N steps above
// START), or any target. Throws a usage Error for anything else.
std::vector<char> select_history_range(const RevisionGraph& g, std::string_view range,
                                       const std::function<std::vector<size_t>()>& current);

}  // namespace retort

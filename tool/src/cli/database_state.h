// What the database records about the revision graph: its heads, the
// revisions they include and those left partly applied. current, status
// and history read it the same way.
#pragma once

#include <string>
#include <vector>

#include "core/revision_graph.h"
#include "migrate/migrator.h"

namespace retort {

class Context;

struct DatabaseState {
  bool exists = false;              // false: the database is not there yet
  std::vector<std::string> stored;  // the version table's rows, as stored
  std::vector<size_t> heads;        // those rows as revisions
  std::vector<Partial> partials;
  std::vector<char> applied;  // per revision: a recorded head or one of its ancestors

  // The partial row of revision `id`, or nullptr.
  const Partial* partial_of(const std::string& id) const;
};

// Checks the stored rows against the graph: an unknown id, or rows that
// contradict each other, are errors naming the table in `where`.
DatabaseState database_state(const RevisionGraph& g, bool exists, StoredState stored,
                             const std::string& version_table, const std::string& where);
// Connects (never creating the database) and reads its state.
DatabaseState read_database_state(Context& ctx, const RevisionGraph& g);

// The heads of the graph the database is not at, in the graph's order.
std::vector<size_t> missing_heads(const RevisionGraph& g, const DatabaseState& s);

}  // namespace retort

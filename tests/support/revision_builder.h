// A revision for graphs built in memory by the unit tests: an id, its
// parents and labels, and a path named after the id.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/revision.h"

namespace retort::test {

inline Revision rev(std::string id, std::vector<std::string> down = {},
                    std::vector<std::string> labels = {}) {
  Revision r;
  r.path = "versions/" + id + ".sql";
  r.id = std::move(id);
  r.down_revisions = std::move(down);
  r.branch_labels = std::move(labels);
  return r;
}

}  // namespace retort::test

// How revisions are described in listings: Alembic's
// "parent -> id (head) (branchpoint), message" lines and the verbose block.
#pragma once

#include <string>
#include <vector>

#include "core/revision_graph.h"

namespace retort {

// Flags such as " (head)" and " (mergepoint)"; `current` marks applied heads.
std::string revision_flags(const RevisionGraph& g, size_t i, const std::vector<char>* current);
std::string history_line(const RevisionGraph& g, size_t i, const std::vector<char>* current);
std::string verbose_block(const RevisionGraph& g, size_t i, const std::vector<char>* current);

}  // namespace retort

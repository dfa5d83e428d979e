// From "where the database is" (its heads) and "where the user wants it" (a
// target) to an ordered list of steps, and how each step moves the heads
// recorded in the version table. Pure graph logic: no files, no database.
#pragma once

#include <string>
#include <vector>

#include "core/revision_graph.h"
#include "core/target.h"

namespace retort {

enum class Direction { kUpgrade, kDowngrade };

struct Step {
  size_t rev;
  Direction dir;
};

// The goal is fixed once, against the heads seen at the start, so that
// re-planning after a concurrent deployer moved the database never moves it
// (re-resolving "-1" after every step would walk down forever).
struct Goal {
  Direction dir = Direction::kUpgrade;
  std::vector<char> wanted;    // upgrade: must be applied when done
  std::vector<char> unwanted;  // downgrade: must not be applied when done
};

Goal resolve_upgrade(const RevisionGraph& g, const Target& t, const std::vector<size_t>& heads);
Goal resolve_downgrade(const RevisionGraph& g, const Target& t, const std::vector<size_t>& heads);

// The steps that take `heads` to the goal, each revision after its parents
// on the way up and before them on the way down.
std::vector<Step> plan_steps(const RevisionGraph& g, const Goal& goal,
                             const std::vector<size_t>& heads);

// The version-table heads after `step`.
std::vector<size_t> heads_after(const RevisionGraph& g, std::vector<size_t> heads,
                                const Step& step);

// The heads `stamp TARGET` records.
std::vector<size_t> resolve_stamp(const RevisionGraph& g, const Target& t,
                                  const std::vector<size_t>& heads);
// The heads `stamp T1 T2 …` records: each target replaces the heads on its
// line of history. Targets on one line of history, or base beside another
// target, are a usage error.
std::vector<size_t> resolve_stamp(const RevisionGraph& g, const std::vector<Target>& targets,
                                  const std::vector<size_t>& heads);

// The revisions a target names (empty for base); a relative one (+N, -N)
// counts from `heads`. Throws Error when it names none or is ambiguous.
std::vector<size_t> target_revisions(const RevisionGraph& g, const Target& t,
                                     const std::vector<size_t>& heads);

// Ids as read from the version table to graph indices. An id no file defines
// is an error naming the table and the remedies.
std::vector<size_t> heads_from_ids(const RevisionGraph& g, const std::vector<std::string>& ids,
                                   const std::string& version_table);

// True when `a` is `b` or reachable from `b` through down_revision.
bool is_ancestor(const RevisionGraph& g, size_t a, size_t b);

}  // namespace retort

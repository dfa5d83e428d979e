#include "core/plan.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

std::string ids_of(const RevisionGraph& g, const std::vector<size_t>& idx) {
  std::vector<std::string> ids;
  for (size_t i : idx)
    ids.push_back(g.at(i).id);
  return join(ids, ", ");
}

std::vector<size_t> indices(const RevisionGraph& g, const std::vector<const Revision*>& revs) {
  std::vector<size_t> out;
  for (const auto* r : revs)
    out.push_back(g.index_of(*r));
  return out;
}

constexpr size_t kBaseIndex = static_cast<size_t>(-1);

// Walks `delta` steps from `from` (kBaseIndex for base) along the only path,
// upwards only through revisions `within` marks when given (a branch).
// Fills `walked` with the revisions passed on the way down.
size_t walk(const RevisionGraph& g, size_t from, int delta, const std::string& text,
            std::vector<size_t>* walked = nullptr, const std::vector<char>* within = nullptr) {
  size_t cur = from;
  for (int step = 0; step < std::abs(delta); ++step) {
    if (delta > 0) {
      std::vector<size_t> next = cur == kBaseIndex ? indices(g, g.bases()) : g.children(cur);
      if (within) std::erase_if(next, [within](size_t n) { return !(*within)[n]; });
      if (next.empty())
        throw Error("relative revision '" + text + "' didn't produce " + std::to_string(delta) +
                    " migrations: only " + std::to_string(step) + " lie ahead")
            .hint("use 'head' to go as far as there is");
      if (next.size() > 1)
        throw Error("relative revision '" + text +
                    "' is ambiguous: " + (cur == kBaseIndex ? std::string("base") : g.at(cur).id) +
                    " is followed by " + ids_of(g, next))
            .hint("name the revision to go to");
      cur = next.front();
    } else {
      if (cur == kBaseIndex)
        throw Error("relative revision '" + text + "' goes below base: only " +
                    std::to_string(step) + " revisions are applied")
            .hint("use 'base' to remove them all");
      if (walked) walked->push_back(cur);
      const auto& parents = g.parents(cur);
      if (parents.size() > 1 && step + 1 < std::abs(delta))
        throw Error("relative revision '" + text + "' is ambiguous: " + g.at(cur).id + " merges " +
                    ids_of(g, parents))
            .hint("downgrade to one of them by id");
      cur = parents.empty() ? kBaseIndex : parents.front();
    }
  }
  return cur;
}

size_t single_current(const RevisionGraph& g, const std::vector<size_t>& heads, const Target& t) {
  if (heads.size() > 1)
    throw Error("relative revision '" + t.text +
                "' is ambiguous: the database has several heads (" + ids_of(g, heads) + ")")
        .hint("use ID" + t.text + " with one of those ids");
  return heads.empty() ? kBaseIndex : heads.front();
}

// label@+N and label@-N: where the database is on the labelled branch (the
// revisions before the labelled one and every one after it), and that
// branch, for walk().
struct BranchPosition {
  size_t at = kBaseIndex;
  std::vector<char> branch;
};

BranchPosition branch_position(const RevisionGraph& g, const Target& t,
                               const std::vector<size_t>& heads) {
  const Revision* labelled = g.labelled(t.revision);
  if (!labelled)
    throw Error("no revision carries the branch label '" + t.revision + "'")
        .hint("see `retort branches` and `retort history --verbose`");
  size_t l = g.index_of(*labelled);
  BranchPosition pos;
  pos.branch = g.descendants({l}, false);
  auto below = g.ancestors({l}, false);
  for (size_t i = 0; i < g.size(); ++i)
    pos.branch[i] = pos.branch[i] || below[i];
  // The latest applied revisions on the branch, which may lie beneath the
  // head of another branch.
  auto applied = g.ancestors(heads, false);
  std::vector<size_t> on;
  for (size_t i = 0; i < g.size(); ++i) {
    if (!pos.branch[i] || !applied[i]) continue;
    const auto& kids = g.children(i);
    if (std::none_of(kids.begin(), kids.end(),
                     [&](size_t c) { return pos.branch[c] && applied[c]; }))
      on.push_back(i);
  }
  if (on.size() > 1)
    throw Error("relative revision '" + t.text + "' is ambiguous: the database has several heads " +
                "on branch '" + t.revision + "' (" + ids_of(g, on) + ")")
        .hint("use ID" + t.text.substr(t.text.find('@') + 1) + " with one of those ids");
  if (!on.empty()) pos.at = on.front();
  return pos;
}

size_t walk_label(const RevisionGraph& g, const Target& t, const std::vector<size_t>& heads,
                  std::vector<size_t>* walked = nullptr) {
  BranchPosition pos = branch_position(g, t, heads);
  return walk(g, pos.at, t.delta, t.text, walked, &pos.branch);
}

// The revisions a non-relative target stands for (empty for base).
std::vector<size_t> resolve_absolute(const RevisionGraph& g, const Target& t) {
  switch (t.kind) {
    case Target::kBase:
      return {};
    case Target::kHeads:
      return indices(g, g.heads());
    case Target::kHead: {
      auto heads = indices(g, g.heads());
      if (heads.size() > 1)
        throw Error("Multiple head revisions are present: " + ids_of(g, heads))
            .hint(
                "upgrade to 'heads', or to one of them by id, or join them with "
                "`retort merge -m \"merge heads\" heads`");
      return heads;
    }
    case Target::kLabelHead: {
      if (!g.has_label(t.revision))
        throw Error("no revision carries the branch label '" + t.revision + "'")
            .hint("see `retort branches` and `retort history --verbose`");
      auto heads = indices(g, g.heads_of_label(t.revision));
      if (heads.size() > 1)
        throw Error("branch '" + t.revision + "' has several heads: " + ids_of(g, heads))
            .hint("name one of them by id, or merge them");
      return heads;
    }
    case Target::kRevision: {
      size_t r = g.index_of(g.resolve(t.revision));
      if (t.delta == 0) return {r};
      size_t w = walk(g, r, t.delta, t.text);
      if (w == kBaseIndex) return {};
      return {w};
    }
    case Target::kRelative:
    case Target::kLabelRelative:
      break;
  }
  return {};
}

}  // namespace

std::vector<size_t> target_revisions(const RevisionGraph& g, const Target& t,
                                     const std::vector<size_t>& heads) {
  if (!t.counts_from_database()) return resolve_absolute(g, t);
  size_t w = t.kind == Target::kLabelRelative
                 ? walk_label(g, t, heads)
                 : walk(g, single_current(g, heads, t), t.delta, t.text);
  if (w == kBaseIndex) return {};
  return {w};
}

bool is_ancestor(const RevisionGraph& g, size_t a, size_t b) {
  if (a == b) return true;
  const auto& direct = g.parents(b);
  if (std::find(direct.begin(), direct.end(), a) != direct.end()) return true;
  return g.ancestors({b}, false)[a];
}

Goal resolve_upgrade(const RevisionGraph& g, const Target& t, const std::vector<size_t>& heads) {
  std::vector<size_t> targets;
  if (t.counts_from_database()) {
    if (t.delta < 0)
      throw Error("'" + t.text + "' is a downgrade")
          .hint("use `retort downgrade " + t.text + "`")
          .usage();
    targets = target_revisions(g, t, heads);
  } else {
    targets = resolve_absolute(g, t);
  }
  if (t.kind == Target::kBase && !heads.empty())
    throw Error("base is behind the current head(s) " + ids_of(g, heads))
        .hint("to go back to it use `retort downgrade base`");
  Goal goal;
  goal.dir = Direction::kUpgrade;
  goal.wanted = g.ancestors(targets, true);
  // A target the database has already passed is a request to go back: say so
  // rather than silently doing nothing.
  auto applied = g.ancestors(heads, true);
  for (size_t target : targets) {
    bool is_head = std::find(heads.begin(), heads.end(), target) != heads.end();
    if (applied[target] && !is_head)
      throw Error("revision " + g.at(target).id + " is behind the current head(s) " +
                  ids_of(g, heads))
          .hint("to go back to it use `retort downgrade " + g.at(target).id + "`");
  }
  return goal;
}

Goal resolve_downgrade(const RevisionGraph& g, const Target& t, const std::vector<size_t>& heads) {
  Goal goal;
  goal.dir = Direction::kDowngrade;
  auto applied = g.ancestors(heads, true);
  if (t.counts_from_database()) {
    if (t.delta > 0)
      throw Error("'" + t.text + "' is an upgrade")
          .hint("use `retort upgrade " + t.text + "`")
          .usage();
    std::vector<size_t> walked;
    if (t.kind == Target::kLabelRelative)
      walk_label(g, t, heads, &walked);
    else
      walk(g, single_current(g, heads, t), t.delta, t.text, &walked);
    goal.unwanted = g.descendants(walked, true);
    return goal;
  }
  if (t.kind == Target::kHeads || t.kind == Target::kHead || t.kind == Target::kLabelHead) {
    goal.unwanted.assign(g.size(), 0);
    auto targets = resolve_absolute(g, t);
    for (size_t target : targets)
      if (!applied[target])
        throw Error("'" + t.text + "' is not a valid downgrade target: " + g.at(target).id +
                    " is not applied")
            .hint("use `retort upgrade " + t.text + "` to go forward");
    return goal;  // already at those heads or past them: nothing to remove
  }
  if (t.kind == Target::kRevision && t.delta < 0) {
    // ID-N below the root of ID's branch means "that branch back to base",
    // not "everything": remove what was walked and what depends on it.
    std::vector<size_t> walked;
    size_t from = g.index_of(g.resolve(t.revision));
    if (walk(g, from, t.delta, t.text, &walked) == kBaseIndex) {
      if (!applied[walked.front()])
        throw Error("revision " + g.at(walked.front()).id +
                    " is not applied, so there is "
                    "nothing to downgrade from it");
      goal.unwanted = g.descendants({walked.back()}, true);
      return goal;
    }
  }
  auto targets = resolve_absolute(g, t);
  if (targets.empty()) {
    goal.unwanted.assign(g.size(), 1);
    return goal;
  }
  size_t target = targets.front();
  if (!applied[target])
    throw Error("revision " + g.at(target).id + " is not applied, so the database cannot be " +
                "downgraded to it")
        .hint("current head(s): " + (heads.empty() ? std::string("base") : ids_of(g, heads)) +
              "; use `retort upgrade " + g.at(target).id + "` to go forward");
  goal.unwanted = g.descendants({target}, true);
  goal.unwanted[target] = 0;
  return goal;
}

std::vector<Step> plan_steps(const RevisionGraph& g, const Goal& goal,
                             const std::vector<size_t>& heads) {
  auto applied = g.ancestors(heads, true);
  const auto& topo = g.topological_order();
  std::vector<Step> steps;
  if (goal.dir == Direction::kUpgrade) {
    for (size_t i : topo)
      if (goal.wanted[i] && !applied[i]) steps.push_back({i, Direction::kUpgrade});
  } else {
    for (auto it = topo.rbegin(); it != topo.rend(); ++it)
      if (goal.unwanted[*it] && applied[*it]) steps.push_back({*it, Direction::kDowngrade});
  }
  return steps;
}

std::vector<size_t> heads_after(const RevisionGraph& g, std::vector<size_t> heads,
                                const Step& step) {
  size_t r = step.rev;
  if (step.dir == Direction::kUpgrade) {
    std::erase_if(heads, [&](size_t h) { return is_ancestor(g, h, r); });
    heads.push_back(r);
    return heads;
  }
  std::erase(heads, r);
  for (size_t p : g.parents(r)) {
    bool covered =
        std::any_of(heads.begin(), heads.end(), [&](size_t h) { return is_ancestor(g, p, h); });
    if (!covered) heads.push_back(p);
  }
  return heads;
}

std::vector<size_t> resolve_stamp(const RevisionGraph& g, const Target& t,
                                  const std::vector<size_t>& heads) {
  if (t.kind == Target::kRelative) {
    size_t w = walk(g, single_current(g, heads, t), t.delta, t.text);
    return w == kBaseIndex ? std::vector<size_t>{} : std::vector<size_t>{w};
  }
  if (t.kind == Target::kLabelRelative) {
    // The branch's head moves; heads on other branches stay.
    BranchPosition pos = branch_position(g, t, heads);
    size_t w = walk(g, pos.at, t.delta, t.text, nullptr, &pos.branch);
    std::vector<size_t> out;
    for (size_t h : heads)
      if (!pos.branch[h]) out.push_back(h);
    // A revision beneath another branch's head is already recorded by it.
    bool beneath = w == kBaseIndex || std::any_of(out.begin(), out.end(),
                                                  [&](size_t h) { return is_ancestor(g, w, h); });
    if (!beneath) out.push_back(w);
    return out;
  }
  auto targets = resolve_absolute(g, t);
  if (targets.empty()) return {};
  // Heads on the same line of history as a target are replaced by it; heads
  // on unrelated branches stay.
  std::vector<size_t> out;
  for (size_t h : heads) {
    bool related = std::any_of(targets.begin(), targets.end(), [&](size_t x) {
      return is_ancestor(g, h, x) || is_ancestor(g, x, h);
    });
    if (!related) out.push_back(h);
  }
  for (size_t x : targets)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

std::vector<size_t> resolve_stamp(const RevisionGraph& g, const std::vector<Target>& targets,
                                  const std::vector<size_t>& heads) {
  if (targets.size() == 1) return resolve_stamp(g, targets.front(), heads);
  // Every target counts from the heads as they were, not as the one before
  // left them.
  std::vector<size_t> picked;
  std::vector<std::string> texts;
  for (const Target& t : targets) {
    if (t.kind == Target::kBase)
      throw Error("stamp base cannot be combined with other revisions")
          .hint("`retort stamp base` clears the version table; stamp the others after it")
          .usage();
    for (size_t r : target_revisions(g, t, heads)) {
      for (size_t k = 0; k < picked.size(); ++k)
        if (picked[k] != r && (is_ancestor(g, picked[k], r) || is_ancestor(g, r, picked[k])))
          throw Error("cannot stamp both " + g.at(picked[k]).id + " (" + texts[k] + ") and " +
                      g.at(r).id + " (" + t.text + "): one includes the other")
              .hint(
                  "stamp only the later one; revisions stamped together are on separate "
                  "branches")
              .usage();
      if (std::find(picked.begin(), picked.end(), r) == picked.end()) {
        picked.push_back(r);
        texts.push_back(t.text);
      }
    }
  }
  std::vector<size_t> out;
  for (size_t h : heads) {
    bool related = std::any_of(picked.begin(), picked.end(), [&](size_t x) {
      return is_ancestor(g, h, x) || is_ancestor(g, x, h);
    });
    if (!related) out.push_back(h);
  }
  out.insert(out.end(), picked.begin(), picked.end());
  return out;
}

std::vector<size_t> heads_from_ids(const RevisionGraph& g, const std::vector<std::string>& ids,
                                   const std::string& version_table) {
  std::vector<size_t> out;
  for (const auto& id : ids) {
    const Revision* r = g.find(id);
    if (!r) {
      // The row may hold anything someone wrote there: shown once, escaped.
      const std::string shown = quoted_for_display(id);
      const bool plain = is_valid_revision_id(id);
      throw Error("Can't locate revision identified by " + shown + ": the database's " +
                  version_table + " table names it, but no revision file defines it")
          .hint(plain ? "restore the revision file: `git log --all --name-status -S 'revision: " +
                            id + "' -- ':/*.sql'` lists the commits that added or deleted it"
                      : "that is not a revision id retort writes: the row was written by "
                        "something else")
          .hint(
              "or, if the schema really is at another revision, record that with "
              "`retort stamp --purge <revision>` (or `retort stamp --purge base`)");
    }
    out.push_back(g.index_of(*r));
  }
  return out;
}

}  // namespace retort

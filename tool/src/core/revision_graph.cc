#include "core/revision_graph.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>

#include "core/error.h"
#include "core/text.h"

namespace retort {

RevisionGraph::RevisionGraph(std::vector<Revision> revisions) : revs_(std::move(revisions)) {
  ErrorList errors;
  const size_t n = revs_.size();
  by_id_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto [it, fresh] = by_id_.emplace(revs_[i].id, i);
    if (!fresh) {
      const Revision& first = revs_[it->second];
      errors.add(Error("duplicate revision id '" + revs_[i].id + "', also defined in " + first.path)
                     .at(revs_[i].path, revs_[i].id_line)
                     .hint("give one of them a new id (retort revision makes fresh ones)"));
    }
  }
  // A label names one branch: two revisions carrying it would make
  // label@head mean whichever the search met first.
  std::unordered_map<std::string_view, size_t> label_owner;
  for (size_t i = 0; i < n; ++i) {
    const Revision& r = revs_[i];
    for (const std::string& label : r.branch_labels) {
      auto [it, fresh] = label_owner.emplace(label, i);
      if (fresh || it->second == i) {
        if (!fresh)
          errors.add(Error("branch label '" + label + "' is listed twice")
                         .at(r.path, r.branch_labels_line));
        continue;
      }
      const Revision& first = revs_[it->second];
      errors.add(Error("branch label '" + label + "' of revision " + r.id +
                       " is already used by revision " + first.id + " in " + first.path)
                     .at(r.path, r.branch_labels_line ? r.branch_labels_line : r.id_line)
                     .hint("a branch label names one branch: rename or remove one of them"));
    }
  }
  parents_.assign(n, {});
  deps_.assign(n, {});
  children_.assign(n, {});
  dependents_.assign(n, {});
  auto link = [&](size_t i, const std::vector<std::string>& ids, std::vector<size_t>& out,
                  const char* header) {
    for (const auto& id : ids) {
      auto it = by_id_.find(id);
      if (it == by_id_.end()) {
        errors.add(Error("Can't locate revision identified by '" + id + "' (named by " + header +
                         " of " + revs_[i].id + ")")
                       .at(revs_[i].path, revs_[i].down_revision_line)
                       .hint("restore the revision file that defines '" + id +
                             "', or point this revision's " + header + " at an existing revision"));
        continue;
      }
      out.push_back(it->second);
    }
  };
  for (size_t i = 0; i < n; ++i) {
    link(i, revs_[i].down_revisions, parents_[i], "down_revision");
    link(i, revs_[i].depends_on, deps_[i], "depends_on");
    for (size_t p : parents_[i])
      children_[p].push_back(i);
    for (size_t d : deps_[i])
      dependents_[d].push_back(i);
  }

  // Kahn's algorithm; anything left over sits on a cycle.
  std::vector<size_t> pending(n);
  for (size_t i = 0; i < n; ++i)
    pending[i] = parents_[i].size() + deps_[i].size();
  // A min-heap keeps the order stable: among revisions whose parents are
  // done, the one whose file sorts first comes first.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push(i);
  topo_.reserve(n);
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    topo_.push_back(i);
    auto release = [&](const std::vector<size_t>& next) {
      for (size_t c : next)
        if (--pending[c] == 0) ready.push(c);
    };
    release(children_[i]);
    release(dependents_[i]);
  }
  if (topo_.size() != n) report_cycles(pending, errors);
  errors.throw_if_any();
}

// Everything Kahn's algorithm left is on a cycle or downstream of one. From
// each leftover revision, walk to a leftover parent (or dependency) until the
// walk repeats: a revision met twice on this walk closes a new cycle, one
// met on an earlier walk means this walk only led into a known cycle.
void RevisionGraph::report_cycles(const std::vector<size_t>& pending, ErrorList& errors) const {
  const size_t n = revs_.size();
  enum : char { kUnseen, kOnWalk, kDone };
  std::vector<char> state(n, kUnseen);
  for (size_t start = 0; start < n; ++start) {
    if (!pending[start] || state[start] != kUnseen) continue;
    std::vector<size_t> walk;
    std::vector<char> via_dep;  // via_dep[k]: walk[k] reaches walk[k+1] through depends_on
    size_t cur = start;
    while (state[cur] == kUnseen) {
      state[cur] = kOnWalk;
      walk.push_back(cur);
      size_t next = cur;
      bool dep = false;
      for (size_t p : parents_[cur])
        if (pending[p]) next = p;
      if (next == cur)
        for (size_t d : deps_[cur])
          if (pending[d]) next = d, dep = true;
      via_dep.push_back(dep);
      cur = next;
    }
    const bool closes = state[cur] == kOnWalk;
    for (size_t i : walk)
      state[i] = kDone;
    if (!closes) continue;
    auto from = static_cast<size_t>(std::find(walk.begin(), walk.end(), cur) - walk.begin());
    std::vector<size_t> loop(walk.begin() + static_cast<long>(from), walk.end());
    std::vector<char> dep(via_dep.begin() + static_cast<long>(from), via_dep.end());
    // Start at the revision whose file sorts first, so the message is stable.
    auto first = static_cast<long>(std::min_element(loop.begin(), loop.end()) - loop.begin());
    std::rotate(loop.begin(), loop.begin() + first, loop.end());
    std::rotate(dep.begin(), dep.begin() + first, dep.end());
    add_cycle_error(loop, dep, errors);
  }
}

void RevisionGraph::add_cycle_error(const std::vector<size_t>& loop, const std::vector<char>& dep,
                                    ErrorList& errors) const {
  constexpr size_t kShown = 20;
  const bool any_dep = std::find(dep.begin(), dep.end(), 1) != dep.end();
  const bool any_down = std::find(dep.begin(), dep.end(), 0) != dep.end();
  std::string chain;
  for (size_t k = 0; k < loop.size() && k < kShown; ++k)
    chain += revs_[loop[k]].id + " -> ";
  if (loop.size() > kShown) chain += "... (" + std::to_string(loop.size()) + " revisions) -> ";
  chain += revs_[loop.front()].id;
  const Revision& first = revs_[loop.front()];
  std::string through = any_dep && any_down ? "down_revision and depends_on"
                        : any_dep           ? "depends_on"
                                            : "down_revision";
  Error e("revision '" + first.id + "' is part of a cycle through " + through + ": " + chain);
  e.at(first.path,
       dep.front() && first.depends_on_line ? first.depends_on_line : first.down_revision_line);
  if (any_dep && any_down) {
    std::vector<std::string> named;
    for (size_t k = 0; k < loop.size() && named.size() < kShown; ++k)
      if (dep[k])
        named.push_back(revs_[loop[k]].id + "'s depends_on names " +
                        revs_[loop[(k + 1) % loop.size()]].id);
    e.hint("A -> B: A's down_revision names B, except where " + join(named, "; "));
  }
  e.hint(
      "down_revision and depends_on must name older revisions: point one of these at a "
      "revision outside the cycle, or remove it");
  errors.add(std::move(e));
}

const Revision* RevisionGraph::find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &revs_[it->second];
}

const Revision& RevisionGraph::resolve(std::string_view id) const {
  if (const Revision* r = find(id)) return *r;
  const std::string shown = quoted_for_display(id);
  if (!is_valid_revision_id(id))
    throw Error(shown + " is not a revision id")
        .hint("revision ids are letters, digits and '_'; see `retort history`");
  if (id.size() < 4)
    throw Error("revision prefix " + shown + " is too short")
        .hint("give at least 4 characters of the revision id");
  std::vector<std::string> matches;
  for (const auto& r : revs_)
    if (r.id.compare(0, id.size(), id) == 0) matches.push_back(r.id);
  if (matches.empty())
    throw Error("Can't locate revision identified by " + shown)
        .hint("see `retort history` for the revisions that exist");
  if (matches.size() > 1) {
    // A short prefix of a big history can match thousands: list a few.
    constexpr size_t kListed = 10;
    std::sort(matches.begin(), matches.end());
    std::string listed =
        join({matches.begin(), matches.begin() + std::min(matches.size(), kListed)}, ", ");
    if (matches.size() > kListed)
      listed += " and " + std::to_string(matches.size() - kListed) + " more";
    throw Error("revision prefix " + shown + " is ambiguous: " + listed)
        .hint("give more characters of the revision id");
  }
  return *find(matches.front());
}

const Revision& RevisionGraph::resolve_one(std::string_view expr) const {
  const std::string shown = quoted_for_display(expr);
  auto ids_of = [](const std::vector<const Revision*>& revs) {
    std::vector<std::string> ids;
    for (const auto* r : revs)
      ids.push_back(r->id);
    return join(ids, ", ");
  };
  const char* forms =
      "name one revision: an id, a unique prefix of 4+ characters, head, or LABEL@head";
  if (expr == "head") {
    auto hs = heads();
    if (hs.empty()) throw Error("there is no head: no revision exists yet");
    if (hs.size() > 1)
      throw Error("Multiple head revisions are present: " + ids_of(hs))
          .hint("name one of them by id or as LABEL@head");
    return *hs.front();
  }
  if (expr == "heads" || expr == "base")
    throw Error(shown + " does not name a single revision").hint(forms);
  if (size_t at = expr.find('@'); at != std::string_view::npos) {
    auto name = expr.substr(0, at);
    if (expr.substr(at + 1) != "head" || name.empty())
      throw Error(shown + " is not a revision").hint(forms);
    std::vector<const Revision*> hs;
    if (has_label(name)) {
      hs = heads_of_label(name);
    } else {
      // ID@head: the head of the branch that revision is on, as in Alembic.
      const Revision* r = nullptr;
      try {
        r = &resolve(name);
      } catch (const Error&) {
        throw Error("no revision carries the branch label " + quoted_for_display(name))
            .hint("see `retort branches` and `retort history --verbose`");
      }
      hs = heads_from({index_of(*r)});
    }
    if (hs.size() > 1)
      throw Error("branch '" + std::string(name) + "' has several heads: " + ids_of(hs))
          .hint("name one of them by id, or merge them");
    return *hs.front();
  }
  if (!is_valid_revision_id(expr)) throw Error(shown + " is not a revision").hint(forms);
  return resolve(expr);
}

std::vector<const Revision*> RevisionGraph::heads() const {
  std::vector<const Revision*> out;
  for (size_t i = 0; i < revs_.size(); ++i)
    if (children_[i].empty()) out.push_back(&revs_[i]);
  return out;
}

std::vector<const Revision*> RevisionGraph::bases() const {
  std::vector<const Revision*> out;
  for (const auto& r : revs_)
    if (r.is_root()) out.push_back(&r);
  return out;
}

bool RevisionGraph::has_label(std::string_view label) const {
  return labelled(label) != nullptr;
}

const Revision* RevisionGraph::labelled(std::string_view label) const {
  for (const auto& r : revs_)
    if (std::find(r.branch_labels.begin(), r.branch_labels.end(), label) != r.branch_labels.end())
      return &r;
  return nullptr;
}

std::vector<const Revision*> RevisionGraph::heads_of_label(std::string_view label) const {
  const Revision* r = labelled(label);
  return r ? heads_from({index_of(*r)}) : std::vector<const Revision*>{};
}

std::vector<const Revision*> RevisionGraph::heads_from(const std::vector<size_t>& start) const {
  auto below = descendants(start, false);
  std::vector<const Revision*> out;
  for (size_t i = 0; i < revs_.size(); ++i)
    if (below[i] && children_[i].empty()) out.push_back(&revs_[i]);
  return out;
}

std::vector<char> RevisionGraph::reach(const std::vector<size_t>& start,
                                       const std::vector<std::vector<size_t>>& primary,
                                       const std::vector<std::vector<size_t>>* secondary) const {
  std::vector<char> seen(revs_.size(), 0);
  std::vector<size_t> stack(start);
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    if (seen[i]) continue;
    seen[i] = 1;
    stack.insert(stack.end(), primary[i].begin(), primary[i].end());
    if (secondary) stack.insert(stack.end(), (*secondary)[i].begin(), (*secondary)[i].end());
  }
  return seen;
}

std::vector<char> RevisionGraph::ancestors(const std::vector<size_t>& start,
                                           bool with_dependencies) const {
  return reach(start, parents_, with_dependencies ? &deps_ : nullptr);
}

std::vector<char> RevisionGraph::descendants(const std::vector<size_t>& start,
                                             bool with_dependencies) const {
  return reach(start, children_, with_dependencies ? &dependents_ : nullptr);
}

}  // namespace retort

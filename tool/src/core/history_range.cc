#include "core/history_range.h"

#include <string>

#include "core/error.h"
#include "core/plan.h"
#include "core/target.h"

namespace retort {

namespace {

// One end of the range: the revisions it names, or no bound at all.
struct Bound {
  bool unbounded = true;
  std::vector<size_t> revisions;
};

// Everything within `steps` steps of `start` along `next` (parents or
// children), the starts included.
std::vector<char> within(const RevisionGraph& g, const std::vector<size_t>& start, int steps,
                         bool upwards) {
  std::vector<char> seen(g.size(), 0);
  std::vector<size_t> frontier = start;
  for (size_t s : start)
    seen[s] = 1;
  for (int d = 0; d < steps && !frontier.empty(); ++d) {
    std::vector<size_t> next;
    for (size_t f : frontier)
      for (size_t n : upwards ? g.children(f) : g.parents(f))
        if (!seen[n]) seen[n] = 1, next.push_back(n);
    frontier = std::move(next);
  }
  return seen;
}

std::vector<size_t> all_of(const RevisionGraph& g, const std::vector<const Revision*>& revs) {
  std::vector<size_t> out;
  for (const Revision* r : revs)
    out.push_back(g.index_of(*r));
  return out;
}

Bound resolve_bound(const RevisionGraph& g, const std::string& text, bool is_start,
                    const std::function<std::vector<size_t>()>& current) {
  Bound b;
  if (text.empty()) return b;
  if (is_start && text == "base") return b;
  if (!is_start && (text == "head" || text == "heads")) return b;
  b.unbounded = false;
  if (text == "current") {
    b.revisions = current();
    return b;
  }
  Target t = parse_target(text);
  // Only what a relative form counts from needs the database.
  b.revisions =
      target_revisions(g, t, t.counts_from_database() ? current() : std::vector<size_t>{});
  return b;
}

bool is_steps(const std::string& text, char sign) {
  return text.size() > 1 && text[0] == sign &&
         text.find_first_not_of("0123456789", 1) == std::string::npos;
}

}  // namespace

std::vector<char> select_history_range(const RevisionGraph& g, std::string_view range,
                                       const std::function<std::vector<size_t>()>& current) {
  auto colon = range.find(':');
  if (colon == std::string_view::npos)
    throw Error("-r needs START:END, e.g. -r base:head, -r -3: or -r current:head").usage();
  std::string start(range.substr(0, colon)), end(range.substr(colon + 1));
  const bool start_steps = is_steps(start, '-'), end_steps = is_steps(end, '+');
  if (start_steps && end_steps)
    throw Error("-r " + std::string(range) + ": one end must name a revision").usage();

  std::vector<char> shown(g.size(), 1);
  auto intersect = [&shown](const std::vector<char>& v) {
    for (size_t i = 0; i < shown.size(); ++i)
      shown[i] = shown[i] && v[i];
  };
  if (start_steps) {
    Bound to = resolve_bound(g, end, false, current);
    std::vector<size_t> from = to.unbounded ? all_of(g, g.heads()) : to.revisions;
    intersect(within(g, from, parse_target(start).delta * -1, false));
    return shown;
  }
  if (end_steps) {
    Bound from = resolve_bound(g, start, true, current);
    int steps = parse_target(end).delta;
    // From base, the first revisions are one step up.
    std::vector<size_t> origin = from.unbounded ? all_of(g, g.bases()) : from.revisions;
    intersect(within(g, origin, from.unbounded ? steps - 1 : steps, true));
    return shown;
  }
  Bound from = resolve_bound(g, start, true, current);
  Bound to = resolve_bound(g, end, false, current);
  if (!from.unbounded) intersect(g.descendants(from.revisions, true));
  if (!to.unbounded) intersect(g.ancestors(to.revisions, true));
  return shown;
}

}  // namespace retort

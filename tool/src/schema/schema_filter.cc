#include "schema/schema_filter.h"

#include <fnmatch.h>

#include "core/text.h"

namespace retort {

bool excluded_by(const std::vector<std::string>& globs, const std::string& name) {
  const std::string n = to_lower(name);
  for (const auto& g : globs)
    if (::fnmatch(to_lower(g).c_str(), n.c_str(), 0) == 0) return true;
  return false;
}

namespace {

// Erases the entries of `m` for which `gone` holds, noting each as `kind`.
template <typename Map, typename Pred>
void erase_if(Map& m, const std::string& kind, Pred gone, std::set<std::string>& removed) {
  for (auto it = m.begin(); it != m.end();) {
    if (gone(it->second)) {
      removed.insert(kind + " " + it->second.name);
      it = m.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

void exclude_objects(Schema& s, const std::vector<std::string>& globs,
                     std::set<std::string>& removed) {
  if (globs.empty()) return;
  auto named = [&](const auto& x) { return excluded_by(globs, x.name); };
  erase_if(s.tables, "table", named, removed);
  erase_if(s.views, "view", named, removed);
  // What an excluded table or view holds goes with it, uncounted.
  std::set<std::string> unused;
  auto on_excluded = [&](const auto& x) {
    return excluded_by(globs, x.table) && !s.tables.count(key_of(x.table)) &&
           !s.views.count(key_of(x.table));
  };
  erase_if(s.indexes, "index", on_excluded, unused);
  erase_if(s.triggers, "trigger", on_excluded, unused);
  erase_if(s.indexes, "index", named, removed);
  erase_if(s.triggers, "trigger", named, removed);
  erase_if(s.sequences, "sequence", named, removed);
  erase_if(s.enums, "type", named, removed);
}

}  // namespace retort

#include "cli/revision_format.h"

#include "core/text.h"

namespace retort {

std::string revision_flags(const RevisionGraph& g, size_t i, const std::vector<char>* current) {
  const Revision& r = g.at(i);
  std::string out;
  if (!r.branch_labels.empty()) out += " (" + join(r.branch_labels, ", ") + ")";
  if (g.children(i).empty()) out += " (head)";
  if (g.children(i).size() > 1) out += " (branchpoint)";
  if (r.is_merge()) out += " (mergepoint)";
  if (current && (*current)[i]) out += " (current)";
  return out;
}

std::string history_line(const RevisionGraph& g, size_t i, const std::vector<char>* current) {
  const Revision& r = g.at(i);
  std::string from = r.is_root() ? "<base>" : join(r.down_revisions, ", ");
  return from + " -> " + r.id + revision_flags(g, i, current) + ", " + r.message;
}

std::string verbose_block(const RevisionGraph& g, size_t i, const std::vector<char>* current) {
  const Revision& r = g.at(i);
  std::string out = "Rev: " + r.id + revision_flags(g, i, current) + "\n";
  out += (r.is_merge() ? "Merges: " : "Parent: ") +
         (r.is_root() ? std::string("<base>") : join(r.down_revisions, ", ")) + "\n";
  if (!r.depends_on.empty()) out += "Also depends on: " + join(r.depends_on, ", ") + "\n";
  if (g.children(i).size() > 1) {
    std::vector<std::string> kids;
    for (size_t c : g.children(i))
      kids.push_back(g.at(c).id);
    out += "Branches into: " + join(kids, ", ") + "\n";
  }
  if (!r.branch_labels.empty()) out += "Branch names: " + join(r.branch_labels, ", ") + "\n";
  out += "Path: " + r.path + "\n";
  if (!r.created.empty()) out += "Created: " + r.created + "\n";
  if (!r.upgrade.transactional || !r.downgrade.transactional)
    out += "Transaction: none for some sections\n";
  if (r.downgrade.irreversible) out += "Downgrade: irreversible\n";
  out += "\n    " + r.message + "\n";
  return out;
}

}  // namespace retort

// The revision graph: revisions linked by down_revision (and depends_on).
// It knows nothing about files or databases, so it can be built and tested
// from revisions made in memory.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/revision.h"

namespace retort {

class ErrorList;

class RevisionGraph {
 public:
  // Validates duplicates, missing parents and cycles, reporting every problem
  // with the file that causes it. Throws Error.
  explicit RevisionGraph(std::vector<Revision> revisions);
  // by_id_ holds views into revs_: moving keeps them valid, copying would not.
  RevisionGraph(RevisionGraph&&) = default;
  RevisionGraph(const RevisionGraph&) = delete;
  RevisionGraph& operator=(const RevisionGraph&) = delete;

  size_t size() const { return revs_.size(); }
  const Revision& at(size_t i) const { return revs_[i]; }
  const std::vector<Revision>& revisions() const { return revs_; }

  // Exact id, or nullptr.
  const Revision* find(std::string_view id) const;
  // Exact id or a unique prefix of at least 4 characters; throws Error otherwise.
  const Revision& resolve(std::string_view id_or_prefix) const;
  // One revision, named any way the README's targets name exactly one: an id
  // or unique prefix, 'head' (the only head), or LABEL@head / ID@head (the
  // single head of that branch). Throws Error saying why it is not one.
  const Revision& resolve_one(std::string_view expr) const;
  size_t index_of(const Revision& r) const { return static_cast<size_t>(&r - revs_.data()); }

  const std::vector<size_t>& parents(size_t i) const { return parents_[i]; }    // down_revision
  const std::vector<size_t>& dependencies(size_t i) const { return deps_[i]; }  // depends_on
  const std::vector<size_t>& children(size_t i) const { return children_[i]; }

  std::vector<const Revision*> heads() const;  // in file-name order
  std::vector<const Revision*> bases() const;
  // Heads of the branch carrying `label`.
  std::vector<const Revision*> heads_of_label(std::string_view label) const;
  // The heads that descend from `start` (a start that is a head among them).
  std::vector<const Revision*> heads_from(const std::vector<size_t>& start) const;
  bool has_label(std::string_view label) const;
  // The revision carrying `label`, or nullptr (labels are unique).
  const Revision* labelled(std::string_view label) const;

  // Marks every revision reachable from `start` through down_revision (and
  // depends_on when `with_dependencies`), including the starts themselves.
  std::vector<char> ancestors(const std::vector<size_t>& start, bool with_dependencies) const;
  std::vector<char> descendants(const std::vector<size_t>& start, bool with_dependencies) const;
  // Indices in an order where every revision follows its parents and
  // dependencies; stable with respect to file order.
  const std::vector<size_t>& topological_order() const { return topo_; }

 private:
  // Marks everything reachable from `start` along the edge lists.
  std::vector<char> reach(const std::vector<size_t>& start,
                          const std::vector<std::vector<size_t>>& primary,
                          const std::vector<std::vector<size_t>>* secondary) const;
  // Names each cycle among the revisions left `pending` by the topological sort.
  void report_cycles(const std::vector<size_t>& pending, ErrorList& errors) const;
  void add_cycle_error(const std::vector<size_t>& loop, const std::vector<char>& via_dep,
                       ErrorList& errors) const;

  std::vector<Revision> revs_;
  std::unordered_map<std::string_view, size_t> by_id_;
  std::vector<std::vector<size_t>> parents_, deps_, children_, dependents_;
  std::vector<size_t> topo_;
};

}  // namespace retort

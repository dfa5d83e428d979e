#include "cli/revision_json.h"

namespace retort {

Json revision_json(const RevisionGraph& g, size_t i) {
  const Revision& r = g.at(i);
  Json o = Json::object();
  o.set("revision", r.id);
  o.set("down_revisions", r.down_revisions);
  o.set("depends_on", r.depends_on);
  o.set("branch_labels", r.branch_labels);
  o.set("message", r.message);
  o.set("created", r.created.empty() ? Json() : Json(r.created));
  o.set("path", r.path);
  o.set("is_base", r.is_root());
  o.set("is_head", g.children(i).empty());
  o.set("is_branch_point", g.children(i).size() > 1);
  o.set("is_merge_point", r.is_merge());
  return o;
}

Json partial_json(const Partial& p) {
  Json o = Json::object();
  o.set("revision", p.revision);
  o.set("direction", p.direction == Direction::kUpgrade ? "upgrade" : "downgrade");
  o.set("statements_done", p.done);
  o.set("statements_total", p.total);
  o.set("running_statement", p.running > 0 ? Json(p.running) : Json());
  o.set("summary", p.summary());
  return o;
}

}  // namespace retort

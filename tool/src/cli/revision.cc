// retort revision -m MSG
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/revision_writer.h"
#include "core/text.h"
#include "migrate/autogenerate.h"

namespace retort {

namespace {

// The shape of a revision reference (ID, prefix, head, NAME@head); whether it
// exists is the graph's business.
bool is_target_syntax(const std::string& s) {
  size_t at = s.find('@');
  if (at == std::string::npos) return is_valid_revision_id(s);
  return s.substr(at + 1) == "head" && is_valid_revision_id(s.substr(0, at));
}

}  // namespace

int run_revision(Context& ctx) {
  ArgParser p("revision -m MESSAGE [options]",
              "Write a new revision file from script.sql.tmpl. Its down_revision is the current "
              "head of the revision graph.");
  std::string message, env_var, head, rev_id;
  std::vector<std::string> depends_on, labels;
  bool autogenerate = false, empty = false, splice = false;
  std::vector<std::string> models;
  p.option("message,m", "MESSAGE", "what the revision does", &message);
  p.option("message-from-env", "VAR", "read the message from environment variable VAR (for make)",
           &env_var);
  p.option("head", "REV",
           "parent revision: an id, a prefix, head or LABEL@head (default: the single head; "
           "'base' starts a new root)",
           &head);
  p.flag("splice",
         "allow --head to name a revision that is not a head, starting a new branch from it",
         &splice);
  p.option("rev-id", "ID", "use this revision id instead of a random one", &rev_id);
  p.repeated("depends-on", "REV", "revision this one depends on (repeatable)", &depends_on);
  p.repeated("branch-label", "LABEL", "branch label for this revision (repeatable)", &labels);
  p.flag("autogenerate",
         "generate the SQL from the models (the default when retort.ini lists models)",
         &autogenerate);
  p.flag("empty", "write an empty revision even when models are configured", &empty);
  p.repeated("models", "GLOB", "model files to use instead of retort.ini's models (repeatable)",
             &models);
  if (!ctx.parse(p)) return kExitOk;

  // Checked before anything else, so a bad value is reported as the option
  // it came from, not as the template rendering a broken revision.
  if (!rev_id.empty() && !is_valid_revision_id(rev_id))
    throw Error("--rev-id " + quoted_for_display(rev_id) + " is not a revision id")
        .hint("use letters, digits and '_'")
        .usage();
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!is_valid_revision_id(labels[i]))
      throw Error("--branch-label '" + labels[i] + "' is not a valid branch label")
          .hint("labels are letters, digits and '_'")
          .usage();
    for (size_t k = 0; k < i; ++k)
      if (labels[k] == labels[i])
        throw Error("--branch-label '" + labels[i] + "' is given twice").usage();
  }
  for (const auto& d : depends_on)
    if (!is_target_syntax(d))
      throw Error("--depends-on '" + d + "' is not a revision")
          .hint("give an id, a unique prefix of 4+ characters, head, or LABEL@head")
          .usage();

  std::string msg = required_message(message, env_var);
  if (autogenerate && empty)
    throw Error("--autogenerate and --empty contradict each other").usage();
  // Configuring models opts in: `make db-new` autogenerates, as the guide's
  // workflow expects; --empty is the way to a hand-written revision.
  if (!empty && (!ctx.config().models.empty() || !models.empty())) autogenerate = true;

  const auto& g = ctx.graph(ParseDepth::kHeaders);
  NewRevision nr;
  nr.id = rev_id;
  nr.message = msg;
  nr.branch_labels = labels;
  if (!rev_id.empty() && g.find(rev_id))
    throw Error("revision id '" + rev_id + "' already exists").at(g.find(rev_id)->path);
  for (const auto& l : labels)
    if (const Revision* owner = g.labelled(l))
      throw Error("branch label '" + l + "' is already used by revision " + owner->id)
          .at(owner->path, owner->branch_labels_line)
          .hint("choose another label; to add a revision to that branch, use `--head " + l +
                "@head`");
  for (const auto& d : depends_on)
    nr.depends_on.push_back(g.resolve_one(d).id);
  if (head == "base") {
    // a new root
  } else if (!head.empty()) {
    const Revision& parent = g.resolve_one(head);
    size_t pi = g.index_of(parent);
    if (!g.children(pi).empty() && !splice) {
      // As Alembic: branching off the middle of history is allowed, but only
      // on purpose.
      std::vector<std::string> later;
      for (const Revision* h : g.heads_from({pi}))
        later.push_back(h->id);
      throw Error("revision " + parent.id + " is not a head; " +
                  (later.size() == 1 ? "its branch's head is " : "its branch's heads are ") +
                  join(later, ", "))
          .hint((later.size() == 1 ? "to continue that branch, use --head " + later.front()
                                   : std::string("to continue one of them, give it as --head")) +
                "; to start a new branch from " + parent.id + " on purpose, add --splice");
    }
    nr.down_revisions.push_back(parent.id);
  } else {
    auto heads = g.heads();
    if (heads.size() > 1) {
      std::vector<std::string> ids;
      for (auto* h : heads)
        ids.push_back(h->id);
      throw Error("Multiple heads are present: " + join(ids, ", "))
          .hint(
              "merge them first with `retort merge -m \"merge heads\" heads`, or pick a parent "
              "with --head REV");
    }
    if (!heads.empty()) nr.down_revisions.push_back(heads.front()->id);
  }
  const auto& c = ctx.config();
  if (autogenerate) {
    auto driver = ctx.connect(/*create_if_missing=*/false);
    AutogenerateRequest req;
    req.config = &c;
    req.model_globs = models;
    req.graph = &g;
    req.target = driver.get();
    req.backend = &backend_of(ctx.url());
    req.migrate = ctx.migrate_options();
    SchemaChanges changes = retort::autogenerate(req);
    if (changes.empty()) {
      if (ctx.verbosity() > 0)
        ctx.out() << "No changes detected\n"
                     "The models match the database; no revision written. For a hand-written "
                     "revision (data, say), pass --empty.\n";
      return kExitOk;
    }
    if (ctx.verbosity() > 0)
      for (const auto& op : changes.changes)
        ctx.out() << "Detected " << describe(op) << "\n";
    nr.upgrade_sql = changes.upgrade_sql;
    nr.downgrade_sql = changes.downgrade_sql;
  }
  std::string path = write_revision(c.script_location, c.file_template, c.timezone != "local", nr);
  if (ctx.verbosity() > 0) ctx.out() << "Generating " << display_path(path) << " ... done\n";
  return kExitOk;
}

}  // namespace retort

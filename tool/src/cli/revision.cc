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

struct RevisionArgs {
  std::string message, env_var, head, rev_id;
  std::vector<std::string> depends_on, labels;
  bool autogenerate = false, empty = false, splice = false;
  std::vector<std::string> models;
};

void add_revision_options(ArgParser& p, RevisionArgs& a) {
  p.option("message,m", "MESSAGE", "what the revision does", &a.message);
  p.option("message-from-env", "VAR", "read the message from environment variable VAR (for make)",
           &a.env_var);
  p.option("head", "REV",
           "parent revision: an id, a prefix, head or LABEL@head (default: the single head; "
           "'base' starts a new root)",
           &a.head);
  p.flag("splice",
         "allow --head to name a revision that is not a head, starting a new branch from it",
         &a.splice);
  p.option("rev-id", "ID", "use this revision id instead of a random one", &a.rev_id);
  p.repeated("depends-on", "REV", "revision this one depends on (repeatable)", &a.depends_on);
  p.repeated("branch-label", "LABEL", "branch label for this revision (repeatable)", &a.labels);
  p.flag("autogenerate",
         "generate the SQL from the models (the default when retort.ini lists models)",
         &a.autogenerate);
  p.flag("empty", "write an empty revision even when models are configured", &a.empty);
  p.repeated("models", "GLOB", "model files to use instead of retort.ini's models (repeatable)",
             &a.models);
}

// The shape of a revision reference (ID, prefix, head, NAME@head); whether it
// exists is the graph's business.
bool is_target_syntax(const std::string& s) {
  size_t at = s.find('@');
  if (at == std::string::npos) return is_valid_revision_id(s);
  return s.substr(at + 1) == "head" && is_valid_revision_id(s.substr(0, at));
}

// Checked before anything else, so a bad value is reported as the option
// it came from, not as the template rendering a broken revision.
void check_option_syntax(const RevisionArgs& a) {
  if (!a.rev_id.empty() && !is_valid_revision_id(a.rev_id))
    throw Error("--rev-id " + quoted_for_display(a.rev_id) + " is not a revision id")
        .hint("use letters, digits and '_'")
        .usage();
  for (size_t i = 0; i < a.labels.size(); ++i) {
    if (!is_valid_revision_id(a.labels[i]))
      throw Error("--branch-label '" + a.labels[i] + "' is not a valid branch label")
          .hint("labels are letters, digits and '_'")
          .usage();
    for (size_t k = 0; k < i; ++k)
      if (a.labels[k] == a.labels[i])
        throw Error("--branch-label '" + a.labels[i] + "' is given twice").usage();
  }
  for (const auto& d : a.depends_on)
    if (!is_target_syntax(d))
      throw Error("--depends-on '" + d + "' is not a revision")
          .hint("give an id, a unique prefix of 4+ characters, head, or LABEL@head")
          .usage();
}

// The id and the labels are the new revision's own: no other may have them.
void check_not_taken(const RevisionGraph& g, const RevisionArgs& a) {
  if (!a.rev_id.empty() && g.find(a.rev_id))
    throw Error("revision id '" + a.rev_id + "' already exists").at(g.find(a.rev_id)->path);
  for (const auto& l : a.labels)
    if (const Revision* owner = g.labelled(l))
      throw Error("branch label '" + l + "' is already used by revision " + owner->id)
          .at(owner->path, owner->branch_labels_line)
          .hint("choose another label; to add a revision to that branch, use `--head " + l +
                "@head`");
}

// --head REV. As Alembic: branching off the middle of history is allowed, but
// only on purpose (--splice).
std::string named_parent(const RevisionGraph& g, const std::string& head, bool splice) {
  const Revision& parent = g.resolve_one(head);
  size_t pi = g.index_of(parent);
  if (!g.children(pi).empty() && !splice) {
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
  return parent.id;
}

// Without --head the parent is the one head; with several, which one is the
// user's choice.
std::vector<std::string> single_head(const RevisionGraph& g) {
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
  if (heads.empty()) return {};
  return {heads.front()->id};
}

std::vector<std::string> down_revisions(const RevisionGraph& g, const RevisionArgs& a) {
  if (a.head == "base") return {};  // a new root
  if (!a.head.empty()) return {named_parent(g, a.head, a.splice)};
  return single_head(g);
}

// Fills the revision's SQL from the models; false when they match the
// database, and then nothing is written.
bool add_autogenerated_sql(Context& ctx, const RevisionGraph& g, const RevisionArgs& a,
                           NewRevision& nr) {
  auto driver = ctx.connect(/*create_if_missing=*/false);
  AutogenerateRequest req;
  req.config = &ctx.config();
  req.model_globs = a.models;
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
    return false;
  }
  if (ctx.verbosity() > 0)
    for (const auto& op : changes.changes)
      ctx.out() << "Detected " << describe(op) << "\n";
  nr.upgrade_sql = changes.upgrade_sql;
  nr.downgrade_sql = changes.downgrade_sql;
  return true;
}

}  // namespace

int run_revision(Context& ctx) {
  ArgParser p("revision -m MESSAGE [options]",
              "Write a new revision file from script.sql.tmpl. Its down_revision is the current "
              "head of the revision graph.");
  RevisionArgs a;
  add_revision_options(p, a);
  if (!ctx.parse(p)) return kExitOk;
  check_option_syntax(a);

  std::string msg = required_message(a.message, a.env_var);
  if (a.autogenerate && a.empty)
    throw Error("--autogenerate and --empty contradict each other").usage();
  // Configuring models opts in: `make db-new` autogenerates, as the guide's
  // workflow expects; --empty is the way to a hand-written revision.
  if (!a.empty && (!ctx.config().models.empty() || !a.models.empty())) a.autogenerate = true;

  const auto& g = ctx.graph(ParseDepth::kHeaders);
  NewRevision nr;
  nr.id = a.rev_id;
  nr.message = msg;
  nr.branch_labels = a.labels;
  check_not_taken(g, a);
  for (const auto& d : a.depends_on)
    nr.depends_on.push_back(g.resolve_one(d).id);
  nr.down_revisions = down_revisions(g, a);
  if (a.autogenerate && !add_autogenerated_sql(ctx, g, a, nr)) return kExitOk;
  const auto& c = ctx.config();
  std::string path = write_revision(c.script_location, c.file_template, c.timezone != "local", nr);
  if (ctx.verbosity() > 0) ctx.out() << "Generating " << display_path(path) << " ... done\n";
  return kExitOk;
}

}  // namespace retort

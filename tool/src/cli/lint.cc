// retort lint [FILE...]
#include <filesystem>
#include <iostream>

#include "backend/backend.h"
#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/revision.h"
#include "core/script_directory.h"
#include "core/text.h"

namespace retort {

namespace {

// The configured database, when a URL names one: SQL is read as it reads
// it (MariaDB's backslash escapes and # comments). Lint never needs a URL,
// so a missing or broken one is no error; SQL is then read as SQLite and
// PostgreSQL read it.
const Backend* lint_backend(Context& ctx) {
  try {
    return &backend_of(ctx.url());
  } catch (const Error&) {
    return nullptr;
  }
}

// Where DDL commits as it runs, a statement after a DDL statement that
// fails leaves the revision partly applied: said once per section, as a
// warning, since the revision is valid.
void warn_partial_risk(const Backend& b, const Revision& r, std::ostream& err) {
  if (b.capabilities().transactional_ddl) return;
  for (const Section* sec : {&r.upgrade, &r.downgrade}) {
    if (!sec->marker_line) continue;
    auto spans = sql::split_statements(sec->sql, b.lexer_options());
    for (size_t i = 0; i + 1 < spans.size(); ++i) {
      std::string_view stmt =
          std::string_view(sec->sql).substr(spans[i].begin, spans[i].end - spans[i].begin);
      if (!b.commits_implicitly(stmt)) continue;
      int ddl_line = line_at(sec->sql, spans[i].begin, sec->first_line);
      int next_line = line_at(sec->sql, spans[i + 1].begin, sec->first_line);
      err << "retort: warning: " << r.path << ":" << next_line << ": statement " << i + 2
          << " of revision " << r.id << " follows DDL that " << b.title()
          << " commits as it runs (line " << ddl_line
          << "): if it fails, the revision is left partly applied\n"
          << "  hint: retort records that and continues there once it is fixed; to keep each "
             "revision all or nothing, give each DDL statement a revision of its own\n";
      break;
    }
  }
}

}  // namespace

int run_lint(Context& ctx) {
  ArgParser p("lint [FILE...] [--allow-multiple-heads]",
              "Check revision files without a database. With FILEs, check each file on its own "
              "(the build runs this per file), including BEGIN/COMMIT/ROLLBACK in a transactional "
              "section. Without, load the whole migration directory and check every file and the "
              "graph: duplicate ids and branch labels, missing parents, cycles and unmerged "
              "heads.");
  std::vector<std::string> files;
  bool allow_heads = false;
  p.positional("FILE", "revision files to check", &files, -1);
  p.flag("allow-multiple-heads", "accept several unmerged heads", &allow_heads);
  if (!ctx.parse(p)) return kExitOk;

  const Backend* backend = lint_backend(ctx);
  const sql::LexerOptions lexer =
      backend ? backend->lexer_options() : sql::LexerOptions::revision_default();
  if (!files.empty()) {
    ErrorList errors;
    for (const auto& f : files) {
      try {
        check_buildable_name(std::filesystem::path(f).filename().string(), quoted_for_display(f));
        Revision r = parse_revision(read_file(f), f);
        check_statements(r, lexer);
        if (backend && ctx.verbosity() > 0) warn_partial_risk(*backend, r, std::cerr);
      } catch (const Error& e) {
        errors.add(e);
      }
    }
    errors.throw_if_any();
    if (ctx.verbosity() > 1) ctx.out() << "OK: " << files.size() << " file(s)\n";
    return kExitOk;
  }

  const auto& g = ctx.graph();
  ErrorList errors;
  for (const auto& r : g.revisions()) {
    try {
      check_statements(r, lexer);
      if (backend && ctx.verbosity() > 0) warn_partial_risk(*backend, r, std::cerr);
    } catch (const Error& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  auto heads = g.heads();
  // Independent branches carry labels; unlabelled extra heads are almost
  // always two people's revisions that need a merge.
  std::vector<std::string> unlabelled;
  for (const Revision* h : heads) {
    auto owners = g.ancestors({g.index_of(*h)}, false);
    bool labelled = false;
    for (size_t i = 0; i < g.size(); ++i)
      labelled |= owners[i] && !g.at(i).branch_labels.empty();
    if (!labelled) unlabelled.push_back(h->id);
  }
  if (heads.size() > 1 && unlabelled.size() > 0 && !allow_heads) {
    std::vector<std::string> ids;
    for (auto* h : heads)
      ids.push_back(h->id);
    Error e("Multiple head revisions are present: " + join(ids, ", "));
    for (auto* h : heads)
      e.also(Error("head " + h->id + ", " + h->message).at(h->path, h->id_line));
    throw e.hint(
        "join them with `retort merge -m \"merge heads\" heads`, or give independent "
        "branches a branch_labels header");
  }
  if (ctx.verbosity() > 1)
    ctx.out() << "OK: " << g.size() << " revision(s), " << heads.size() << " head(s)\n";
  return kExitOk;
}

}  // namespace retort

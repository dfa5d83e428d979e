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

// SQL is read as the configured database reads it (MariaDB's backslash
// escapes and # comments); without a usable URL, as SQLite and PostgreSQL
// read it. Lint never needs a URL, so a missing or broken one is no error.
sql::LexerOptions lint_lexer(Context& ctx) {
  try {
    return backend_of(ctx.url()).lexer_options();
  } catch (const Error&) {
    return sql::LexerOptions::revision_default();
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

  const sql::LexerOptions lexer = lint_lexer(ctx);
  if (!files.empty()) {
    ErrorList errors;
    for (const auto& f : files) {
      try {
        check_buildable_name(std::filesystem::path(f).filename().string(), quoted_for_display(f));
        check_statements(parse_revision(read_file(f), f), lexer);
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

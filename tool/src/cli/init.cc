// retort init [DIR] / retort init --template
#include <filesystem>
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/error.h"
#include "core/revision_writer.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

int run_init(Context& ctx) {
  ArgParser p("init [DIR] [--template]",
              "Create retort.ini in the current directory, DIR/script.sql.tmpl (the template for "
              "new revisions) and DIR/versions/. DIR defaults to 'migrations'.\n"
              "With --template, only restore a missing script.sql.tmpl.");
  std::vector<std::string> dirs;
  bool template_only = false;
  p.positional("DIR", "the migration directory to create (default: migrations)", &dirs, 1);
  p.flag("template", "only restore a missing script.sql.tmpl", &template_only);
  if (!ctx.parse(p)) return kExitOk;

  if (template_only) {
    std::string root = dirs.empty() ? ctx.config().script_location : dirs[0];
    ScriptDirectory sd{root};
    if (fs::exists(sd.template_path())) {
      if (ctx.verbosity() > 0)
        ctx.out() << display_path(sd.template_path()) << " is present; nothing to do\n";
      return kExitOk;
    }
    if (!fs::is_directory(root))
      throw Error("migration directory " + display_path(root) + " does not exist")
          .hint("run `retort init " + root + "` to create it");
    write_file_atomic(sd.template_path(), default_template(), true);
    if (ctx.verbosity() > 0) ctx.out() << "Restored " << display_path(sd.template_path()) << "\n";
    return kExitOk;
  }

  std::string dir = dirs.empty() ? "migrations" : dirs[0];
  if (fs::exists("retort.ini"))
    throw Error("retort.ini already exists in " + fs::current_path().string())
        .hint("to restore only the template, run `retort init --template`");
  if (fs::exists(dir) && !fs::is_empty(dir))
    throw Error("directory " + dir + " already exists and is not empty")
        .hint("choose another directory: retort init DIR");
  fs::create_directories(fs::path(dir) / "versions");
  ScriptDirectory sd{dir};
  write_file_atomic(sd.template_path(), default_template(), true);
  write_file_atomic(
      "retort.ini",
      "# retort configuration. Paths are relative to this file.\n"
      "[retort]\n"
      "script_location = " +
          dir +
          "\n"
          "# Overridden by --url, then DATABASE_URL in the environment, then .env here.\n"
          "database_url = sqlite:///app.db\n"
          "version_table = retort_version\n"
          "log_table = retort_log\n"
          "file_template = %(year)s%(month)s%(day)s%(hour)s%(minute)s%(second)s_%(slug)s\n"
          "timezone = UTC\n",
      true);
  if (ctx.verbosity() > 0)
    ctx.out() << "Created retort.ini, " << sd.template_path() << " and " << sd.versions_dir()
              << "/\n"
              << "Next: retort revision -m \"first revision\"\n";
  return kExitOk;
}

}  // namespace retort

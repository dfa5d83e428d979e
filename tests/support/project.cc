#include "project.h"

#include <cstdio>

namespace retort::test {

std::string render_revision(const RevisionSpec& s) {
  std::string text = "-- revision: " + s.id + "\n-- down_revision: " + s.down + "\n" +
                     s.extra_headers +
                     "-- message: " + (s.message.empty() ? "rev " + s.id : s.message) +
                     "\n\n-- migrate:upgrade" + s.upgrade_options + "\n" + s.upgrade +
                     "\n\n-- migrate:downgrade" + s.downgrade_options + "\n" + s.downgrade + "\n";
  return text;
}

Project::Project() {
  write_text(dir_ / "retort.ini",
             "[retort]\nscript_location = migrations\ndatabase_url = sqlite:///app.db\n");
  write_text(dir_ / "migrations/script.sql.tmpl",
             "-- revision: ${revision}\n-- down_revision: ${down_revision}\n${optional_headers}"
             "-- created: ${created}\n-- message: ${message}\n\n-- migrate:upgrade\n${upgrade}\n\n"
             "-- migrate:downgrade\n${downgrade}\n");
  write_text(dir_ / "migrations/versions/.keep", "");
}

std::string Project::add(const RevisionSpec& spec, const std::string& file) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%04d", ++files_);
  std::string name = file.empty() ? std::string(prefix) + "_" + spec.id + ".sql" : file;
  std::string path = versions() + "/" + name;
  write_text(path, render_revision(spec));
  return path;
}

std::vector<std::string> Project::add_chain(int n) {
  std::vector<std::string> ids;
  for (int i = 1; i <= n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "r%04d", i);
    std::string t = "t" + std::to_string(i);
    add({id, ids.empty() ? "" : ids.back(), "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY);",
         "DROP TABLE " + t + ";"});
    ids.push_back(id);
  }
  return ids;
}

RunResult Project::run(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) const {
  return run_retort(args, {root(), env});
}

std::vector<std::string> Project::heads() const {
  return sqlite_column(db(), "SELECT version_num FROM retort_version ORDER BY version_num");
}

int Project::log_count(const std::string& revision, const std::string& direction) const {
  return std::stoi(sqlite_value(db(), "SELECT count(*) FROM retort_log WHERE revision = '" +
                                          revision + "' AND direction = '" + direction + "'"));
}

}  // namespace retort::test

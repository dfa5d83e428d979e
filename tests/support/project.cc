#include "project.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace retort::test {

std::string render_revision(const RevisionSpec& s) {
  std::string text = "-- revision: " + s.id + "\n-- down_revision: " + s.down + "\n" +
                     s.extra_headers +
                     "-- message: " + (s.message.empty() ? "rev " + s.id : s.message) +
                     "\n\n-- migrate:upgrade" + s.upgrade_options + "\n" + s.upgrade +
                     "\n\n-- migrate:downgrade" + s.downgrade_options + "\n" + s.downgrade + "\n";
  return text;
}

Project::Project(std::string backend)
    : backend_(std::move(backend)),
      fixture_(fixture_named(backend_)),
      database_(fixture_.create(dir_.path())) {
  write_text(dir_ / "retort.ini",
             "[retort]\nscript_location = migrations\ndatabase_url = " + url() + "\n");
  write_text(dir_ / "migrations/script.sql.tmpl",
             "-- revision: ${revision}\n-- down_revision: ${down_revision}\n${optional_headers}"
             "-- created: ${created}\n-- message: ${message}\n\n-- migrate:upgrade\n${upgrade}\n\n"
             "-- migrate:downgrade\n${downgrade}\n");
  write_text(dir_ / "migrations/versions/.keep", "");
}

std::vector<std::string> Project::column(const std::string& sql) const {
  return fixture_.column(database_, sql);
}

std::string Project::value(const std::string& sql) const {
  auto rows = column(sql);
  return rows.empty() ? "" : rows.front();
}

void Project::exec(const std::string& sql) const {
  fixture_.exec(database_, sql);
}

void Project::run_client_script(const std::string& path) const {
  fixture_.run_script(database_, path);
}

std::vector<std::string> Project::tables() const {
  auto all = fixture_.tables(database_);
  std::erase(all, "retort_version_progress");
  return all;
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
  // Bounded, so a command that hangs fails its test rather than the suite.
  RunOptions o{root(), env};
  o.within_s = 120;
  RunResult r = run_retort(args, o);
  if (r.timed_out) FAIL_CHECK("retort was still running after 120 s and was killed");
  return r;
}

std::vector<std::string> Project::heads() const {
  auto h = column("SELECT version_num FROM retort_version");
  std::sort(h.begin(), h.end());
  return h;
}

int Project::log_count(const std::string& revision, const std::string& direction) const {
  return std::stoi(value("SELECT count(*) FROM retort_log WHERE revision = '" + revision +
                         "' AND direction = '" + direction + "'"));
}

}  // namespace retort::test

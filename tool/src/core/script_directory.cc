#include "core/script_directory.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

std::string display_path(const std::string& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  if (ec) return path;
  fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return abs.string();
  return rel.string();
}

std::vector<Revision> ScriptDirectory::load() const {
  std::error_code ec;
  std::string dir = versions_dir();
  if (!fs::is_directory(dir, ec))
    throw Error("migration directory " + display_path(dir) + " does not exist")
        .hint("run `retort init` to create it, or fix script_location in your retort.ini");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto& p = entry.path();
    if (p.extension() == ".sql" && p.filename().string()[0] != '.') files.push_back(p.string());
  }
  if (ec) throw Error("cannot list " + display_path(dir) + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<Revision> revs;
  revs.reserve(files.size());
  ErrorList errors;
  for (const auto& f : files) {
    std::string shown = display_path(f);
    try {
      revs.push_back(parse_revision(read_file(f), shown));
    } catch (const Error& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  return revs;
}

}  // namespace retort

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
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() > 4 && name[0] != '.' && name.compare(name.size() - 4, 4, ".sql") == 0)
      names.push_back(std::move(name));
  }
  if (ec) throw Error("cannot list " + display_path(dir) + ": " + ec.message());
  std::sort(names.begin(), names.end());

  const std::string shown_dir = display_path(dir);  // once, not per file
  std::vector<Revision> revs;
  revs.reserve(names.size());
  ErrorList errors;
  for (const auto& name : names) {
    try {
      revs.push_back(parse_revision(read_file(dir + "/" + name), shown_dir + "/" + name));
    } catch (const Error& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  return revs;
}

}  // namespace retort

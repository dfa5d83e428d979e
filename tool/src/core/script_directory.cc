#include "core/script_directory.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

namespace {
const char* const kRenameRevisionHint =
    "rename the file (letters, digits, '_', '-', '.' and spaces are safe) and keep its .sql";
}  // namespace

std::string display_path(const std::string& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  if (ec) return path;
  fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return abs.string();
  return rel.string();
}

std::string unbuildable_name_reason(std::string_view name) {
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "holds a control character";
    switch (c) {
      case ';':
        return "holds ';', where CMake splits a list";
      case '$':
      case '#':
        return std::string("holds '") + static_cast<char>(c) + "', which Make and Ninja read";
      case '"':
      case '\\':
      case '`':
        return std::string("holds '") + static_cast<char>(c) +
               "', which changes meaning in the build's commands";
      case '/':
        return "holds '/', which would put it outside versions/";
    }
  }
  return "";
}

void check_buildable_name(std::string_view name, const std::string& shown) {
  if (auto why = unbuildable_name_reason(name); !why.empty())
    throw Error("revision file " + shown + " " + why + "; the build cannot carry it")
        .hint(kRenameRevisionHint);
}

std::vector<Revision> ScriptDirectory::load(ParseDepth depth) const {
  std::string dir = versions_dir();
  // opendir/readdir rather than std::filesystem: this runs before every
  // command, over thousands of names.
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR)
      throw Error("migration directory " + display_path(dir) + " does not exist")
          .hint("run `retort init` to create it, or fix script_location in your retort.ini");
    throw Error("cannot list " + display_path(dir) + ": " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() > 4 && name[0] != '.' && name.substr(name.size() - 4) == ".sql")
      names.emplace_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());

  const std::string shown_dir = display_path(dir);  // once, not per file
  std::vector<Revision> revs;
  revs.reserve(names.size());
  ErrorList errors;
  for (const auto& name : names) {
    try {
      check_buildable_name(name, shown_dir + "/" + quoted_for_display(name));
      revs.push_back(parse_revision(read_file(dir + "/" + name), shown_dir + "/" + name, depth));
    } catch (const Error& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  return revs;
}

}  // namespace retort

#include "core/script_directory.h"

#include <dirent.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/revision_index.h"
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

namespace {

// The bytes that unbuildable_name_reason() looks at, for a quick first pass
// over thousands of names that hold none of them.
constexpr std::array<bool, 256> kUnbuildableBytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c)
    t[c] = true;
  for (unsigned char c : {'\x7f', ';', '$', '#', '"', '\\', '`', '/'})
    t[c] = true;
  return t;
}();

}  // namespace

std::string unbuildable_name_reason(std::string_view name) {
  if (std::none_of(name.begin(), name.end(), [](unsigned char c) { return kUnbuildableBytes[c]; }))
    return "";
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

namespace {

// An open directory, closed on every way out.
class OpenDir {
 public:
  explicit OpenDir(const std::string& dir) : d_(::opendir(dir.c_str())) {
    if (d_) return;
    if (errno == ENOENT || errno == ENOTDIR)
      throw Error("migration directory " + display_path(dir) + " does not exist")
          .hint("run `retort init` to create it, or fix script_location in your retort.ini");
    throw Error("cannot list " + display_path(dir) + ": " + std::strerror(errno));
  }
  OpenDir(const OpenDir&) = delete;
  OpenDir& operator=(const OpenDir&) = delete;
  ~OpenDir() { ::closedir(d_); }
  int fd() const { return ::dirfd(d_); }

  // The names of its *.sql files but hidden ones, sorted: views into
  // `store`, which holds them one after another, each ended by a NUL.
  std::vector<std::string_view> sql_files(std::string& store) {
    std::vector<std::pair<size_t, size_t>> found;  // offset and length in store
    while (const dirent* e = ::readdir(d_)) {
      std::string_view name = e->d_name;
      if (name.size() > 4 && name[0] != '.' && name.substr(name.size() - 4) == ".sql") {
        found.emplace_back(store.size(), name.size());
        store.append(name);
        store.push_back('\0');
      }
    }
    std::vector<std::string_view> names;
    names.reserve(found.size());
    for (const auto& [offset, size] : found)
      names.emplace_back(store.data() + offset, size);
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  DIR* d_;
};

}  // namespace

std::vector<Revision> ScriptDirectory::load(ParseDepth depth) const {
  const std::string dir = versions_dir();
  // opendir/readdir rather than std::filesystem: this runs before every
  // command, over thousands of names.
  OpenDir d(dir);
  std::string name_store;
  const std::vector<std::string_view> names = d.sql_files(name_store);
  const std::string shown_dir = display_path(dir);  // once, not per file
  RevisionIndex index(index_dir, dir);
  std::vector<Revision> revs;
  revs.reserve(names.size());
  ErrorList errors;
  for (const std::string_view name : names) {
    try {
      if (!unbuildable_name_reason(name).empty())
        check_buildable_name(name, shown_dir + "/" + quoted_for_display(name));
      // Stamped before it is read: a change made while it is read shows
      // as a different stamp next time.
      auto stamp = index.enabled() ? RevisionIndex::stamp(d.fd(), name.data()) : std::nullopt;
      const IndexFile::Slot* known = stamp ? index.find(name, *stamp) : nullptr;
      if (known && depth == ParseDepth::kHeaders) {
        revs.push_back(index.headers(*known));
        revs.back().path = shown_dir + "/" + std::string(name);
      } else {
        const std::string file(name);
        revs.push_back(parse_revision(read_file(dir + "/" + file), shown_dir + "/" + file, depth));
        if (known && !same_headers(index.headers(*known), revs.back())) known = nullptr;
      }
      if (stamp) index.add(name, *stamp, revs.size() - 1, known != nullptr);
    } catch (const Error& e) {
      errors.add(e);
    }
  }
  errors.throw_if_any();
  index.save(revs);
  return revs;
}

}  // namespace retort

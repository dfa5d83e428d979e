// The revision index: a cache of the headers of one versions/ directory, so
// that the commands that read only headers (current, history, heads) need
// not open and parse every revision file when none has changed. It holds,
// for each file, its name, what stat() said about it and the headers parsed
// from it. An entry is used only while the file's stat() still says exactly
// the same (device, inode, size, modification and change times to the
// nanosecond); a file whose stat differs, or that the index does not know,
// is read and parsed as without an index. The index is never used for SQL:
// a command that runs or checks a section reads every file.
//
// The index lives outside the source tree, in a cache directory of the
// user's (default_index_dir()), one file per versions/ directory. Any load
// of a directory writes it when what it saw differs from what the index
// holds, so the build's graph check (`retort lint`) leaves it up to date.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/revision.h"

struct stat;

namespace retort {

// What stat() says about a file. An edit, a rename over it or its
// replacement changes it: the change time is set by the kernel on every
// change and cannot be set back by a program.
struct FileStamp {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
FileStamp file_stamp(const struct stat& st);

// A file changed within this long before a load is not recorded: a second
// change within the file system's timestamp granularity (up to 2 s on some)
// could leave its stamp as it was.
constexpr std::int64_t kIndexSettleNs = 3'000'000'000;

// Where indexes go: $RETORT_CACHE_DIR; else $XDG_CACHE_HOME/retort; else
// $HOME/.cache/retort. "" (no index) when RETORT_CACHE_DIR is "off" or
// empty, or no home is known.
std::string default_index_dir();

// The index file of `versions_dir` (absolute and resolved) in `index_dir`
// for this executable. Writing it removes the same directory's other index
// files that no executable wrote for 7 days, and all but the 3 newest.
std::string index_file_path(const std::string& index_dir, const std::string& versions_dir);

// One recorded file.
struct IndexEntry {
  std::string name;  // the file name in versions/
  FileStamp stamp;
  Revision headers;  // as parse_revision(..., kHeaders) gives them, path empty
};

// A file to record: its headers are those of `headers` (the sections, and
// the path, are not recorded).
struct IndexedFile {
  std::string_view name;
  FileStamp stamp;
  const Revision* headers = nullptr;
};

// An index file as read: each entry's name and stamp, its headers left
// encoded until a load takes them (headers()).
class IndexFile {
 public:
  struct Slot {
    std::string_view name;  // into the file's bytes
    FileStamp stamp;
    size_t headers = 0;  // where its headers start
  };
  IndexFile() = default;  // no entries
  // The index `file` when it was written for `versions_dir` by this very
  // executable. No entries when it is missing, is not a regular file of the
  // user's own that only the user can write, comes from another executable
  // or directory, or is damaged in any way.
  static IndexFile read(const std::string& file, const std::string& versions_dir);
  const std::vector<Slot>& slots() const { return slots_; }  // sorted by name
  Revision headers(const Slot& slot) const;

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  std::vector<Slot> slots_;
};

// The entries of the index `file` (IndexFile::read), decoded.
std::vector<IndexEntry> read_index(const std::string& file, const std::string& versions_dir);

// Replaces the index `file` with `files` (sorted by name, no name twice) by
// renaming a new file over it, creating its directory (0700) if needed.
// False when it could not: the index is only a cache, so callers go on.
bool write_index(const std::string& file, const std::string& versions_dir,
                 const std::vector<IndexedFile>& files);

// Whether two revisions have the same headers (what the index records).
bool same_headers(const Revision& a, const Revision& b);

// One load's use of the index of a versions/ directory: what it read, and
// what the load found, for save() to write when the two differ.
class RevisionIndex {
 public:
  RevisionIndex() = default;  // no index: every file is read, nothing is written
  // The index of `versions_dir` in `index_dir` ("" for none).
  RevisionIndex(const std::string& index_dir, const std::string& versions_dir);
  bool enabled() const { return !file_.empty(); }

  // The stamp of `name` in the directory open as `dir_fd`; nothing when
  // it is not a regular file (the loader's read then says why).
  static std::optional<FileStamp> stamp(int dir_fd, const char* name);
  // The entry recorded for `name` when its stamp is still `stamp`, else
  // nullptr. Names must be looked up in sorted order.
  const IndexFile::Slot* find(std::string_view name, const FileStamp& stamp);
  Revision headers(const IndexFile::Slot& slot) const { return read_.headers(slot); }
  // The load turned `name` (which must outlive save()) into revision
  // `position` of its result; `unchanged` when its entry was found and
  // holds the same headers.
  void add(std::string_view name, const FileStamp& stamp, size_t position, bool unchanged);
  // Writes the index when the load saw anything the index did not hold.
  void save(const std::vector<Revision>& revisions) const;

 private:
  struct Added {
    std::string_view name;
    FileStamp stamp;
    size_t position = 0;
  };
  std::string file_, versions_dir_;
  IndexFile read_;
  size_t next_ = 0;  // where find() looks first
  std::vector<Added> added_;
  bool changed_ = false;
  std::int64_t settled_before_ns_ = 0;  // files changed at or after this are not recorded
};

}  // namespace retort

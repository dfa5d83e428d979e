#include "core/revision_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <utility>

namespace retort {

namespace {

// "retort revision index", then the format's version: an index of another
// format is ignored.
constexpr char kMagic[8] = {'r', 't', 'r', 't', 'i', 'd', 'x', '\n'};
constexpr std::uint32_t kFormat = 1;
constexpr size_t kHeaderBytes = sizeof kMagic + sizeof(std::uint32_t) + sizeof(std::uint64_t);
constexpr long long kMaxIndexBytes = 256LL << 20;

// A 64-bit hash over 8-byte words; each step is a bijection of the state
// for a given word, so any change within one word always changes the sum.
std::uint64_t checksum(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
  return h ^ (h >> 29);
}

std::int64_t ns_of(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

#ifndef RETORT_BUILD_ID
#define RETORT_BUILD_ID "unidentified"
#endif

// The running executable: an index written by another build (whose parser
// may differ) is not used. Its build id is recorded too, for when
// /proc/self/exe is not retort itself (run through valgrind or ld.so).
std::optional<FileStamp> executable_stamp() {
  static const std::optional<FileStamp> stamp = []() -> std::optional<FileStamp> {
    struct stat st {};
    if (::stat("/proc/self/exe", &st) != 0) return std::nullopt;
    return file_stamp(st);
  }();
  return stamp;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hex16(std::uint64_t v) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(v));
  return out;
}

// The first part of the index files' names for `versions_dir`.
std::string dir_prefix(const std::string& versions_dir) {
  return hex16(fnv1a(versions_dir)) + "-";
}

// When the index of a directory is written, the directory's other index
// files go when no executable wrote them for a week, or when more than
// kOtherIndexes newer ones remain (each build of retort writes one); a
// temporary file left by a crash goes after an hour.
constexpr std::int64_t kStaleIndexNs = 7LL * 24 * 3600 * 1'000'000'000;
constexpr std::int64_t kStaleTemporaryNs = 3600LL * 1'000'000'000;
constexpr size_t kOtherIndexes = 3;

// Removes files of `index_dir` whose names start with `prefix`, as above,
// but `keep`.
void remove_stale(const std::string& index_dir, const std::string& prefix, std::string_view keep) {
  DIR* d = ::opendir(index_dir.c_str());
  if (!d) return;
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  std::vector<std::pair<std::int64_t, std::string>> indexes;  // mtime, name
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.substr(0, prefix.size()) != prefix || name == keep) continue;
    const bool index = name.size() > 6 && name.substr(name.size() - 6) == ".index";
    const bool temporary = !index && name.find(".index.") != std::string_view::npos;
    struct stat st {};
    if ((!index && !temporary) || ::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())
      continue;
    const std::int64_t age = ns_of(now) - ns_of(st.st_mtim);
    if (temporary) {
      if (age > kStaleTemporaryNs) ::unlinkat(::dirfd(d), e->d_name, 0);
    } else if (age > kStaleIndexNs) {
      ::unlinkat(::dirfd(d), e->d_name, 0);
    } else {
      indexes.emplace_back(ns_of(st.st_mtim), std::string(name));
    }
  }
  if (indexes.size() > kOtherIndexes) {
    std::sort(indexes.begin(), indexes.end(), std::greater<>());
    for (size_t i = kOtherIndexes; i < indexes.size(); ++i)
      ::unlinkat(::dirfd(d), indexes[i].second.c_str(), 0);
  }
  ::closedir(d);
}

class Writer {
 public:
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void i64(std::int64_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void list(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const auto& s : v)
      str(s);
  }
  void stamp(const FileStamp& s) {
    u64(s.dev);
    u64(s.ino);
    u64(s.size);
    i64(s.mtime_ns);
    i64(s.ctime_ns);
  }
  std::string& out() { return out_; }

 private:
  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads what Writer wrote; any read past the end makes it !ok() for good.
class Reader {
 public:
  explicit Reader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  bool ok() const { return ok_; }
  bool at_end() const { return p_ == end_; }
  std::uint32_t u32() { return pod<std::uint32_t>(); }
  std::uint64_t u64() { return pod<std::uint64_t>(); }
  std::int64_t i64() { return pod<std::int64_t>(); }
  std::int32_t i32() { return pod<std::int32_t>(); }
  std::string_view view() {
    std::uint32_t n = u32();
    if (!ok_ || n > static_cast<size_t>(end_ - p_)) {
      fail();
      return {};
    }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }
  std::string str() { return std::string(view()); }
  size_t offset(const char* base) const { return static_cast<size_t>(p_ - base); }
  void skip_list() {
    std::uint32_t n = u32();
    for (std::uint32_t i = 0; i < n && ok_; ++i)
      view();
  }
  std::vector<std::string> list() {
    std::uint32_t n = u32();
    std::vector<std::string> v;
    // Each string takes at least 4 bytes, so a count cannot ask for more.
    if (!ok_ || n > static_cast<size_t>(end_ - p_) / 4) {
      fail();
      return v;
    }
    v.reserve(n);
    for (std::uint32_t i = 0; i < n && ok_; ++i)
      v.push_back(str());
    return v;
  }
  FileStamp stamp() {
    FileStamp s;
    s.dev = u64();
    s.ino = u64();
    s.size = u64();
    s.mtime_ns = i64();
    s.ctime_ns = i64();
    return s;
  }

 private:
  void fail() {
    ok_ = false;
    p_ = end_;
  }
  template <typename T>
  T pod() {
    T v{};
    if (!ok_ || static_cast<size_t>(end_ - p_) < sizeof v) {
      fail();
      return v;
    }
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

void write_headers(Writer& w, const Revision& r) {
  w.str(r.id);
  w.list(r.down_revisions);
  w.list(r.depends_on);
  w.list(r.branch_labels);
  w.str(r.message);
  w.str(r.created);
  for (int line : {r.id_line, r.down_revision_line, r.depends_on_line, r.branch_labels_line})
    w.u32(static_cast<std::uint32_t>(line));
}

// What write_headers() wrote, checked and passed over.
void skip_headers(Reader& r) {
  r.view();
  for (int i = 0; i < 3; ++i)
    r.skip_list();
  r.view();
  r.view();
  for (int i = 0; i < 4; ++i)
    r.i32();
}

Revision read_headers(Reader& r) {
  Revision rev;
  rev.id = r.str();
  rev.down_revisions = r.list();
  rev.depends_on = r.list();
  rev.branch_labels = r.list();
  rev.message = r.str();
  rev.created = r.str();
  rev.id_line = r.i32();
  rev.down_revision_line = r.i32();
  rev.depends_on_line = r.i32();
  rev.branch_labels_line = r.i32();
  return rev;
}

struct OwnFile {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  std::string_view view() const { return {data.get(), size}; }
};

// The whole of `file` when it is a regular file of this user's that no one
// else can write, else nothing.
OwnFile read_own_file(const std::string& file) {
  OwnFile out;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
      (st.st_mode & 022) == 0 && st.st_size > 0 && st.st_size <= kMaxIndexBytes) {
    const auto want = static_cast<size_t>(st.st_size);
    out.data = std::make_unique_for_overwrite<char[]>(want);
    while (out.size < want) {
      ssize_t n = ::read(fd, out.data.get() + out.size, want - out.size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      out.size += static_cast<size_t>(n);
    }
  }
  ::close(fd);
  return out;
}

// mkdir -p, the directories made 0700.
bool make_dirs(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  auto slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !make_dirs(dir.substr(0, slash))) return false;
  return ::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

FileStamp file_stamp(const struct stat& st) {
  FileStamp s;
  s.dev = static_cast<std::uint64_t>(st.st_dev);
  s.ino = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = ns_of(st.st_mtim);
  s.ctime_ns = ns_of(st.st_ctim);
  return s;
}

std::string default_index_dir() {
  if (const char* dir = std::getenv("RETORT_CACHE_DIR")) {
    std::string_view d = dir;
    if (d.empty() || d == "off") return {};
    return std::string(d);
  }
  // XDG: a relative XDG_CACHE_HOME is to be ignored.
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && xdg[0] == '/')
    return std::string(xdg) + "/retort";
  if (const char* home = std::getenv("HOME"); home && home[0] == '/')
    return std::string(home) + "/.cache/retort";
  return {};
}

std::string index_file_path(const std::string& index_dir, const std::string& versions_dir) {
  // One file per versions/ directory and retort executable, so that two
  // builds in use on one project (the build tree's and an installed one)
  // do not each throw the other's index away. IndexFile::read() checks both
  // inside, so two that hash alike only take turns.
  auto exe = executable_stamp();
  std::string id = RETORT_BUILD_ID;
  if (exe)
    for (auto v : {exe->dev, exe->ino, exe->size, static_cast<std::uint64_t>(exe->mtime_ns),
                   static_cast<std::uint64_t>(exe->ctime_ns)})
      id.append(reinterpret_cast<const char*>(&v), sizeof v);
  return index_dir + "/" + dir_prefix(versions_dir) + hex16(fnv1a(id)) + ".index";
}

bool same_headers(const Revision& a, const Revision& b) {
  return a.id == b.id && a.down_revisions == b.down_revisions && a.depends_on == b.depends_on &&
         a.branch_labels == b.branch_labels && a.message == b.message && a.created == b.created &&
         a.id_line == b.id_line && a.down_revision_line == b.down_revision_line &&
         a.depends_on_line == b.depends_on_line && a.branch_labels_line == b.branch_labels_line;
}

IndexFile IndexFile::read(const std::string& file, const std::string& versions_dir) {
  IndexFile out;
  auto exe = executable_stamp();
  if (!exe) return out;
  OwnFile own = read_own_file(file);
  const std::string_view data = own.view();
  if (data.size() < kHeaderBytes || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    return out;
  std::uint32_t format;
  std::uint64_t sum;
  std::memcpy(&format, data.data() + sizeof kMagic, sizeof format);
  std::memcpy(&sum, data.data() + sizeof kMagic + sizeof format, sizeof sum);
  const std::string_view body = data.substr(kHeaderBytes);
  if (format != kFormat || sum != checksum(body)) return out;
  Reader r(body);
  if (r.stamp() != *exe || r.view() != RETORT_BUILD_ID || r.view() != versions_dir) return out;
  std::uint32_t n = r.u32();
  if (!r.ok() || n > body.size()) return out;
  std::vector<Slot> slots;
  slots.reserve(n);
  for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
    Slot s;
    s.name = r.view();
    s.stamp = r.stamp();
    s.headers = r.offset(body.data());
    skip_headers(r);
    // Sorted and unique, as written: anything else is not this format.
    if (!slots.empty() && !(slots.back().name < s.name)) return out;
    slots.push_back(s);
  }
  if (!r.ok() || !r.at_end()) return out;
  out.data_ = std::move(own.data);
  out.size_ = own.size;
  out.slots_ = std::move(slots);
  return out;
}

Revision IndexFile::headers(const Slot& slot) const {
  const std::string_view body = std::string_view(data_.get(), size_).substr(kHeaderBytes);
  Reader r(body.substr(slot.headers));
  return read_headers(r);
}

std::vector<IndexEntry> read_index(const std::string& file, const std::string& versions_dir) {
  IndexFile index = IndexFile::read(file, versions_dir);
  std::vector<IndexEntry> out;
  for (const auto& s : index.slots())
    out.push_back({std::string(s.name), s.stamp, index.headers(s)});
  return out;
}

bool write_index(const std::string& file, const std::string& versions_dir,
                 const std::vector<IndexedFile>& files) {
  auto exe = executable_stamp();
  if (!exe) return false;
  Writer w;
  w.stamp(*exe);
  w.str(RETORT_BUILD_ID);
  w.str(versions_dir);
  w.u32(static_cast<std::uint32_t>(files.size()));
  for (const auto& f : files) {
    w.str(f.name);
    w.stamp(f.stamp);
    write_headers(w, *f.headers);
  }
  std::string head(kMagic, sizeof kMagic);
  std::uint64_t sum = checksum(w.out());
  head.append(reinterpret_cast<const char*>(&kFormat), sizeof kFormat);
  head.append(reinterpret_cast<const char*>(&sum), sizeof sum);

  auto slash = file.find_last_of('/');
  if (slash == std::string::npos || !make_dirs(file.substr(0, slash))) return false;
  std::string tmp = file + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return false;
  // No fsync: a cache. A file cut short by a crash fails its checksum.
  bool ok = write_all(fd, head) && write_all(fd, w.out());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  remove_stale(file.substr(0, slash), dir_prefix(versions_dir), file.substr(slash + 1));
  return true;
}

RevisionIndex::RevisionIndex(const std::string& index_dir, const std::string& versions_dir) {
  if (index_dir.empty()) return;
  char* real = ::realpath(versions_dir.c_str(), nullptr);
  if (!real) return;
  versions_dir_ = real;
  std::free(real);
  file_ = index_file_path(index_dir, versions_dir_);
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  settled_before_ns_ = ns_of(now) - kIndexSettleNs;
  read_ = IndexFile::read(file_, versions_dir_);
}

std::optional<FileStamp> RevisionIndex::stamp(int dir_fd, const char* name) {
  struct stat st {};
  if (::fstatat(dir_fd, name, &st, 0) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return file_stamp(st);
}

const IndexFile::Slot* RevisionIndex::find(std::string_view name, const FileStamp& stamp) {
  const auto& slots = read_.slots();
  auto it = slots.begin() + static_cast<std::ptrdiff_t>(std::min(next_, slots.size()));
  if (it == slots.end() || it->name != name)
    it = std::lower_bound(slots.begin(), slots.end(), name,
                          [](const IndexFile::Slot& e, std::string_view n) { return e.name < n; });
  if (it == slots.end() || it->name != name) return nullptr;
  next_ = static_cast<size_t>(it - slots.begin()) + 1;
  return it->stamp == stamp ? &*it : nullptr;
}

void RevisionIndex::add(std::string_view name, const FileStamp& stamp, size_t position,
                        bool unchanged) {
  if (!enabled()) return;
  bool settled = std::max(stamp.mtime_ns, stamp.ctime_ns) < settled_before_ns_;
  if (settled) added_.push_back({name, stamp, position});
  // A file not recorded is a change only when the index held it.
  if (settled != unchanged) changed_ = true;
}

void RevisionIndex::save(const std::vector<Revision>& revisions) const {
  if (!enabled() || (!changed_ && added_.size() == read_.slots().size())) return;
  std::vector<IndexedFile> files;
  files.reserve(added_.size());
  for (const auto& a : added_)
    files.push_back({a.name, a.stamp, &revisions.at(a.position)});
  write_index(file_, versions_dir_, files);
}

}  // namespace retort

#include "core/text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace retort {

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
    ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    auto item = trim(s.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int line_at(std::string_view text, size_t offset, int first_line) {
  offset = std::min(offset, text.size());
  return first_line + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string quote_sql_string(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

namespace {

// Length of the valid UTF-8 sequence at s[i] (0 if there is none), and its
// code point in *cp.
size_t utf8_sequence(std::string_view s, size_t i, char32_t* cp) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  char32_t c = b & (0x3F >> (len - 1));
  for (size_t k = 1; k < len; ++k) {
    auto x = static_cast<unsigned char>(s[i + k]);
    if ((x & 0xC0) != 0x80) return 0;
    c = (c << 6) | (x & 0x3F);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF))
    return 0;  // overlong, out of range, or a surrogate
  *cp = c;
  return len;
}

// C1 controls (U+009B is a one-byte CSI), and the bidirectional overrides
// that reorder what the terminal shows.
bool hidden_code_point(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

std::string quoted_for_display(std::string_view s, size_t max) {
  static const char* hex = "0123456789abcdef";
  std::string out = "'";
  size_t i = 0;
  while (i < s.size() && i < max) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b == '\\' || b == '\'') {
      out += '\\';
      out += static_cast<char>(b);
    } else if (b == '\n') {
      out += "\\n";
    } else if (b == '\t') {
      out += "\\t";
    } else if (b == '\r') {
      out += "\\r";
    } else if (b < 0x20 || b == 0x7F) {
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    } else if (b >= 0x80) {
      char32_t cp = 0;
      size_t len = utf8_sequence(s, i, &cp);
      if (len == 0) {
        out += "\\x";
        out += hex[b >> 4];
        out += hex[b & 15];
      } else if (hidden_code_point(cp)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(cp));
        out += buf;
        i += len;
        continue;
      } else {
        out.append(s.substr(i, len));
        i += len;
        continue;
      }
    } else {
      out += static_cast<char>(b);
    }
    ++i;
  }
  out += '\'';
  if (i < s.size()) out += "... (" + std::to_string(s.size()) + " bytes in all)";
  return out;
}

namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Error too_large(const std::string& path) {
  return Error("file is larger than " + std::to_string(kMaxFileBytes >> 20) +
               " MiB, the most retort reads")
      .at(path)
      .hint(
          "revisions, models and settings are text; split the file, or check that the "
          "name points at the file you meant");
}

}  // namespace

std::string read_file(const std::string& path) {
  // Every file retort reads comes through here, so one check keeps a FIFO
  // from hanging a command and a link to /dev/zero from filling memory.
  // O_NONBLOCK: opening a FIFO must not wait for a writer. Plain POSIX
  // reads, since loading 10,000 revisions is mostly this function.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw Error(std::string("cannot read file: ") + std::strerror(errno)).at(path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    throw Error(std::string("cannot read file: ") + std::strerror(err)).at(path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    struct stat link {};
    bool via_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    throw Error(std::string(via_link ? "links to " : "is ") + file_kind(st.st_mode) +
                ", not a regular file; retort reads only regular files")
        .at(path)
        .hint("replace it with the file itself, or move it out of the way");
  }
  if (st.st_size > kMaxFileBytes) {
    ::close(fd);
    throw too_large(path);
  }
  std::string out;
  out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw Error(std::string("cannot read file: ") + std::strerror(err)).at(path);
    }
    out.append(buf, static_cast<size_t>(n));
    // A file that grows while it is read is held to the same limit.
    if (out.size() > static_cast<size_t>(kMaxFileBytes)) {
      ::close(fd);
      throw too_large(path);
    }
  }
  ::close(fd);
  return out;
}

void write_file_atomic(const std::string& path, std::string_view content, bool exclusive) {
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(std::string("cannot create file: ") + std::strerror(errno)).at(tmp);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(std::string("cannot write file: ") + std::strerror(err)).at(path);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(std::string("cannot write file: ") + std::strerror(err)).at(path);
  }
  // link() fails if the target exists, which is what "exclusive" needs.
  if (exclusive) {
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      throw Error(err == EEXIST ? "file already exists"
                                : std::string("cannot create file: ") + std::strerror(err))
          .at(path);
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error(std::string("cannot write file: ") + std::strerror(err)).at(path);
  }
}

}  // namespace retort

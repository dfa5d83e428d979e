#include "shared_temp.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace retort::test {

namespace {

// Room left in sun_path for "/retort-pg-XXXXXX/.s.PGSQL.NNNNN" and the like.
constexpr size_t kMaxBaseLength = 60;

bool searchable_by_all(const std::string& dir) {
  fs::path p = fs::absolute(dir);
  for (fs::path cur = p;; cur = cur.parent_path()) {
    struct stat st {};
    if (::stat(cur.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || !(st.st_mode & S_IXOTH))
      return false;
    if (cur == cur.parent_path()) return true;
  }
}

}  // namespace

std::string shared_temp_base() {
  const char* tmp = std::getenv("TMPDIR");
  if (tmp && *tmp && std::string(tmp).size() <= kMaxBaseLength && searchable_by_all(tmp))
    return tmp;
  return "/tmp";
}

}  // namespace retort::test

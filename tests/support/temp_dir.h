// A 0700 directory under shared_temp_base() that lives as long as the test.
#pragma once

#include <string>

namespace retort::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void write_text(const std::string& path, const std::string& text);  // creates parent dirs
std::string read_text(const std::string& path);
bool file_exists(const std::string& path);

}  // namespace retort::test

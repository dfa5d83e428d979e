// A small JSON value for machine-readable output (`--format json`): built in
// memory, written with keys in insertion order so the output is stable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

class Json {
 public:
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;  // null
  Json(bool b) : kind_(kBool), bool_(b) {}
  Json(int n) : kind_(kNumber), number_(n) {}
  Json(int64_t n) : kind_(kNumber), number_(n) {}
  Json(size_t n) : kind_(kNumber), number_(static_cast<int64_t>(n)) {}
  Json(std::string s) : kind_(kString), string_(std::move(s)) {}
  Json(const char* s) : kind_(kString), string_(s) {}
  Json(const std::vector<std::string>& strings);  // an array of strings

  static Json array() { return Json(kArray); }
  static Json object() { return Json(kObject); }

  Kind kind() const { return kind_; }
  // An array's new last element.
  Json& push(Json value);
  // An object's member; a key set twice keeps its first place, the new value.
  Json& set(std::string key, Json value);

  // Indented by two spaces, ending with a newline.
  std::string dump() const;

 private:
  explicit Json(Kind k) : kind_(k) {}
  void write(std::string& out, int depth) const;

  Kind kind_ = kNull;
  bool bool_ = false;
  int64_t number_ = 0;
  std::string string_;
  std::vector<Json> items_;                            // kArray
  std::vector<std::pair<std::string, Json>> members_;  // kObject
};

// `s` as a JSON string literal, quotes included: '"' and '\' escaped,
// control characters as \n, \t, ... or \u00XX, valid UTF-8 passed through,
// each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string json_quote(std::string_view s);

}  // namespace retort

#include "core/json.h"

#include "core/utf8.h"

namespace retort {

namespace {

void indent(std::string& out, int depth) {
  out += '\n';
  out.append(static_cast<size_t>(depth) * 2, ' ');
}

}  // namespace

std::string json_quote(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (size_t len = utf8_sequence_length(s, i)) {
        out.append(s.substr(i, len));
        i += len;
      } else {
        out += "\\ufffd";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

Json::Json(const std::vector<std::string>& strings) : kind_(kArray) {
  for (const auto& s : strings)
    items_.emplace_back(s);
}

Json& Json::push(Json value) {
  items_.push_back(std::move(value));
  return *this;
}

Json& Json::set(std::string key, Json value) {
  for (auto& m : members_)
    if (m.first == key) {
      m.second = std::move(value);
      return *this;
    }
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

std::string Json::dump() const {
  std::string out;
  write(out, 0);
  return out + "\n";
}

void Json::write(std::string& out, int depth) const {
  switch (kind_) {
    case kNull:
      out += "null";
      return;
    case kBool:
      out += bool_ ? "true" : "false";
      return;
    case kNumber:
      out += std::to_string(number_);
      return;
    case kString:
      out += json_quote(string_);
      return;
    case kArray:
      if (items_.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ',';
        indent(out, depth + 1);
        items_[i].write(out, depth + 1);
      }
      indent(out, depth);
      out += ']';
      return;
    case kObject:
      if (members_.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < members_.size(); ++i) {
        if (i) out += ',';
        indent(out, depth + 1);
        out += json_quote(members_[i].first);
        out += ": ";
        members_[i].second.write(out, depth + 1);
      }
      indent(out, depth);
      out += '}';
      return;
  }
}

}  // namespace retort

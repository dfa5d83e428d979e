#include "core/error.h"

namespace retort {

static void format_one(const Error& e, std::string& out) {
  out += "retort: error: ";
  if (!e.file().empty()) {
    out += e.file();
    if (e.line() > 0) out += ":" + std::to_string(e.line());
    out += ": ";
  }
  out += e.what();
  out += '\n';
  for (const auto& h : e.hints())
    out += "  hint: " + h + "\n";
}

std::string Error::format() const {
  std::string out;
  format_one(*this, out);
  for (const auto& e : more_)
    out += e.format();  // nested lists too
  return out;
}

namespace {
std::vector<std::string>& secrets() {
  static std::vector<std::string> list;
  return list;
}
}  // namespace

void register_secret(const std::string& secret) {
  if (!secret.empty()) secrets().push_back(secret);
}

std::string redact_secrets(std::string text) {
  for (const auto& s : secrets())
    for (size_t p; (p = text.find(s)) != std::string::npos;)
      text.replace(p, s.size(), "***");
  return text;
}

void ErrorList::throw_if_any() {
  if (errors_.empty()) return;
  Error first = errors_.front();
  for (size_t i = 1; i < errors_.size(); ++i)
    first.also(errors_[i]);
  errors_.clear();
  throw first;
}

}  // namespace retort

#include "core/error.h"

#include <algorithm>

namespace retort {

const char* const kReportBugHint =
    "this is a bug in retort; please report it with the command you ran";

static void format_one(const Error& e, std::string& out) {
  const bool internal = e.category() == ErrorCategory::kInternal;
  out += internal ? "retort: internal error: " : "retort: error: ";
  if (!e.file().empty()) {
    out += e.file();
    if (e.line() > 0) out += ":" + std::to_string(e.line());
    out += ": ";
  }
  out += e.what();
  out += '\n';
  for (const auto& h : e.hints())
    out += "  hint: " + h + "\n";
  if (internal) out += std::string("  hint: ") + kReportBugHint + "\n";
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

// One registry per process: driver modules link against the tool's copy of
// this file rather than carrying their own, so a password a module
// registers is masked in everything the tool prints.
void register_secret(const std::string& secret) {
  if (secret.empty()) return;
  auto& list = secrets();
  for (const auto& s : list)
    if (s == secret) return;
  list.push_back(secret);
  // Longest first, so a password that contains another is masked whole.
  std::stable_sort(list.begin(), list.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string redact_secrets(std::string text) {
  for (const auto& s : secrets())
    for (size_t p = 0; (p = text.find(s, p)) != std::string::npos; p += 3)
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

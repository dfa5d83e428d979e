// What a retort::Script holds: the embedded revisions parsed into the
// tool's own revision graph, and the settings they were embedded with.
#pragma once

#include "runtime/core_names.h"

#include <retort/retort.h>

#include <mutex>
#include <string>
#include <vector>

namespace retort {
inline namespace v1 {

struct Script::Impl {
  Impl(std::vector<core::Revision> revisions, const ScriptSettings& s);

  core::RevisionGraph graph;
  // Script::revisions(), made on first call: start-up needs none of it.
  mutable std::once_flag infos_made;
  mutable std::vector<RevisionInfo> infos;
  std::string version_table, log_table;
  ScriptSettings settings;  // pointing into the two strings above
};

// Runs `f`, turning the tool's errors into retort::Error. `script` names
// the revision of an error in one of its files; it may be null.
template <class F>
auto translate_errors(const Script::Impl* script, F&& f) -> decltype(f());

// The tool's error as the application sees it, passwords masked.
Error to_public(const core::Error& e, const Script::Impl* script);

template <class F>
auto translate_errors(const Script::Impl* script, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const core::Error& e) {
    throw to_public(e, script);
  }
}

}  // namespace v1
}  // namespace retort

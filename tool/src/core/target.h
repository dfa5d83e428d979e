// The target expressions that upgrade, downgrade and stamp take: head, heads,
// base, +N, -N, an id or prefix, ID+N, ID-N and label@head. Parsing is pure
// syntax; resolving against a graph happens in plan.h.
#pragma once

#include <string>
#include <string_view>

namespace retort {

struct Target {
  enum Kind { kHead, kHeads, kBase, kRelative, kRevision, kLabelHead };
  Kind kind = kHead;
  std::string revision;  // kRevision (with optional delta), kLabelHead: the label
  int delta = 0;         // +N / -N, alone (kRelative) or after a revision
  std::string text;      // as the user wrote it, for messages
};

// Throws a usage Error for anything that is not a target expression.
Target parse_target(std::string_view text);

// A range for offline mode, "A:B" (A may be empty or base).
struct TargetRange {
  Target from;  // kBase when omitted
  Target to;
  bool has_from = false;
};
TargetRange parse_target_range(std::string_view text);

}  // namespace retort

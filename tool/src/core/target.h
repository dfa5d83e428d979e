// The target expressions that upgrade, downgrade and stamp take: head, heads,
// base, +N, -N, an id or prefix, ID+N, ID-N, label@head, and label@+N /
// label@-N (N steps from where the database is on that branch). Parsing is pure
// syntax; resolving against a graph happens in plan.h.
#pragma once

#include <string>
#include <string_view>

namespace retort {

struct Target {
  enum Kind { kHead, kHeads, kBase, kRelative, kRevision, kLabelHead, kLabelRelative };
  Kind kind = kHead;
  std::string revision;  // kRevision (with optional delta); kLabelHead, kLabelRelative: the label
  int delta = 0;         // +N / -N, alone (kRelative), after a revision or after label@
  // Counted from where the database is: +N, -N, label@+N, label@-N.
  bool counts_from_database() const { return kind == kRelative || kind == kLabelRelative; }
  std::string text;  // as the user wrote it, for messages
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

#include "core/target.h"

#include <charconv>

#include "core/error.h"
#include "core/revision.h"
#include "core/text.h"

namespace retort {

namespace {

Error bad_target(std::string_view text, const std::string& why) {
  return Error("invalid target " + quoted_for_display(text) + ": " + why)
      .hint(
          "targets are head, heads, base, +N, -N, a revision id or prefix, ID+N, ID-N, "
          "label@head, label@+N or label@-N")
      .usage();
}

int parse_count(std::string_view digits, std::string_view text, char sign) {
  int n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n <= 0 || n > 1000000)
    throw bad_target(
        text, std::string("what follows '") + sign + "' must be a step count from 1 to 1000000");
  return n;
}

}  // namespace

Target parse_target(std::string_view text) {
  Target t;
  t.text = text;
  if (text.empty()) throw bad_target(text, "it is empty");
  if (text == "head") return t;
  if (text == "heads") return t.kind = Target::kHeads, t;
  if (text == "base") return t.kind = Target::kBase, t;
  if (text[0] == '+' || text[0] == '-') {
    t.kind = Target::kRelative;
    t.delta = parse_count(text.substr(1), text, text[0]) * (text[0] == '-' ? -1 : 1);
    return t;
  }
  if (auto at = text.find('@'); at != std::string_view::npos) {
    auto label = text.substr(0, at);
    auto after = text.substr(at + 1);
    if (!is_valid_revision_id(label)) throw bad_target(text, "bad branch label");
    t.revision = label;
    if (after == "head") return t.kind = Target::kLabelHead, t;
    if (after.empty() || (after[0] != '+' && after[0] != '-'))
      throw bad_target(text, "after '@' comes head, +N or -N");
    t.kind = Target::kLabelRelative;
    t.delta = parse_count(after.substr(1), text, after[0]) * (after[0] == '-' ? -1 : 1);
    return t;
  }
  auto sign = text.find_first_of("+-");
  auto id = text.substr(0, sign);
  if (!is_valid_revision_id(id)) throw bad_target(text, "a revision id is letters, digits and '_'");
  t.kind = Target::kRevision;
  t.revision = id;
  if (sign != std::string_view::npos)
    t.delta = parse_count(text.substr(sign + 1), text, text[sign]) * (text[sign] == '-' ? -1 : 1);
  return t;
}

TargetRange parse_target_range(std::string_view text) {
  TargetRange r;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    r.from.kind = Target::kBase;
    r.to = parse_target(text);
    return r;
  }
  r.has_from = true;
  auto from = text.substr(0, colon);
  r.from = from.empty() ? Target{Target::kBase, {}, 0, "base"} : parse_target(from);
  r.to = parse_target(text.substr(colon + 1));
  return r;
}

}  // namespace retort

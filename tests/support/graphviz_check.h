// Runs Graphviz's own dot on what `retort history --format dot` printed, so
// a test checks that the graph parses, not only how the text looks.
#pragma once

#include <string>

namespace retort::test {

// The SVG dot makes of `dot_text`. Fails the test, with dot's message, when
// dot rejects it; fails loudly when dot is not installed
// (scripts/install-deps test installs graphviz).
std::string dot_to_svg(const std::string& dot_text);

}  // namespace retort::test

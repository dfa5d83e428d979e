// UTF-8 checks for output that other programs parse (JSON, dot, mermaid):
// what a revision file holds is bytes, and those formats want UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace retort {

// The length of the valid UTF-8 sequence that starts at s[i] (1 for ASCII),
// or 0 when the bytes there are not one: a stray continuation byte, a cut
// sequence, an overlong form, a surrogate or a value above U+10FFFF.
size_t utf8_sequence_length(std::string_view s, size_t i);

// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace retort

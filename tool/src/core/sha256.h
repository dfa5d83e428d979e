// SHA-256, used to fingerprint applied revision sections so that an edited
// revision is caught before it silently diverges from the database.
#pragma once

#include <string>
#include <string_view>

namespace retort {

// Lowercase hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace retort

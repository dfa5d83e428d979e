// Reading a database URL: its scheme picks the backend from the registry,
// which says how the rest reads and which parameters it takes; and which
// of the places a URL can come from wins.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/database_url.h"

namespace retort {

// `base_dir` anchors a relative file path (empty: the current directory).
// Throws Error naming `source` on anything malformed or unknown.
DatabaseUrl parse_database_url(std::string_view text, const std::string& source,
                               const std::string& base_dir = {});

struct UrlSources {
  std::string cli;       // --url
  std::string env;       // DATABASE_URL
  std::string fallback;  // --default-url
};

// Picks the URL by precedence and parses it. Throws when none is set.
DatabaseUrl choose_database_url(const Config& config, const UrlSources& sources);
// The same, or nullopt when no URL is set anywhere.
std::optional<DatabaseUrl> find_database_url(const Config& config, const UrlSources& sources);

}  // namespace retort

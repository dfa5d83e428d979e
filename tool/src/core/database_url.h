// SQLAlchemy-style database URLs, e.g. sqlite:///app.db or
// postgresql://user:secret@host:5432/app. A URL remembers where it came from
// (--url, the environment, .env, retort.ini) so every error about it can say
// so, and it only ever prints itself with the password masked.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

struct DatabaseUrl {
  std::string backend;  // "sqlite" or "postgresql"
  std::string user, password, host, port;
  std::string database;  // SQLite: the file path ("" or ":memory:" for memory)
  std::vector<std::pair<std::string, std::string>> query;
  bool has_password = false;
  std::string source;  // where the URL came from, for messages

  std::string redacted() const;  // the URL with the password as ***
  bool is_memory() const {
    return backend == "sqlite" && (database.empty() || database == ":memory:");
  }
};

// `base_dir` anchors a relative SQLite path (empty: the current directory).
// Throws Error naming `source` on anything malformed or unknown.
DatabaseUrl parse_database_url(std::string_view text, const std::string& source,
                               const std::string& base_dir = {});

// Masks the password of any URL-looking text, for messages that echo input.
std::string redact_url_text(std::string_view text);

// Masks one URL as typed, valid or not ("postgresql:/u:pw@h",
// "postgresql://u:pw:host/db", "?password=..."): in doubt, the whole
// user-info goes.
std::string redact_url_input(std::string_view url);

}  // namespace retort

// SQLAlchemy-style database URLs, e.g. sqlite:///app.db or
// postgresql://user:secret@host:5432/app. A URL remembers where it came from
// (--url, the environment, .env, retort.ini) so every error about it can say
// so, and it only ever prints itself with the password masked.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

class Error;

// How the part after "scheme://" reads: a file path (sqlite:///app.db) or
// user:password@host:port/database.
enum class UrlForm { kFilePath, kServer };

struct DatabaseUrl {
  std::string backend;  // the registry's name of its backend ("sqlite", "postgresql")
  UrlForm form = UrlForm::kServer;
  std::string user, password, host, port;
  std::string database;  // kFilePath: the file path ("" or ":memory:" for memory)
  std::vector<std::pair<std::string, std::string>> query;
  bool has_password = false;
  std::string source;  // where the URL came from, for messages

  std::string redacted() const;  // the URL with the password as ***
  bool is_memory() const {
    return form == UrlForm::kFilePath && (database.empty() || database == ":memory:");
  }
};

// Builds "invalid database URL '…' from SOURCE: why", password masked.
using UrlFailure = std::function<Error(const std::string& why)>;

// The URL's scheme, lowercased ("postgresql+psycopg2"); `fail` when it has
// none. Its passwords are registered as secrets first, whatever follows.
std::string url_scheme(std::string_view text, const UrlFailure& fail);

// The rest of a URL whose scheme names `backend`, read in `form`.
// `base_dir` anchors a relative file path (empty: the current directory).
// (backend/url.h's parse_database_url() picks the backend from the scheme.)
DatabaseUrl parse_url_parts(std::string_view text, const std::string& source,
                            const std::string& base_dir, std::string backend, UrlForm form,
                            const UrlFailure& fail);

// Masks the password of any URL-looking text, for messages that echo input.
std::string redact_url_text(std::string_view text);

// Masks one URL as typed, valid or not ("postgresql:/u:pw@h",
// "postgresql://u:pw:host/db", "?password=..."): in doubt, the whole
// user-info goes.
std::string redact_url_input(std::string_view url);

}  // namespace retort

// retort.ini and the database URL's precedence: --url, then DATABASE_URL in
// the environment, then a .env file beside the config, then database_url in
// the ini, then a build system's --default-url. Each value remembers where it
// came from so an error can point there.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/database_url.h"

namespace retort {

struct Config {
  std::string path;  // the ini file, empty when running from --script-location alone
  std::string dir;   // the directory relative paths in the ini are read from
  std::string script_location;
  std::string version_table = "retort_version";
  std::string log_table = "retort_log";
  std::string file_template = "%(year)s%(month)s%(day)s%(hour)s%(minute)s%(second)s_%(slug)s";
  std::string timezone = "UTC";
  std::vector<std::string> models;
  // Globs naming objects autogenerate and check leave alone on both sides.
  std::vector<std::string> exclude;
  bool transaction_per_migration = true;
  std::optional<std::string> database_url;  // from the ini
  std::string version_table_schema;         // already applied to the two tables
  std::map<std::string, int> key_lines;     // setting -> line in the ini

  // "retort.ini:7 (version_table)" for messages about a setting.
  std::string where(const std::string& key) const;
  // The value retort uses for `key`, one of config_keys(), as text: the
  // ini's (with %(here)s expanded, paths made absolute) or the default;
  // nullopt when the setting has none. database_url comes unmasked.
  std::optional<std::string> value(const std::string& key) const;
};

// The settings [retort] may hold, in the order `retort config --list` shows.
std::vector<std::string> config_keys();
// The settings whose names are close to `key`, for "did you mean".
std::vector<std::string> similar_config_keys(std::string_view key);

struct ConfigSearch {
  std::string explicit_path;    // -c/--config
  std::string env_path;         // RETORT_CONFIG
  std::string script_location;  // --script-location
  std::string cwd;
};

// Finds and reads the config. Throws Error naming the file (and line).
Config load_config(const ConfigSearch& search);

// Reads the ini text; `path` only names it in messages. Exposed for tests.
Config parse_config(const std::string& text, const std::string& path, const std::string& dir);

// The last `KEY=value` in a .env file's text, if it sets one; `path` names
// the file in errors. Exposed for tests.
std::optional<std::string> read_dotenv_value(const std::string& text, const std::string& key,
                                             const std::string& path = ".env");

}  // namespace retort

#include "core/config.h"

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "core/error.h"
#include "core/script_directory.h"
#include "core/text.h"

namespace fs = std::filesystem;

namespace retort {

namespace {

const char* const kKeys[] = {
    "script_location",      "database_url", "version_table", "log_table",
    "file_template",        "timezone",     "models",        "transaction_per_migration",
    "version_table_schema", "exclude"};

bool valid_identifier(std::string_view s) {
  if (s.empty() || s.size() > 63 || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return s.front() != '.' && s.back() != '.';
}

std::string expand_here(std::string value, const std::string& dir) {
  const std::string token = "%(here)s";
  for (size_t p; (p = value.find(token)) != std::string::npos;)
    value.replace(p, token.size(), dir);
  return value;
}

bool is_config_key(const std::string& key) {
  for (const char* k : kKeys)
    if (key == k) return true;
  return false;
}

// The section a "[name]" line opens, or "" with an error for a malformed one:
// a malformed header starts a section nothing reads.
std::string read_section_header(std::string_view t, const std::string& path, int lineno,
                                ErrorList& errors) {
  size_t close = t.find(']');
  if (close == std::string_view::npos) {
    errors.add(Error("malformed section header: no closing ']'").at(path, lineno));
    return {};
  }
  // Only a comment may follow the header ("[retort]  ; notes").
  std::string_view rest = trim(t.substr(close + 1));
  if (!rest.empty() && rest[0] != ';' && rest[0] != '#') {
    errors.add(Error("unexpected text after the section header's ']'").at(path, lineno));
    return {};
  }
  return std::string(trim(t.substr(1, close - 1)));
}

// An inline comment starts at whitespace followed by ';' or '#'.
std::string_view without_inline_comment(std::string_view line) {
  for (size_t i = 1; i < line.size(); ++i)
    if ((line[i] == ';' || line[i] == '#') && (line[i - 1] == ' ' || line[i - 1] == '\t'))
      return line.substr(0, i);
  return line;
}

// Keeps one [retort] setting, or adds why it cannot be kept to `errors`.
void add_setting(const std::string& key, std::string_view value, const std::string& path,
                 int lineno, Config& c, std::map<std::string, std::string>& values,
                 ErrorList& errors) {
  if (!is_config_key(key)) {
    Error e("unknown setting '" + key + "' in [retort]");
    e.at(path, lineno);
    for (const auto& k : similar_config_keys(key))
      e.hint("did you mean '" + k + "'?");
    errors.add(std::move(e));
  } else if (c.key_lines.count(key)) {
    errors.add(Error("setting '" + key + "' appears twice (first on line " +
                     std::to_string(c.key_lines[key]) + ")")
                   .at(path, lineno));
  } else {
    c.key_lines[key] = lineno;
    values[key] = std::string(value);
  }
}

// The [retort] section's `key = value` lines, values as written; their line
// numbers go to c.key_lines. Comments are as alembic.ini has them: ';' or
// '#' at the start of a line or after whitespace. Every malformed line, in
// any section, is added to `errors`.
//
// Boost.Program_options' parse_config_file() is not used for this: it cuts
// every line at its first '#' (a password may hold one), knows no ';'
// comments, reports no line numbers or unknown keys, and its messages for
// some malformed lines ("%word%") never end.
std::map<std::string, std::string> read_retort_section(const std::string& text,
                                                       const std::string& path, Config& c,
                                                       ErrorList& errors) {
  std::map<std::string, std::string> values;
  std::string section;
  int lineno = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    ++lineno;
    const std::string_view t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t[0] == '[') {
      section = read_section_header(t, path, lineno, errors);
      continue;
    }
    std::string_view setting = without_inline_comment(line);
    size_t eq = setting.find('=');
    if (eq == std::string_view::npos) {  // "a ; b = c" has none left
      errors.add(Error("expected 'key = value'").at(path, lineno));
      continue;
    }
    if (section != "retort") continue;
    add_setting(std::string(trim(setting.substr(0, eq))), trim(setting.substr(eq + 1)), path,
                lineno, c, values, errors);
  }
  return values;
}

// The settings read from [retort], as the config uses them: %(here)s expanded.
class Settings {
 public:
  Settings(std::map<std::string, std::string> values, std::string dir)
      : values_(std::move(values)), dir_(std::move(dir)) {}
  std::optional<std::string> get(const char* key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return expand_here(it->second, dir_);
  }

 private:
  std::map<std::string, std::string> values_;
  std::string dir_;
};

// The line of `key` in the ini, 0 when it is not set there.
int line_of(const Config& c, const std::string& key) {
  auto it = c.key_lines.find(key);
  return it == c.key_lines.end() ? 0 : it->second;
}

// Relative to the ini's directory, so retort runs the same from anywhere.
std::string resolve_script_location(const std::string& loc, const std::string& dir) {
  std::string out =
      fs::path(loc).is_absolute() ? loc : (fs::path(dir) / loc).lexically_normal().string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

void read_text_settings(const Settings& s, Config& c) {
  c.database_url = s.get("database_url");
  if (c.database_url && trim(*c.database_url).empty()) c.database_url.reset();
  if (auto v = s.get("version_table")) c.version_table = *v;
  if (auto v = s.get("log_table")) c.log_table = *v;
  if (auto v = s.get("file_template")) c.file_template = *v;
  if (auto v = s.get("timezone")) c.timezone = *v;
  if (auto v = s.get("models")) c.models = split_list(*v, ' ');
  // Globs, separated by spaces or commas.
  if (auto v = s.get("exclude"))
    for (const auto& part : split_list(*v, ' '))
      for (const auto& g : split_list(part, ','))
        if (!trim(g).empty()) c.exclude.emplace_back(trim(g));
}

void read_transaction_per_migration(const Settings& s, Config& c) {
  auto v = s.get("transaction_per_migration");
  if (!v) return;
  auto b = to_lower(*v);
  if (b == "true" || b == "yes" || b == "1" || b == "on")
    c.transaction_per_migration = true;
  else if (b == "false" || b == "no" || b == "0" || b == "off")
    c.transaction_per_migration = false;
  else
    throw Error("transaction_per_migration must be true or false, not '" + *v + "'")
        .at(c.path, line_of(c, "transaction_per_migration"));
}

// version_table_schema puts both bookkeeping tables in that schema.
void read_version_table_schema(const Settings& s, Config& c) {
  auto schema = s.get("version_table_schema");
  if (!schema || trim(*schema).empty()) return;
  std::string sch(trim(*schema));
  if (!valid_identifier(sch) || sch.find('.') != std::string::npos)
    throw Error("version_table_schema '" + sch + "' is not a schema name")
        .at(c.path, line_of(c, "version_table_schema"))
        .hint("use letters, digits and '_'");
  c.version_table_schema = sch;
  if (c.version_table.find('.') == std::string::npos) c.version_table = sch + "." + c.version_table;
  if (c.log_table.find('.') == std::string::npos) c.log_table = sch + "." + c.log_table;
}

void check_table_names(const Config& c) {
  for (const char* key : {"version_table", "log_table"}) {
    const std::string& v = std::string(key) == "version_table" ? c.version_table : c.log_table;
    if (!valid_identifier(v))
      throw Error(std::string(key) + " '" + v + "' is not a table name")
          .at(c.path, line_of(c, key))
          .hint("use letters, digits and '_' (optionally schema.table)");
  }
  if (c.version_table == c.log_table)
    throw Error("version_table and log_table are both '" + c.version_table + "'")
        .at(c.path, line_of(c, "log_table"));
}

// A file name must stay in the script directory and be one the build can carry.
void check_file_template(const Config& c) {
  if (c.file_template.find('/') != std::string::npos ||
      c.file_template.find("%(slug)s") == std::string::npos ||
      c.file_template.find("..") != std::string::npos)
    throw Error("file_template '" + c.file_template + "' must contain %(slug)s and no '/' or '..'")
        .at(c.path, line_of(c, "file_template"));
  if (auto why = unbuildable_name_reason(c.file_template); !why.empty())
    throw Error("file_template " + quoted_for_display(c.file_template) + " " + why +
                ", so the build could not carry the files it names")
        .at(c.path, line_of(c, "file_template"))
        .hint("letters, digits, '_', '-', '.', spaces and the %(...)s fields are safe");
}

void check_timezone(const Config& c) {
  if (c.timezone != "UTC" && c.timezone != "utc" && c.timezone != "local")
    throw Error("timezone '" + c.timezone + "' is not supported")
        .at(c.path, line_of(c, "timezone"))
        .hint("use UTC (the default) or local");
}

}  // namespace

std::vector<std::string> config_keys() {
  return {std::begin(kKeys), std::end(kKeys)};
}

std::vector<std::string> similar_config_keys(std::string_view key) {
  std::vector<std::string> near;
  for (const char* k : kKeys)
    if (edit_distance(key, k) <= 3) near.emplace_back(k);
  return near;
}

std::string Config::where(const std::string& key) const {
  if (path.empty()) return "the built-in default of " + key;
  auto it = key_lines.find(key);
  if (it == key_lines.end()) return key + " (default; not set in " + path + ")";
  return path + ":" + std::to_string(it->second) + " (" + key + ")";
}

std::optional<std::string> Config::value(const std::string& key) const {
  auto text = [](const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return std::nullopt;
    return v;
  };
  if (key == "script_location") return text(script_location);
  if (key == "database_url") return database_url;
  if (key == "version_table") return version_table;
  if (key == "log_table") return log_table;
  if (key == "file_template") return file_template;
  if (key == "timezone") return timezone;
  if (key == "models") return text(join(models, " "));
  if (key == "transaction_per_migration")
    return std::string(transaction_per_migration ? "true" : "false");
  if (key == "version_table_schema") return text(version_table_schema);
  if (key == "exclude") return text(join(exclude, " "));
  throw std::logic_error("Config::value: no setting '" + key + "'");
}

Config parse_config(const std::string& text, const std::string& path, const std::string& dir) {
  Config c;
  c.path = path;
  c.dir = dir;
  ErrorList errors;
  const Settings settings(read_retort_section(text, path, c, errors), dir);
  errors.throw_if_any();
  if (c.key_lines.empty() && text.find("[retort]") == std::string::npos)
    throw Error("no [retort] section")
        .at(path)
        .hint("settings go under a [retort] line; see `retort init`");

  c.script_location =
      resolve_script_location(settings.get("script_location").value_or("migrations"), dir);
  read_text_settings(settings, c);
  read_transaction_per_migration(settings, c);
  read_version_table_schema(settings, c);
  check_table_names(c);
  check_file_template(c);
  check_timezone(c);
  return c;
}

Config load_config(const ConfigSearch& search) {
  std::string path;
  std::string origin;
  if (!search.explicit_path.empty()) {
    path = search.explicit_path;
    origin = "-c/--config";
  } else if (!search.env_path.empty()) {
    path = search.env_path;
    origin = "RETORT_CONFIG";
  } else {
    for (fs::path d = search.cwd; !d.empty(); d = d.parent_path()) {
      if (fs::exists(d / "retort.ini")) {
        path = (d / "retort.ini").string();
        break;
      }
      if (d == d.parent_path()) break;
    }
    if (path.empty()) {
      if (!search.script_location.empty()) {
        Config c;
        c.script_location = search.script_location;
        return c;
      }
      throw Error("no retort.ini found in " + search.cwd + " or any directory above it")
          .hint("run `retort init` to create one, or pass -c/--config FILE, or set RETORT_CONFIG");
    }
  }
  std::error_code ec;
  // Anything but a directory is read: read_file() names a FIFO or a device.
  if (!fs::exists(path, ec) || fs::is_directory(path, ec))
    throw Error("config file " + path + (origin.empty() ? "" : " (from " + origin + ")") +
                " does not exist or is not a file")
        .hint("check the path, or run `retort init` to create one");
  fs::path dir = fs::absolute(path).parent_path();
  Config c = parse_config(read_file(path), path, dir.lexically_normal().string());
  if (!search.script_location.empty()) c.script_location = search.script_location;
  return c;
}

std::optional<std::string> read_dotenv_value(const std::string& text, const std::string& key,
                                             const std::string& path) {
  std::optional<std::string> found;
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.substr(0, 7) == "export ") t = trim(t.substr(7));
    auto eq = t.find('=');
    if (eq == std::string_view::npos || trim(t.substr(0, eq)) != key) continue;
    auto v = trim(t.substr(eq + 1));
    if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
      // A quoted value ends at its closing quote; a comment may follow.
      auto close = v.find(v.front(), 1);
      // Quoted values span one line here: taking the rest of the line would
      // connect to a database nobody named.
      if (close == std::string_view::npos)
        throw Error(key + " has an opening " + std::string(1, v.front()) + " but no closing one")
            .at(path, number)
            .hint("close the quote on the same line, or drop the quotes");
      v = v.substr(1, close - 1);
    } else if (auto hash = v.find(" #"); hash != std::string_view::npos) {
      v = trim(v.substr(0, hash));
    }
    found = std::string(v);  // the last assignment wins, as in a shell
  }
  return found;
}

}  // namespace retort

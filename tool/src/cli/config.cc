// retort config --get KEY | --list: retort.ini as the tool reads it, so a
// build system asks instead of parsing the file itself.
#include <iostream>

#include "cli/command_table.h"
#include "cli/context.h"
#include "core/config.h"
#include "core/database_url.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

// database_url may hold a password: masked whatever its form, valid or not.
std::string shown(const std::string& key, const std::string& value) {
  return key == "database_url" ? redact_url_input(value) : value;
}

void require_known(const std::string& key) {
  for (const auto& k : config_keys())
    if (k == key) return;
  Error e("unknown setting '" + key + "'");
  for (const auto& k : similar_config_keys(key))
    e.hint("did you mean '" + k + "'?");
  throw e.hint("the settings are: " + join(config_keys(), ", ")).usage();
}

}  // namespace

int run_config(Context& ctx) {
  ArgParser p("config (--get KEY | --list)",
              "Print the settings of retort.ini as retort uses them: the [retort] section only, "
              "a setting the file leaves out at its default, %(here)s expanded, script_location "
              "made absolute (and replaced by --script-location). database_url is the file's "
              "own, its password masked; --url, DATABASE_URL and .env are not consulted. --get "
              "prints nothing and exits 1 when the setting has no value (database_url, models "
              "or version_table_schema not set).");
  std::string key;
  bool list = false;
  p.option("get", "KEY", "print the value of one setting", &key);
  p.flag("list", "print every setting that has a value, as 'key = value'", &list);
  if (!ctx.parse(p)) return kExitOk;
  if (list == !key.empty())
    throw Error(list ? "--get and --list cannot be used together"
                     : "config needs --get KEY or --list")
        .hint("usage: retort config (--get KEY | --list)")
        .usage();
  if (!list) {
    require_known(key);
    auto value = ctx.config().value(key);
    if (!value) return kExitFailure;  // as `git config --get`: not set, nothing to print
    ctx.out() << shown(key, *value) << "\n";
    return kExitOk;
  }
  for (const auto& k : config_keys())
    if (auto value = ctx.config().value(k)) ctx.out() << k << " = " << shown(k, *value) << "\n";
  return kExitOk;
}

}  // namespace retort

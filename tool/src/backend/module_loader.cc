// Loads the PostgreSQL driver from its module on first use. libpq brings in
// some thirty shared libraries (TLS, Kerberos, LDAP); linking it into the
// tool would make every command, SQLite ones included, pay for loading them.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "backend/driver.h"
#include "backend/postgres/postgres.h"
#include "core/error.h"
#include "core/text.h"

namespace retort {

namespace {

// The entry point's name carries the host table's version: a module from
// another build is "not found", never called with the wrong arguments.
using OpenFn = Driver* (*)(const SecretsHost&, const DatabaseUrl&, const DriverOptions&);
constexpr const char* kEntryPoint = "retort_postgres_open_v1";

constexpr const char* kModule = "retort_postgres.so";

// Where the module may be: $RETORT_MODULE_DIR, lib/retort beside the
// running binary's bin/, the install prefix, and the build tree.
std::vector<std::string> module_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("RETORT_MODULE_DIR"); env && *env) dirs.emplace_back(env);
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string path(exe, static_cast<size_t>(n));
    std::string bin = path.substr(0, path.rfind('/'));
    dirs.push_back(bin.substr(0, bin.rfind('/')) + "/lib/retort");
  }
#ifdef RETORT_INSTALL_MODULE_DIR
  dirs.emplace_back(RETORT_INSTALL_MODULE_DIR);
#endif
#ifdef RETORT_BUILD_MODULE_DIR
  dirs.emplace_back(RETORT_BUILD_MODULE_DIR);
#endif
  return dirs;
}

OpenFn load_postgres() {
  static OpenFn open = nullptr;
  if (open) return open;
  std::vector<std::string> tried;
  std::string last_error;
  for (const auto& dir : module_dirs()) {
    std::string path = dir + "/" + kModule;
    if (::access(path.c_str(), R_OK) != 0) {
      tried.push_back(path);
      continue;
    }
    // Never unloaded: drivers it creates live until the process ends.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      last_error = ::dlerror();
      tried.push_back(path);
      continue;
    }
    open = reinterpret_cast<OpenFn>(::dlsym(handle, kEntryPoint));
    if (open) return open;
    last_error = path + " has no " + kEntryPoint + " (it is from another retort build)";
  }
  Error e("PostgreSQL support is not available: " +
          (last_error.empty() ? std::string(kModule) + " was not found" : last_error));
  e.hint("looked in: " + join(tried, ", "));
  e.hint(
      "install retort with its lib/retort/ directory (make install), set RETORT_MODULE_DIR, "
      "or install libpq5 if the module is there but cannot load");
  throw e;
}

}  // namespace

std::unique_ptr<Driver> open_postgres_driver(const DatabaseUrl& url, const DriverOptions& options) {
  return std::unique_ptr<Driver>(load_postgres()(secrets_host(), url, options));
}

}  // namespace retort

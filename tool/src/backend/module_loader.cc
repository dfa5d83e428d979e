// Loads a backend's driver module on first use and checks it is this
// build's. libpq alone brings in some thirty shared libraries (TLS, Kerberos,
// LDAP); linking it into the tool would make every command, SQLite ones
// included, pay for loading them.
#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "backend/module.h"
#include "core/error.h"
#include "core/text.h"

// Builds that load no module (the fuzz targets) need not say which they are.
#ifndef RETORT_BUILD_ID
#define RETORT_BUILD_ID "unidentified"
#endif

namespace retort {

namespace {

// Where the module may be: $RETORT_MODULE_DIR, retort/ beside the shared
// library this code is in (the runtime an application links, however it is
// installed), lib/retort beside the running binary's bin/, the install
// prefix, and the build tree.
std::vector<std::string> module_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("RETORT_MODULE_DIR"); env && *env) dirs.emplace_back(env);
  Dl_info self{};
  if (::dladdr(reinterpret_cast<void*>(&module_dirs), &self) && self.dli_fname) {
    // Only a shared library: the executable's own place is the next entry.
    std::string path = self.dli_fname;
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && path.find(".so", slash) != std::string::npos)
      dirs.push_back(path.substr(0, slash) + "/retort");
  }
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

// Why the module at `path` is not this build's, or "" when it is.
std::string mismatch(const DriverModule& m, std::string_view backend) {
  if (m.abi != kDriverModuleAbi)
    return "speaks module interface " + std::to_string(m.abi) + ", this retort " +
           std::to_string(kDriverModuleAbi);
  if (!m.backend || backend != m.backend)
    return "is the driver for " + std::string(m.backend ? m.backend : "(none)") + ", not " +
           std::string(backend);
  if (!m.build_id || std::string_view(m.build_id) != RETORT_BUILD_ID)
    return "is from another build of retort (" + std::string(m.build_id ? m.build_id : "?") +
           ", this one is " + RETORT_BUILD_ID + ")";
  return "";
}

}  // namespace

const DriverModule& load_driver_module(std::string_view name, std::string_view backend,
                                       std::string_view what) {
  static std::map<std::string, const DriverModule*, std::less<>> loaded;
  if (auto it = loaded.find(name); it != loaded.end()) return *it->second;
  const std::string file = "retort_" + std::string(name) + ".so";
  std::vector<std::string> tried;
  std::string last_error;
  for (const auto& dir : module_dirs()) {
    std::string path = dir + "/" + file;
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
    using Entry = const DriverModule* (*)();
    auto entry = reinterpret_cast<Entry>(::dlsym(handle, kDriverModuleEntry));
    const DriverModule* m = entry ? entry() : nullptr;
    std::string why =
        !m ? std::string("has no ") + kDriverModuleEntry + "()" : mismatch(*m, backend);
    if (why.empty()) {
      loaded.emplace(std::string(name), m);
      return *m;
    }
    // A stale module is not passed over for another: the user must know
    // which file to replace.
    throw Error(std::string(what) + " is not available: the module " + path + " " + why)
        .hint(
            "rebuild retort (cmake --build) or reinstall it together with its lib/retort/ "
            "directory, or point RETORT_MODULE_DIR at this build's modules");
  }
  Error e(std::string(what) +
          " is not available: " + (last_error.empty() ? file + " was not found" : last_error));
  e.hint("looked in: " + join(tried, ", "));
  e.hint(
      "install retort with its lib/retort/ directory (make install), set RETORT_MODULE_DIR, "
      "or install the database's client library if the module is there but cannot load");
  throw e;
}

}  // namespace retort

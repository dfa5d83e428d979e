// The contract between the tool and a backend's driver module (a shared
// object loaded on first use, so that a database's client library costs
// nothing to users of the others). A module defines no copy of retort's own
// code: its references resolve against the executable that loads it, so
// there is one secrets registry and one of everything else per process. It
// exports one C function returning this description, which the loader
// checks before it calls anything else.
#pragma once

#include <cstdint>
#include <string_view>

#include "backend/driver.h"

namespace retort {

// Raised whenever the layout of what crosses the boundary changes.
inline constexpr std::uint32_t kDriverModuleAbi = 3;

struct DriverModule {
  std::uint32_t abi;     // first, and never moved: read before anything else
  const char* backend;   // the registry's name, "postgresql"
  const char* build_id;  // RETORT_BUILD_ID of the build that made it
  // Opens a connection; throws Error. Never returns nullptr.
  Driver* (*open)(const DatabaseUrl& url, const DriverOptions& options);
};

// The module's one exported symbol.
#define RETORT_DRIVER_MODULE_ENTRY retort_driver_module
inline constexpr const char* kDriverModuleEntry = "retort_driver_module";

// Finds retort_<name>.so on the module path ($RETORT_MODULE_DIR, lib/retort
// beside the binary, the install and build directories), loads it once and
// checks that it is this build's module for `backend`. Throws Error naming
// the path of a module that is stale or from another build, and where it
// looked when there is none. `what` names the feature in messages
// ("PostgreSQL support").
const DriverModule& load_driver_module(std::string_view name, std::string_view backend,
                                       std::string_view what);

}  // namespace retort

// A driver module that is not this build's, for the loader's test: one from
// another build (STALE_BUILD) or one speaking another module interface
// (STALE_ABI). Loading either must fail with its path, never call it.
#include "backend/module.h"

extern "C" __attribute__((visibility("default"))) const retort::DriverModule*
RETORT_DRIVER_MODULE_ENTRY() {
#ifdef STALE_ABI
  static const retort::DriverModule module{retort::kDriverModuleAbi + 1, "postgresql", "x",
                                           nullptr};
#else
  static const retort::DriverModule module{retort::kDriverModuleAbi, "postgresql",
                                           "0.0.1-0123456789abcdef", nullptr};
#endif
  return &module;
}

# Initial cache for the build the reliability suite runs its other suites in:
# RETORT_SANITIZE (ASan + UBSan) at -O1, which keeps the build and the run
# quick. The demo and the reliability suite itself are left out of it (the
# suite is what builds it).
#   cmake -C tests/reliability/sanitize.cmake -S . -B build-asan
set(RETORT_SANITIZE ON CACHE BOOL "")
set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "")
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -g1" CACHE STRING "")
set(RETORT_DEMO OFF CACHE BOOL "")
set(RETORT_RELIABILITY OFF CACHE BOOL "")

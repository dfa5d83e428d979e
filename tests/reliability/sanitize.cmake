# Initial cache for a build of retort and its tests under AddressSanitizer
# and UndefinedBehaviorSanitizer (the `RETORT_SANITIZE` variant):
#   cmake -C tests/reliability/sanitize.cmake -S . -B build-asan
# Every UBSan finding aborts instead of printing and going on. -O1 keeps the
# build and the run quick; the demo and the reliability suite itself are left
# out of this build (the suite is what builds it).
set(CMAKE_BUILD_TYPE Sanitize CACHE STRING "")
set(_san "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer")
set(CMAKE_CXX_FLAGS_SANITIZE "-O1 -g1 ${_san}" CACHE STRING "")
set(CMAKE_EXE_LINKER_FLAGS_SANITIZE "${_san}" CACHE STRING "")
set(CMAKE_SHARED_LINKER_FLAGS_SANITIZE "${_san}" CACHE STRING "")
set(CMAKE_MODULE_LINKER_FLAGS_SANITIZE "${_san}" CACHE STRING "")
set(RETORT_DEMO OFF CACHE BOOL "")
set(RETORT_RELIABILITY OFF CACHE BOOL "")

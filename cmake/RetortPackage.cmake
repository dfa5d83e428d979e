# Makes retort a CMake package and registers the demo migrations.  Included
# at the end of the top-level CMakeLists.txt, after the retort target exists.
#
# - add_subdirectory()/FetchContent: Retort::retort is the alias defined in
#   tool/ and retort_add_migrations() comes from the include below.
# - cmake --install: find_package(Retort CONFIG) gives the same two things,
#   with Retort::retort an imported executable.

include("${CMAKE_CURRENT_LIST_DIR}/Retort.cmake")
include(CMakePackageConfigHelpers)

set(RETORT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Retort"
  CACHE STRING "Where to install retort's CMake package files")
mark_as_advanced(RETORT_INSTALL_CMAKEDIR)

install(EXPORT RetortTargets
  NAMESPACE Retort::
  FILE RetortTargets.cmake
  DESTINATION "${RETORT_INSTALL_CMAKEDIR}")

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/RetortConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/RetortConfig.cmake"
  INSTALL_DESTINATION "${RETORT_INSTALL_CMAKEDIR}")
# The package is a tool, so a consumer of any pointer size can use it.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/RetortConfig.cmake"
  "${PROJECT_BINARY_DIR}/RetortConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/Retort.cmake"
  DESTINATION "${RETORT_INSTALL_CMAKEDIR}")

if(RETORT_DEMO)
  # The demo database is build/db.db unless DATABASE_URL says otherwise.
  retort_add_migrations(DIRECTORY "${PROJECT_SOURCE_DIR}/migrations")
endif()


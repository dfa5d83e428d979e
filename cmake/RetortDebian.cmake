# The Debian package `make package` builds with CPack: what `cmake --install`
# installs (the tool, its driver modules, the CMake package, the bash
# completion) under /usr, its library dependencies found by dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME retort)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Versioned, reviewable, reversible database schema migrations for CMake and make")
set(CPACK_PACKAGE_DESCRIPTION
    "retort applies revision files of plain SQL to SQLite, PostgreSQL or MariaDB, \
autogenerates them from model files, and gives CMake projects build targets \
that validate every revision before a database is touched.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # retort_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "retort developers <retort@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "graphviz, cmake")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")  # cpack -B overrides it
set(CPACK_STRIP_FILES ON)
include(CPack)

# A thin wrapper around CMake: the first target that needs it configures
# build/ (Ninja when installed, else Unix Makefiles); every target then runs
# `cmake --build`. The database tasks are the targets retort_add_migrations()
# creates for migrations/. `make help` lists everything.

BUILD_DIR ?= build
CMAKE     ?= cmake
CTEST     ?= ctest
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_JOBS ?= 2
# Extra arguments for the first configure, e.g. CMAKE_ARGS=-DCMAKE_BUILD_TYPE=Debug
CMAKE_ARGS ?=
# WERROR=ON makes every compiler warning in retort's own code an error
# (RETORT_WERROR), as .ci/run builds; unset, $(BUILD_DIR) keeps its setting.
WERROR ?=
# How many clang-tidy processes `make lint` runs at once.
LINT_JOBS ?= $(JOBS)

# make expands '$' in variables given on its command line before exporting
# them to a recipe. MSG is a free-text message and must reach the tool as
# typed, so take its unexpanded value and keep it (and REV) out of the
# MAKEFLAGS that a generated makefile further down would expand again.
ifeq ($(origin MSG),command line)
override MSG := $(value MSG)
export MSG
endif
ifeq ($(origin REV),command line)
override REV := $(value REV)
export REV
endif
MAKEOVERRIDES :=

MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.SUFFIXES:
.DEFAULT_GOAL := build

# Written by a successful generate step, whichever the generator.
CONFIGURED := $(BUILD_DIR)/CMakeFiles/TargetDirectories.txt

.PHONY: help configure build test test-reliability lint bench install package clean distclean \
        db-new db-up db-down db-current db-history db-status db-graph

help:
	@echo 'retort: make targets (a thin wrapper around CMake in $(BUILD_DIR)/)'
	@echo
	@echo '# Build and test'
	@echo 'build         Configure $(BUILD_DIR)/ on first use and build everything'
	@echo 'test          Install missing test packages, build, run every test'
	@echo '              but the reliability suite'
	@echo 'test-reliability  Crash trials, faults, hostile input, fuzzing, ASan/UBSan'
	@echo '              (ctest -L reliability; 8 to 11 minutes)'
	@echo 'lint          clang-format check of tool/src and tests, clang-tidy of tool/src'
	@echo '              (CI runs it, then test and test-reliability with WERROR=ON)'
	@echo 'bench         Run the benchmarks under bench/'
	@echo 'install       Install retort, its CMake package and bash completion (PREFIX=/usr/local)'
	@echo 'package       Build a Debian package of the same in $(BUILD_DIR)/packages/ (CPack)'
	@echo 'clean         Remove build outputs (keeps the configuration and demo DB)'
	@echo 'distclean     Remove $(BUILD_DIR)/ entirely, demo database included'
	@echo
	@echo '# Database migration tasks'
	@echo 'db-new        Autogenerate revision (MSG="title")'
	@echo 'db-up         Upgrade DB to head (REV=... for another target)'
	@echo 'db-down       Downgrade one step (REV=-1 or hash)'
	@echo 'db-current    Show current DB revision'
	@echo 'db-history    List the migration graph'
	@echo 'db-status     List revisions as applied [X] or pending [ ]'
	@echo 'db-graph      Draw the graph as $(BUILD_DIR)/db-graph.svg (Graphviz)'
	@echo
	@echo '# Schema checks (for CI)'
	@echo 'db-check      Fail if the models and the database at head differ'
	@echo 'db-lint       Validate every revision file and the revision graph'
	@echo
	@echo 'The database is $(BUILD_DIR)/db.db unless DATABASE_URL is set.'
	@echo 'Any other target goes to cmake --build (e.g. make retort, make db-lint).'

# Only a first configure checks the Debian packages: the db-* targets stay
# one cmake --build away from the tool. Building the tool here shows the
# compile's progress once; the db-* tasks then print just what retort says.
$(CONFIGURED):
	scripts/install-deps
	$(CMAKE) -S . -B $(BUILD_DIR) -G "$(GENERATOR)" $(CONFIGURE_ARGS)
	$(CMAKE) --build $(BUILD_DIR) --target retort --parallel $(JOBS)

# Ninja's status lines are noise around `make db-current`; errors still show.
# Not while the tool is missing (after `make clean`): then the compile's
# progress is worth seeing.
QUIET = $(if $(wildcard $(BUILD_DIR)/build.ninja),$(if $(wildcard $(BUILD_DIR)/bin/retort),-- --quiet))

# Decided by the shell when the recipe runs, after install-deps: make would
# expand a $(shell) before the recipe's first line has installed ninja.
GENERATOR = $$(command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")

CONFIGURE_ARGS = $(CMAKE_ARGS) $(if $(WERROR),-DRETORT_WERROR=$(WERROR))

# Re-configures; the generator is chosen only for a new build tree.
CONFIGURE = $(CMAKE) -S . -B $(BUILD_DIR) $(if $(wildcard $(CONFIGURED)),,-G "$(GENERATOR)") $(CONFIGURE_ARGS)

configure:
	$(CONFIGURE)

build: $(CONFIGURED)
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS)

# One private PostgreSQL server and one MariaDB server serve every test
# process and are stopped after; no test output, passing tests' included,
# may contain either password.
# The reliability suite (label `reliability`) takes minutes: test-reliability.
test:
	scripts/install-deps test
	$(CONFIGURE)
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS)
	scripts/with-postgres --scan $(BUILD_DIR)/Testing/Temporary/LastTest.log \
	  scripts/with-mariadb --scan $(BUILD_DIR)/Testing/Temporary/LastTest.log \
	  $(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(CTEST_JOBS) -LE reliability

# Crash trials, a full disk, locks, hostile input, fuzzing and the suites
# under ASan/UBSan (tests/reliability/CMakeLists.txt), then their figures.
RELIABILITY_REPORT = $(BUILD_DIR)/reliability-report
test-reliability:
	scripts/install-deps test
	$(CONFIGURE)
	$(CMAKE) --build $(BUILD_DIR) --parallel $(JOBS)
	rm -rf $(RELIABILITY_REPORT)
	@status=0; \
	scripts/with-postgres --scan $(BUILD_DIR)/Testing/Temporary/LastTest.log \
	  scripts/with-mariadb --scan $(BUILD_DIR)/Testing/Temporary/LastTest.log \
	  $(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(CTEST_JOBS) -L reliability \
	  || status=$$?; \
	echo; echo '== reliability figures'; cat $(RELIABILITY_REPORT)/*.txt 2>/dev/null; \
	exit $$status

# clang-format over tool/src and tests, then clang-tidy over tool/src/**/*.cc
# with $(BUILD_DIR)'s compile commands (scripts/lint): configures, builds nothing.
lint:
	scripts/install-deps lint
	$(CONFIGURE)
	scripts/lint $(BUILD_DIR) $(LINT_JOBS)

bench: build
	@if [ -x bench/run ]; then BUILD_DIR=$(BUILD_DIR) bench/run; \
	else $(CMAKE) --build $(BUILD_DIR) --target bench; fi

install: build
	$(CMAKE) --install $(BUILD_DIR) $(if $(PREFIX),--prefix "$(PREFIX)")

# CPack's DEB generator (cmake/RetortDebian.cmake); dpkg-shlibdeps finds the
# library dependencies.
package: build
	scripts/install-deps package
	$(CMAKE) --build $(BUILD_DIR) --target package

clean:
	@if [ -f $(CONFIGURED) ]; then $(CMAKE) --build $(BUILD_DIR) --target clean; fi

distclean:
	rm -rf $(BUILD_DIR)

db-new db-up db-down db-current db-history db-status db-graph: $(CONFIGURED)
	@$(CMAKE) --build $(BUILD_DIR) --target $@ $(QUIET)

# Everything else is a CMake target, except this makefile itself (make
# asks for a rule to remake it, under whatever name -f gave).
$(MAKEFILE_LIST): ;
%:: $(CONFIGURED)
	@$(CMAKE) --build $(BUILD_DIR) --target $@

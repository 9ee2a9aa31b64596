# Thin wrapper: install Debian packages, configure and build with CMake.
# `make run` opens the kiosk on the sample content; `make test` runs every test.
BUILD ?= build
TYPE  ?= Release
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
# `make run` opens a development window that Escape closes; the kiosk proper
# is full screen and cannot be closed from the screen: make run MODE=
MODE  ?= --windowed
# `make package` builds the Debian package here (packaging/README.md).
PKG_BUILD ?= build-pkg
# `make test` runs every test twice: in BUILD, then every unit and CLI test
# again in this AddressSanitizer and UBSan build (SAN_BUILD), where any
# sanitizer report fails. Not again there: the soak (it runs its sanitized
# monkey from this same build), the package test (a Release build of its
# own) and the fuzzers (sanitized). `make test SANITIZE=no` skips the second
# pass while developing; `make test-sanitize` runs only it.
SAN_BUILD ?= build-asan
SAN_SKIP  ?= ^cli\.(soak|package|fuzz_short)$$

.PHONY: all deps build run test test-sanitize build-sanitize run-sanitize fuzz bench bench-compare bench-large bench-large-sync clean debug package

all: build

deps:
	@sh packaging/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(TYPE)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/infopoint --bundle $(BUILD)/sample.ipb $(MODE) $(ARGS)

SANITIZE ?= yes
ifeq ($(SANITIZE),no)
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
else
test: build build-sanitize
	cd $(BUILD) && SOAK_ASAN_BUILD=$(CURDIR)/$(SAN_BUILD) ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory run-sanitize
endif

build-sanitize: deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINFOPOINT_SANITIZE=ON
	cmake --build $(SAN_BUILD) -j $(JOBS)

# Any sanitizer report fails, even from a program a test expected to fail
# (tests/CMakeLists.txt sends reports to $(SAN_BUILD)/sanitizer/).
run-sanitize:
	rm -rf $(SAN_BUILD)/sanitizer
	cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -E '$(SAN_SKIP)'
	sh tests/sanitize_check.sh $(SAN_BUILD)
	@echo "sanitizer pass: every test passed with no report"

test-sanitize: build-sanitize
	$(MAKE) --no-print-directory run-sanitize

# Every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (10 minutes;
# `make test` runs them for 10 s): crashes are kept in $(BUILD)/fuzz-out.
FUZZ_SECONDS ?= 600
fuzz: build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_KEEP=$(CURDIR)/$(BUILD)/fuzz-out INFOPOINT_SOURCE_DIR=$(CURDIR) \
		INFOPOINT_BUILD_DIR=$(CURDIR)/$(BUILD) bash tests/cli/fuzz_short.sh

bench: build
	./$(BUILD)/infopoint-bench store

# infopoint beside a Chromium kiosk on the same article (tests/bench/compare.sh;
# needs chromium: apt-get install chromium). Not part of `make test`.
bench-compare: build
	bash tests/bench/compare.sh $(BUILD)

# The content tool on LARGE_ITEMS synthetic items (tests/bench/large.sh):
# wall time, peak RSS and size of `infopoint-bundle build`. Not part of
# `make test` (100,000 items: ~1.3 GB of sources, ~3.3 GB of bundle).
LARGE_ITEMS ?= 100000
bench-large: build
	bash tests/bench/large.sh $(BUILD) $(LARGE_ITEMS)

# The sync at LARGE_ITEMS items (infopoint-bench sync, real nginx on
# 127.0.0.1): one full sync, then three one-item and three 100-item editions
# installed in place. The synthetic bundle stays in LARGE_SYNC_DIR between
# runs. Not part of `make test` (100,000 items: ~6 min to build the bundle
# the first time, then ~10 min; 3.3 GB of bundle, 1.1 GB of repository).
LARGE_SYNC_DIR ?= /tmp/infopoint-large-sync
bench-large-sync: build
	./$(BUILD)/infopoint-bench sync --items $(LARGE_ITEMS) --full-runs 1 --runs 3 --keep $(LARGE_SYNC_DIR)

# A Release build with the installed paths compiled in; only what the
# package holds is built (cpack itself then builds nothing).
package: deps
	cmake -S . -B $(PKG_BUILD) -DCMAKE_BUILD_TYPE=Release -DINFOPOINT_PACKAGE=ON \
		-DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
	cmake --build $(PKG_BUILD) -j $(JOBS) --target package_contents
	rm -f $(PKG_BUILD)/infopoint_*.deb
	cd $(PKG_BUILD) && cpack -G DEB
	@echo "package: $$(ls $(PKG_BUILD)/infopoint_*.deb)"

# The long soak (tests/cli/soak.sh): a million random-touch events with idle
# resets and content swaps, under ASan/LSan and in this build for the RSS
# figure; about 2 h on 2 cores (BENCHMARKS.md, "Soak"). `make test` runs 20,000.
SOAK_EVENTS ?= 1000000
.PHONY: soak
soak: build
	SOAK_EVENTS=$(SOAK_EVENTS) INFOPOINT_SOURCE_DIR=$(CURDIR) INFOPOINT_BUILD_DIR=$(CURDIR)/$(BUILD) \
		SAMPLE_BUNDLE=$(CURDIR)/$(BUILD)/sample.ipb PATH="$(CURDIR)/$(BUILD):$$PATH" bash tests/cli/soak.sh

debug:
	$(MAKE) BUILD=build-debug TYPE=Debug build

clean:
	rm -rf $(BUILD) build-debug $(PKG_BUILD) $(SAN_BUILD)

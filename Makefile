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

.PHONY: all deps build run test bench bench-compare clean debug package

all: build

deps:
	@sh packaging/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(TYPE)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/infopoint --bundle $(BUILD)/sample.ipb $(MODE) $(ARGS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./$(BUILD)/infopoint-bench store

# infopoint beside a Chromium kiosk on the same article (tests/bench/compare.sh;
# needs chromium: apt-get install chromium). Not part of `make test`.
bench-compare: build
	bash tests/bench/compare.sh $(BUILD)

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
	rm -rf $(BUILD) build-debug $(PKG_BUILD)

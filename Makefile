# Thin wrapper: install Debian packages, configure and build with CMake.
# `make run` opens the kiosk on the sample content; `make test` runs every test.
BUILD ?= build
TYPE  ?= Release
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
# `make run` opens a development window that Escape closes; the kiosk proper
# is full screen and cannot be closed from the screen: make run MODE=
MODE  ?= --windowed

.PHONY: all deps build run test bench clean debug

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

debug:
	$(MAKE) BUILD=build-debug TYPE=Debug build

clean:
	rm -rf $(BUILD) build-debug

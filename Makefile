# Thin wrapper over CMake presets. Quick start: `make run` and `make test`.
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
# Extra CMake cache settings, e.g. `make test CMAKE_ARGS=-DLOCKSTEP_WERROR=ON`.
CMAKE_ARGS ?=
LESSON ?=

.PHONY: all deps configure build run test bench package clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Without a display the window itself says how to use xvfb-run or the headless CLI (exit 1).
run: build
	@exec $(BUILD_DIR)/app/lockstep $(if $(LESSON),--lesson $(LESSON))

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j 2 --timeout 600

bench: deps
	@cmake --preset release $(CMAKE_ARGS) >/dev/null
	@cmake --build build/release -j $(JOBS)
	@for b in build/release/tests/*_bench; do echo "== $$b"; $$b --benchmark_min_time=0.2; done

# A Debian package from an optimised build, left in this folder: `apt install ./lockstep_*.deb`.
package: deps
	@cmake --preset package $(CMAKE_ARGS) >/dev/null
	@cmake --build build/package -j $(JOBS)
	@cd build/package && cpack -G DEB >/dev/null
	@cp build/package/lockstep_*.deb .
	@ls -1 lockstep_*.deb

clean:
	@rm -rf build

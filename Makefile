# Thin wrapper over CMake presets. Quick start: `make run` and `make test`.
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
# Extra CMake cache settings, e.g. `make test CMAKE_ARGS=-DLOCKSTEP_WERROR=ON`.
CMAKE_ARGS ?=
LESSON ?=

.PHONY: all deps configure build run test bench clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then \
	    exec $(BUILD_DIR)/app/lockstep $(if $(LESSON),--lesson $(LESSON)); \
	else \
	    echo "make run: no display (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open."; \
	    echo "  Run the GUI on a virtual display:"; \
	    echo "    xvfb-run -a -s '-screen 0 1920x1080x24' $(BUILD_DIR)/app/lockstep --run --screenshot lockstep.png"; \
	    echo "  Or use the headless CLI:"; \
	    echo "    $(BUILD_DIR)/app/lockstep-cli list"; \
	    echo "    $(BUILD_DIR)/app/lockstep-cli run deadlock --variant opposite-order --summary - --png deadlock.png"; \
	fi

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j 2 --timeout 600

bench: deps
	@cmake --preset release $(CMAKE_ARGS) >/dev/null
	@cmake --build build/release -j $(JOBS)
	@for b in build/release/tests/*_bench; do echo "== $$b"; $$b --benchmark_min_time=0.2; done

clean:
	@rm -rf build

# Thin wrapper over CMake presets. Quick start: `make run` and `make test`.
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
# Extra CMake cache settings, e.g. `make test CMAKE_ARGS=-DLOCKSTEP_WERROR=ON`.
CMAKE_ARGS ?=
LESSON ?=

.PHONY: all deps configure build run test bench fuzz package clean

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

# Coverage-guided fuzzing of the lesson loader (libFuzzer, clang), by hand: FUZZ_SECONDS=600 make fuzz.
# Starts from the shipped lessons; findings land in build/fuzz/findings (crash-*, timeout-*, oom-*).
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/install-deps.sh --with fuzz
	@cmake --preset fuzz $(CMAKE_ARGS) >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target lesson_fuzzer
	@mkdir -p build/fuzz/corpus build/fuzz/findings && cp -n lessons/*.json build/fuzz/corpus/
	@build/fuzz/tests/fuzz/lesson_fuzzer build/fuzz/corpus -dict=tests/fuzz/lesson.dict \
	    -max_len=65536 -timeout=5 -rss_limit_mb=2048 -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=build/fuzz/findings/ -print_final_stats=1

# A Debian package from an optimised build, left in this folder: `apt install ./lockstep_*.deb`.
package: deps
	@cmake --preset package $(CMAKE_ARGS) >/dev/null
	@cmake --build build/package -j $(JOBS)
	@cd build/package && cpack -G DEB >/dev/null
	@cp build/package/lockstep_*.deb .
	@ls -1 lockstep_*.deb

clean:
	@rm -rf build

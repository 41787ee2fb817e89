# The front door.  `make demo` and `make test` set everything up on a fresh
# Debian 12 machine (installing the missing packages when run as root), build
# with CMake and run.  Build trees: build/ (release with debug info, the
# `build/xueji` of the contract), build-asan/ (address+undefined sanitizers),
# build-fuzz/ (clang + libFuzzer).
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE  ?= cmake
WERROR ?= ON
FUZZ_SECONDS ?= 30

.PHONY: all build deps demo test test-sanitize fuzz bench format clean

all: build

deps:
	@bash scripts/deps.sh build

build/CMakeCache.txt:
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXJ_WERROR=$(WERROR)

build: deps build/CMakeCache.txt
	$(CMAKE) --build build -j $(JOBS)

demo: deps build
	bash scripts/demo.sh

test:
	@bash scripts/deps.sh test
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXJ_WERROR=$(WERROR)
	$(CMAKE) --build build -j $(JOBS)
	cd build && ctest --output-on-failure -j $(JOBS)

test-sanitize:
	@bash scripts/deps.sh test
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DXJ_SANITIZE=ON -DXJ_WERROR=$(WERROR)
	$(CMAKE) --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Short coverage-guided runs of every parser's fuzz target (clang's libFuzzer
# with address+undefined sanitizers), FUZZ_SECONDS each, from the seed corpus.
fuzz:
	@bash scripts/deps.sh fuzz
	CC=clang $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DXJ_FUZZ=ON -DXJ_SANITIZE=ON \
	  -DXJ_WERROR=$(WERROR)
	$(CMAKE) --build build-fuzz -j $(JOBS)
	bash scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

# The figures of the README: `make bench` (small tier: 1M registry), `make bench TIER=medium`
# (10M registry) or TIER=large (100M registry).
TIER ?= small
bench: build
	@bash scripts/deps.sh test bench
	bash scripts/bench.sh $(TIER)

format:
	find common normalize index engine service report cli data-gen bench tests -name '*.[ch]' \
	  -not -path '*/corpus/*' | xargs clang-format -i

clean:
	rm -rf build build-asan build-fuzz

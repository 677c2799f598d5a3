# Front door for people: `make run` serves the demo data, `make test` runs every test.
# Both install what they need first (scripts/install-deps) and build with CMake presets.

DATA ?= build/demo/AviationData.csv
PORT ?= 8080
BIND ?= 127.0.0.1
DEMO_ROWS ?= 30000
DEMO_SEED ?= 1
ACCIDENTS := build/release/src/accidents

.PHONY: run test deps build build-asan build-clang bench demo-data clean

deps:
	./scripts/install-deps

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan

# Builds everything with clang 14 too, warnings as errors (g++ builds use -Werror as well).
build-clang: deps
	cmake --preset clang >/dev/null
	cmake --build --preset clang

build/demo/AviationData.csv: | build
	mkdir -p build/demo
	$(ACCIDENTS) demo-data --rows $(DEMO_ROWS) --seed $(DEMO_SEED) --out $@

demo-data: build/demo/AviationData.csv

run: build
	@if [ "$(DATA)" = "build/demo/AviationData.csv" ]; then $(MAKE) --no-print-directory demo-data; fi
	$(ACCIDENTS) serve --data $(DATA) --port $(PORT) --bind $(BIND)

test: build-asan build-clang
	ctest --preset asan

bench: build
	bench/run-all

clean:
	rm -rf build

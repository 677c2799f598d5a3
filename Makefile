# Front door for people: `make run` serves the demo data, `make test` runs every test.
# Both install what they need first (scripts/install-deps) and build with CMake presets.

DATA ?= build/demo/AviationData.csv
PORT ?= 8080
BIND ?= 127.0.0.1
DEMO_ROWS ?= 88889
DEMO_SEED ?= 1
FUZZ_SECONDS ?= 30
ACCIDENTS := build/release/src/accidents

.PHONY: run test deps build build-asan build-clang bench demo-data fuzz web image-arm64 clean format format-check tidy coverage

deps:
	./scripts/install-deps

build: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

build-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan

# Builds everything with clang 14 too, warnings as errors (g++ builds use -Werror as well), without
# optimising: it checks the code, nothing runs it. Not part of `make test`, whose `make tidy` runs
# clang 14's front end with the same flags (its warnings are clang-diagnostic-* findings there).
build-clang: deps
	cmake --preset clang >/dev/null
	cmake --build --preset clang

# Style locked in root config (.clang-format, .clang-tidy): checked by `make test`.
format-check: deps
	scripts/check-cpp format

# Formats every C++ file.
format: deps
	scripts/check-cpp format-apply

# clang-tidy over src/ (and clang's warnings over tests/ and bench/), as errors, on the clang
# preset's compile commands: clang 14's own warnings with the project's flags as well as the checks
# of .clang-tidy, so `make test` runs it instead of a clang build (README, "Development").
tidy: deps
	scripts/check-cpp tidy

# Line coverage of src/ by the C++ tests (gcov via gcovr), written to build/coverage/coverage.txt
# and .html; ctest runs the C++ test programs only (not the Python/Node end-to-end tests).
coverage: deps
	cmake --preset coverage >/dev/null
	cmake --build --preset coverage --target unit_tests gateway_tests lambda_tests storage_tests cli_tests
	find build/coverage -name '*.gcda' -delete
	ctest --preset coverage -E '_test$$'
	scripts/coverage-report build/coverage

# The demo datasheet: as many rows as the current release, the same file for the same seed (made
# again when the generator changes).
build/demo/AviationData.csv: src/data/demo_datasheet.cpp
	mkdir -p build/demo
	$(ACCIDENTS) demo-data --rows $(DEMO_ROWS) --seed $(DEMO_SEED) --out $@

demo-data: build
	$(MAKE) --no-print-directory build/demo/AviationData.csv

# The web app, built once into web/dist/web/browser (served at / by `accidents serve --web`).
web/dist/web/browser/index.html:
	cd web && npm run build

web: deps
	cd web && npm run build

run: demo-data web/dist/web/browser/index.html
	$(ACCIDENTS) serve --data $(DATA) --port $(PORT) --bind $(BIND) --web web/dist/web/browser

# No release build here: the Lambda image's build (lambda_image_test) compiles the binary with g++ -O2
# -Werror as `make build` does, and the web app's end-to-end tests run the ASan+UBSan binary.
test: format-check tidy build-asan web
	ctest --preset asan
	cd infra && npm test
	cd web && npx ng test --watch=false && ACCIDENTS_BIN=$(CURDIR)/build/asan/src/accidents npm run e2e
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

# libFuzzer targets with sanitizers, each for FUZZ_SECONDS over its corpus (fuzz/corpus).
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

bench: build
	bench/run-all

# The arm64 Lambda image (what the functions run) built and run as `make test` does the machine's own
# (tests/lambda/lambda_image_test.py), under qemu-user-static: about 86 minutes from nothing on 2 cores (27 s
# warm), so not part of `make test` (docs/deploy.md, "arm64").
image-arm64: deps
	cmake --preset release >/dev/null
	cmake --build --preset release --target accidents
	./scripts/enable-emulation arm64
	/usr/bin/python3 tests/lambda/lambda_image_test.py --platform linux/arm64 --accidents $(ACCIDENTS) \
	  --source $(CURDIR) --work build/image-arm64 --s3rver tests/lambda/s3rver --image localhost/accidents-lambda:arm64

clean:
	rm -rf build

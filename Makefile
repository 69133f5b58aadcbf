# coursepack — `make packs` writes every training pack, `make test` runs the suite.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
# The optimised build (`make packs`, the end-to-end tests): -O2 without
# debug information, which compiled in about three quarters of the CPU
# time -O2 -g took (82 files alike, measured side by side). CMake's own
# Release flags are -O3.
CMAKE_TYPE ?= Release
CONFIGURE  := -DCMAKE_BUILD_TYPE=$(CMAKE_TYPE) -DCMAKE_C_FLAGS_RELEASE='-O2 -DNDEBUG' -DCMAKE_CXX_FLAGS_RELEASE='-O2 -DNDEBUG'

# Everything `make packs` needs: the compiler and libraries to build the tool,
# Pandoc, and the fonts and hyphenation patterns the bundled layouts use.
PACKAGES := g++ cmake make pkg-config ca-certificates \
  libhpdf-dev pandoc libyaml-cpp-dev libfmt-dev nlohmann-json3-dev \
  libicu-dev libfontconfig-dev libharfbuzz-dev libhyphen-dev hyphen-sv libhunspell-dev hunspell-sv libqrencode-dev libqpdf-dev \
  libzip-dev libxml2-dev libcurl4-openssl-dev libssl-dev zlib1g-dev \
  fonts-noto-core fonts-noto-mono icc-profiles-free

# Needed by the test suite only: Catch2, the PDF tools the tests read the
# output with, the browser check of handout.html and of the verification
# page, the SMTP server and the self-signed certificate of the send test,
# strace for the fault suite's injected I/O errors and the package test,
# khal, a calendar program the calendar files are imported into,
# mount for the environment test's machine without a colour profile, the
# Python modules the calendar test and the PDF/UA and PDF/A checker parse
# with, the locales the locale tests switch to, and the fonts the font tests
# name (DejaVu Sans, a CFF font coursepack must refuse, a CJK fallback). tests/e2e/test_packages.py fails
# when a file the tool or the tests use comes from a package in neither list.
TEST_PACKAGES := catch2 python3 qpdf poppler-utils zbar-tools chromium khal python3-aiosmtpd python3-icalendar python3-yaml python3-pikepdf openssl \
  strace mount locales fontconfig fonts-dejavu-core fonts-dejavu-extra fonts-urw-base35 fonts-droid-fallback

COURSEPACK := $(BUILD)/src/app/coursepack

.PHONY: all deps test-deps tool build print-packages packs test test-asan asan-build asan-unit e2e-build check list report bench golden clean fuzz

all: build

deps:
	@sh scripts/deps.sh $(PACKAGES)

test-deps:
	@sh scripts/deps.sh $(PACKAGES) $(TEST_PACKAGES)

$(BUILD)/CMakeCache.txt: | deps
	@cmake -S . -B $(BUILD) $(CONFIGURE) >/dev/null

# Quiet unless something fails, so `make check` prints only its summary.
# The tool alone (what `make packs` needs); `make build` also builds the tests.
tool: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j$(JOBS) --target coursepack > $(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; exit 1; }

build: test-deps
	@cmake -S . -B $(BUILD) $(CONFIGURE) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) > $(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; exit 1; }

packs: tool
	@$(COURSEPACK) build

check: tool
	@$(COURSEPACK) check

list: tool
	@$(COURSEPACK) list

report: tool
	@$(COURSEPACK) report

# The Debian packages of both lists, one per line (read by the tests).
print-packages:
	@printf '%s\n' $(PACKAGES) $(TEST_PACKAGES)

# The suite: the unit tests (ctest label `unit`) built and run under
# AddressSanitizer and UndefinedBehaviorSanitizer, then the end-to-end tests
# (label `e2e`) against the optimised tool. Each program is compiled once
# per configuration it runs in. Under `make test` a check whose tool is
# missing fails instead of skipping.
# The end-to-end tests run the tool and, under strace, three unit test
# programs (tests/e2e/test_packages.py). The optimised build is compiled
# while the unit tests run, which spend much of their time waiting for
# Pandoc, the PDF tools and their own timeouts.
E2E_TARGETS := coursepack test_fonts test_layout test_render
test: export COURSEPACK_REQUIRE_TEST_TOOLS := 1
test: test-deps
	@$(MAKE) --no-print-directory asan-build
	@$(MAKE) --no-print-directory -j2 asan-unit e2e-build
	@cd $(BUILD) && ctest --output-on-failure --no-tests=error -j$(JOBS) -L e2e

test-asan: test-deps
	@$(MAKE) --no-print-directory asan-build
	@$(MAKE) --no-print-directory asan-unit

# The steps of `make test`.
asan-build:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCOURSEPACK_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS) --target unit_tests > $(ASAN_BUILD)/build.log 2>&1 || { cat $(ASAN_BUILD)/build.log; exit 1; }

asan-unit:
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure --no-tests=error -j$(JOBS) -L unit

e2e-build:
	@cmake -S . -B $(BUILD) $(CONFIGURE) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS) --target $(E2E_TARGETS) > $(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; exit 1; }

# Rewrites the golden layout traces after an intended change to the layout.
golden: build
	@COURSEPACK_UPDATE_GOLDEN=1 $(BUILD)/tests/golden/test_golden >/dev/null; git diff --stat tests/golden

bench: build
	@sh tests/bench/run.sh

# Fuzzing with clang's libFuzzer (a separate build; the normal build needs no
# clang): every target for FUZZ_SECONDS, two at a time. `make test` replays
# the seed corpus and regression inputs through the same targets with g++.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
fuzz: deps
	@command -v clang++ >/dev/null || { echo "make fuzz needs clang: apt-get install -y clang libclang-rt-14-dev"; exit 3; }
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DCOURSEPACK_FUZZ=ON -DCOURSEPACK_SANITIZE=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_targets > $(FUZZ_BUILD)/build.log 2>&1 || { cat $(FUZZ_BUILD)/build.log; exit 1; }
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

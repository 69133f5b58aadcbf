# coursepack — `make packs` writes every training pack, `make test` runs the suite.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_TYPE ?= RelWithDebInfo

PACKAGES := g++ cmake make pkg-config ca-certificates \
  libhpdf-dev pandoc libyaml-cpp-dev libfmt-dev catch2 nlohmann-json3-dev \
  libicu-dev libfontconfig-dev libharfbuzz-dev libhyphen-dev hyphen-sv libqrencode-dev libqpdf-dev \
  fonts-noto-core qpdf poppler-utils zbar-tools python3

# Needed by the test suite only: the browser check of handout.html, and
# strace for the I/O errors the fault suite injects.
TEST_PACKAGES := chromium strace

COURSEPACK := $(BUILD)/src/app/coursepack

.PHONY: all deps test-deps build packs test test-asan check list report bench golden clean fuzz

all: build

deps:
	@sh scripts/deps.sh $(PACKAGES)

test-deps:
	@sh scripts/deps.sh $(PACKAGES) $(TEST_PACKAGES)

$(BUILD)/CMakeCache.txt: | deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(CMAKE_TYPE) >/dev/null

# Quiet unless something fails, so `make check` prints only its summary.
build: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j$(JOBS) > $(BUILD)/build.log 2>&1 || { cat $(BUILD)/build.log; exit 1; }

packs: build
	@$(COURSEPACK) build

check: build
	@$(COURSEPACK) check

list: build
	@$(COURSEPACK) list

report: build
	@$(COURSEPACK) report

# The whole suite through ctest, then the unit tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
# Under `make test` a check whose tool is missing fails instead of skipping.
test: export COURSEPACK_REQUIRE_TEST_TOOLS := 1
test: test-deps build test-asan
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: test-deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCOURSEPACK_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS) -L unit

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

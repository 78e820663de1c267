# hashport — everything a fresh Debian 12 machine needs: `make demo`, `make test`.
SWIFT    ?= swift
APT_PKGS := libssl-dev libargon2-dev libcrypt-dev libsqlite3-dev libsimdjson-dev pkg-config python3 make
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN      := .build/release/hashport
DEBUG_BIN := .build/debug/hashport

.PHONY: deps build test test-sanitized fuzz fuzz-build demo bench selftest clean

## deps: install the Debian packages that are missing (C crypto libraries, SQLite, pkg-config).
deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## Where this machine has AVX2 (and the rest of the Haswell level: BMI1/2, FMA, F16C, LZCNT, MOVBE), the
## release build is tuned for it: about 7% fewer instructions for `inspect`. The binary checks the CPU before
## anything else and refuses an older one with a sentence. `make build PORTABLE=1` builds for any x86-64.
HASWELL_FLAGS := avx2 bmi1 bmi2 fma f16c movbe abm popcnt sse4_2
TUNE := $(shell [ "$(PORTABLE)" != 1 ] && [ "$$(uname -m)" = x86_64 ] && \
          flags=$$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) && \
          for f in $(HASWELL_FLAGS); do echo " $$flags " | grep -qw $$f || exit 0; done && \
          echo "-Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DHASHPORT_TUNED_HASWELL")

## build: the release binary at .build/release/hashport, with the Swift runtime and Foundation linked in:
## it runs on a Debian machine without Swift, and starts in ~11 ms instead of ~18 (no dynamic symbol binding)
build: deps
	$(SWIFT) build -c release --static-swift-stdlib --product hashport $(TUNE)

## test: every unit and integration test (real C libraries, real emulator over loopback, real SQLite), in the debug
## build and once more in the release configuration with the flags `make build` ships with (optimised code, the
## tuned CPU level; `-enable-testing` only lets the tests' `@testable import` see internal names): what is tested is
## what runs
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(SWIFT) run --skip-build hashport selftest
	$(SWIFT) build -c release --build-tests -Xswiftc -enable-testing $(TUNE)
	$(SWIFT) test -c release --skip-build -Xswiftc -enable-testing $(TUNE)

## test-sanitized: the test suite under AddressSanitizer, then under ThreadSanitizer (the import pipeline, token bucket,
## journal and emulators are concurrent). Each in a build directory of its own, so `make test`'s stays as it is.
## TSan reports stop the run (halt_on_error); tsan-suppressions.txt lists the suppressed ones and why. Leak detection is
## off: with it on the suite passes, and what LeakSanitizer lists is XCTest's runner and Foundation's Process,
## FileHandle and URL objects the tests create (no leak from a hashport allocation site but one emulator URL string).
test-sanitized: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS="halt_on_error=1 suppressions=$(abspath tsan-suppressions.txt)" \
	  $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

## fuzz: every libFuzzer target (Fuzz/, one per parser of outside bytes) for FUZZ_SECONDS each under AddressSanitizer,
## from the committed seeds in Fuzz/corpus/; a crash or a broken oracle leaves its input in Fuzz/crashes/ and fails.
## FUZZ_TARGETS="csv hash-text" runs some of them.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz-build: deps
	$(SWIFT) build --package-path Fuzz --sanitize=fuzzer --sanitize=address \
	  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
fuzz: fuzz-build
	Fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## demo: the whole journey on bundled data against the built-in emulator
## (the debug build: PasswordHashes is optimised even there, and it builds in a third of the time)
demo: deps
	$(SWIFT) build --product hashport
	$(DEBUG_BIN) demo

selftest: build
	$(BIN) selftest

## bench: the benchmark package (Benchmarks/) and the Python comparisons, then the inspect/convert matrix
## (every export layout at 1M users against the Python peer, and RSS at 4M): about an hour on 2 shared cores
bench: build
	$(MAKE) -C Benchmarks run
	$(MAKE) -C Benchmarks matrix BINARY=$(abspath $(BIN))

clean:
	rm -rf .build .build-asan .build-tsan Benchmarks/.build Fuzz/.build

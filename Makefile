# iSulad Edge. `make demo` runs the main job, `make test` the whole suite (both install what they
# need first). `make dist` builds every target, `make bench` runs the benchmarks against peers.

NODE24 = $(shell node scripts/fetch-node.mjs linux-x64)
HOST_TARGET = linux-$(shell uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/)

.PHONY: all deps build bundle fixtures sea dist typecheck test test-unit test-integration test-compat demo bench clean

all: build

deps:
	sh scripts/install-deps.sh

fixtures:
	sh rootfs-fixtures/build.sh

bundle:
	node build.mjs bundle

sea:
	node build.mjs sea --target=$(HOST_TARGET)

# The test suite runs the arm64 binary under qemu, so build makes it next to the host one.
build: deps fixtures
	node build.mjs bundle
	node build.mjs sea --target=$(HOST_TARGET),linux-arm64

dist: deps fixtures
	sh scripts/install-deps.sh --dist
	node build.mjs dist
	node scripts/package-deb.mjs

typecheck:
	npx tsc -p . --noEmit

# A test that hangs fails after --test-timeout (per test) instead of holding CI forever: 10 min
# for a unit test (the longest took 19 s under load), 30 min for an integration test (the
# longest, kill storm and soak, take ~7).
# No --test-force-exit: Node 24 with it can end a file's process before its report is written
# (test/unit/runtime/lcr/lxc-config.test.ts alone reported 30, 55 and 39 of its 55 tests in three
# runs, all "passed"), so a green run could hide tests that never reported.
# test/helpers/exit-watchdog.ts ends a test file's process that outlives its tests (a stray
# holding its output, a handle, a stuck system call) and prints why, instead of CI timing out.
test-unit:
	CBOR_NATIVE_ACCELERATION_DISABLED=true $(NODE24) --import ./test/helpers/exit-watchdog.ts --test --test-concurrency=2 --test-timeout=600000 'test/unit/**/*.test.ts'

test-integration:
	CBOR_NATIVE_ACCELERATION_DISABLED=true ISULA_BIN=$(CURDIR)/dist/$(HOST_TARGET)/isulad \
	  $(NODE24) --import ./test/helpers/exit-watchdog.ts --test --test-concurrency=1 --test-timeout=1800000 'test/integration/**/*.test.ts'

# iSulad's own CI cases re-expressed against our CLI (docs/isulad-ci-cases.md)
test-compat:
	CBOR_NATIVE_ACCELERATION_DISABLED=true ISULA_BIN=$(CURDIR)/dist/$(HOST_TARGET)/isulad \
	  $(NODE24) --import ./test/helpers/exit-watchdog.ts --test --test-concurrency=1 --test-timeout=1800000 'test/compat/**/*.test.ts'

test: build typecheck
	CBOR_NATIVE_ACCELERATION_DISABLED=true ISULA_BIN=$(CURDIR)/dist/$(HOST_TARGET)/isulad \
	  $(NODE24) --import ./test/helpers/exit-watchdog.ts --test --test-concurrency=1 --test-timeout=1800000 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/compat/**/*.test.ts'

demo: build
	sh scripts/demo.sh dist/$(HOST_TARGET)/isulad

bench: build
	sh scripts/install-deps.sh --bench
	$(NODE24) bench/run.ts

clean:
	rm -rf dist build/out

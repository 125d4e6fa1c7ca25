# SPDX-License-Identifier: GPL-2.0
#
# The project's driver. It is never copied into the kernel tree.
#
#   make run      build the patched kernel for x86_64, boot it under QEMU with
#                 the sample module, show malloc() at work with its figures
#   make check    every test suite and check; ends with "N passed, N failed"
#   make bench    boot lib/malloc_bench.c under QEMU; CSV, plots and table in
#                 build/bench/ (SAVE=1 also copies them to project/bench/)
#   make series   the patch series against v7.2, in build/series/
#   make tree     assemble the patched tree in build/linux (incremental)
#   make kunit    the KUnit suite on UML only
#   make deps     install the Debian packages the above need
#   make clean    remove build/

SHELL := /bin/bash

.PHONY: all run check bench series tree kunit deps clean

all: run

deps:
	@project/deps.sh

tree: deps
	@project/tree.sh

run: deps
	@project/demo.sh

check: deps
	@project/check.sh

bench: deps
	@project/bench.sh

series: deps
	@project/series.sh

kunit: tree
	@python3 build/linux/tools/testing/kunit/kunit.py run \
		--kunitconfig=mm/.kunitconfig --build_dir=$(CURDIR)/build/kunit-um

clean:
	rm -rf build

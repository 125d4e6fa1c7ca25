#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# insns.sh BUILD_DIR: print the disassembly of malloc_context_gfp(), the
# KUnit suite's wrapper around the inline context inference that every entry
# point uses, followed by the memalloc scope check the wrapper adds, and
# count its instructions on all paths. The fast path, up to the load of
# current->flags, is what malloc() and free() pay.
set -euo pipefail

obj=$1/mm/malloc.o
objdump -d --no-show-raw-insn "$obj" |
	awk '/^[0-9a-f]+ <malloc_context_gfp>:/ { p = 1; next } /^$/ { p = 0 } p' |
	sed 's/^ *[0-9a-f]*:\t//' >"$obj.insns"
# The count leaves out the CFI/IBT landing pad and alignment padding.
n=$(grep -cvE '^(endbr64|nop|int3|xchg +%ax,%ax|cs nop)' "$obj.insns")
sed 's/^/  /' "$obj.insns"
echo "malloc_context_gfp: $n instructions on all paths ($(basename "$(dirname "$(dirname "$obj")")"))"

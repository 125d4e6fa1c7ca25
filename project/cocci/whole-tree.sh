#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the malloc() family's semantic patches over pristine v7.2 (tag v7.2
# of build/linux, make tree), one spatch at a time, and write to
# build/cocci/:
#
#   candidates.txt  malloc.cocci -D candidates: every allocator call, and
#                   what patch mode does with it and why
#   summary.txt     those lines counted by outcome, names and lines taken out
#   malloc.patch    malloc.cocci in patch mode
#   report.txt      malloc_mismatch.cocci in report mode, as make coccicheck
#                   runs it by default
#   times.txt       the time of each run
#
# SRC=dir runs on an existing copy of the tree instead of extracting one.
# JOBS=n (default 1) and nice -n 19: the machine is shared. Parsing the
# largest generated headers (drivers/gpu/drm/amd/include/asic_reg/) with
# --include-headers overflows spatch's stack at the default 8 MiB limit,
# which ends the run with a segmentation fault; the limit is lifted.
set -euo pipefail
ulimit -s unlimited

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/cocci
api=$top/scripts/coccinelle/api
jobs=${JOBS:-1}
src=${SRC:-$out/v7.2}

mkdir -p "$out"
if [ -z "${SRC:-}" ]; then
	"$top/project/tree.sh" >/dev/null
	rm -rf "$src" && mkdir -p "$src"
	git -C "$top/build/linux" archive v7.2 | tar -x -C "$src"
fi
: >"$out/times.txt"

# run NAME OUTPUT SPATCH-ARGS...: one spatch over the tree, timed.
run() {
	local name=$1 output=$2 start
	shift 2
	start=$(date +%s)
	nice -n 19 spatch --very-quiet --no-includes --include-headers -j "$jobs" \
		"$@" --dir "$src" 2>"$out/$name.err" | sed "s|$src/||g" >"$output"
	echo "$name: $(( $(date +%s) - start )) s: spatch --very-quiet" \
		"--no-includes --include-headers -j $jobs $* --dir <v7.2>" >>"$out/times.txt"
}

run candidates "$out/candidates.txt" -D candidates --sp-file "$api/malloc.cocci"
run patch "$out/malloc.patch" -D patch --sp-file "$api/malloc.cocci"
run report "$out/report.txt" -D report --no-show-diff --sp-file "$api/malloc_mismatch.cocci"

{
	echo "allocator calls: $(wc -l <"$out/candidates.txt")"
	sed -E 's/^[^ ]+ [a-z_]+\(\): //; s/^left: [A-Za-z_0-9]+: /left: /;
		s/, line [0-9]+$//' "$out/candidates.txt" | sort | uniq -c | sort -rn
	echo "patch: $(grep -c '^+++ ' "$out/malloc.patch" || true) files," \
		"$(grep -c '^-[^-]' "$out/malloc.patch" || true) lines removed"
	echo "report mode: $(wc -l <"$out/report.txt") lines"
} >"$out/summary.txt"
cat "$out/summary.txt" "$out/times.txt"

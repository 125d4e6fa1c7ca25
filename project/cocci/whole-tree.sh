#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run scripts/coccinelle/api/malloc.cocci in stats mode over every file of
# pristine v6.12 that calls one of the functions it converts, and write the
# figures of the documentation's "Converting code" section:
#
#   build/cocci/stats          one line per allocation site (spatch -D stats)
#   build/cocci/figures.txt    figures.py --by-dir over it
#   build/cocci/converted.txt  the sites patch mode converts
#   build/cocci/calls.txt      count-allocs.py: calls and GFP flags
#
# The files are copied out of tag v6.12 of build/linux (make tree), so the
# series' own conversions do not count. About 47 minutes with two jobs on
# a 2-core machine; JOBS=n changes the job count.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$top/build/linux
out=$top/build/cocci
src=$out/v6.12
jobs=${JOBS:-2}

"$top/project/tree.sh" >/dev/null
rm -rf "$out" && mkdir -p "$src"
git -C "$tree" grep -l -E \
	'\b(kmalloc|kzalloc|kcalloc|kmalloc_array|kvmalloc|kvzalloc|kvcalloc|kvmalloc_array|krealloc|kvrealloc)\s*\(' \
	v6.12 -- '*.c' '*.h' | sed 's/^v6\.12://' >"$out/files"
# shellcheck disable=SC2046
git -C "$tree" archive v6.12 $(cat "$out/files") | tar -x -C "$src"
echo "cocci: $(wc -l <"$out/files") files"

start=$(date +%s)
(cd "$src" && spatch --very-quiet --sp-file "$top/scripts/coccinelle/api/malloc.cocci" \
	-D stats --no-includes --include-headers --timeout 120 --jobs "$jobs" --chunksize 1 \
	--dir "$src") 2>"$out/spatch.err" | sed "s|^STAT $src/|STAT |" | sort >"$out/stats"
echo "cocci: spatch took $(( $(date +%s) - start )) s; timeouts: $(grep -c Timeout "$out/spatch.err" || true)"

python3 "$top/project/cocci/figures.py" --by-dir "$out/stats" >"$out/figures.txt"
grep ' converted$' "$out/stats" | sed 's/^STAT //' >"$out/converted.txt"
python3 "$top/project/cocci/count-allocs.py" "$src" >"$out/calls.txt"
cat "$out/figures.txt"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the patched kernel for x86_64 with lib/malloc_bench.c as
# a module, boot it under QEMU, collect the module's CSV in
# build/bench/bench.csv, and draw the plots and the summary table from it
# (project/bench-report.py). BENCH_ARGS passes module parameters, e.g.
# BENCH_ARGS="reps=3 max_size=1048576". With SAVE=1 the results are also
# copied to project/bench/, which README.md shows.
#
# QEMU runs under TCG here: absolute times are not a machine's, ratios
# measured side by side in one boot are.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench-x86_64
res=$top/build/bench

"$top/project/qemu-kernel.sh" bench "$top/project/bench/init" lib/malloc_bench.ko
mkdir -p "$res"

# boot NAME [KERNEL_ARGS...]: run the module once, its CSV in $res/NAME.csv.
boot() {
	local name=$1 start
	shift
	echo "bench: booting under QEMU for $name.csv, one CPU, 2 GiB (about a minute under TCG)"
	start=$(date +%s)
	timeout 3000 qemu-system-x86_64 -m 2G -smp 1 -nographic -no-reboot \
		-kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet panic=-1 tsc=reliable $* -- ${BENCH_ARGS:-}" </dev/null |
		tr -d '\r' >"$res/$name.log"
	echo "bench: guest ran $(( $(date +%s) - start )) s"
	grep "^=== clocksource" "$res/$name.log"
	if grep -q "^=== clocksource: .*jiffies" "$res/$name.log"; then
		echo "bench: no clocksource finer than jiffies in this boot" >&2
		exit 1
	fi
	sed -n '/^=== csv$/,/^=== done$/p' "$res/$name.log" | grep -v '^===' >"$res/$name.csv"
	if ! grep -q '^done$' "$res/$name.csv"; then
		tail -30 "$res/$name.log"
		echo "bench: the module did not finish (log: build/bench/$name.log)" >&2
		exit 1
	fi
}

boot bench
# The same with vmalloc()-backed blocks ending at their guard page.
boot bench-guard malloc.guard=1

# What the inline fast path compiles to, next to a direct kmalloc().
for f in bench_malloc_64 bench_kmalloc_64; do
	objdump -dr --no-show-raw-insn "$out/lib/malloc_bench.o" | awk "/<$f>:/,/^\$/"
done >"$res/inline.txt"

python3 "$top/project/bench-report.py" "$res"
if [ "${SAVE:-0}" = 1 ]; then
	cp "$res"/bench.csv "$res"/bench-guard.csv "$res"/*.png "$res"/summary.md \
	   "$res"/inline.txt "$top/project/bench/"
	echo "bench: results copied to project/bench/"
fi

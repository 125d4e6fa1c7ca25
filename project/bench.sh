#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the patched kernel for x86_64 and for UML with
# lib/malloc_bench.c as a module, run it RUNS times (default 3) on each
# platform, collect the module's CSV in build/bench/, and draw the plots and
# the summary table from them (project/bench-report.py). BENCH_ARGS passes
# module parameters to every run, e.g. BENCH_ARGS="reps=3". With SAVE=1 the
# results are also copied to project/bench/, which README.md shows.
#
# QEMU runs under TCG here, which emulates every load: absolute times are
# not a machine's, ratios measured side by side in one boot are. Its guests
# have two CPUs, for the figure with every CPU at once. UML runs the kernel
# as native code, one CPU; its page-table updates are host system calls,
# which makes vmalloc() far slower there than on hardware, and 6.12's UML
# faulted on some vmalloc()ed page arrays (areas above 2 MiB): UML runs
# stop at 1 MiB.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench-x86_64
uml=$top/build/bench-um
res=$top/build/bench
runs=${RUNS:-3}

"$top/project/qemu-kernel.sh" bench "$top/project/bench/init" lib/malloc_bench.ko
"$top/project/qemu-kernel.sh" bench "$top/project/bench/init" lib/malloc_bench.ko um
rm -rf "$res"
mkdir -p "$res"

# csv NAME: the module's CSV from $res/NAME.log into $res/NAME.csv.
csv() {
	local name=$1
	sed -n '/^=== csv$/,/^=== done$/p' "$res/$name.log" | grep -v '^===' >"$res/$name.csv"
	if ! grep -q '^done$' "$res/$name.csv"; then
		tail -30 "$res/$name.log"
		echo "bench: the module did not finish (log: build/bench/$name.log)" >&2
		exit 1
	fi
}

# boot NAME [KERNEL_ARGS...]: run the module once under QEMU.
boot() {
	local name=$1 start
	shift
	echo "bench: booting under QEMU for $name.csv, two CPUs, 2 GiB (a few minutes under TCG)"
	start=$(date +%s)
	timeout 3000 qemu-system-x86_64 -m 2G -smp 2 -nographic -no-reboot \
		-kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz" \
		-append "console=ttyS0 quiet panic=-1 tsc=reliable $* -- ${BENCH_ARGS:-}" </dev/null |
		tr -d '\r' >"$res/$name.log"
	echo "bench: guest ran $(( $(date +%s) - start )) s"
	grep "^=== clocksource" "$res/$name.log"
	if grep -q "^=== clocksource: .*jiffies" "$res/$name.log"; then
		echo "bench: no clocksource finer than jiffies in this boot" >&2
		exit 1
	fi
	csv "$name"
}

# uml NAME [KERNEL_ARGS...]: run the module once on UML.
uml() {
	local name=$1 start
	shift
	echo "bench: running UML for $name.csv, one CPU, 1 GiB"
	start=$(date +%s)
	(cd "$uml" && timeout 3000 ./linux mem=1G initrd=initramfs.cpio.gz console=tty0 \
		quiet "$@" -- max_size=1048576 ${BENCH_ARGS:-} </dev/null) 2>&1 |
		tr -d '\r' >"$res/$name.log"
	echo "bench: UML ran $(( $(date +%s) - start )) s"
	csv "$name"
}

for i in $(seq "$runs"); do
	boot "bench-$i"
	uml "bench-um-$i"
done

# What the inline fast path compiles to, next to a direct kmalloc().
for f in bench_malloc_64 bench_kmalloc_64; do
	objdump -dr --no-show-raw-insn "$out/lib/malloc_bench.o" | awk "/<$f>:/,/^\$/"
done >"$res/inline.txt"

python3 "$top/project/bench-report.py" "$res"
if [ "${SAVE:-0}" = 1 ]; then
	rm -f "$top"/project/bench/*.csv
	cp "$res"/*.csv "$res"/*.png "$res"/summary.md "$res"/inline.txt "$top/project/bench/"
	echo "bench: results copied to project/bench/"
fi

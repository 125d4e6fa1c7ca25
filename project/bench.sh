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
# as native code (SMP kernels with two CPUs, which needs seccomp=on); its
# page-table updates are host system calls,
# which makes vmalloc() far slower there than on hardware, and 6.12's UML
# faulted on some vmalloc()ed page arrays (areas above 2 MiB): UML runs
# stop at 1 MiB.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
res=$top/build/bench
runs=${RUNS:-3}

# The kernels: bench (minimal), bench-distro (Debian's slab, preemption and
# hardening options) and bench-partition (the same with partitioned kmalloc
# caches), each for x86_64 and UML, project/configs/NAME-ARCH.config.
kernels=${KERNELS:-bench bench-distro bench-partition}
for k in $kernels; do
	"$top/project/qemu-kernel.sh" "$k" "$top/project/bench/init" lib/malloc_bench.ko
	"$top/project/qemu-kernel.sh" "$k" "$top/project/bench/init" lib/malloc_bench.ko um
done
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

# boot KERNEL NAME [KERNEL_ARGS...]: run the module once under QEMU.
boot() {
	local out=$top/build/$1-x86_64 name=$2 start
	shift 2
	echo "bench: booting $(basename "$out") under QEMU for $name.csv, two CPUs, 2 GiB"
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

# uml KERNEL NAME [KERNEL_ARGS...]: run the module once on UML.
uml() {
	local dir=$top/build/$1-um name=$2 start
	shift 2
	echo "bench: running $(basename "$dir") for $name.csv, 1 GiB, two CPUs if SMP"
	start=$(date +%s)
	(cd "$dir" && timeout 3000 ./linux mem=1G ncpus=2 seccomp=on initrd=initramfs.cpio.gz \
		console=tty0 quiet "$@" -- max_size=1048576 ${BENCH_ARGS:-} </dev/null) 2>&1 |
		tr -d '\r' >"$res/$name.log"
	echo "bench: UML ran $(( $(date +%s) - start )) s"
	csv "$name"
}

# Each kernel with free()'s default checks, RUNS times, and with every
# check on (malloc.check=1), CHECK_RUNS times (default 1); the CSV names
# are bench-[distro-|partition-][check-][um-]N.csv.
bench_start=$(date +%s)
for i in $(seq "$runs"); do
	for k in $kernels; do
		n=${k#bench}
		n=bench${n:+$n}-
		boot "$k" "${n}$i"
		uml "$k" "${n}um-$i"
	done
done
for i in $(seq "${CHECK_RUNS:-1}"); do
	for k in $kernels; do
		n=${k#bench}
		n=bench${n:+$n}-check-
		boot "$k" "${n}$i" malloc.check=1
		uml "$k" "${n}um-$i" malloc.check=1
	done
done
echo "bench: all runs took $(( $(date +%s) - bench_start )) s"

# What the inline fast path compiles to, next to a direct kmalloc(), and
# free() next to kfree(); then the out-of-line path of runtime sizes.
for f in bench_malloc_64 bench_kmalloc_64 bench_free bench_kfree; do
	objdump -dr --no-show-raw-insn "$top/build/bench-x86_64/lib/malloc_bench.o" | awk "/<$f>:/,/^\$/"
done >"$res/inline.txt"
objdump -dr --no-show-raw-insn "$top/build/bench-x86_64/mm/malloc.o" |
	awk '/<_malloc_noprof>:/,/^$/' >>"$res/inline.txt"

python3 "$top/project/bench-report.py" "$res"
if [ "${SAVE:-0}" = 1 ]; then
	rm -f "$top"/project/bench/*.csv
	cp "$res"/*.csv "$res"/*.png "$res"/summary.md "$res"/inline.txt "$top/project/bench/"
	echo "bench: results copied to project/bench/"
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test suite and check, ending with one line that sums
# them all: "N passed, N failed, N skipped".
#
#  1. KUnit on UML, in the assembled tree (incremental), with
#     PREEMPT_VOLUNTARY, frame pointers (no tail calls that would hide a
#     report's caller) and slub_debug on the kmalloc caches (the poisoning
#     case cannot run under KASAN), and with full PREEMPT (and so
#     PREEMPT_RCU): the two preemption models 7.2 offers on UML. The
#     second run is SMP (kmalloc_nolock() serves NMI only there), has
#     the partitioned kmalloc caches (random per call site), and boots
#     with malloc.check=1: free() checks every pointer in all its suites.
#  2. The series: written, checkpatch --strict clean, kernel-doc clean,
#     applied with git am to pristine v7.2 in build/series-tree (a sparse
#     worktree of the paths it touches), where the result must be the very
#     tree (the same git tree object) the assembled tree holds.
#  3. KUnit on x86_64 under QEMU, with PREEMPT_LAZY and the sample and
#     benchmark modules built: the series builds and passes.
#     Then lib/test_vmalloc.c, all its cases (no_block_alloc_test among
#     them), in a boot of that kernel (project/test-vmalloc/), and a
#     kmemleak scan that must report a leaked block of each backend, in
#     another (project/kmemleak/; the kernel has CONFIG_DEBUG_KMEMLEAK).
#     x86_64 offers PREEMPT_LAZY, PREEMPT and PREEMPT_RT (7.2's
#     PREEMPT_NONE needs ARCH_NO_PREEMPT); each runs below.
#  4. sparse (C=2) and W=1 on the objects the series adds, in that build,
#     and GCC's -Wmismatched-dealloc on project/dealloc/dealloc_check.c.
#  5. KUnit on x86_64 under QEMU with full PREEMPT (and
#     CONFIG_MALLOC_CHECK_DEFAULT_ON: free() checks every pointer), with
#     PREEMPT_RT, and
#     with the memory error detectors the malloc_detect suite expects
#     reports from: KASAN (generic, KASAN_VMALLOC), KFENCE and slub_debug,
#     with FORTIFY_SOURCE too.
#  6. Rust, with LLVM=1 on UML:
#     KUnit with CONFIG_RUST, the Rust doctests
#     (the Malloc allocator's among them) and the Rust sample built in;
#     rustfmtcheck; rusttest (the macros crate's tests, with the kernel
#     crate, Malloc included, built as testlib); a CLIPPY=1 build of
#     the kernel crate and the sample, where a warning in the project's
#     Rust files fails; and make rustdoc, warning-free, with Malloc's
#     page. The KUnit run has MEM_ALLOC_PROFILING, for the case that
#     checks what a Rust allocation is charged to.
#  7. The semantic patches, scripts/coccinelle/api/malloc.cocci and
#     malloc_mismatch.cocci, on the inputs in project/cocci/tests/: each
#     output as expected by hand (project/cocci/check.sh), one test each.
#  8. The instruction count of the context inference in each x86_64 build
#     (a figure, not a test).
#
# The free disk space is printed at the start, at each prune and with the
# summary.
#
# kunit.py fails a run whose final .config lacks an option its kunitconfig
# or --kconfig_add asked for (an option whose dependencies are unmet
# disappears silently otherwise); such a run counts as failed.
#
# A KUnit case counts as one test, each other check as one.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
stree=$top/build/series-tree
res=$top/build/results
jobs=${JOBS:-$(nproc)}
objs="mm/malloc.o mm/malloc_test.o samples/malloc/malloc_sample.o lib/malloc_bench.o"
docfiles="include/linux/malloc.h mm/malloc.c mm/malloc_test.c samples/malloc/malloc_sample.c lib/malloc_bench.c"

rm -rf "$res"
mkdir -p "$res"

# disk: free space where the builds go, for the log (a full disk fails a
# kernel build in ways that look like anything else).
disk() {
	df -h "$top/build" | awk 'NR == 2 { print "disk: " $4 " free of " $2 }'
}

# A build directory can be removed after its last use (prune), so that the
# run's peak use of disk is the trees and one kernel build, not every build:
# with PRUNE=1, or by default when less than 16 GiB is free at the start. A
# fresh clone builds everything anyway; a warm one keeps its builds.
prune=${PRUNE:-}
if [ -z "$prune" ]; then
	prune=0
	[ "$(df -k --output=avail "$top/build" | tail -1)" -lt $((16 * 1024 * 1024)) ] && prune=1
fi
prune() {
	[ "$prune" = 1 ] || return 0
	echo "=== prune: build/$1 ($(disk))"
	rm -rf "${top:?}/build/$1"
}

# insns BUILD: the instruction count of the context inference in an x86_64
# build, printed with the summary (a figure, not a test).
insns() {
	[ -f "$top/build/$1/mm/malloc.o" ] &&
		"$top/project/insns.sh" "$top/build/$1" | tail -1 >>"$res/insns"
}

# record NAME PASSED FAILED SKIPPED
record() {
	echo "$2 $3 $4" >"$res/$1.counts"
	printf '%-28s %s passed, %s failed, %s skipped\n' "$1" "$2" "$3" "$4" >>"$res/summary"
}

# check NAME COMMAND...: one check, passing when COMMAND succeeds.
check() {
	local name=$1
	shift
	echo "=== $name"
	if "$@" >"$res/$name.log" 2>&1; then
		record "$name" 1 0 0
	else
		sed 's/^/    /' "$res/$name.log" | tail -40
		echo "=== $name FAILED (log: build/results/$name.log)"
		record "$name" 0 1 0
	fi
}

# kunit NAME TREE BUILD_DIR [kunit.py args...]
kunit() {
	local name=$1 ktree=$2 bdir=$3
	shift 3
	kunit_with "$name" python3 "$ktree/tools/testing/kunit/kunit.py" run \
		--kunitconfig=mm/.kunitconfig --build_dir="$bdir" --jobs="$jobs" "$@"
}

# kunit_with NAME COMMAND...: run a kunit.py COMMAND and record its results.
kunit_with() {
	local name=$1 line p f s
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$res/$name.log" | grep -E '^\[..:..:..\] (=|\[|Testing|Elapsed|    #)'
	line=$(grep -o 'Testing complete\. Ran [0-9]* tests.*' "$res/$name.log" | tail -1)
	if [ -z "$line" ]; then
		tail -40 "$res/$name.log" | sed 's/^/    /'
		echo "=== $name: no test results (log: build/results/$name.log)"
		record "$name" 0 1 0
		return
	fi
	p=$(echo "$line" | grep -o 'passed: [0-9]*' | grep -o '[0-9]*' || echo 0)
	f=$(echo "$line" | grep -oE '(failed|crashed|errors): [0-9]*' | grep -o '[0-9]*' | paste -sd+ | bc)
	s=$(echo "$line" | grep -o 'skipped: [0-9]*' | grep -o '[0-9]*' || echo 0)
	record "$name" "${p:-0}" "${f:-0}" "${s:-0}"
}

# The series' patches, without the cover letter.
series_patches() {
	find "$top/build/series" -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-cover-letter.patch' | sort
}

# The paths the series touches.
series_paths() {
	series_patches | xargs sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' | sort -u
}

# git am the series on pristine v7.2, in a worktree that checks out only the
# paths the series touches, and require the result to be the tree that the
# assembled tree holds: then building the assembled tree builds the series.
series_apply() {
	local paths idx

	mapfile -t paths < <(series_paths)
	rm -rf "$stree"
	git -C "$tree" worktree prune
	git -C "$tree" worktree add -q --no-checkout --detach "$stree" v7.2
	git -C "$stree" sparse-checkout set --no-cone "${paths[@]/#//}"
	git -C "$stree" checkout -q --detach v7.2
	# shellcheck disable=SC2046
	git -C "$stree" am -q $(series_patches) || return 1

	# The assembled tree: v7.2 plus the files tree.sh wrote (its manifest;
	# Debian's top-level .gitignore hides untracked files from git status),
	# and no other change to a file of v7.2.
	local other
	other=$(git -C "$tree" status --porcelain --untracked-files=no | cut -c4- |
		grep -vxFf "$tree/.project-files")
	if [ -n "$other" ]; then
		echo "the assembled tree changes files the project does not: $other"
		return 1
	fi
	idx=$(mktemp -u "$top/build/assembled-index.XXXXXX")
	GIT_INDEX_FILE=$idx git -C "$tree" read-tree v7.2
	GIT_INDEX_FILE=$idx xargs -r -a "$tree/.project-files" git -C "$tree" add -f -A --
	local assembled applied
	assembled=$(GIT_INDEX_FILE=$idx git -C "$tree" write-tree)
	applied=$(git -C "$stree" rev-parse 'HEAD^{tree}')
	rm -f "$idx"
	echo "series applied: tree $applied; assembled tree: $assembled"
	[ "$assembled" = "$applied" ]
}

checkpatch() {
	local patches out

	mapfile -t patches < <(series_patches)

	# Debian's python3 first: scripts/spdxcheck.py needs python3-ply and
	# python3-git, which deps.sh installs for it.
	out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict "${patches[@]}" 2>&1)
	echo "$out"
	# One clean summary per patch, and nothing else.
	[ "$(echo "$out" | grep -c '^total: 0 errors, 0 warnings, 0 checks')" -eq "${#patches[@]}" ] &&
		[ "$(echo "$out" | grep -c '^total:')" -eq "${#patches[@]}" ]
}

kerneldoc() {
	local out

	# shellcheck disable=SC2086
	out=$(cd "$stree" && "$tree/scripts/kernel-doc" -none -Wall $docfiles 2>&1)
	echo "$out"
	[ -z "$out" ]
}

# static_check FLAGS...: rebuild our objects with FLAGS; any diagnostic fails.
static_check() {
	# shellcheck disable=SC2086
	make -C "$tree" O="$top/build/kunit-x86_64" ARCH=x86_64 "$@" $objs 2>&1 |
		tee /dev/stderr | grep -E 'warning:|error:' && return 1
	return 0
}

# project/dealloc/dealloc_check.c, built as an external module against the
# series' x86_64 build: GCC's -Wmismatched-dealloc must warn on exactly the
# lines marked "warns" (the family's deallocator attributes).
dealloc() {
	local d=$top/build/dealloc-check

	rm -rf "$d" && mkdir -p "$d"
	cp "$top/project/dealloc/dealloc_check.c" "$d/"
	echo 'obj-m += dealloc_check.o' >"$d/Kbuild"
	make -C "$tree" O="$top/build/kunit-x86_64" ARCH=x86_64 M="$d" modules 2>&1 |
		python3 "$top/project/dealloc/expect.py" "$d/dealloc_check.c"
}

# A CLIPPY=1 rebuild of the kernel crate and the Rust sample: a warning in a
# file the project adds or changes fails.
clippy() {
	local log=$res/clippy-make.log

	if ! "$top/project/rust.sh" make O="$top/build/kunit-um-rust" ARCH=um LLVM=1 \
		CLIPPY=1 -j"$jobs" rust/kernel.o samples/rust/rust_malloc.o >"$log" 2>&1; then
		cat "$log"
		return 1
	fi
	cat "$log"
	! grep -A3 -E '^(warning|error)' "$log" |
		grep -E -- '--> .*(alloc/malloc|alloc/kbox|alloc/kvec|alloc/allocator|alloc\.rs|rust_malloc)'
}

# make rustdoc in the Rust build: no warning, and Malloc's page exists.
rustdoc_check() {
	local log=$res/rustdoc-make.log
	local page=$rbuild/Documentation/output/rust/rustdoc/kernel/alloc/allocator/struct.Malloc.html

	"$top/project/rust.sh" make O="$rbuild" ARCH=um LLVM=1 rustdoc >"$log" 2>&1 ||
		{ cat "$log"; return 1; }
	cat "$log"
	! grep -E '^(warning|error)' "$log" && [ -f "$page" ]
}

# counted NAME WORD COMMAND...: run a script that ends with the line
# "WORD: N passed, N failed", and record N tests passed and N failed (one
# failed if it prints no such line). Such scripts are
# lib/test_vmalloc.c's boot (one test per case, project/test-vmalloc/),
# the kmemleak boot (one per backend whose leaked block the scan must
# treat as kmalloc()'s or vmalloc()'s, project/kmemleak/) and the
# semantic patches' tests (one per input, project/cocci/).
counted() {
	local name=$1 word=$2 line p f
	shift 2

	echo "=== $name"
	"$@" >"$res/$name.log" 2>&1
	sed 's/^/    /' "$res/$name.log"
	line=$(grep -o "$word: [0-9]* passed, [0-9]* failed" "$res/$name.log" | tail -1)
	p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	[ -n "$p" ] || { p=0; f=1; }
	record "$name" "$p" "$f" 0
}

# QEMU under TCG: project/qemu-tcg/ drops the "-accel kvm" kunit.py asks for.
export PATH="$top/project/qemu-tcg:$PATH"

# The i8042 probe prints asynchronously into the KTAP stream; once it broke
# kunit.py's parsing of a result line. QEMU's keyboard is not needed.
x86_args="--kernel_args i8042.nokbd=1 --kernel_args i8042.noaux=1"

# The detectors, for the malloc_detect suite: generic KASAN with vmalloc
# shadow, KFENCE sampling every 50 ms (not more often: long-lived boot-time
# allocations would fill its pool), slub_debug on the kmalloc caches, and
# FORTIFY_SOURCE. CONFIG_KASAN_KUNIT_TEST provides the hooks that let a test
# expect KASAN reports; 'malloc*' leaves KASAN's own suite out of the run.
detect_args=(--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_GENERIC=y
	--kconfig_add CONFIG_KASAN_VMALLOC=y --kconfig_add CONFIG_KASAN_KUNIT_TEST=y
	--kconfig_add CONFIG_KFENCE=y --kconfig_add CONFIG_KFENCE_KUNIT_TEST=y
	--kconfig_add CONFIG_FORTIFY_SOURCE=y
	--kernel_args kfence.sample_interval=50 --kernel_args 'slub_debug=FZPU,kmalloc-*')

start=$(date +%s)
echo "=== start ($(disk), prune=$prune)"
"$top/project/tree.sh"
counted cocci cocci "$top/project/cocci/check.sh"
kunit kunit-uml "$tree" "$top/build/kunit-um" --kconfig_add CONFIG_PREEMPT_VOLUNTARY=y \
	--kconfig_add CONFIG_FRAME_POINTER=y --kernel_args 'slub_debug=FZPU,kmalloc-*' \
	--kconfig_add CONFIG_SLUB_DEBUG=y --kconfig_add CONFIG_SLUB_KUNIT_TEST=y \
	--filter 'module!=slub_kunit'
# The slab allocator's own suite on the patched mm/slub.c, in a boot of its
# own: its cases warn on purpose, which would hide the family's warnings.
kunit_with kunit-uml-slub python3 "$tree/tools/testing/kunit/kunit.py" exec \
	--build_dir="$top/build/kunit-um" 'slub_test'
prune kunit-um
kunit kunit-uml-preempt "$tree" "$top/build/kunit-um-preempt" \
	--kconfig_add CONFIG_PREEMPT=y --kconfig_add CONFIG_PREEMPT_RCU=y \
	--kconfig_add CONFIG_SMP=y --kconfig_add CONFIG_KMALLOC_PARTITION_CACHES=y \
	--kconfig_add CONFIG_KMALLOC_PARTITION_RANDOM=y --kernel_args malloc.check=1
prune kunit-um-preempt
check series-write "$top/project/series.sh"
check series-checkpatch checkpatch
check series-git-am series_apply
check kernel-doc kerneldoc
prune series-tree
kunit kunit-x86_64-series "$tree" "$top/build/kunit-x86_64" --arch=x86_64 $x86_args \
	--kconfig_add CONFIG_PREEMPT_LAZY=y --kconfig_add CONFIG_PREEMPT_DYNAMIC=n \
	--kconfig_add CONFIG_MODULES=y \
	--kconfig_add CONFIG_SAMPLES=y --kconfig_add CONFIG_SAMPLE_MALLOC=m \
	--kconfig_add CONFIG_RUNTIME_TESTING_MENU=y --kconfig_add CONFIG_MALLOC_BENCH=m \
	--kconfig_add CONFIG_TEST_VMALLOC=m --kconfig_add CONFIG_BLK_DEV_INITRD=y \
	--kconfig_add CONFIG_DEBUG_KMEMLEAK=y
counted test-vmalloc test_vmalloc "$top/project/test-vmalloc/run.sh" "$top/build/kunit-x86_64"
counted kmemleak kmemleak "$top/project/kmemleak/run.sh" "$top/build/kunit-x86_64"
check sparse static_check C=2
check mismatched-dealloc dealloc
check w1 static_check W=1
insns kunit-x86_64
prune kunit-x86_64
kunit kunit-x86_64-preempt "$tree" "$top/build/kunit-x86_64-preempt" --arch=x86_64 $x86_args \
	--kconfig_add CONFIG_PREEMPT=y --kconfig_add CONFIG_PREEMPT_RCU=y \
	--kconfig_add CONFIG_MALLOC_CHECK_DEFAULT_ON=y
insns kunit-x86_64-preempt
prune kunit-x86_64-preempt
kunit kunit-x86_64-rt "$tree" "$top/build/kunit-x86_64-rt" --arch=x86_64 $x86_args \
	--kconfig_add CONFIG_EXPERT=y --kconfig_add CONFIG_PREEMPT_RT=y
insns kunit-x86_64-rt
prune kunit-x86_64-rt
kunit kunit-x86_64-kasan "$tree" "$top/build/kunit-x86_64-kasan" --arch=x86_64 $x86_args \
	--timeout=1800 "${detect_args[@]}" 'malloc*'
# KASAN's kmalloc cases and KFENCE's suite on the patched mm/slub.c, in the
# same kernel, each in a boot of its own.
# KASAN's cases run without KFENCE: a sampled allocation is KFENCE's, and
# KASAN reports nothing for it (kmalloc_oob_right failed so once).
for run in 'kasan.kmalloc*:0' 'kfence:50'; do
	suite=${run%:*}
	kunit_with "kunit-x86_64-kasan-${suite%%.*}" python3 "$tree/tools/testing/kunit/kunit.py" \
		exec --build_dir="$top/build/kunit-x86_64-kasan" --arch=x86_64 $x86_args \
		--timeout=1800 --kernel_args "kfence.sample_interval=${run##*:}" \
		--kernel_args 'slub_debug=FZPU,kmalloc-*' "$suite"
done
prune kunit-x86_64-kasan

rbuild=$top/build/kunit-um-rust
kunit_with kunit-uml-rust "$top/project/rust.sh" python3 tools/testing/kunit/kunit.py run \
	--kunitconfig=mm/.kunitconfig --build_dir="$rbuild" --jobs="$jobs" \
	--make_options LLVM=1 --kconfig_add CONFIG_RUST=y \
	--kconfig_add CONFIG_RUST_KERNEL_DOCTESTS=y --kconfig_add CONFIG_SAMPLES=y \
	--kconfig_add CONFIG_SAMPLES_RUST=y --kconfig_add CONFIG_SAMPLE_RUST_MALLOC=y \
	--kconfig_add CONFIG_MEM_ALLOC_PROFILING=y
check rustfmtcheck "$top/project/rust.sh" make O="$rbuild" ARCH=um LLVM=1 rustfmtcheck
check rusttest "$top/project/rust.sh" make O="$rbuild" ARCH=um LLVM=1 rusttest
check clippy clippy
check rustdoc rustdoc_check

prune kunit-um-rust

echo
echo "=== context inference, x86_64"
cat "$res/insns" 2>/dev/null

echo
echo "=== summary ($(( $(date +%s) - start )) s, $(disk))"
cat "$res/summary"
read -r p f s < <(cat "$res"/*.counts | awk '{p+=$1; f+=$2; s+=$3} END {print p, f, s}')
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]

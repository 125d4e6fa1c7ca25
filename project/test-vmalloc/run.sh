#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BUILD_DIR: boot the x86_64 kernel in BUILD_DIR (built with
# CONFIG_TEST_VMALLOC=m and CONFIG_BLK_DEV_INITRD=y) under QEMU with a
# busybox initramfs that loads lib/test_vmalloc.ko with all its cases, and
# print one line per case the module reports, then
# "test_vmalloc: N passed, N failed". A case passes when its summary says
# "failed: 0" (the module counts the expected failures of the cases meant
# to fail apart); a case the module does not report, a warning or a crash
# fails.
set -euo pipefail

bdir=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$bdir/test-vmalloc
module=$bdir/lib/test_vmalloc.ko
cases=13

[ -f "$module" ] || { echo "test_vmalloc: $module was not built"; exit 1; }
rm -rf "$out" && mkdir -p "$out/root/bin" "$out/root/proc"
cp /bin/busybox "$out/root/bin/busybox"
cp "$here/init" "$out/root/init"
chmod +x "$out/root/init"
cp "$module" "$out/root/"
(cd "$out/root" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"

timeout 900 qemu-system-x86_64 -m 1G -smp 1 -nographic -no-reboot \
	-kernel "$bdir/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio" \
	-append "console=ttyS0 kunit.enable=0 panic=-1 i8042.nokbd=1 i8042.noaux=1" \
	</dev/null 2>&1 | tr -d '\r' >"$out/console.log" || true

# The first run's summaries: busybox's insmod loads the module a second
# time when its init returns an error, which this module's always does.
awk '/^Summary: /; /^All test took/ { exit }' "$out/console.log" >"$out/summary"
cat "$out/summary"
# A case passes when nothing failed that was not expected to: the module
# counts the runs of a case meant to fail (align_shift_alloc_test, which
# asks for alignments up to 1 << 63, and no_block_alloc_test) apart, as
# "xfailed".
passed=$(grep -cE 'Summary: [a-z_0-9]+ passed: [0-9]+ failed: 0 xfailed: [0-9]+ ' \
	"$out/summary" || true)
reported=$(grep -c 'Summary: ' "$out/summary" || true)
failed=$((cases - passed))
if grep -qE 'BUG:|WARNING:|Oops|Kernel panic|INFO: .*(lockdep|held)' "$out/console.log"; then
	grep -E -A20 'BUG:|WARNING:|Oops|Kernel panic' "$out/console.log" | head -60
	echo "test_vmalloc: the kernel warned or crashed"
	[ "$failed" -gt 0 ] || failed=1
	passed=$((cases - failed))
fi
grep -q '=== test_vmalloc done' "$out/console.log" ||
	echo "test_vmalloc: the boot did not finish ($reported of $cases cases reported)"
echo "test_vmalloc: $passed passed, $failed failed"

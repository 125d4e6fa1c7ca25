#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh BUILD_DIR: kmemleak sees the malloc() family's blocks as it sees
# kmalloc()'s and vmalloc()'s. Build malloc_leak.c as an external module
# against the x86_64 kernel in BUILD_DIR (built with CONFIG_DEBUG_KMEMLEAK,
# CONFIG_MODULES and CONFIG_BLK_DEV_INITRD), boot that kernel under QEMU
# with a busybox initramfs that loads it and asks kmemleak for a scan, and
# print one line per leaked block, then "kmemleak: N passed, N failed".
# One test per backend (an object of a kmalloc cache, a large kmalloc()
# block, a vmalloc()ed block): it passes when kmemleak knows the family's
# block at its address with the size asked for, the block has the backend
# it should, and the scan reports it exactly when it reports the block of
# the same size that kmalloc() or vmalloc() gave directly. The scan must
# report at least one block, or it proves nothing. The check lives here
# because a KUnit case cannot ask for a scan: the kmemleak debugfs file
# takes only writes from user space.
set -euo pipefail

bdir=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$bdir/kmemleak-check
blocks=3

grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$bdir/.config" ||
	{ echo "kmemleak: $bdir has no CONFIG_DEBUG_KMEMLEAK"; echo "kmemleak: 0 passed, $blocks failed"; exit 1; }
rm -rf "$out" && mkdir -p "$out/mod" "$out/root/bin"
cp "$here/malloc_leak.c" "$out/mod/"
echo 'obj-m += malloc_leak.o' >"$out/mod/Kbuild"
make -s -C "$top/build/linux" O="$bdir" ARCH=x86_64 M="$out/mod" modules
cp /bin/busybox "$out/root/bin/busybox"
cp "$here/init" "$out/root/init"
chmod +x "$out/root/init"
cp "$out/mod/malloc_leak.ko" "$out/root/"
(cd "$out/root" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"

timeout 900 qemu-system-x86_64 -m 1G -smp 2 -nographic -no-reboot \
	-kernel "$bdir/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio" \
	-append "console=ttyS0 kunit.enable=0 panic=-1 i8042.nokbd=1 i8042.noaux=1" \
	</dev/null 2>&1 | tr -d '\r' >"$out/console.log" || true

grep -E '^(kmemleak: [a-z_]+ vmalloc=|=== )' "$out/console.log" || true
passed=0
for spec in kmalloc:192:0 large_kmalloc:16384:0 vmalloc:4198400:1; do
	IFS=: read -r kind size vm <<<"$spec"
	fam=$(grep "^kmemleak: $kind vmalloc=" "$out/console.log" || true)
	dir=$(grep "^kmemleak: ${kind}_direct vmalloc=" "$out/console.log" || true)
	if [ "$fam" = "kmemleak: $kind vmalloc=$vm known=$size reported=${dir##*reported=}" ] &&
		[ -n "$dir" ]; then
		passed=$((passed + 1))
	else
		echo "kmemleak: $kind: got '$fam', direct '$dir'"
	fi
done
if ! grep -q ' reported=yes$' "$out/console.log"; then
	echo "kmemleak: the scan reported no block"
	passed=0
fi
grep -q '^=== kmemleak done' "$out/console.log" || echo "kmemleak: the boot did not finish"
echo "kmemleak: $passed passed, $((blocks - passed)) failed"
[ "$passed" -eq "$blocks" ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the patched kernel for x86_64 with the malloc() sample module, boot
# it under QEMU with a busybox initramfs that loads the module, and print
# what the module and /proc/allocinfo report.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
out=$top/build/demo-x86_64
jobs=${JOBS:-$(nproc)}

"$top/project/tree.sh"
mkdir -p "$out"
if [ ! -f "$out/.config" ] || [ "$top/project/configs/demo-x86_64.config" -nt "$out/.config" ]; then
	make -s -C "$tree" O="$out" ARCH=x86_64 \
		KCONFIG_ALLCONFIG="$top/project/configs/demo-x86_64.config" allnoconfig
fi
echo "demo: building the kernel and the sample module in $out"
make -s -C "$tree" O="$out" ARCH=x86_64 -j"$jobs" bzImage modules

initrd=$out/initramfs
rm -rf "$initrd" && mkdir -p "$initrd/bin" "$initrd/proc" "$initrd/sys" "$initrd/dev"
cp /bin/busybox "$initrd/bin/busybox"
cp "$top/project/demo/init" "$initrd/init"
chmod +x "$initrd/init"
cp "$out/samples/malloc/malloc_sample.ko" "$initrd/"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

echo "demo: booting under QEMU (TCG: time ratios are meaningful, absolute times are not)"
timeout 600 qemu-system-x86_64 -m 1G -smp 1 -nographic -no-reboot \
	-kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet panic=-1" </dev/null |
	tr -d '\r' | sed -n 's/^.*=== /=== /; /^=== /,$p' | tee "$out/demo.log"
grep -q '^=== done' "$out/demo.log"

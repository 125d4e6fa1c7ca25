#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the patched kernel for x86_64 with the malloc() sample module, boot
# it under QEMU with a busybox initramfs that loads the module, and print
# what the module and /proc/allocinfo report.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo-x86_64

"$top/project/qemu-kernel.sh" demo "$top/project/demo/init" samples/malloc/malloc_sample.ko

echo "demo: booting under QEMU (TCG: time ratios are meaningful, absolute times are not)"
timeout 600 qemu-system-x86_64 -m 1G -smp 1 -nographic -no-reboot \
	-kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet panic=-1" </dev/null |
	tr -d '\r' | sed -n 's/^.*=== /=== /; /^=== /,$p' | tee "$out/demo.log"
grep -q '^=== done' "$out/demo.log"

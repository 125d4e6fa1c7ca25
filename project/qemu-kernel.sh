#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-kernel.sh NAME INIT MODULE: build the patched x86_64 kernel in
# build/NAME-x86_64 (allnoconfig plus project/configs/NAME-x86_64.config)
# with its modules, and OUT/initramfs.cpio.gz: busybox, INIT as /init, and
# the built MODULE (a path in the build) at the root. make run and make
# bench boot what this leaves.
set -euo pipefail

name=$1 init=$2 module=$3
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
out=$top/build/$name-x86_64
cfg=$top/project/configs/$name-x86_64.config
jobs=${JOBS:-$(nproc)}

"$top/project/tree.sh"
mkdir -p "$out"
if [ ! -f "$out/.config" ] || [ "$cfg" -nt "$out/.config" ]; then
	make -s -C "$tree" O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$cfg" allnoconfig
fi
echo "$name: building the kernel and $module in $out"
make -s -C "$tree" O="$out" ARCH=x86_64 -j"$jobs" bzImage modules

initrd=$out/initramfs
rm -rf "$initrd" && mkdir -p "$initrd/bin" "$initrd/proc" "$initrd/sys" "$initrd/dev"
cp /bin/busybox "$initrd/bin/busybox"
cp "$init" "$initrd/init"
chmod +x "$initrd/init"
cp "$out/$module" "$initrd/"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

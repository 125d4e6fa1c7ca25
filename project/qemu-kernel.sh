#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-kernel.sh NAME INIT MODULE [ARCH]: build the patched kernel for ARCH
# (x86_64, the default, or um) in build/NAME-ARCH (allnoconfig plus
# project/configs/NAME-ARCH.config) with its modules, and
# OUT/initramfs.cpio.gz: busybox, INIT as /init, and the built MODULE (a
# path in the build) at the root. make run and make bench boot what this
# leaves: under QEMU for x86_64, as build/NAME-um/linux for UML.
set -euo pipefail

name=$1 init=$2 module=$3 arch=${4:-x86_64}
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
out=$top/build/$name-$arch
cfg=$top/project/configs/$name-$arch.config
image=bzImage
[ "$arch" = um ] && image=linux
jobs=${JOBS:-$(nproc)}

"$top/project/tree.sh"
mkdir -p "$out"
if [ ! -f "$out/.config" ] || [ "$cfg" -nt "$out/.config" ]; then
	make -s -C "$tree" O="$out" ARCH="$arch" KCONFIG_ALLCONFIG="$cfg" allnoconfig
else
	# New Kconfig symbols take their defaults, without a prompt.
	make -s -C "$tree" O="$out" ARCH="$arch" olddefconfig
fi
echo "$name: building the kernel and $module in $out"
make -s -C "$tree" O="$out" ARCH="$arch" -j"$jobs" "$image" modules

initrd=$out/initramfs
rm -rf "$initrd" && mkdir -p "$initrd/bin" "$initrd/proc" "$initrd/sys" "$initrd/dev"
cp /bin/busybox "$initrd/bin/busybox"
cp "$init" "$initrd/init"
chmod +x "$initrd/init"
cp "$out/$module" "$initrd/"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

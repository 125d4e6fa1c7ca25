#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rust.sh COMMAND [ARGS...]: run COMMAND in the assembled tree with a Rust
# toolchain the kernel accepts. The host's is used when
# `make LLVM=1 rustavailable` passes with it; otherwise the command runs in
# the Debian 13 root that rust-root.sh sets up, with the project's
# directory bind-mounted at the same path in a private mount namespace.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${KTREE:-$top/build/linux}

if make -s -C "$tree" LLVM=1 rustavailable >/dev/null 2>&1; then
	cd "$tree"
	exec "$@"
fi

root=$("$top/project/rust-root.sh")
cmd=$(printf '%q ' "$@")
# The project is bound last: it may itself live under /tmp.
exec unshare -m --propagation private bash -euc "
	mount -t proc proc '$root/proc'
	mount --rbind /dev '$root/dev'
	mount -t tmpfs tmpfs '$root/dev/shm'
	mount -t tmpfs tmpfs '$root/tmp'
	mkdir -p '$root$top'
	mount --bind '$top' '$root$top'
	exec chroot '$root' /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 bash -c 'cd $tree && exec $cmd'
"

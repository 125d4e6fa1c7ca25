#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rust-root.sh: print the directory of a Debian 13 root that has the Rust
# toolchain the kernel's Rust support needs (rustc >= 1.78, rust-src,
# bindgen >= 0.65.1, clang and lld), making it with mmdebstrap the first
# time. Packages come from the mirror this machine's own apt sources use.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
root=$top/build/rust-root
pkgs="rustc,rust-src,rustfmt,rust-clippy,bindgen,clang,lld,llvm,libclang-dev,
make,gcc,libc6-dev,flex,bison,bc,libelf-dev,libssl-dev,python3,perl,git,
kmod,cpio,xz-utils"

if [ -x "$root/usr/bin/rustc" ] && [ -f "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	 tr ' ' '\n' | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }' \
	/etc/apt/sources.list 2>/dev/null)
if [ -z "$mirror" ]; then
	echo "rust-root: no Debian mirror in this machine's apt sources" >&2
	exit 1
fi
command -v mmdebstrap >/dev/null || apt-get install -y -q mmdebstrap >&2

echo "rust-root: creating a Debian 13 root with the Rust toolchain in $root" >&2
rm -rf "$root"
# Documentation, manual pages and translations are left out (about 100 MB).
mmdebstrap --variant=apt --include="$(echo "$pkgs" | tr -d '\n ')" \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	trixie "$root" "$mirror" >&2
touch "$root/.complete"
echo "$root"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages the project needs that this machine lacks.
set -euo pipefail

pkgs="build-essential bc bison flex libelf-dev libssl-dev
      python3 python3-ply python3-git perl git cpio rsync kmod xz-utils
      sparse qemu-system-x86 busybox-static mmdebstrap util-linux gnuplot-nox
      coccinelle"

missing=
for p in $pkgs; do
	case "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" in
	*"ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
# The downloaded packages are not needed again: the builds want the disk.
$sudo apt-get clean

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux-source.sh: print the path of Debian's pristine Linux 7.2 source
# tarball, downloading linux-source-7.2 the first time.
#
# Debian 12 has no 7.2, so the package comes from Debian unstable ("sid")
# or, when sid has moved on to the next release, Debian testing
# ("forky"). apt-get runs with a configuration of its own under
# build/apt, with the same mirror as this machine's own Debian entry:
# nothing of the machine's apt setup changes, and nothing else upgrades.
# Whichever 7.2.y the suite has is used; its version is printed.
#
# LINUX_TARBALL=path uses that tarball instead.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
series=7.2
dir=$top/build/apt
out=$top/build/src

if [ -n "${LINUX_TARBALL:-}" ]; then
	echo "$LINUX_TARBALL"
	exit 0
fi
tarball=$(ls "$out"/usr/src/linux-source-$series.tar.xz 2>/dev/null || true)
if [ -n "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

# The mirror of this machine's Debian entry (deb822 or one-line format).
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	 tr ' ' '\n' | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 !~ /security/ { print $2; exit }' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
if [ -z "$mirror" ]; then
	echo "linux-source: no Debian mirror in this machine's apt sources" >&2
	exit 1
fi

rm -rf "$dir"
mkdir -p "$dir"/etc/sources.list.d "$dir"/etc/preferences.d "$dir"/lists/partial \
	"$dir"/cache/archives/partial
: >"$dir/etc/sources.list"
opts=(-o "Dir::Etc=$dir/etc" -o "Dir::Etc::sourcelist=$dir/etc/sources.list"
      -o "Dir::Etc::sourceparts=$dir/etc/sources.list.d"
      -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
      -o "Dir::State::status=/var/lib/dpkg/status" -o "APT::Sandbox::User=root")

version=
for suite in sid forky; do
	cat >"$dir/etc/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	rm -f "$dir"/lists/*_Packages* 2>/dev/null || true
	echo "linux-source: looking for linux-source-$series in Debian $suite" >&2
	apt-get "${opts[@]}" -q update >&2
	version=$(apt-cache "${opts[@]}" show linux-source-$series 2>/dev/null |
		  sed -n 's/^Version: *//p' | head -1)
	[ -n "$version" ] && break
done
if [ -z "$version" ]; then
	echo "linux-source: neither Debian sid nor forky has linux-source-$series" >&2
	exit 1
fi

echo "linux-source: downloading linux-source-$series $version from Debian $suite" >&2
(cd "$dir" && apt-get "${opts[@]}" -q download "linux-source-$series=$version" >&2)
rm -rf "$out"
mkdir -p "$out"
dpkg-deb -x "$dir"/linux-source-${series}_*.deb "$out"
rm -f "$dir"/*.deb
echo "$out/usr/src/linux-source-$series.tar.xz"

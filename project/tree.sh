#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the patched kernel tree in build/linux from Debian's pristine
# linux-source-7.2 tarball (project/linux-source.sh).
#
#  - The first run extracts the tarball and commits it as tag v7.2 in a git
#    repository, which make series and the series check build on. The
#    7.2.y stable release it holds is printed on every run.
#  - Every run copies the project's new kernel files (those under a kernel
#    top-level directory) into the tree, and rewrites each file named by
#    project/edits/*.patch as its v7.2 version with the edits applied.
#    Only files whose content changed are written, so kbuild rebuilds only
#    what an edit touched.
#  - Files a previous run added but the project no longer has are removed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=${TREE:-$top/build/linux}
base=v7.2
# Kernel top-level directories the project may add files under.
kdirs="Documentation include lib mm rust samples scripts tools"

if ! git -C "$tree" rev-parse -q --verify $base >/dev/null 2>&1; then
	tarball=$("$top/project/linux-source.sh")
	echo "tree: extracting $tarball into $tree" >&2
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1
	git -C "$tree.tmp" init -q -b master
	git -C "$tree.tmp" config user.name "Linux $(make -s -C "$tree.tmp" kernelversion)"
	git -C "$tree.tmp" config user.email "linux@kernel.invalid"
	git -C "$tree.tmp" config gc.auto 0
	git -C "$tree.tmp" add -f -A .
	git -C "$tree.tmp" commit -q -m "Linux $(make -s -C "$tree.tmp" kernelversion) (Debian linux-source-7.2)"
	git -C "$tree.tmp" tag $base
	mv "$tree.tmp" "$tree"
fi

# write_if_changed SRC DST: copy SRC to DST unless DST has the same bytes.
write_if_changed() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
		echo "  UPDATE  ${2#"$tree"/}"
	fi
}

cd "$top"
manifest="$tree/.project-files"
touch "$manifest"
new=$(mktemp)
trap 'rm -rf "$new" "$new.d"' EXIT

# 1. New files, at their in-tree paths.
# shellcheck disable=SC2086
git ls-files -co --exclude-standard -- $kdirs | sort -u | while read -r f; do
	[ -f "$f" ] || continue
	if git -C "$tree" cat-file -e "$base:$f" 2>/dev/null; then
		echo "tree: $f exists in $base; change it with a patch in project/edits/" >&2
		exit 1
	fi
	echo "$f" >>"$new"
	write_if_changed "$f" "$tree/$f"
done

echo "tree: base $(git -C "$tree" log -1 --format=%s $base)" >&2

# 2. Edits to existing files: the base version plus every patch touching it.
mkdir -p "$new.d"
edits=$(ls project/edits/*.patch 2>/dev/null || true)
for f in $(for p in $edits; do grep '^+++ b/' "$p" | sed 's|^+++ b/||'; done | sort -u); do
	mkdir -p "$new.d/$(dirname "$f")"
	git -C "$tree" show "$base:$f" >"$new.d/$f"
	echo "$f" >>"$new"
done
for p in $edits; do
	if ! patch -s -p1 -d "$new.d" --no-backup-if-mismatch <"$p"; then
		echo "tree: $p does not apply to $base" >&2
		exit 1
	fi
done
(cd "$new.d" && find . -type f | sed 's|^\./||') | while read -r f; do
	write_if_changed "$new.d/$f" "$tree/$f"
done

# 3. Undo what earlier runs did for files the project no longer has.
sort -u "$new" -o "$new"
comm -23 <(sort -u "$manifest") "$new" | while read -r f; do
	if git -C "$tree" cat-file -e "$base:$f" 2>/dev/null; then
		git -C "$tree" show "$base:$f" >"$tree/$f"
		echo "  RESTORE $f"
	else
		rm -f "$tree/$f"
		echo "  REMOVE  $f"
	fi
done
cp "$new" "$manifest"

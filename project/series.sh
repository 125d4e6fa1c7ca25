#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Write the patch series to build/series/.
#
# Each project/series/NNNN-*.txt is one commit: "Files:" names the new files
# it adds, "Edits:" the patches from project/edits/ it applies, and the rest
# is the commit message. The commits are built in build/linux on top of tag
# v7.2 with a private index, so the assembled tree is left alone, and the
# result is checked to hold exactly what the assembled tree holds.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
out=$top/build/series
base=v7.2

# The patches carry the identity of whoever runs this, who certifies the
# Developer's Certificate of Origin by posting them: git's user.name and
# user.email, as git commit would take them, in this repository.
if ! ident=$(cd "$top" && git var GIT_AUTHOR_IDENT 2>/dev/null); then
	echo "series: set git's user.name and user.email: the patches carry them" >&2
	exit 1
fi
ident=${ident% * *}
export GIT_AUTHOR_NAME=${ident% <*} GIT_AUTHOR_EMAIL=${ident##*<}
GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
sob="Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"

"$top/project/tree.sh" >/dev/null

GIT_INDEX_FILE=$(mktemp -u "$top/build/series-index.XXXXXX")
export GIT_INDEX_FILE
msg=$(mktemp)
trap 'rm -f "$GIT_INDEX_FILE" "$msg"' EXIT

cd "$tree"
git read-tree $base
parent=$(git rev-parse $base)
in_series=()
for spec in "$top"/project/series/[0-9]*.txt; do
	files=$(sed -n '1,/^$/s/^Files: *//p' "$spec")
	edits=$(sed -n '1,/^$/s/^Edits: *//p' "$spec")
	for f in $files; do
		blob=$(git hash-object -w "$top/$f")
		git update-index --add --cacheinfo "100644,$blob,$f"
		in_series+=("$f")
	done
	for e in $edits; do
		git apply --cached "$top/project/edits/$e"
		in_series+=($(sed -n 's|^+++ b/||p' "$top/project/edits/$e"))
	done
	{ sed '1,/^$/d' "$spec"; printf '\n%s\n' "$sob"; } >"$msg"
	parent=$(git commit-tree "$(git write-tree)" -p "$parent" -F "$msg")
done
git update-ref refs/heads/malloc-series "$parent"

# The series must hold every file the assembled tree has, as it has it.
# (A here-string, not a pipe: grep -q exits at the first match, and with
# pipefail the writer's SIGPIPE would read as no match.)
series_files=$(printf '%s\n' "${in_series[@]}")
for f in $(cat .project-files); do
	if ! grep -qxF -- "$f" <<<"$series_files"; then
		echo "series: $f is in no commit of project/series/" >&2
		exit 1
	fi
	if [ "$(git rev-parse "malloc-series:$f")" != "$(git hash-object "$f")" ]; then
		echo "series: $f differs from the assembled tree" >&2
		exit 1
	fi
done

rm -rf "$out"
git format-patch -q --cover-letter --base=$base -o "$out" $base..malloc-series
cover=$(ls "$out"/0000-cover-letter.patch)
python3 - "$cover" "$top/project/series/cover.txt" <<'PY'
import sys
path, blurb = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
subject, body = blurb.split("\n", 1)
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject, 1)
text = text.replace("*** BLURB HERE ***", body.strip("\n"), 1)
open(path, "w").write(text)
PY
ls "$out"

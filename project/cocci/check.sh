#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test scripts/coccinelle/api/malloc.cocci on malloc_test.c: patch mode must
# turn it into malloc_test.expected.c, and report mode must print exactly
# the lines of malloc_test.report (sorted; paths relative to this folder).
# The test lives here, out of the kernel tree, because it tests the
# project's semantic patch rather than kernel code, and the kernel has no
# place for tests of Coccinelle scripts.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cocci=$here/../../scripts/coccinelle/api/malloc.cocci
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$here"
cp malloc_test.c "$out/"
spatch --very-quiet --sp-file "$cocci" -D patch --no-includes --include-headers \
	--in-place "$out/malloc_test.c" >/dev/null 2>"$out/patch.err" || { cat "$out/patch.err"; exit 1; }
diff -u malloc_test.expected.c "$out/malloc_test.c"
echo "patch mode: output as expected"

spatch --very-quiet --sp-file "$cocci" -D report --no-includes --include-headers \
	malloc_test.c 2>"$out/report.err" | sort >"$out/report" || { cat "$out/report.err"; exit 1; }
diff -u malloc_test.report "$out/report"
echo "report mode: $(wc -l <"$out/report") lines as expected"

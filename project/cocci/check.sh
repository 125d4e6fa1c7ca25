#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test the malloc() family's semantic patches on the inputs in tests/
# (01 to 05 are the cases an earlier malloc.cocci got wrong, cut down from
# the kernel code each names):
#
#  - scripts/coccinelle/api/malloc.cocci in patch mode on every tests/*.c
#    and tests/*/ that is not a mismatch test: each file X.c (or X.h) must
#    become X.expected.c (X.expected.h), written by hand, or, where there
#    is none, come out unchanged, as the comment at its top says;
#  - scripts/coccinelle/api/malloc_mismatch.cocci in report mode on every
#    tests/*mismatch*.c, as make coccicheck runs it (--no-show-diff): it
#    must print, without columns, exactly the lines of the .report file
#    beside it, written by hand.
#
# MALLOC_COCCI=path runs the conversion tests with another malloc.cocci,
# to show what an older version did with them. The tests live here, out
# of the kernel tree, because they test the project's semantic patches
# rather than kernel code, and the kernel has no place for tests of
# Coccinelle scripts.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
api=$here/../../scripts/coccinelle/api
cocci=${MALLOC_COCCI:-$api/malloc.cocci}
mismatch=$api/malloc_mismatch.cocci
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
passed=0

# expect: compare each file under run/ with what it must become.
expect() {
	local f want
	for f in $(cd "$out/run" && find . -name '*.[ch]' | sort); do
		f=${f#./}
		want=$here/tests/$f
		if [ -f "${want%.?}.expected.${want##*.}" ]; then
			want=${want%.?}.expected.${want##*.}
		fi
		diff -u --label "$f expected" --label "$f result" \
			"$want" "$out/run/$f" || return 1
	done
}

cd "$here/tests"
for t in [0-9]*; do
	case $t in
	*.expected.*|*.report|*mismatch*) continue ;;
	esac
	rm -rf "${out:?}/run"
	mkdir "$out/run"
	if [ -d "$t" ]; then
		cp -r "$t" "$out/run/"
		target=(--dir "$out/run/$t")
	else
		cp "$t" "$out/run/"
		target=("$out/run/$t")
	fi
	find "$out/run" -name '*.expected.*' -delete
	if ! spatch --very-quiet --sp-file "$cocci" -D patch --no-includes \
		--include-headers --in-place "${target[@]}" >/dev/null 2>"$out/err"; then
		cat "$out/err"
		echo "FAIL $t: spatch failed"
		failed=$((failed + 1))
	elif expect; then
		echo "ok   $t"
		passed=$((passed + 1))
	else
		echo "FAIL $t"
		failed=$((failed + 1))
	fi
done

if [ -z "${MALLOC_COCCI:-}" ]; then
	for t in [0-9]*mismatch*.c; do
		spatch --very-quiet --no-show-diff --sp-file "$mismatch" -D report --no-includes \
			--include-headers "$t" 2>"$out/err" |
			sed -E 's/^([^:]*:[0-9]+):[0-9]+-[0-9]+:/\1:/' | sort >"$out/report" ||
			{ cat "$out/err"; failed=$((failed + 1)); continue; }
		if diff -u <(sort "${t%.c}.report") "$out/report"; then
			echo "ok   $t: $(wc -l <"$out/report") report lines as expected"
			passed=$((passed + 1))
		else
			echo "FAIL $t"
			failed=$((failed + 1))
		fi
	done
fi

echo "cocci: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Count, in a kernel tree's .c and .h files, the calls of each allocation
# function malloc.cocci handles and the GFP flags their last argument
# passes. Usage: count-allocs.py TREE
import collections
import os
import re
import sys

KINDS = ("kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kvmalloc",
         "kvzalloc", "kvcalloc", "kvmalloc_array", "krealloc", "kvrealloc")
CALL = re.compile(r"\b(" + "|".join(KINDS) + r")\s*\(")


def last_arg(text, start):
    """The last argument of the call whose '(' is at start, or None."""
    depth, arg = 0, start + 1
    for i in range(start, min(len(text), start + 4000)):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return " ".join(text[arg:i].split())
        elif c == "," and depth == 1:
            arg = i + 1
    return None


def main():
    tree = sys.argv[1]
    calls = collections.Counter()
    flags = collections.Counter()
    kind_flags = collections.Counter()
    for root, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            try:
                text = open(path, errors="replace").read()
            except OSError:
                continue
            for m in CALL.finditer(text):
                line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
                if line.lstrip().startswith("#define") or "noprof" in line:
                    continue
                f = last_arg(text, m.end() - 1)
                if f is None or f == "..." or "__VA_ARGS__" in f:
                    continue
                calls[m.group(1)] += 1
                flags[f] += 1
                kind_flags[(m.group(1), f == "GFP_KERNEL")] += 1
    total = sum(calls.values())
    print("calls: %d" % total)
    for k in KINDS:
        print("  %-15s %6d  GFP_KERNEL %6d  other %6d" % (
            k, calls[k], kind_flags[(k, True)], kind_flags[(k, False)]))
    print("flags (top 12):")
    for f, n in flags.most_common(12):
        print("  %6d  %s" % (n, f))
    print("  %6d  other expressions" % (total - sum(n for _, n in flags.most_common(12))))


main()

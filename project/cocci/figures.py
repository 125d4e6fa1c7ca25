#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Sum the "STAT file:line kind converted|left: reason" lines that
# malloc.cocci prints in stats mode (-D stats) into the figures of the
# documentation: sites per kind, converted, and left by first reason.
# With --by-dir, also one line per top-level directory of the tree (paths
# are taken relative to the directory given with --root, if any).
# Usage: figures.py [--by-dir] [--root DIR] [STATS_FILE...] (standard input
# without)
import collections
import fileinput
import re
import sys

ORDER = [
    ("flags other than GFP_KERNEL", lambda r: r.startswith("flags ")),
    ("result not held in a local or a member",
     lambda r: r.startswith("result not held")),
    ("a parameter or a global", lambda r: "a parameter" in r or
     "not a local variable" in r),
    ("member of a structure defined elsewhere",
     lambda r: "not in a structure defined" in r or "another type" in r),
    ("also assigned other values",
     lambda r: "also assigned" in r or "also allocated" in r or
     "initialized to" in r or "freed by __free" in r),
    ("points to const", lambda r: "points to const" in r),
    ("used in a way the rule does not follow", lambda r: "used at line" in r),
    ("not parsed in full", lambda r: "not parsed" in r),
]


GROUPS = ("flags", "handed on", "member from a header", "other")


def group(name):
    """The documentation's four columns for a first reason."""
    if name.startswith("flags"):
        return "flags"
    if name.startswith("used in a way"):
        return "handed on"
    if name.startswith("member of a structure"):
        return "member from a header"
    return "other"


def main():
    args = sys.argv[1:]
    by_dir = "--by-dir" in args
    args = [a for a in args if a != "--by-dir"]
    root = ""
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1].rstrip("/") + "/"
        del args[i:i + 2]
    dirs = collections.defaultdict(collections.Counter)
    dfiles = collections.defaultdict(set)
    kinds = collections.Counter()
    conv = collections.Counter()
    why = collections.Counter()
    flags = collections.Counter()
    files = set()
    for line in fileinput.input(args):
        m = re.match(r"STAT (\S+):(\d+) (\w+) (converted|left: (.*))$", line.rstrip("\n"))
        if not m:
            continue
        path = m.group(1)
        if root and path.startswith(root):
            path = path[len(root):]
        top = path.split("/", 1)[0] if "/" in path else "(top)"
        files.add(path)
        dfiles[top].add(path)
        dirs[top]["sites"] += 1
        kind = m.group(3)
        kinds[kind] += 1
        if m.group(4) == "converted":
            conv[kind] += 1
            dirs[top]["converted"] += 1
            continue
        reason = m.group(5)
        if reason.startswith("flags "):
            flags[reason[6:]] += 1
        for name, test in ORDER:
            if test(reason.split(": ", 1)[-1] if not reason.startswith("flags ") else reason):
                why[name] += 1
                dirs[top][group(name)] += 1
                break
        else:
            why["other: " + reason] += 1
            dirs[top]["other"] += 1
    total = sum(kinds.values())
    print("files with sites: %d, sites: %d, converted: %d, left: %d" %
          (len(files), total, sum(conv.values()), total - sum(conv.values())))
    for k, n in kinds.most_common():
        print("  %-15s %6d  converted %5d" % (k, n, conv[k]))
    print("left, by first reason:")
    for name, _ in ORDER:
        print("  %6d  %s" % (why[name], name))
    for name, n in why.items():
        if name.startswith("other: "):
            print("  %6d  %s" % (n, name))
    print("flags of the sites left for their flags (top 8):")
    for f, n in flags.most_common(8):
        print("  %6d  %s" % (n, f))
    if by_dir:
        print("by top-level directory: files sites converted " + " ".join(
            g.replace(" ", "_") for g in GROUPS))
        for top in sorted(dirs, key=lambda t: -dirs[t]["sites"]):
            c = dirs[top]
            print("  %-14s %5d %6d %5d " % (top, len(dfiles[top]), c["sites"], c["converted"]) +
                  " ".join("%5d" % c[g] for g in GROUPS))


main()

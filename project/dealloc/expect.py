#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare GCC's -Wmismatched-dealloc warnings with the lines marked "warns".

Usage: make ... 2>&1 | expect.py SOURCE

A warning counts at the line of SOURCE it points to, or, when it points
into a header, at the line of SOURCE the header's code was inlined into
(free() is an inline function) or expanded at (realloc() is a macro). Exits 0 if the warned lines are exactly
the marked ones.
"""

import re
import sys


def main():
    src = sys.argv[1]
    name = src.rsplit("/", 1)[-1]
    want = {i for i, l in enumerate(open(src), 1) if "/* warns */" in l}
    got, inlined, pending = set(), None, False
    for line in sys.stdin:
        sys.stdout.write(line)
        m = re.search(r"inlined from .* at (\S+?):(\d+):", line)
        if m and m.group(1).endswith(name):
            inlined = int(m.group(2))
        # A warning in a macro's body is placed by its expansion's note.
        m = re.match(r"(\S+?):(\d+):\d+: note: in expansion of macro", line)
        if m and pending and m.group(1).endswith(name):
            got.add(int(m.group(2)))
            pending = False
        m = re.match(r"(\S+?):(\d+):\d+: warning: .*\[-Wmismatched-dealloc\]", line)
        if m:
            if m.group(1).endswith(name):
                got.add(int(m.group(2)))
            elif inlined is not None:
                got.add(inlined)
            else:
                pending = True
            inlined = None
    print("expected warnings at lines %s" % sorted(want))
    print("got warnings at lines      %s" % sorted(x for x in got if x is not None))
    sys.exit(0 if got == want else 1)


if __name__ == "__main__":
    main()

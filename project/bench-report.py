#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Plots and summary tables from lib/malloc_bench.c's CSV.

Usage: bench-report.py DIR

Reads DIR/bench-[distro-|partition-][check-][um-]N.csv: the minimal, the
distribution's and the partitioned-caches kernel, with the default checks
or malloc.check=1, under QEMU (TCG, two CPUs) or on UML (native code), run
N. Writes, for each kernel and platform, time*.png, ratio*.png and
memory*.png from its first run with the default checks, and
DIR/summary.md: the targets and the figures measured, each a geometric
mean over sizes with its range over the runs; the parts of a pair; the
memory and success-rate tables; and, from DIR/inline.txt, the
instructions and memory writes of the fast path. gnuplot draws the plots.
"""

import collections
import math
import os
import re
import subprocess
import sys

KMALLOC_MAX = 8192


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def load(path):
    time = {}  # (mode, sizing, method) -> {size: (median, min, max)}
    mem = collections.defaultdict(dict)  # method -> {size: bytes}
    infer = None
    smp = {}  # method -> {size: ns per pair on one CPU}
    parts = {}  # part -> {size: ns per pair}
    for line in open(path):
        f = line.strip().split(",")
        if f[0] == "part":
            parts.setdefault(f[2], {})[int(f[1])] = float(f[4])
        elif f[0] == "smp":
            smp.setdefault(f[2], {})[int(f[1])] = float(f[5])
        elif f[0] == "time":
            mode, sizing, size, method = f[1], f[2], int(f[3]), f[4]
            time.setdefault((mode, sizing, method), {})[size] = tuple(map(float, f[6:9]))
        elif f[0] == "mem":
            mem[f[2]][int(f[1])] = int(f[3])
        elif f[0] == "infer":
            infer = float(f[2])
        elif f[0] == "success":
            time.setdefault("success", {})[(f[1], int(f[2]), f[3])] = (
                int(f[4]), int(f[5]), int(f[6]) if len(f) > 6 else 0)
    time["smp"] = smp
    time["parts"] = parts
    return time, mem, infer


def ratios(time, mode, sizing, a, b, lo, hi):
    ta, tb = time.get((mode, sizing, a), {}), time.get((mode, sizing, b), {})
    return {s: ta[s][0] / tb[s][0] for s in sorted(ta) if s in tb and lo <= s <= hi}


def write_series(path, cols):
    """cols: list of {size: value}; one row per size present in the first."""
    with open(path, "w") as f:
        for s in sorted(cols[0]):
            vals = [c.get(s) for c in cols]
            f.write("%d %s\n" % (s, " ".join("NaN" if v is None else "%g" % v for v in vals)))


def plot(d, time, mem, platform, suffix):
    dat = lambda n: os.path.join(d, n)
    methods = ["malloc", "kmalloc", "kvmalloc", "vmalloc", "calloc", "kzalloc", "kvzalloc"]
    for mode in ("pair", "batch"):
        write_series(dat("time-%s.dat" % mode),
                     [{s: v[0] for s, v in time.get((mode, "runtime", m), {}).items()}
                      for m in methods])
    cols = []
    for mode, sizing, base in (("pair", "runtime", "kmalloc"), ("pair", "runtime", "kvmalloc"),
                               ("batch", "runtime", "kmalloc"), ("batch", "runtime", "kvmalloc"),
                               ("pair", "const", "kmalloc"), ("atomic", "runtime", "kmalloc")):
        cols.append(ratios(time, mode, sizing, "malloc", base, 0, 1 << 40))
    allsizes = set()
    for c in cols:
        allsizes |= set(c)
    write_series(dat("ratio.dat"), [{s: None for s in allsizes}] + cols)
    write_series(dat("memory.dat"),
                 [{s: b / s for s, b in mem["malloc"].items()},
                  {s: b / s for s, b in mem.get("kvmalloc", {}).items()}])

    script = """
set terminal pngcairo size 900,560 font ",10"
set logscale x 2
set format x "%%.0b%%BB"
set termoption noenhanced
set xlabel "size (bytes)"
set grid
set key top left
set arrow from %(km)d, graph 0 to %(km)d, graph 1 nohead dt 2 lc rgb "gray"
set output "%(d)s/time%(sfx)s.png"
set title "alloc + free, runtime size, pairs (median; %(pf)s, one boot)"
set logscale y 10
set ylabel "ns per alloc + free"
plot for [i=2:5] "%(d)s/time-pair.dat" using 1:i with linespoints title word("malloc kmalloc kvmalloc vmalloc", i-1)
set output "%(d)s/time-batch%(sfx)s.png"
set title "alloc N, then free N, runtime size (median; %(pf)s, one boot)"
plot for [i=2:5] "%(d)s/time-batch.dat" using 1:i with linespoints title word("malloc kmalloc kvmalloc vmalloc", i-1)
set output "%(d)s/ratio%(sfx)s.png"
set title "malloc() time over the hand-picked allocator's (1 = as fast; %(pf)s)"
set ylabel "time ratio"
set yrange [0.25:32]
set ytics (0.25, 0.5, 1, 1.03, 2, 4, 8, 16, 32)
plot "%(d)s/ratio.dat" using 1:3 with linespoints title "pairs / kmalloc", \\
     "%(d)s/ratio.dat" using 1:4 with linespoints title "pairs / kvmalloc", \\
     "%(d)s/ratio.dat" using 1:5 with linespoints title "batches / kmalloc", \\
     "%(d)s/ratio.dat" using 1:6 with linespoints title "batches / kvmalloc", \\
     "%(d)s/ratio.dat" using 1:7 with linespoints title "pairs, constant size / kmalloc", \\
     "%(d)s/ratio.dat" using 1:8 with linespoints title "pairs, atomic / kmalloc GFP_NOWAIT"
set output "%(d)s/memory%(sfx)s.png"
set title "memory taken per byte requested (slab object, pages, vmalloc metadata)"
set ylabel "bytes per byte requested"
unset logscale y
set yrange [0.9:2.1]
set ytics auto
plot "%(d)s/memory.dat" using 1:2 with lines lw 2 title "malloc", \\
     "%(d)s/memory.dat" using 1:3 with lines lw 2 title "kvmalloc"
""" % {"d": d, "km": KMALLOC_MAX, "pf": platform, "sfx": suffix}
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    for n in ("time-pair.dat", "time-batch.dat", "ratio.dat", "memory.dat"):
        os.unlink(dat(n))


def gm_over_runs(runs, f):
    """The geometric mean f(run) gives, for each run that has it."""
    out = []
    for t in runs:
        rs = f(t)
        if rs:
            out.append(geomean(list(rs.values())))
    return out


def cell(vals):
    if not vals:
        return "-"
    if len(vals) == 1:
        return "%.2f (1 run)" % vals[0]
    return "%.2f (%.2f-%.2f, %d runs)" % (geomean(vals), min(vals), max(vals), len(vals))


def smp_ratios(t):
    s = t.get("smp", {})
    m, k = s.get("malloc", {}), s.get("kmalloc", {})
    # Throughput per CPU, malloc() over kmalloc(): time ratio inverted.
    return {z: k[z] / m[z] for z in m if z in k and z <= KMALLOC_MAX}


def success_table(platform, runs):
    """Blocks obtained of those asked for under a spinlock, summed over runs."""
    tot = collections.defaultdict(lambda: [0, 0, 0])
    for t in runs:
        for k, (ok, n, v) in t.get("success", {}).items():
            tot[k][0] += ok
            tot[k][1] += n
            tot[k][2] += v
    if not tot:
        return []
    methods = ("malloc", "kvmalloc_atomic", "kvmalloc_nowait")
    out = ["| %s, under a spinlock, %d runs: blocks obtained / asked (of them vmalloc()ed) | %s |" %
           (platform, len(runs), " | ".join("%s %s" % (st, m) for st in ("fresh", "fragmented")
                                             for m in methods)),
           "|---|" + "---|" * 6]
    for size in sorted({k[1] for k in tot}):
        cells = []
        for st in ("fresh", "fragmented"):
            for m in methods:
                ok, n, v = tot.get((st, size, m), (0, 0, 0))
                cells.append(("%d/%d" % (ok, n) + (" (%d v)" % v if v else "")) if n else "-")
        out.append("| %d KiB | %s |" % (size // 1024, " | ".join(cells)))
    return out + [""]


# The kernels make bench boots: (file name part, heading).
CONFIGS = [("", "base"), ("distro-", "distribution"),
           ("partition-", "distribution, partitioned caches")]
PLATFORMS = [("", "TCG"), ("um-", "UML")]
PART_ROWS = [
    ("kmalloc", "slab's own work: a kmalloc()/kfree() pair"),
    ("call", "an out-of-line call and return"),
    ("infer", "the context inference, malloc_gfp()"),
    ("range", "free()'s inline tests: the linear map's range, not in NMI"),
    ("linear", "check: in the linear map, virt_addr_valid()"),
    ("owner", "check: the owner, page type or slab cache flags"),
    ("start", "check: the object start, nearest_obj()"),
    ("unchecked", "malloc()/free() over kmalloc()/kfree(), malloc.check=0"),
    ("checked", "malloc()/free() over kmalloc()/kfree(), malloc.check=1"),
]


def runs_of(d, cfg, chk, plat):
    pat = r"bench-%s%s%s\d+\.csv" % (re.escape(cfg), re.escape(chk), re.escape(plat))
    return [load(os.path.join(d, f))[0] for f in sorted(os.listdir(d)) if re.fullmatch(pat, f)]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2) if xs else float("nan")


def pair_smp_product(t):
    """Per-CPU throughput ratio times the one-CPU runtime pair ratio, per size."""
    sm = smp_ratios(t)
    pr = ratios(t, "pair", "runtime", "malloc", "kmalloc", 0, KMALLOC_MAX)
    return {z: sm[z] * pr[z] for z in sm if z in pr}


def figure_rows(columns, check):
    """columns: [(heading, [runs])]; the targets' rows."""
    rows = []

    def row(target, goal, f, higher=False, judge=lambda h: True):
        cells, judged = [], []
        for h, runs in columns:
            v = gm_over_runs(runs, f)
            cells.append(cell(v))
            if judge(h):
                judged += v
        if goal == "-" or not judged or check:
            met = "-"
        else:
            lim = float(goal.split()[-1])
            worst = min(judged) if higher else max(judged)
            met = "yes" if (worst >= lim if higher else worst <= lim) else "no"
        rows.append("| %s | %s | %s | %s |" % (target, goal, " | ".join(cells), met))

    plural = {"pair": "pairs", "batch": "batches"}
    for mode in ("pair", "batch"):
        row("malloc/kmalloc, constant size <= 8 KiB, %s" % plural[mode], "<= 1.03",
            lambda t: ratios(t, mode, "const", "malloc", "kmalloc", 0, KMALLOC_MAX))
        row("calloc/kzalloc, constant size <= 8 KiB, %s" % plural[mode], "<= 1.03",
            lambda t: ratios(t, mode, "const", "calloc", "kzalloc", 0, KMALLOC_MAX))
        row("malloc/kmalloc, runtime size <= 8 KiB, %s" % plural[mode], "<= 1.05",
            lambda t: ratios(t, mode, "runtime", "malloc", "kmalloc", 0, KMALLOC_MAX))
        row("malloc/kvmalloc, runtime size > 8 KiB, %s" % plural[mode], "<= 1.05",
            lambda t: ratios(t, mode, "runtime", "malloc", "kvmalloc", KMALLOC_MAX + 1, 1 << 40))
    row("malloc/kmalloc(GFP_NOWAIT), atomic, timed <= 32 KiB", "-",
        lambda t: ratios(t, "atomic", "runtime", "malloc", "kmalloc", 0, 1 << 40))
    row("per-CPU throughput, malloc/kmalloc, every CPU at once, <= 8 KiB", ">= 0.95",
        smp_ratios, higher=True)
    row("the same, times the one-CPU runtime pair ratio (1 = no cost of its own)", "-",
        pair_smp_product)
    return rows


def parts_table(columns):
    """Mean over the sizes of each part, median over the runs; and its share."""
    out = ["| part of a pair, runtime sizes 16 B-4 KiB | %s |" % " | ".join(h for h, _ in columns),
           "|---|" + "---|" * len(columns)]
    for key, what in PART_ROWS:
        cells = []
        for h, runs in columns:
            per = [sum(t["parts"][key].values()) / len(t["parts"][key])
                   for t in runs if key in t.get("parts", {})]
            base = [sum(t["parts"]["kmalloc"].values()) / len(t["parts"]["kmalloc"])
                    for t in runs if "kmalloc" in t.get("parts", {})]
            if not per:
                cells.append("-")
            elif key == "kmalloc":
                cells.append("%.1f ns" % median(per))
            else:
                cells.append("%.1f ns (%.2f)" % (median(per), median(per) / median(base)))
        out.append("| %s | %s |" % (what, " | ".join(cells)))
    return out


def fastpath_table(path):
    """Instructions and memory writes of each function in inline.txt."""
    funcs, cur = {}, None
    for line in open(path):
        m = re.match(r"[0-9a-f]+ <(\w+)>:", line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
        elif cur is not None and "\t" in line and "R_X86_64" not in line:
            insn = line.split("\t", 1)[1].strip()
            if insn and not re.match(r"(endbr64|nop|int3|xchg +%ax,%ax|cs nop)", insn):
                cur.append(insn)
    out = ["| x86_64, base kernel | instructions | writes to memory other than the task's stack |",
           "|---|---|---|"]
    for f, insns in funcs.items():
        writes = []
        for insn in insns:
            op, _, args = insn.partition(" ")
            dest = args.strip().split(",")[-1]
            if op.startswith(("push", "call", "cmp", "test", "j", "lea", "nop", "bt")):
                continue
            if "(" in dest and "%rsp" not in dest:
                writes.append(insn)
        out.append("| %s | %d | %s |" % (f, len(insns), "; ".join(writes) or "none"))
    return out + [""]


def summary(d, mem, infer):
    out = []
    for chk, title in (("", "default checks (malloc.check=0)"),
                       ("check-", "every check on (malloc.check=1)")):
        columns = [("%s, %s" % (cname, pname), runs_of(d, cfg, chk, plat))
                   for cfg, cname in CONFIGS for plat, pname in PLATFORMS]
        columns = [c for c in columns if c[1]]
        if not columns:
            continue
        out += ["### Figures, %s" % title, "",
                "| figure | goal | %s | met |" % " | ".join(h for h, _ in columns),
                "|---|---|" + "---|" * len(columns) + "---|"]
        out += figure_rows(columns, chk != "")
        out += [""]
        if chk == "":
            out += ["### The parts of a malloc()/free() pair", ""] + parts_table(columns) + [""]
    out += ["Each figure: geometric mean over the sizes of the ratio measured side by side "
            "in one boot; the range is over the runs. The parts: ns per pair, mean over "
            "five sizes, median over the runs, each timed in the same repetitions as a "
            "kmalloc()/kfree() pair; in parentheses, its share of that pair.", ""]

    m, kv = mem["malloc"], mem.get("kvmalloc", {})
    both = [s for s in sorted(m) if s in kv]
    worse = {s: m[s] / kv[s] for s in both}
    big = [s for s in both if s >= KMALLOC_MAX]
    out += ["| memory per byte requested (QEMU run 1) | malloc | kvmalloc |",
            "|---|---|---|",
            "| mean, log-spaced sizes 8 KiB to 16 MiB | %.3f | %.3f |" %
            (sum(m[s] / s for s in big) / len(big), sum(kv[s] / s for s in big) / len(big)),
            "| worst, 8 B to 16 MiB | %.3f | %.3f |" %
            (max(m[s] / s for s in both), max(kv[s] / s for s in both)),
            "| most malloc takes over kvmalloc, any size | %.4fx at %d B | |" %
            (worse[max(worse, key=worse.get)], max(worse, key=worse.get)),
            ""]
    out += success_table("QEMU TCG", runs_of(d, "", "", "")) + \
        success_table("UML", runs_of(d, "", "", "um-"))
    ipath = os.path.join(d, "inline.txt")
    if os.path.exists(ipath):
        n, counting = 0, False
        for line in open(ipath):
            if "<bench_kmalloc_64>:" in line:
                break
            if "%gs:" in line:
                counting = True
            if counting and "kmalloc_caches" in line:
                n -= 1  # the relocation follows the load of the cache
                break
            if counting and "\t" in line and "R_X86_64" not in line:
                n += 1
        out.append("malloc(64) inline: %d instructions of context inference before the same "
                   "kmalloc() call as kmalloc(64, GFP_KERNEL) (inline.txt).  " % n)
    if infer is not None:
        out.append("Context inference alone: %.1f ns per evaluation (QEMU run 1)." % infer)
    if os.path.exists(ipath):
        out += [""] + fastpath_table(ipath)
    text = "\n".join(out) + "\n"
    open(os.path.join(d, "summary.md"), "w").write(text)
    print(text)


def main():
    d = sys.argv[1]
    first = lambda pat: sorted(f for f in os.listdir(d) if re.fullmatch(pat, f))
    base = first(r"bench-\d+\.csv")
    time, mem, infer = load(os.path.join(d, base[0]))
    for cfg, cname in CONFIGS:
        for plat, pname in PLATFORMS:
            fs = first(r"bench-%s%s\d+\.csv" % (re.escape(cfg), re.escape(plat)))
            if fs:
                t, m, _ = load(os.path.join(d, fs[0]))
                plot(d, t, m, "%s, %s" % (pname, cname),
                     ("-" + cfg.rstrip("-") if cfg else "") + ("-um" if plat else ""))
    summary(d, mem, infer)


if __name__ == "__main__":
    main()

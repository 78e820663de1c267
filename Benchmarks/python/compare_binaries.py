#!/usr/bin/env python3
"""Compare the CPU time of two hashport binaries on the same command, on a machine shared with others.

    python3 Benchmarks/python/compare_binaries.py OLD NEW [--rounds 16] -- inspect Benchmarks/work/support-1m.csv

Each round runs both binaries at the same time, one pinned to each of the first two CPUs (swapped every
round), so both see the same neighbours; it prints each side's lowest and median CPU time (user+sys, from
os.wait4) and the median of the per-round ratios NEW/OLD with its quartiles. A ratio of 0.96 with quartiles
on the same side of 1 is a real 4% gain; single timings on such a machine vary by 50%.
An argument `{out}` is replaced by a per-binary temporary path (for `convert -o {out}`).
"""
import argparse, os, statistics, subprocess, sys, tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=16)
    argv = sys.argv[1:]
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        ap.error("give the hashport command after --")
    split = argv.index("--")
    args = ap.parse_args(argv[:split])
    command = argv[split + 1:]
    if len(os.sched_getaffinity(0)) < 2:
        ap.error("needs two CPUs")
    cpus = sorted(os.sched_getaffinity(0))[:2]
    work = tempfile.mkdtemp(prefix="hashport-compare-")
    times = {args.old: [], args.new: []}
    ratios = []
    failed = set()
    for round in range(args.rounds):
        pinned = {args.old: cpus[round % 2], args.new: cpus[1 - round % 2]}
        children = {}
        for binary, cpu in pinned.items():
            out = os.path.join(work, f"out-{cpu}")
            argv = [binary] + [out if a == "{out}" else a for a in command]
            p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 preexec_fn=lambda cpu=cpu: os.sched_setaffinity(0, {cpu}))
            children[p.pid] = binary
        cpu_ms = {}
        while len(cpu_ms) < 2:
            pid, status, usage = os.wait4(-1, 0)
            if pid in children:
                cpu_ms[children[pid]] = (usage.ru_utime + usage.ru_stime) * 1000
                if os.waitstatus_to_exitcode(status) not in (0, 1):
                    failed.add(children[pid])
        for binary, ms in cpu_ms.items():
            times[binary].append(ms)
        ratios.append(cpu_ms[args.new] / cpu_ms[args.old])
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
    os.rmdir(work)
    for binary in failed:
        print(f"warning: {binary} exited with a status other than 0 or 1 (a usage error times nothing)")
    for label, binary in (("old", args.old), ("new", args.new)):
        t = times[binary]
        print(f"{label} {binary}: lowest {min(t):.0f} ms, median {statistics.median(t):.0f} ms of CPU")
    r = sorted(ratios)
    print(f"new/old: median {statistics.median(r):.3f} (quartiles {r[len(r) // 4]:.3f}–{r[(3 * len(r)) // 4]:.3f}, "
          f"{args.rounds} rounds)")


if __name__ == "__main__":
    sys.exit(main())

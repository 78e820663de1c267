#!/usr/bin/env python3
"""The benchmark matrix: `hashport inspect` and `hashport convert -o out.jsonl` (release binary) against the Python
peer (inspect_convert.py) on every layout of gen_matrix.py, in the same run.

    python3 Benchmarks/python/bench_matrix.py --binary .build/release/hashport      # or: make -C Benchmarks matrix
    python3 Benchmarks/python/bench_matrix.py --layouts phc,join --repeat 5 --no-large

For each layout at --users (1M): hashport's best of --repeat runs by CPU time (it stops repeating once a case has
used --budget CPU seconds), the peer once; wall and CPU seconds (user+sys), MB/s of CPU over the input bytes, each
process's peak RSS (os.wait4), the ratio of CPU times (Python / hashport) and of wall times. Then hashport alone at
--large (4M) users, once per command: its peak RSS beside the 1M figure (memory must not grow with the input).
Every run's outcome counts (ready / ready without password / rejected, from stdout) are checked: hashport against
the peer, inspect against convert, and hashport's problem counts by code against the peer's; a WARNING line says
where they differ. Inputs are generated once into --work (Benchmarks/work/, not committed); convert's outputs are
deleted after each run.
"""
import argparse, os, re, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, HERE)
import gen_matrix  # noqa: E402

PEER = os.path.join(HERE, "inspect_convert.py")
CSV_ONLY_INSPECT_MBPS = 500
TARGET_RATIO = 10
JOIN_RSS_MIB = 128


class Run:
    def __init__(self, wall, cpu, rss, status, stdout, stderr):
        self.wall, self.cpu, self.rss, self.status, self.stdout, self.stderr = wall, cpu, rss, status, stdout, stderr


def measure(cmd):
    """One child process: wall and CPU seconds, peak RSS in MiB (os.wait4), exit status, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0); err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode,
                   out.read().decode(errors="replace"), err.read().decode(errors="replace"))


INSPECT_COUNTS = [re.compile(r"^\s+ready \(with password\)\s+([\d,]+)", re.M),
                  re.compile(r"^\s+ready without password\s+([\d,]+)", re.M), re.compile(r"^\s+rejected\s+([\d,]+)", re.M)]
CONVERT_COUNTS = re.compile(r"([\d,]+) ready, ([\d,]+) ready without password, ([\d,]+) rejected")
PROBLEM_LINE = re.compile(r"^\s+(error|warning|info) (\S+): ([\d,]+) \(rows", re.M)


def counts(command, stdout):
    """(ready, ready_without_password, rejected) from a summary, or None when it is not there."""
    if command == "inspect":
        found = [r.search(stdout) for r in INSPECT_COUNTS]
        return tuple(int(m.group(1).replace(",", "")) for m in found) if all(found) else None
    m = CONVERT_COUNTS.search(stdout)
    return tuple(int(g.replace(",", "")) for g in m.groups()) if m else None


def problem_counts(stdout):
    return {m.group(2): int(m.group(3).replace(",", "")) for m in PROBLEM_LINE.finditer(stdout)}


def arguments(files):
    """The command-line inputs of a layout: the CSV, and for the join the Search Users file, tenants and role map."""
    args = [files["csv"]]
    if "users" in files:
        args += [files["users"], "--tenants", files["tenants"], "--role-map", files["roles"]]
    return args


def input_mb(files):
    return sum(os.path.getsize(files[k]) for k in ("csv", "users") if k in files) / 1e6


def commands(binary, files, work, command):
    out = os.path.join(work, "matrix-out.jsonl")
    pyout = os.path.join(work, "matrix-py-out.jsonl")
    args = arguments(files)
    if command == "inspect":
        return [binary, "inspect"] + args, [sys.executable, PEER, "inspect"] + args, []
    return [binary, "convert"] + args + ["-o", out], [sys.executable, PEER, "convert"] + args + ["-o", pyout], [out, pyout]


def remove(paths):
    for p in paths:
        if os.path.exists(p):
            os.remove(p)


def best_of(cmd, repeat, budget, outputs):
    """hashport's own cost on a shared machine: the run with the lowest CPU time of up to `repeat`."""
    runs = []
    while len(runs) < repeat and (not runs or sum(r.cpu for r in runs) < budget):
        remove(outputs)
        runs.append(measure(cmd))
    remove(outputs)
    return min(runs, key=lambda r: r.cpu), runs


def check(label, a_name, a, b_name, b, warnings):
    if a is None or b is None:
        warnings.append(f"WARNING {label}: no outcome counts from {a_name if a is None else b_name}")
    elif a != b:
        warnings.append(f"WARNING {label}: {a_name} counts ready/without password/rejected {a[0]:,}/{a[1]:,}/{a[2]:,}, "
                        f"{b_name} {b[0]:,}/{b[1]:,}/{b[2]:,}")


def short(n):
    """1000000 → '1M', 20000 → '20k'."""
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def failed(run):
    return run.status not in (0, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "hashport"))
    ap.add_argument("--layouts", default=",".join(gen_matrix.LAYOUTS), help="comma-separated, from: " + ", ".join(gen_matrix.LAYOUTS))
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--large", type=int, default=4_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="hashport runs per case at --users; the lowest CPU time is kept")
    ap.add_argument("--budget", type=float, default=60, help="stop repeating a case once its runs used this many CPU seconds")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", default=os.path.join(BENCH, "work"))
    ap.add_argument("--no-python", action="store_true", help="hashport only (no ratios)")
    ap.add_argument("--no-large", action="store_true", help="skip the --large runs (no flatness check)")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"bench_matrix: no hashport binary at {binary}: build it first (make build)")
    layouts = [l for l in args.layouts.split(",") if l]
    unknown = [l for l in layouts if l not in gen_matrix.LAYOUTS]
    if unknown:
        sys.exit(f"bench_matrix: unknown layout(s) {', '.join(unknown)}; the layouts are {', '.join(gen_matrix.LAYOUTS)}")
    started = time.perf_counter()
    sizes = [args.users] + ([] if args.no_large else [args.large])
    inputs = {(l, n): gen_matrix.ensure(l, n, args.seed, args.work) for l in layouts for n in sizes}

    rows, warnings, large = [], [], {}
    for layout in layouts:
        files = inputs[(layout, args.users)]
        seen = {}
        for command in ("inspect", "convert"):
            hp_cmd, py_cmd, outputs = commands(binary, files, args.work, command)
            hp, _ = best_of(hp_cmd, max(1, args.repeat), args.budget, outputs)
            py = None
            if not args.no_python:
                py = measure(py_cmd)
                remove(outputs)
            label = f"{layout} {command}"
            for name, run in (("hashport", hp), ("python", py)):
                if run and failed(run):
                    warnings.append(f"WARNING {label}: {name} exited {run.status}: {run.stderr.strip()[-300:]}")
            seen[command] = counts(command, hp.stdout)
            if py:
                check(label, "hashport", seen[command], "python", counts(command, py.stdout), warnings)
                if command == "inspect":
                    a, b = problem_counts(hp.stdout), problem_counts(py.stdout)
                    for code in sorted(set(a) | set(b)):
                        if a.get(code) != b.get(code):
                            warnings.append(f"WARNING {label}: problem {code}: hashport {a.get(code, 0):,}, python {b.get(code, 0):,}")
            rows.append((layout, input_mb(files), command, hp, py))
            print(f"  {label}: hashport {hp.cpu:.2f} s CPU" + (f", python {py.cpu:.1f} s CPU" if py else ""), file=sys.stderr)
        check(f"{layout} inspect vs convert", "inspect", seen["inspect"], "convert", seen["convert"], warnings)
        if not args.no_large:
            big = inputs[(layout, args.large)]
            for command in ("inspect", "convert"):
                hp_cmd, _, outputs = commands(binary, big, args.work, command)
                remove(outputs)
                run = measure(hp_cmd)
                remove(outputs)
                if failed(run):
                    warnings.append(f"WARNING {layout} {command} at {args.large:,}: hashport exited {run.status}: {run.stderr.strip()[-300:]}")
                large[(layout, command)] = (input_mb(big), run)
                print(f"  {layout} {command} at {args.large:,}: {run.cpu:.2f} s CPU, {run.rss:.0f} MiB", file=sys.stderr)

    print()
    print(f"Benchmark matrix at {args.users:,} users — same run, CPU = user+sys; hashport: best of up to {args.repeat} "
          f"(budget {args.budget:.0f} s CPU), Python: one run; ratio = Python / hashport")
    head = (f"{'layout':<16} {'MB':>6} {'command':<8} {'hp wall':>8} {'hp CPU':>7} {'MB/s':>6} {'hp RSS':>7} "
            f"{'py wall':>8} {'py CPU':>7} {'py RSS':>7} {'ratio CPU':>9} {'ratio wall':>10}  target")
    print(head)
    print("-" * len(head))
    for layout, mb, command, hp, py in rows:
        mbps = mb / max(hp.cpu, 1e-9)
        line = f"{layout:<16} {mb:>6.0f} {command:<8} {hp.wall:>7.2f}s {hp.cpu:>6.2f}s {mbps:>6.0f} {hp.rss:>6.0f}M "
        misses = []
        if py:
            ratio, ratio_wall = py.cpu / max(hp.cpu, 1e-9), py.wall / max(hp.wall, 1e-9)
            line += f"{py.wall:>7.1f}s {py.cpu:>6.1f}s {py.rss:>6.0f}M {ratio:>8.1f}x {ratio_wall:>9.1f}x"
            if ratio < TARGET_RATIO:
                misses.append(f"<{TARGET_RATIO}x")
        else:
            line += f"{'—':>8} {'—':>7} {'—':>7} {'—':>9} {'—':>10}"
            misses.append("no ratio")
        if command == "inspect" and layout != "join" and mbps < CSV_ONLY_INSPECT_MBPS:
            misses.append(f"<{CSV_ONLY_INSPECT_MBPS} MB/s")
        if layout == "join" and hp.rss > JOIN_RSS_MIB:
            misses.append(f">{JOIN_RSS_MIB} MiB")
        print(line + "  " + (" ".join(misses) if misses else "met"))
    if large:
        print()
        print(f"hashport at {args.large:,} users (one run each): peak RSS against {args.users:,} users (flat = the same)")
        head = (f"{'layout':<16} {'MB':>6} {'command':<8} {'wall':>8} {'CPU':>7} {'MB/s':>6} {'RSS ' + short(args.users):>8} "
                f"{'RSS ' + short(args.large):>8} {'growth':>7}")
        print(head)
        print("-" * len(head))
        small = {(l, c): hp for l, _, c, hp, _ in rows}
        for (layout, command), (mb, run) in large.items():
            base = small[(layout, command)].rss
            print(f"{layout:<16} {mb:>6.0f} {command:<8} {run.wall:>7.2f}s {run.cpu:>6.2f}s {mb / max(run.cpu, 1e-9):>6.0f} "
                  f"{base:>7.0f}M {run.rss:>7.0f}M {run.rss / max(base, 1e-9):>6.2f}x")
    print()
    print(f"outcomes at {args.users:,} users (hashport inspect): ready / ready without password / rejected")
    for layout, _, command, hp, _ in rows:
        c = counts(command, hp.stdout) if command == "inspect" else None
        if c:
            print(f"  {layout:<16} {c[0]:>10,} {c[1]:>10,} {c[2]:>10,}")
    print()
    for w in warnings:
        print(w)
    if args.no_python:
        print("no Python runs (--no-python): only hashport's inspect and convert counts were compared.")
    elif not warnings:
        print("hashport and the Python peer agree on every layout (outcome counts, and problem counts by code for inspect).")
    print(f"matrix run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

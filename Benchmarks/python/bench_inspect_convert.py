#!/usr/bin/env python3
"""inspect/convert benchmark: `hashport inspect` and `hashport convert -o out.jsonl` (release binary) against
inspect_convert.py (csv module + base64/hashlib) on the same generated support CSV, in the same run.

    python3 Benchmarks/python/bench_inspect_convert.py [--binary .build/release/hashport] [--users 1000000]

Prints wall and CPU seconds, MB/s, the Swift/Python ratio and each process's peak RSS (os.wait4 per child),
for 1M rows and for 4M rows (hashport only: RSS must not grow with the input), and inspect's MB/s on the
rows beyond the first 1M (the difference of the two runs, so start-up and other fixed costs cancel). Inputs are generated into
Benchmarks/work/ (not committed). compare.py calls run() for its inspect/convert section.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)


def measure(cmd):
    """→ (wall s, cpu s, peak RSS MiB, exit status) of one child process."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def generate(users, work):
    name = f"support-{users // 1_000_000}m.csv" if users % 1_000_000 == 0 else f"support-{users}.csv"
    path = os.path.join(work, name)
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_support_csv.py"), "--users", str(users), "-o", path], check=True)
    return path


def run(binary, work, users=1_000_000, large=4_000_000, python=True, repeat=5):
    os.makedirs(work, exist_ok=True)
    rows = []
    script = os.path.join(HERE, "inspect_convert.py")
    for n in (users, large):
        csv_path = generate(n, work)
        mb = os.path.getsize(csv_path) / 1e6
        out = os.path.join(work, "out.jsonl")
        pyout = os.path.join(work, "py-out.jsonl")
        cases = [("inspect", [binary, "inspect", csv_path], [sys.executable, script, "inspect", csv_path]),
                 ("convert", [binary, "convert", csv_path, "-o", out], [sys.executable, script, "convert", csv_path, "-o", pyout])]
        for name, swift_cmd, py_cmd in cases:
            for f in (out, pyout):
                if os.path.exists(f):
                    os.remove(f)
            # The machine is shared: the best of `repeat` runs is hashport's own cost (Python runs once, ~minutes).
            s = min((measure(swift_cmd) for _ in range(repeat)), key=lambda r: r[1])
            p = measure(py_cmd) if python and n == users else None
            rows.append((n, mb, name, s, p))
    print()
    print("inspect / convert — support CSV, same run (CPU = user+sys; hashport: best of the repeats, Python: one run)")
    print(f"{'rows':>9} {'MB':>6} {'command':<8} {'hashport wall':>13} {'CPU':>6} {'MB/s(CPU)':>9} {'RSS MiB':>7} "
          f"{'python wall':>11} {'CPU':>6} {'RSS MiB':>7} {'ratio CPU':>9} {'ratio wall':>10}")
    for n, mb, name, s, p in rows:
        line = (f"{n:>9,} {mb:>6.0f} {name:<8} {s[0]:>12.2f}s {s[1]:>5.2f}s {mb / max(s[1], 1e-9):>9.0f} {s[2]:>7.1f} ")
        if p:
            line += (f"{p[0]:>10.2f}s {p[1]:>5.1f}s {p[2]:>7.1f} {p[1] / max(s[1], 1e-9):>8.1f}x {p[0] / max(s[0], 1e-9):>9.1f}x")
        else:
            line += f"{'—':>11} {'—':>6} {'—':>7} {'—':>9} {'—':>10}"
        if s[3] not in (0, 1):
            line += f"  (hashport exit {s[3]})"
        print(line)
    # What a row costs once the process runs: the 4M and 1M runs share start-up and every fixed cost.
    inspect = {n: (mb, s) for n, mb, name, s, _ in rows if name == "inspect"}
    if users in inspect and large in inspect and inspect[large][1][1] > inspect[users][1][1]:
        (mb1, s1), (mb4, s4) = inspect[users], inspect[large]
        print(f"inspect beyond the first {users:,} rows ({large:,} − {users:,}, fixed costs cancel): "
              f"{(mb4 - mb1) / (s4[1] - s1[1]):.0f} MB/s of CPU")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "hashport"))
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--large", type=int, default=4_000_000)
    ap.add_argument("--work", default=os.path.join(BENCH, "work"))
    ap.add_argument("--no-python", action="store_true")
    ap.add_argument("--repeat", type=int, default=5, help="hashport runs per case; the lowest CPU time is kept")
    args = ap.parse_args()
    run(args.binary, args.work, args.users, args.large, python=not args.no_python, repeat=max(1, args.repeat))


if __name__ == "__main__":
    main()

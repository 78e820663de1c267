#!/usr/bin/env python3
"""hashport benchmarks next to their Python equivalents, in one run, as ratios.

Runs the release `hashport-bench --json` (one JSON row per measurement), then for each suite the Python
code doing the same job, and prints one table per suite. Add a suite: write a function that takes the
suite's rows and returns table lines, and register it with @suite("name") (same name as in
Sources/hashport-bench/main.swift).

    python3 compare.py [--bench PATH] [SUITE...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SUITES = {}


def suite(name):
    def register(fn):
        SUITES[name] = fn
        return fn
    return register


def per_call(fn, rounds):
    """Median wall seconds per call of fn over `rounds` calls, after one warm-up."""
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) + 2 for i in range(len(header))]
    return ["".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header] + rows]


# --- verify: PasswordVerifier vs the direct C call (targets) and vs Python's usual libraries ------------

PASSWORD = b"correct horse battery staple"


def python_bcrypt():
    try:
        import bcrypt
    except ImportError:
        return None, "bcrypt (pip) not installed"
    stored = bcrypt.hashpw(PASSWORD, bcrypt.gensalt(10))
    return per_call(lambda: bcrypt.checkpw(PASSWORD, stored), 9), "bcrypt.checkpw"


def python_argon2():
    try:
        from argon2 import PasswordHasher
    except ImportError:
        return None, "argon2-cffi (pip) not installed"
    hasher = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, salt_len=16)
    stored = hasher.hash(PASSWORD)
    return per_call(lambda: hasher.verify(stored, PASSWORD), 7), "argon2-cffi verify"


def python_pbkdf2():
    import hashlib
    return per_call(lambda: hashlib.pbkdf2_hmac("sha256", PASSWORD, b"hashport-bench-salt", 600_000), 5), \
        "hashlib.pbkdf2_hmac"


@suite("verify")
def verify_suite(rows):
    python = {
        "bcrypt cost 10": python_bcrypt,
        "argon2id m=65536,t=3,p=4": python_argon2,
        "PBKDF2-SHA256 600,000": python_pbkdf2,
    }
    out, missed = [], 0
    for r in rows:
        py_seconds, py_name = python[r["name"]]() if r["name"] in python else (None, "-")
        ok = r["ratio"] <= r["target"]
        missed += not ok
        out.append([
            r["name"], f'{r["ours"]:.1f} ms', f'{r["reference"]:.1f} ms', f'{r["ratio"]:.3f}',
            f'<= {r["target"]:.2f}', "ok" if ok else "MISSED",
            f"{py_seconds * 1000:.1f} ms" if py_seconds else "-",
            f'{r["ours"] / (py_seconds * 1000):.3f}' if py_seconds else "-",
            f'{r["reference_name"]} / {py_name}',
        ])
    lines = table(["verify", "hashport", "C direct", "ratio", "target", "", "Python", "vs Python", "C direct / Python"], out)
    return lines, missed


# --- rewrite: HashDetector.detect + workOSForm vs the same parse/re-encode in Python ----------------------

REWRITE_SAMPLES = {  # the samples of Sources/hashport-bench/RewriteBenchmark.swift
    "rewrite bcrypt": "$2b$10$abcdefghijklmnopqrstuuGGgFFcYeueaAql8Z7U7CnCTRw4DR77W",
    "rewrite argon2id": "$argon2id$v=19$m=65536,t=3,p=4$EBESExQVFhcYGRobHB0eHw$HNhOWIxy8dC7MEH92KMt5exzhIfCOsnF2E8RngWFi/g",
    "rewrite pbkdf2 (Django)": "pbkdf2_sha256$600000$Qm7vXc2LpR9sTe4w$0OGmOeHzwjldXmfoCd/bk+xcU2qJvxj8r7pFBmu2dpU=",
    "rewrite pbkdf2 (WorkOS form)": "$pbkdf2$i=600000,d=sha256$jypMbhs9X3CSpMbo+x0/UA$u/BtRUoD0dA18R4mAbrGmT5xTyk7XlVsvIKniX1Ria0",
}


def python_rewrite(text):
    """What a Python migration script does per hash: split, decode, check, re-encode the WorkOS string."""
    import base64
    b64 = lambda s: base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
    enc = lambda b: base64.b64encode(b).decode().rstrip("=")
    if text.startswith("$2"):
        prefix, cost, rest = text[1:].split("$")
        assert prefix in ("2a", "2b", "2y") and len(cost) == 2 and 4 <= int(cost) <= 31 and len(rest) == 53
        return text
    if text.startswith("$argon2"):
        _, variant, v, params, salt, tag = text.split("$")
        m, t, p = (int(kv.split("=")[1]) for kv in params.split(","))
        return f"${variant}${v}$m={m},t={t},p={p}${enc(b64(salt))}${enc(b64(tag))}"
    if text.startswith("pbkdf2_"):
        ident, i, salt, dk = text.split("$")
        return f"$pbkdf2$i={int(i)},d={ident[7:]}${enc(salt.encode())}${enc(b64(dk))}"
    _, ident, params, salt, dk = text.split("$")
    i, d = (kv.split("=")[1] for kv in params.split(","))
    return f"$pbkdf2$i={int(i)},d={d}${enc(b64(salt))}${enc(b64(dk))}"


@suite("rewrite")
def rewrite_suite(rows):
    out, missed = [], 0
    for r in rows:
        text = REWRITE_SAMPLES.get(r["name"])
        inputs = [str(text) for _ in range(1000)] if text else []
        py = per_call(lambda: [python_rewrite(s) for s in inputs], 21) * 1000 if text else None  # ms per 1,000
        ok = r["ratio"] <= r["target"]
        missed += not ok
        out.append([
            r["name"], f'{r["ours"]:.3f} ms', f'{1e6 / r["ours"]:,.0f}/s', f'<= {r["target"] * r["reference"]:.0f} ms',
            "ok" if ok else "MISSED", f"{py:.3f} ms" if py else "-", f'{py / r["ours"]:.1f}x' if py else "-",
        ])
    lines = table(["rewrite (per 1,000, one core)", "hashport", "rate", "target", "", "Python", "speed-up"], out)
    return lines, missed


# --- json: the Search Users reader (simdjson) vs the JSONParser path and Python's json.load on the same file ---------

JSON_FILE = os.path.join(HERE, "work", "search-users-bench.json")


def python_json_load(path, rounds=2):
    """CPU seconds of the fastest json.load of the file (what a Python migration script starts with), and the
    peak RSS of this process in MiB (json.load holds the whole document)."""
    import resource
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        with open(path, "rb") as f:
            users = json.load(f)["users"]
        best = min(best, time.process_time() - start)
        del users
    return best, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@suite("json")
def json_suite(rows):
    out, missed = [], 0
    py, py_rss = python_json_load(JSON_FILE) if os.path.exists(JSON_FILE) else (None, None)
    megabytes = os.path.getsize(JSON_FILE) / 1e6 if py else None
    for i, r in enumerate(rows):
        ok = r["ratio"] <= r["target"]
        missed += not ok
        # The first row reads the file json.load reads.
        vs_python = f'{py * 1000 / r["ours"]:.1f}x' if py and i == 0 else "-"
        out.append([r["name"], f'{r["ours"]:.1f} {r["unit"].split("/")[0]}', f'{r["reference"]:.1f}', f'{r["ratio"]:.3f}',
                    f'<= {r["target"]:.2f}', "ok" if ok else "MISSED", vs_python, r["reference_name"]])
    if py:
        out.append([f"Python json.load: {megabytes / py:.0f} MB/s, peak RSS {py_rss:.0f} MiB", f"{py * 1000:.1f} ms", "-", "-",
                    "-", "-", "1.0x", "json.load of the first row's file (CPU)"])
        os.unlink(JSON_FILE)
    lines = table(["json (CPU, one core)", "hashport", "reference", "ratio", "target", "", "vs json.load", "reference is"], out)
    return lines, missed


# --- inspect / convert: the release `hashport` binary on a generated 1M-user support CSV vs the Python script ---
# (whole processes, so it runs the binary itself instead of hashport-bench; see python/bench_inspect_convert.py)

PROCESS_SUITES = {}


def process_suite(name):
    def register(fn):
        PROCESS_SUITES[name] = fn
        return fn
    return register


@process_suite("inspect")
def inspect_suite(args):
    sys.path.insert(0, os.path.join(HERE, "python"))
    import bench_inspect_convert
    rows = bench_inspect_convert.run(args.hashport, os.path.join(HERE, "work"))
    missed = 0
    rss = {}
    lines = []
    # DESIGN §4: one reading path for every layout at >= 500 MB/s (this file is the matrix's PHC layout). The
    # 1,000 MB/s of the PHC-only fast path it replaced is no longer a target.
    inspect_mbps = 500
    for n, mb, name, s, p in rows:
        rss[(name, n)] = s[2]
        if p:
            ratio = p[1] / max(s[1], 1e-9)
            ok = ratio >= 10 and (name != "inspect" or mb / max(s[1], 1e-9) >= inspect_mbps)
            missed += not ok
            lines.append(f"{name} {n:,} rows: {ratio:.1f}x Python (CPU), {mb / max(s[1], 1e-9):.0f} MB/s: "
                         + ("ok" if ok else f"MISSED (targets: >= 10x, inspect >= {inspect_mbps} MB/s)"))
    for name in ("inspect", "convert"):
        small, large = [rss[k] for k in sorted(k for k in rss if k[0] == name)]
        ok = large < 64 and large <= small * 1.25
        missed += not ok
        lines.append(f"{name} peak RSS {small:.1f} MiB (1M) -> {large:.1f} MiB (4M): "
                     + ("ok" if ok else "MISSED (target: < 64 MiB and flat)"))
    return lines, missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=os.path.join(HERE, ".build", "release", "hashport-bench"))
    parser.add_argument("--hashport", default=os.path.join(os.path.dirname(HERE), ".build", "release", "hashport"))
    parser.add_argument("suites", nargs="*")
    args = parser.parse_args()
    chosen = args.suites or list(SUITES) + list(PROCESS_SUITES)
    unknown = [s for s in chosen if s not in SUITES and s not in PROCESS_SUITES]
    if unknown:
        sys.exit(f"compare.py: unknown suite(s) {', '.join(unknown)}; known: {', '.join(list(SUITES) + list(PROCESS_SUITES))}")
    missed = 0
    for name in [s for s in chosen if s in PROCESS_SUITES]:
        if not os.path.exists(args.hashport):
            sys.exit(f"compare.py: {args.hashport} not found; run `make build` (release) first")
        lines, suite_missed = PROCESS_SUITES[name](args)
        missed += suite_missed
        print("\n".join(lines))
        print()
    chosen = [s for s in chosen if s in SUITES]
    if chosen and not os.path.exists(args.bench):
        sys.exit(f"compare.py: {args.bench} not found; run `make -C Benchmarks run` (release build) first")

    env = dict(os.environ)
    if "json" in chosen:
        os.makedirs(os.path.dirname(JSON_FILE), exist_ok=True)
        env["HASHPORT_BENCH_KEEP_JSON"] = JSON_FILE   # the json suite's file, for json.load
    result = subprocess.run([args.bench, "--json", *chosen], check=True, capture_output=True, text=True,
                            env=env) if chosen else None
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")] if result else []
    for name in chosen:
        lines, suite_missed = SUITES[name]([r for r in rows if r.get("suite") == name])
        missed += suite_missed
        print("\n".join(lines))
        print()
    print(f"{missed} target(s) missed" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes a synthetic Descope support CSV for the inspect/convert benchmark (not committed: Benchmarks/work/).

Rows: user_id,email,verified_email,name,status,created_time,password_hash — about 150 bytes each.
Hashes are well-formed but random (inspect and convert never verify them): 40% bcrypt $2b$10$,
40% argon2id m=65536,t=3,p=4 (quoted: the parameters hold commas), 20% Django pbkdf2_sha256$600000$.
A few rows carry the problems real exports have: 0.1% duplicate emails, 0.2% pbkdf2 below WorkOS's
iteration floor, 0.1% disabled users, 0.05% rows without email. Deterministic for a given --seed.
This is layout `phc` of the benchmark matrix (gen_matrix.py); `broken` starts from these rows too.
"""
import argparse, base64, os, random, sys

BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEADER = "user_id,email,verified_email,name,status,created_time,password_hash\n"


def b64(raw):
    return base64.b64encode(raw).decode().rstrip("=")


TO_BCRYPT = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", BCRYPT_ALPHABET)
TO_ALNUM = str.maketrans("+/", "xy")


def bcrypt_string(rng):
    text = base64.b64encode(rng.randbytes(39)).decode().translate(TO_BCRYPT)  # 52 chars
    return "$2b$10$" + text[:21] + rng.choice(".Oeu") + text[21:51] + rng.choice(".Oeu")


def rows(users, seed):
    """The data lines (no header), one string per row, in order."""
    rng = random.Random(seed)
    randbytes = rng.randbytes
    first = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Radia", "Edsger", "Frances", "Donald"]
    last = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Perlman", "Dijkstra", "Allen", "Knuth"]
    for i in range(users):
        uid = "U" + base64.b64encode(randbytes(21)).decode().translate(TO_ALNUM)[:27]
        n = i
        if i > 0 and i % 1000 == 500:
            n = i - 1  # duplicate email of the previous row (different case)
        email = f"u{n}@ex{n % 97}.io"
        if n != i:
            email = email.upper()
        if i % 2000 == 1999:
            email = ""
        status = "disabled" if i % 1000 == 999 else "enabled"
        name = f"{rng.choice(first)} {rng.choice(last)}"
        created = 1_600_000_000 + i
        kind = i % 5
        if kind < 2:
            h = bcrypt_string(rng)
        elif kind < 4:
            h = '"$argon2id$v=19$m=65536,t=3,p=4$' + b64(randbytes(16)) + "$" + b64(randbytes(32)) + '"'
        else:
            iterations = 260000 if i % 500 == 4 else 600000
            salt = base64.b64encode(randbytes(9)).decode().translate(TO_ALNUM)
            h = f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(randbytes(32)).decode()}"
        yield f"{uid},{email},{'true' if i % 10 else 'false'},{name},{status},{created},{h}\n"


def write(path, users, seed):
    with open(path, "w", newline="") as out:
        out.write(HEADER)
        lines = []
        for line in rows(users, seed):
            lines.append(line)
            if len(lines) >= 10000:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    write(args.output, args.users, args.seed)
    print(f"wrote {args.users} users to {args.output} ({os.path.getsize(args.output) / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()

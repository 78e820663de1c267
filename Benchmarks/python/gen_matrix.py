#!/usr/bin/env python3
"""Inputs of the benchmark matrix (Benchmarks/README.md), deterministic for a given --seed.

    gen_matrix.py --layout split-pbkdf2 --users 1000000 [--seed 7] [--work Benchmarks/work]

Layouts (files go to --work as matrix-<layout>-<users>.csv, plus .users.json, .tenants.json and .roles.json
for `join`; `inputs(layout, users, work)` names them):
  phc            PHC strings only, no algorithm column: gen_support_csv.py's rows (bcrypt, argon2id PHC, Django pbkdf2).
  split-pbkdf2   a `hashAlgorithm` column; PBKDF2 in split `hash`/`salt`/`iterations`/`type` columns (standard
                 base64 with padding), mixed with bcrypt rows whose `hash` holds the MCF string.
  descope-objects  a `hashedPassword` cell holding Descope's hash object as JSON ({"argon2":{…}}, {"pbkdf2":{…}},
                 {"bcrypt":{"hash":…}}, 1% wrapped in {"hashedPassword":…}, 10% with numbers as strings).
  split-argon2   Argon2 in split `hash`/`salt`/`iterations`/`memory`/`threads` columns and a `hashType` column = argon2.
  broken         the `phc` rows with 5% broken: ragged rows, unterminated quotes, bad base64, invalid emails,
                 bytes that are not UTF-8, duplicate emails.
  join           a `split-pbkdf2`-shaped support CSV (no tenants) + a Search Users answer ({"users":[…],"total":N},
                 ~640 bytes a user, shuffled against the CSV; 0.1% of users only in the CSV, 0.1% only in the JSON,
                 0.5% of CSV rows without userId so they join by email) + 1,000 tenants + a role map.
Every CSV-only layout also has, like `phc`: 0.1% duplicate emails (another case), 0.1% disabled users,
0.05% rows without an email, a few hashes WorkOS refuses (PBKDF2-SHA256 below 600,000 iterations, PBKDF2-SHA1,
Argon2 outside WorkOS's ranges). Names are 1% non-ASCII (UTF-8) outside `phc`/`broken`.
Hashes are well-formed but random: nothing verifies them. Rows are about 150-230 bytes.
"""
import argparse, base64, hashlib, json, os, random, sys

import gen_support_csv as phc

LAYOUTS = ["phc", "split-pbkdf2", "descope-objects", "split-argon2", "broken", "join"]

FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Radia", "Edsger", "Frances", "Donald"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Perlman", "Dijkstra", "Allen", "Knuth"]
FIRST_UTF8 = ["José", "Zoë", "Łukasz", "Søren", "Chloé", "Jürgen"]
LAST_UTF8 = ["Müller", "Ødegård", "Núñez", "Dvořák", "Åström", "Çelik"]
TENANT_ROLES = ["Tenant Admin", "Member", "Billing", "Viewer"]
ROLE_MAP = {"Tenant Admin": "admin", "Member": "member", "Viewer": "viewer"}  # "Billing" stays unmapped
TENANTS = 1000


def inputs(layout, users, work):
    """{'csv': path, 'users': path?, 'tenants': path?, 'roles': path?} for a layout at `users` users."""
    stem = os.path.join(work, f"matrix-{layout}-{users}")
    files = {"csv": stem + ".csv"}
    if layout == "join":
        files.update(users=stem + ".users.json", tenants=stem + ".tenants.json", roles=stem + ".roles.json")
    return files


class Rand:
    """The random bytes of row `i`, the same whichever file asks (the join's CSV and JSON describe one user)."""

    def __init__(self, seed, what):
        self.prefix = f"{seed}:{what}:".encode()

    def row(self, i, n=96):
        return hashlib.shake_256(self.prefix + i.to_bytes(8, "little")).digest(n)


def std64(raw):
    return base64.b64encode(raw).decode()


def alnum_id(prefix, raw):
    return prefix + base64.b64encode(raw).decode().translate(phc.TO_ALNUM)[:27]


def bcrypt_from(raw39, pick):
    text = base64.b64encode(raw39).decode().translate(phc.TO_BCRYPT)
    return "$2b$10$" + text[:21] + ".Oeu"[pick & 3] + text[21:51] + ".Oeu"[(pick >> 2) & 3]


def person(i, r):
    """The identity fields every CSV layout shares: (uid, email, verified, given, family, status, created)."""
    c = int.from_bytes(r[21:29], "little")
    n = i
    if i > 0 and i % 1000 == 500:
        n = i - 1  # the previous row's email in upper case: a duplicate
    email = f"u{n}@ex{n % 97}.io"
    if n != i:
        email = email.upper()
    if i % 2000 == 1999:
        email = ""
    if (c >> 24) % 100 == 0:
        given, family = FIRST_UTF8[c % 6], LAST_UTF8[(c >> 8) % 6]
    else:
        given, family = FIRST[c % 10], LAST[(c >> 8) % 10]
    status = "disabled" if i % 1000 == 999 else "enabled"
    return alnum_id("U", r[:21]), email, "true" if i % 10 else "false", given, family, status, 1_600_000_000 + i


def split_pbkdf2_row(i, r, uid=None):
    uid_, email, verified, given, family, status, created = person(i, r)
    uid = uid_ if uid is None else uid
    if i % 5 < 2:
        tail = f"bcrypt,{bcrypt_from(r[29:68], r[68])},,,"
    else:
        digest, iterations = ("sha512", 210000) if i % 7 == 0 else ("sha256", 600000)
        if i % 500 == 2:
            iterations = 310000          # below WorkOS's floor for SHA-256: refused
        if i % 1000 == 3:
            digest = "sha1"              # WorkOS takes sha256/sha512 only: refused
        tail = f"pbkdf2,{std64(r[29:61])},{std64(r[61:77])},{iterations},{digest}"
    return f"{uid},{email},{verified},{given} {family},{status},{created},{tail}\n"


SPLIT_PBKDF2_HEADER = "userId,email,verifiedEmail,name,status,createdTime,hashAlgorithm,hash,salt,iterations,type\n"


def descope_object_row(i, r):
    uid, email, verified, given, family, status, created = person(i, r)
    as_text = i % 10 == 7  # numbers as decimal strings, which the schema allows
    num = (lambda v: f'"{v}"') if as_text else str
    kind = i % 5
    if kind < 2:
        memory = 1048576 if i % 1000 == 0 else 65536  # 1 GiB: above WorkOS's 262,144 KiB
        obj = (f'{{"argon2":{{"hash":"{std64(r[29:61])}","salt":"{std64(r[61:77])}",'
               f'"iterations":{num(3)},"memory":{num(memory)},"threads":{num(4)}}}}}')
    elif kind < 4:
        obj = f'{{"bcrypt":{{"hash":"{bcrypt_from(r[29:68], r[68])}"}}}}'
    else:
        iterations = 100000 if i % 500 == 4 else 600000
        obj = (f'{{"pbkdf2":{{"hash":"{std64(r[29:61])}","salt":"{std64(r[61:77])}",'
               f'"iterations":{num(iterations)},"type":"sha256"}}}}')
    if i % 100 == 42:
        obj = '{"hashedPassword":' + obj + "}"
    cell = '"' + obj.replace('"', '""') + '"'
    return f"{uid},{email},{verified},{given},{family},{status},{created},{cell}\n"


DESCOPE_OBJECTS_HEADER = "userId,email,verifiedEmail,givenName,familyName,status,createdTime,hashedPassword\n"


def split_argon2_row(i, r):
    uid, email, verified, given, family, status, created = person(i, r)
    m, t, p = (19456, 2, 1) if i % 5 == 1 else (65536, 3, 4)
    if i % 1000 == 1:
        t = 10       # WorkOS takes t 1-5
    elif i % 1000 == 2:
        p = 16       # WorkOS takes p 1-8
    elif i % 2000 == 3:
        m = 2048     # WorkOS takes m from 4,096 KiB
    return (f"{uid},{email},{verified},{given} {family},{status},{created},argon2,"
            f"{std64(r[29:61])},{std64(r[61:77])},{t},{m},{p}\n")


SPLIT_ARGON2_HEADER = "userId,email,verifiedEmail,name,status,createdTime,hashType,hash,salt,iterations,memory,threads\n"


def broken_lines(users, seed):
    """`phc` rows as bytes, 5% of them broken (the choice and kind from their own seeded generator)."""
    rng = random.Random(seed + 1)
    bad_emails = ["u{n}@ex{m}", "u{n} @ex{m}.io", "u{n}@@ex{m}.io", "u{n}@ex{m}..io", ".u{n}@ex{m}.io", "u{n}@-ex{m}.io"]
    for i, line in enumerate(phc.rows(users, seed)):
        roll = rng.random()
        if i == users - 1:
            roll = 0.0015  # the last record opens a quote that the file never closes
        if roll >= 0.05:
            yield line.encode()
            continue
        uid, email, verified, name, status, created, h = line[:-1].split(",", 6)
        kind = int(roll * 1000) % 6  # each kind ~ 0.83%
        if kind == 0:    # ragged: an unquoted Argon2 hash splits into three fields, else a field is missing
            line = (",".join([uid, email, verified, name, status, created, h.strip('"')]) if h.startswith('"')
                    else ",".join([uid, email, verified, name, created, h])) + "\n"
        elif kind == 1:  # a quote opened and never closed: the record runs on to the next quote in the file
            line = ",".join([uid, email, verified, '"' + name, status, created, h]) + "\n"
        elif kind == 2:  # bad base64: a stray character, or bcrypt's last character with padding bits set
            if h.startswith("$2"):
                h = h[:-1] + "/"
            elif h.startswith('"'):
                h = h[:40] + "!" + h[41:]
            else:
                h = h[:-3] + "*" + h[-2:]
            line = ",".join([uid, email, verified, name, status, created, h]) + "\n"
        elif kind == 3:  # an address WorkOS refuses
            line = ",".join([uid, rng.choice(bad_emails).format(n=i, m=i % 97), verified, name, status, created, h]) + "\n"
        elif kind == 4:  # Latin-1 bytes in the name: not UTF-8
            yield b",".join([s.encode() for s in (uid, email, verified)] + [b"Jos\xe9 " + name.split(" ")[-1].encode()]
                            + [s.encode() for s in (status, created, h)]) + b"\n"
            continue
        else:            # the email of an earlier row, in another case
            n = rng.randrange(max(1, i))
            line = ",".join([uid, f"U{n}@EX{n % 97}.IO", verified, name, status, created, h]) + "\n"
        yield line.encode()


tenant_ids = []  # the tenants file's ids, filled by write_join before any user refers to them


def search_user(i, r, email, given, family, status, created, only_in_json=False):
    """A Search Users element (~640 bytes), shaped like Descope's REST answer."""
    c = int.from_bytes(r[77:85], "little")
    phone = f"+1415555{i % 10000:04d}" if c % 10 < 3 else ""
    login_ids = [email] if email else []
    if phone and c % 30 < 3:
        login_ids.append(phone)          # signs in with SMS codes too
    tenants = []
    for k in range([0, 1, 1, 1, 2, 3, 1, 0, 1, 2][(c >> 8) % 10]):
        t = (c >> (16 + 10 * k)) % TENANTS
        tenant_id = tenant_ids[t] if (c >> 48) % 1000 else "T" + "0" * 26 + "X"  # 0.1%: not in the tenants file
        tenants.append({"tenantId": tenant_id, "tenantName": f"Tenant {t} Inc",
                        "roleNames": [TENANT_ROLES[(c >> (40 + k)) % 4]] if (c >> 20) % 4 else []})
    oauth = (c >> 30) % 10 == 0
    user = {
        "userId": alnum_id("U", r[:21]), "loginIds": login_ids, "email": email, "verifiedEmail": i % 10 != 0,
        "phone": phone, "verifiedPhone": bool(phone) and c % 2 == 0, "name": f"{given} {family}",
        "givenName": given, "familyName": family, "status": status,
        "roleNames": ["Support"] if (c >> 34) % 20 == 0 else [], "userTenants": tenants,
        "customAttributes": {"plan": "pro" if c % 3 else "free", "seats": (c >> 5) % 50, "beta": c % 7 == 0,
                             "region": None if c % 4 else "eu"},
        "createdTime": created, "picture": f"https://cdn.example.com/avatars/{i}.png" if c % 5 == 0 else "",
        "test": i % 2000 == 1234, "TOTP": (c >> 36) % 20 == 0, "SAML": (c >> 38) % 100 == 0,
        "SCIM": False, "OIDC": False, "OAuth": {"google": True} if oauth else {},
        "webauthn": (c >> 40) % 33 == 0, "password": not (only_in_json and oauth), "ssoAppIds": [],
    }
    return json.dumps(user, separators=(",", ":"), ensure_ascii=False)


def write_join(files, users, seed):
    rand = Rand(seed, "join")
    tenant_rand = Rand(seed, "tenant")
    tenant_ids[:] = [alnum_id("T", tenant_rand.row(k, 21)) for k in range(TENANTS)]
    with open(files["tenants"], "w") as out:
        tenants = [{"id": tenant_ids[k], "name": f"Tenant {k} Inc", "selfProvisioningDomains": [f"t{k}.example.com"],
                    "domains": [], "customAttributes": {}, "authType": "none", "parent": "", "createdTime": 1_500_000_000 + k,
                    "disabled": False, "enforceSSO": False} for k in range(TENANTS)]
        json.dump({"tenants": tenants}, out, separators=(",", ":"))
    with open(files["roles"], "w") as out:
        json.dump(ROLE_MAP, out, indent=1)
    csv_only = lambda i: i % 1000 == 777       # no Search Users record
    by_email = lambda i: i % 200 == 13         # no userId in the CSV: joined by email
    extra = users // 1000                      # Search Users records no CSV row has
    with open(files["csv"], "w", newline="") as out:
        out.write(SPLIT_PBKDF2_HEADER)
        chunk = []
        for i in range(users):
            chunk.append(split_pbkdf2_row(i, rand.row(i), uid="" if by_email(i) else None))
            if len(chunk) >= 10000:
                out.write("".join(chunk)); chunk.clear()
        out.write("".join(chunk))
    order = [i for i in range(users + extra) if not (i < users and csv_only(i))]
    random.Random(seed).shuffle(order)
    with open(files["users"], "w") as out:
        out.write('{"users":[\n')
        chunk = []
        for k, i in enumerate(order):
            r = rand.row(i)
            if i < users:
                _, email, _, given, family, status, created = person(i, r)
                if not email:
                    email = f"u{i}@ex{i % 97}.io"  # the CSV lost it; Search Users has it
            else:
                c = int.from_bytes(r[21:29], "little")
                email, given, family, status, created = f"j{i}@ex{i % 97}.io", FIRST[c % 10], LAST[(c >> 8) % 10], "enabled", 1_600_000_000 + i
            chunk.append(("" if k == 0 else ",\n") + search_user(i, r, email, given, family, status, created, only_in_json=i >= users))
            if len(chunk) >= 10000:
                out.write("".join(chunk)); chunk.clear()
        out.write("".join(chunk))
        out.write(f'\n],"total":{len(order)}}}\n')


def write(layout, users, seed, work):
    files = inputs(layout, users, work)
    if layout == "join":
        write_join(files, users, seed)
        return files
    if layout == "phc":
        phc.write(files["csv"], users, seed)
        return files
    if layout == "broken":
        with open(files["csv"], "wb") as out:
            out.write(phc.HEADER.encode())
            chunk = []
            for line in broken_lines(users, seed):
                chunk.append(line)
                if len(chunk) >= 10000:
                    out.write(b"".join(chunk)); chunk.clear()
            out.write(b"".join(chunk))
        return files
    header, row = {"split-pbkdf2": (SPLIT_PBKDF2_HEADER, split_pbkdf2_row),
                   "descope-objects": (DESCOPE_OBJECTS_HEADER, descope_object_row),
                   "split-argon2": (SPLIT_ARGON2_HEADER, split_argon2_row)}[layout]
    rand = Rand(seed, layout)
    with open(files["csv"], "w", newline="") as out:
        out.write(header)
        chunk = []
        for i in range(users):
            chunk.append(row(i, rand.row(i)))
            if len(chunk) >= 10000:
                out.write("".join(chunk)); chunk.clear()
        out.write("".join(chunk))
    return files


def ensure(layout, users, seed, work):
    """The layout's files, generated unless they all exist."""
    files = inputs(layout, users, work)
    if not all(os.path.exists(p) for p in files.values()):
        os.makedirs(work, exist_ok=True)
        write(layout, users, seed, work)
        sizes = ", ".join(f"{os.path.basename(p)} {os.path.getsize(p) / 1e6:.0f} MB" for p in files.values())
        print(f"generated {layout} at {users:,} users: {sizes}", file=sys.stderr)
    return files


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layout", choices=LAYOUTS + ["all"], default="all")
    ap.add_argument("--users", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(here), "work"))
    ap.add_argument("--force", action="store_true", help="write the files even when they exist")
    args = ap.parse_args()
    for layout in LAYOUTS if args.layout == "all" else [args.layout]:
        if args.force:
            os.makedirs(args.work, exist_ok=True)
            write(layout, args.users, args.seed, args.work)
        ensure(layout, args.users, args.seed, args.work)


if __name__ == "__main__":
    main()

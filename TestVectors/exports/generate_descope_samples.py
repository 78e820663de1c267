#!/usr/bin/env python3
"""Writes the sample exports that carry Descope's hashedPassword objects (descope-hash-objects.md), from the cases
of ../roundtrip.json (whose hashes generate_roundtrip.py computed with independent Python libraries):
    python3 TestVectors/exports/generate_descope_samples.py
  csv-descope-objects.csv          a hashedPassword column holding the JSON object (CSV-quoted)
  csv-descope-flattened.csv        hashedPassword.<kind>.<field> columns, as a JSON-to-CSV tool flattens them
  csv-descope-flattened-snake.csv  hashed_password_<kind>_<field> columns
  descope-batch-users.ndjson       Descope batch-create users (loginId, hashedPassword, …), one a line
  descope-batch-users.json         the same shape in a {"users":[…]} envelope, joined with descope-batch-search.json
The .expected.json and .outcomes.json beside them are written by hand from the cases' expectations.
"""
import csv, io, json, os

here = os.path.dirname(os.path.abspath(__file__))
cases = {c["id"]: c for c in json.load(open(os.path.join(here, "..", "roundtrip.json")))["cases"]}
obj = lambda cid: json.loads(cases[cid]["input"])          # the object as the generator wrote it
inner = lambda cid: next(iter(obj(cid).values())) if "hashedPassword" in obj(cid) else obj(cid)

def write_csv(name, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    open(os.path.join(here, name), "w").write(out.getvalue())

# 1. A hashedPassword column whose cells hold the object's JSON text.
write_csv("csv-descope-objects.csv", ["userId", "email", "givenName", "familyName", "hashedPassword"], [
    ["U201", "argon@example.com", "Ada", "Argon", cases["descope-argon2"]["input"]],
    ["U202", "pb256@example.com", "Pat", "Sha", cases["descope-pbkdf2-sha256"]["input"]],
    ["U203", "pb512@example.com", "Pia", "Sha", cases["descope-pbkdf2-sha512"]["input"]],
    ["U204", "bcrypt@example.com", "Bo", "Crypt", cases["descope-bcrypt"]["input"]],
    ["U205", "django@example.com", "Dj", "Ango", cases["descope-django-pbkdf2"]["input"]],
    ["U206", "fire@example.com", "Fi", "Re", cases["descope-firebase"]["input"]],
    ["U207", "md5@example.com", "Em", "Dee", cases["descope-md5-refused"]["input"]],
    ["U208", "twokinds@example.com", "Tu", "Kinds", cases["descope-bad-two-kinds"]["input"]],
    ["U209", "nohash@example.com", "No", "Hash", ""],
    ["U210", "mcf@example.com", "Em", "Cf", cases["bcrypt-2b"]["input"]],
])

# 2. Flattened columns: each row fills one kind's columns (the union of every kind's keys is the header).
a, p256, p512, b = inner("descope-argon2"), inner("descope-pbkdf2-sha256"), inner("descope-pbkdf2-sha512"), inner("descope-bcrypt")
a, p256, p512, b = a["argon2"], p256["pbkdf2"], p512["pbkdf2"], b["bcrypt"]
header = ["userId", "email", "hashedPassword.bcrypt.hash", "hashedPassword.argon2.hash", "hashedPassword.argon2.salt",
          "hashedPassword.argon2.iterations", "hashedPassword.argon2.memory", "hashedPassword.argon2.threads",
          "hashedPassword.pbkdf2.hash", "hashedPassword.pbkdf2.salt", "hashedPassword.pbkdf2.iterations", "hashedPassword.pbkdf2.type"]
def row(uid, email, bcrypt="", argon=None, pbkdf2=None):
    r = [uid, email, bcrypt]
    r += [argon[k] for k in ("hash", "salt", "iterations", "memory", "threads")] if argon else [""] * 5
    r += [pbkdf2[k] for k in ("hash", "salt", "iterations", "type")] if pbkdf2 else [""] * 4
    return r
no_salt = dict(a, salt="")
write_csv("csv-descope-flattened.csv", header, [
    row("U301", "flat-bcrypt@example.com", bcrypt=b["hash"]),
    row("U302", "flat-argon@example.com", argon=a),
    row("U303", "flat-pb256@example.com", pbkdf2=p256),
    row("U304", "flat-pb512@example.com", pbkdf2=p512),
    row("U305", "flat-two@example.com", bcrypt=b["hash"], argon=a),
    row("U306", "flat-nosalt@example.com", argon=no_salt),
    row("U307", "flat-none@example.com"),
])

# 3. snake_case flattening: firebase's two-word fields, and django.
f = inner("descope-firebase")["firebase"]
write_csv("csv-descope-flattened-snake.csv",
          ["user_id", "email", "hashed_password_firebase_hash", "hashed_password_firebase_salt",
           "hashed_password_firebase_salt_separator", "hashed_password_firebase_signer_key", "hashed_password_firebase_memory",
           "hashed_password_firebase_rounds", "hashed_password_django_hash"], [
    ["U401", "snake-fire@example.com", f["hash"], f["salt"], f["saltSeparator"], f["signerKey"], f["memory"], f["rounds"], ""],
    ["U402", "snake-django@example.com", "", "", "", "", "", "", inner("descope-django-pbkdf2")["django"]["hash"]],
])

# 4. Descope batch-create users (POST /v1/mgmt/user/create/batch), one a line.
def user(login, given, family, case_id=None, tenants=(), verified=True):
    u = {"loginId": login, "email": login, "verifiedEmail": verified, "name": f"{given} {family}", "givenName": given,
         "familyName": family, "roleNames": [], "userTenants": [{"tenantId": t, "roleNames": ["admin"]} for t in tenants],
         "customAttributes": {}}
    if case_id: u["hashedPassword"] = inner(case_id)
    return u
batch = [user("nd-argon@example.com", "Ada", "Argon", "descope-argon2-wrapped-strings"),
         user("nd-pb256@example.com", "Pat", "Sha", "descope-pbkdf2-sha256"),
         user("nd-pb512@example.com", "Pia", "Sha", "descope-pbkdf2-sha512"),
         user("nd-bcrypt@example.com", "Bo", "Crypt", "descope-bcrypt"),
         user("nd-django@example.com", "Dj", "Ango", "descope-django-argon2"),
         user("nd-phpass@example.com", "Wo", "Press", "descope-phpass-refused"),
         user("nd-nested@example.com", "Ne", "Sted", "descope-bad-nested-deeper"),
         user("nd-none@example.com", "No", "Hash")]
open(os.path.join(here, "descope-batch-users.ndjson"), "w").write("".join(json.dumps(u) + "\n" for u in batch))

# 5. The same shape in an envelope, joined by email with Search Users records that carry the tenants.
joined = [user("env-argon@example.com", "Ada", "Argon", "descope-argon2"),
          user("env-fire@example.com", "Fi", "Re", "descope-firebase-snake-case")]
open(os.path.join(here, "descope-batch-users.json"), "w").write(json.dumps({"users": joined}, indent=1) + "\n")
search = [{"userId": "U501", "loginIds": ["env-argon@example.com"], "email": "env-argon@example.com", "verifiedEmail": True,
           "status": "enabled", "userTenants": [{"tenantId": "T1", "tenantName": "Acme", "roleNames": ["admin"]}], "password": True},
          {"userId": "U502", "loginIds": ["env-fire@example.com"], "email": "env-fire@example.com", "verifiedEmail": True,
           "status": "enabled", "userTenants": [], "password": True}]
open(os.path.join(here, "descope-batch-search.json"), "w").write(json.dumps({"users": search, "total": 2}, indent=1) + "\n")

# --- What reading them must give (.expected.json: DescopeExport's records) and what mapping them must give
# (.outcomes.json: Migration's row outcomes), from the inputs above and the cases' own expectations.
def outcome(case_id):
    c = cases[case_id]
    if c["workos_accepts"]: return ("ready", None)
    return ("ready_without_password", c["expected_problems"][0])

def dump(name, value):
    open(os.path.join(here, name), "w").write(json.dumps(value, indent=1, ensure_ascii=False) + "\n")

rows_objects = [("U201", "descope-argon2"), ("U202", "descope-pbkdf2-sha256"), ("U203", "descope-pbkdf2-sha512"),
                ("U204", "descope-bcrypt"), ("U205", "descope-django-pbkdf2"), ("U206", "descope-firebase"),
                ("U207", "descope-md5-refused"), ("U208", "descope-bad-two-kinds"), ("U209", None), ("U210", "bcrypt-2b")]
with open(os.path.join(here, "csv-descope-objects.csv")) as fh:
    records = list(csv.DictReader(fh))
items, outcomes = [], []
for line, (r, (uid, cid)) in enumerate(zip(records, rows_objects), start=2):
    u = {"userId": uid, "email": r["email"], "givenName": r["givenName"], "familyName": r["familyName"]}
    if r["hashedPassword"]: u["hash"] = r["hashedPassword"]
    items.append({"line": line, "user": u})
    status, reason = outcome(cid) if cid else ("ready_without_password", "no_password_hash")
    outcomes.append({"row": line, "status": status, "reason": reason})
dump("csv-descope-objects.expected.json", {"about": "a hashedPassword column holding Descope's hash object as JSON text",
     "items": items, "report": {"unknownColumns": [], "customAttributeColumns": []}})
dump("csv-descope-objects.outcomes.json", {"inputs": ["csv-descope-objects.csv"], "rows": outcomes})

def flattened(name, about, expected_rows):
    with open(os.path.join(here, name)) as fh:
        reader = csv.reader(fh)
        head = next(reader)
        data = list(reader)
    items, outs = [], []
    for line, (values, want) in enumerate(zip(data, expected_rows), start=2):
        u = {"userId": values[0], "email": values[1]}
        cells = []
        for h, v in zip(head[2:], values[2:]):
            if not v: continue
            words = [w.lower() for w in h.replace(".", "_").split("_") if w]
            k = 1 if words[0] == "hashedpassword" else 2
            cells.append([words[k], "".join(words[k + 1:]), v])
        if cells: u["hashObject"] = cells
        items.append({"line": line, "user": u})
        outs.append({"row": line, "status": want[0], "reason": want[1]})
    stem = name[:-len(".csv")]
    dump(stem + ".expected.json", {"about": about, "items": items, "report": {"unknownColumns": [], "customAttributeColumns": []}})
    dump(stem + ".outcomes.json", {"inputs": [name], "rows": outs})

flattened("csv-descope-flattened.csv", "hashedPassword.<kind>.<field> columns: one kind a row, two kinds or a missing salt refused",
          [outcome("descope-bcrypt"), outcome("descope-argon2"), outcome("descope-pbkdf2-sha256"), outcome("descope-pbkdf2-sha512"),
           ("ready_without_password", "descope_object_two_kinds"), ("ready_without_password", "missing_field"),
           ("ready_without_password", "no_password_hash")])
flattened("csv-descope-flattened-snake.csv", "hashed_password_<kind>_<field> columns (snake_case), firebase and django",
          [outcome("descope-firebase"), outcome("descope-django-pbkdf2")])

def projected(u, line):
    p = {"loginIds": [u["loginId"]], "email": u["email"], "verifiedEmail": u["verifiedEmail"], "name": u["name"],
         "givenName": u["givenName"], "familyName": u["familyName"]}
    if "hashedPassword" in u: p["hash"] = json.dumps(u["hashedPassword"], separators=(",", ":"), ensure_ascii=False)
    return {"line": line, "user": p}
batch_cases = ["descope-argon2-wrapped-strings", "descope-pbkdf2-sha256", "descope-pbkdf2-sha512", "descope-bcrypt",
               "descope-django-argon2", "descope-phpass-refused", "descope-bad-nested-deeper", None]
dump("descope-batch-users.expected.json", {"about": "Descope batch-create users with hashedPassword objects, NDJSON",
     "inputs": ["descope-batch-users.ndjson"], "items": [projected(u, i) for i, u in enumerate(batch, start=1)]})
dump("descope-batch-users.outcomes.json", {"inputs": ["descope-batch-users.ndjson"], "rows": [
    dict(zip(("row", "status", "reason"), (i, *(outcome(c) if c else ("ready_without_password", "no_password_hash")))))
    for i, c in enumerate(batch_cases, start=1)]})
items = []
for i, (u, s) in enumerate(zip(joined, search), start=1):
    p = projected(u, i)
    p["file"] = "descope-batch-users.json"
    p["user"].update({"userId": s["userId"], "status": "enabled", "hasPassword": True, "joinedFrom": f"descope-batch-search.json:{i}"})
    p["user"]["tenants"] = [{"tenantId": t["tenantId"], "tenantName": t["tenantName"], "roleNames": t["roleNames"]} for t in s["userTenants"]]
    if not p["user"]["tenants"]: del p["user"]["tenants"]
    items.append(p)
dump("descope-batch-join.expected.json", {"about": "batch-create users in an envelope joined by email with Search Users (tenants)",
     "inputs": ["descope-batch-users.json", "descope-batch-search.json"], "items": items,
     "report": {"joinedByEmail": 2, "onlyInCSV": 0, "onlyInSearchUsers": 0, "users": 2}})
dump("descope-batch-join.outcomes.json", {"inputs": ["descope-batch-users.json", "descope-batch-search.json"],
     "rows": [{"row": 1, "status": "ready", "reason": None}, {"row": 2, "status": "ready", "reason": None}]})

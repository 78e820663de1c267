#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/corpus/<target>/ from TestVectors/ (run from anywhere; output is committed).

Every seed is small (libFuzzer's default max_len is 4096): CSV exports are cut to their first lines, JSON exports
re-written with their first users in each envelope, hashes paired so the shape cache sees two rows of one shape."""
import hashlib, json, os, pathlib, shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "TestVectors"
OUT = ROOT / "Fuzz" / "corpus"
LIMIT = 4000

FIELDS = ["password_hash", "password_hash_type", "password_salt", "password_iterations", "password_memory",
          "password_threads", "password_digest", "password_signer_key", "password_salt_separator"]


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    data = data[:LIMIT]
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def csv_seeds():
    for f in sorted((VECTORS / "exports").glob("*.csv")) + [VECTORS / "demo" / "descope-hashes.csv"]:
        lines = f.read_bytes().split(b"\n")
        put("csv", b"\n".join(lines[:12]))
        put("csv", b"\r\n".join(lines[:6]))


def json_seeds():
    files = [f for f in sorted((VECTORS / "exports").iterdir()) if f.suffix in (".json", ".ndjson", ".jsonl")
             and not f.name.endswith((".expected.json", ".outcomes.json")) and not f.name.startswith("tenant")]
    files.append(VECTORS / "demo" / "search-users.json")
    for f in files:
        text = f.read_text(errors="replace")
        put("search-users", f.read_bytes())   # as it is (some samples are broken on purpose), cut to the limit
        try:
            doc = json.loads(text)
        except ValueError:
            try:
                doc = [json.loads(line) for line in text.splitlines() if line.strip()]
            except ValueError:
                continue
        users = doc.get("users", [doc.get("user", doc)]) if isinstance(doc, dict) else doc
        users = users[:3]
        put("search-users", json.dumps({"users": users, "total": len(users)}))
        put("search-users", json.dumps(users, indent=1))
        put("search-users", "\n".join(json.dumps(u) for u in users) + "\n")
        if users:
            put("search-users", json.dumps({"user": users[0]}))


def hash_inputs():
    cases = json.loads((VECTORS / "roundtrip.json").read_text())["cases"]
    out = [c["input"] for c in cases]
    for v in json.loads((VECTORS / "known-answer-vectors.json").read_text()):
        for key in ("phc", "phc_rustcrypto_style", "phc_alt_sha1", "encoded", "libxcrypt_output"):
            if isinstance(v.get(key), str):
                out.append(v[key])
    return out


def hash_text_seeds(inputs):
    for a, b in zip(inputs, inputs[1:] + inputs[:1]):
        put("hash-text", a)
        put("hash-text", a + "\n" + b)


def hash_fields_seeds(inputs):
    for k, text in enumerate(inputs):
        encoding = bytes([k % 5])
        if not text.startswith("{"):
            put("hash-fields", encoding + text.encode())
            continue
        try:
            obj = json.loads(text)
        except ValueError:
            put("hash-fields", encoding + text.encode())
            continue
        if isinstance(obj, dict) and "password_hash" in obj:
            row = "\t".join(str(obj.get(f, "")) for f in FIELDS)
            put("hash-fields", encoding + (row + "\n" + row).encode())
            continue
        if isinstance(obj, dict) and len(obj) == 1:
            (kind, inner), = obj.items()
            if kind.lower() == "hashedpassword" and isinstance(inner, dict) and len(inner) == 1:
                (kind, inner), = inner.items()
            if isinstance(inner, dict):
                cells = "\t".join(f"{kind}\t{f}\t{v}" for f, v in inner.items())
                put("hash-fields", encoding + ("@" + cells).encode())


def api_seeds():
    bodies = [
        (0, '{"code":"user_creation_error","message":"Could not create user.","errors":[{"code":"email_not_available","field":"email"}]}'),
        (0, '{"message":"Too many requests"}'),
        (1, "30"), (1, "Wed, 21 Oct 2026 07:28:00 GMT"), (1, "1.5"),
        (2, '{"email":"a@example.com","first_name":"A","email_verified":true,"password_hash_type":"bcrypt",'
            '"password_hash":"$2b$10$abcdefghijklmnopqrstuuGGgFFcYeueaAql8Z7U7CnCTRw4DR77W","external_id":"U1","metadata":{"k":"v"}}'),
        (3, '{"first_name":"B","password_hash_type":"argon2","password_hash":"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"}'),
        (4, '{"name":"Acme","external_id":"T1"}'),
        (5, '{"user_id":"user_01","organization_id":"org_01","role_slugs":["member"]}'),
        (6, '{"client_id":"client_1","client_secret":"sk_test_x","grant_type":"password","email":"a@example.com","password":"p"}'),
        (7, '{"data":[{"object":"user","id":"user_01","email":"a@example.com","email_verified":true}],"list_metadata":{"after":null}}'),
        (8, '{"data":[{"object":"organization_membership","id":"om_01","user_id":"user_01","organization_id":"org_01","role":{"slug":"member"}}],"list_metadata":{}}'),
        (9, '{"users":[{"userId":"U1","status":"enabled","test":false,"createdTime":1700000000}],"total":1}'),
        (9, '[{"userId":"U1"},{"userId":"U2"}]'),
        (9, '{"userId":"U1"}\n{"userId":"U2"}\n'),
    ]
    for selector, body in bodies:
        put("api-bodies", bytes([selector]) + body.encode())


if __name__ == "__main__":
    if OUT.exists():
        shutil.rmtree(OUT)
    csv_seeds()
    json_seeds()
    inputs = hash_inputs()
    hash_text_seeds(inputs)
    hash_fields_seeds(inputs)
    api_seeds()
    for d in sorted(OUT.iterdir()):
        print(f"{d.name}: {len(list(d.iterdir()))} seeds")

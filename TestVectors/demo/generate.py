#!/usr/bin/env python3
"""Generate the bundled `hashport demo` export: a Descope-style support CSV with password hashes in
several spellings WITH KNOWN PASSWORDS, a Search Users JSON (tenants, roles, flags), a tenants JSON,
a role map and a canaries CSV (email,password).

Deterministic: every salt is fixed, so rerunning gives byte-identical files.
Needs `pip install bcrypt argon2-cffi` (generation only) and the `openssl` command (AES-256-CTR for
firebase-scrypt). Run from anywhere: `python3 TestVectors/demo/generate.py`.
"""
import base64
import csv
import hashlib
import json
import os
import subprocess

import argon2.low_level as a2
import bcrypt

HERE = os.path.dirname(os.path.abspath(__file__))
B64 = lambda b: base64.b64encode(b).decode()
B64NP = lambda b: base64.b64encode(b).decode().rstrip("=")
PASSLIB_AB64 = lambda b: B64NP(b).replace("+", ".")


def fixed_salt(label: str, n: int) -> bytes:
    return hashlib.sha256(("hashport-demo-salt:" + label).encode()).digest()[:n]


def bcrypt_hash(password: str, label: str, prefix: str, cost: int = 10) -> str:
    # bcrypt's radix-64 salt alphabet is ./A-Za-z0-9
    alphabet = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    raw = fixed_salt(label, 32)
    chars = bytes(alphabet[b % 64] for b in raw[:21]) + b"."  # last char canonical ('.' has zero low bits)
    setting = b"$2b$%02d$" % cost + chars
    h = bcrypt.hashpw(password.encode(), setting).decode()
    assert bcrypt.checkpw(password.encode(), h.encode())
    return prefix + h[len("$2b$"):]


def argon2id(password: str, label: str, m: int, t: int, p: int) -> tuple[bytes, bytes]:
    salt = fixed_salt(label, 16)
    tag = a2.hash_secret_raw(password.encode(), salt, time_cost=t, memory_cost=m, parallelism=p,
                             hash_len=32, type=a2.Type.ID, version=19)
    return salt, tag


def firebase_scrypt(password: str, salt: bytes, sep: bytes, signer: bytes, rounds: int, mem: int) -> bytes:
    dk = hashlib.scrypt(password.encode(), salt=salt + sep, n=1 << mem, r=rounds, p=1, dklen=64,
                        maxmem=256 * 1024 * 1024)
    out = subprocess.run(["openssl", "enc", "-aes-256-ctr", "-nosalt", "-K", dk[:32].hex(),
                          "-iv", "00" * 16], input=signer, capture_output=True, check=True)
    return out.stdout


# Firebase's published sample (github.com/firebase/scrypt README): proves firebase_scrypt() above.
_FB = firebase_scrypt("user1password", base64.b64decode("42xEC+ixf3L2lw=="), base64.b64decode("Bw=="),
                      base64.b64decode("jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA=="),
                      8, 14)
assert B64(_FB) == "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==", B64(_FB)

TENANTS = [
    {"id": "T2demoAcmeCorp000000000000001", "name": "Acme Corp", "selfProvisioningDomains": ["acme.example"],
     "domains": [], "authType": "none", "disabled": False},
    {"id": "T2demoGlobex00000000000000002", "name": "Globex", "selfProvisioningDomains": [],
     "domains": [], "authType": "none", "disabled": False},
]
ACME, GLOBEX = TENANTS[0]["id"], TENANTS[1]["id"]

# (user id, email, given, family, password or None, hash columns builder, tenants [(id, [roles])], extra)
USERS = []


def user(uid, email, given, family, password, hash_cols, tenants, **extra):
    USERS.append(dict(uid=uid, email=email, given=given, family=family, password=password,
                      cols=hash_cols, tenants=tenants, extra=extra))


user("U2demo00000000000000000000alice", "alice@acme.example", "Alice", "Anders", "correct horse battery staple",
     lambda pw: {"password_hash": bcrypt_hash(pw, "alice", "$2b$")}, [(ACME, ["Tenant Admin"])])
user("U2demo0000000000000000000000bob", "bob@acme.example", "Bob", "Baker", "Tr0ub4dor&3",
     lambda pw: {"password_hash": bcrypt_hash(pw, "bob", "$2y$")}, [(ACME, ["member"])])


def carol_cols(pw):  # Descope's own argon2id parameters, as split fields (no variant: defaults to argon2id)
    salt, tag = argon2id(pw, "carol", 65536, 3, 4)
    return {"password_hash": B64(tag), "password_hash_type": "argon2", "salt": B64(salt),
            "iterations": "3", "memory": "65536", "threads": "4"}


user("U2demo00000000000000000000carol", "carol@globex.example", "Carol", "Cruz", "p@ssw0rd-in-argon2id",
     carol_cols, [(GLOBEX, ["Tenant Admin"]), (ACME, ["member"])])


def dave_cols(pw):  # a full PHC argon2id string, OWASP parameters (contains commas: the CSV quotes it)
    salt, tag = argon2id(pw, "dave", 19456, 2, 1)
    return {"password_hash": f"$argon2id$v=19$m=19456,t=2,p=1${B64NP(salt)}${B64NP(tag)}"}


user("U2demo000000000000000000000dave", "dave@globex.example", "Dave", "Dunn", "dave's long passphrase 2024",
     dave_cols, [(GLOBEX, ["member"])])


def erin_cols(pw):  # Django: salt is TEXT, hash std base64
    salt = "DjangoSaltErin01"
    dk = hashlib.pbkdf2_hmac("sha256", pw.encode(), salt.encode(), 600000)
    return {"password_hash": f"pbkdf2_sha256$600000${salt}${B64(dk)}"}


user("U2demo000000000000000000000erin", "erin@acme.example", "Erin", "Evans", "erin-django-pw",
     erin_cols, [(ACME, ["member"])])


def frank_cols(pw):  # passlib pbkdf2-sha512: adapted base64 salt and hash
    salt = fixed_salt("frank", 16)
    dk = hashlib.pbkdf2_hmac("sha512", pw.encode(), salt, 250000)
    return {"password_hash": f"$pbkdf2-sha512$250000${PASSLIB_AB64(salt)}${PASSLIB_AB64(dk)}"}


user("U2demo00000000000000000000frank", "frank@globex.example", "Frank", "Fischer", "frank/passlib#512",
     frank_cols, [(GLOBEX, ["member"])])


def grace_cols(pw):  # Werkzeug: salt TEXT, hash hex
    salt = "WerkzeugSalt0001"
    dk = hashlib.pbkdf2_hmac("sha256", pw.encode(), salt.encode(), 600000)
    return {"password_hash": f"pbkdf2:sha256:600000${salt}${dk.hex()}"}


user("U2demo00000000000000000000grace", "grace@acme.example", "Grace", "Gupta", "grace werkzeug pw",
     grace_cols, [(ACME, ["Tenant Admin"])])


def ivan_cols(pw):  # Descope import schema split PBKDF2 fields: std base64 with padding
    salt = fixed_salt("ivan", 16)
    dk = hashlib.pbkdf2_hmac("sha256", pw.encode(), salt, 600000)
    return {"password_hash": B64(dk), "password_hash_type": "pbkdf2", "salt": B64(salt),
            "iterations": "600000", "digest": "sha256"}


user("U2demo000000000000000000000ivan", "ivan@globex.example", "Ivan", "Ivanov", "ivan split pbkdf2",
     ivan_cols, [(GLOBEX, ["member"])])


def heidi_cols(pw):  # Firebase scrypt split fields
    salt, sep = fixed_salt("heidi", 12), b"\x07"
    signer = fixed_salt("signer-a", 32) + fixed_salt("signer-b", 32)
    h = firebase_scrypt(pw, salt, sep, signer, 8, 14)
    return {"password_hash": B64(h), "password_hash_type": "firebase", "salt": B64(salt),
            "saltSeparator": B64(sep), "signerKey": B64(signer), "iterations": "8", "memory": "14"}


user("U2demo00000000000000000000heidi", "heidi@acme.example", "Heidi", "Hansen", "heidi from firebase",
     heidi_cols, [(ACME, ["member"])])

# Users who cannot carry their password into WorkOS: created without one, told to reset.
user("U2demo0000000000000000000mallory", "mallory@acme.example", "Mallory", "Moore", "mallory-sha1",
     lambda pw: {"password_hash": "pbkdf2_sha1$260000$MallorySalt$" + B64(
         hashlib.pbkdf2_hmac("sha1", pw.encode(), b"MallorySalt", 260000))}, [(ACME, ["member"])],
     reason="pbkdf2-sha1 (WorkOS takes sha256/sha512 only)")
user("U2demo000000000000000000000niaj", "niaj@globex.example", "Niaj", "Nakamura", "niaj-md5",
     lambda pw: {"password_hash": hashlib.md5(pw.encode()).hexdigest(), "password_hash_type": "md5"},
     [(GLOBEX, ["member"])], reason="md5 is not importable")
user("U2demo00000000000000000000oscar", "oscar@acme.example", "Oscar", "Olsen", "oscar-2x",
     lambda pw: {"password_hash": bcrypt_hash(pw, "oscar", "$2x$")}, [(ACME, ["member"])],
     reason="$2x$ is the buggy bcrypt variant")
user("U2demo00000000000000000000peggy", "peggy@globex.example", "Peggy", "Park", None,
     lambda pw: {}, [(GLOBEX, ["member"])], oauth={"google": True}, reason="social login only")
# Rejected: no email, never sent.
user("U2demo000000000000000000noemail", "", "Nobody", "Noemail", None, lambda pw: {}, [], phone="+15555550100")

CSV_COLUMNS = ["user_id", "email", "password_hash", "password_hash_type", "salt", "iterations", "memory",
               "threads", "digest", "signerKey", "saltSeparator"]


def main():
    rows, search, canaries, expected = [], [], [], []
    for u in USERS:
        cols = u["cols"](u["password"]) if u["password"] else {}
        rows.append({"user_id": u["uid"], "email": u["email"], **cols})
        search.append({
            "userId": u["uid"], "loginIds": [u["email"] or u["extra"].get("phone", "")],
            "email": u["email"], "verifiedEmail": bool(u["email"]), "phone": u["extra"].get("phone", ""),
            "verifiedPhone": False, "name": f'{u["given"]} {u["family"]}', "givenName": u["given"],
            "middleName": "", "familyName": u["family"], "status": "enabled", "roleNames": [],
            "userTenants": [{"tenantId": t, "tenantName": next(x["name"] for x in TENANTS if x["id"] == t),
                             "roleNames": roles, "permissions": []} for t, roles in u["tenants"]],
            "customAttributes": {"plan": "pro" if u["given"] < "H" else "free"},
            "createdTime": 1700000000 + len(search) * 86400, "picture": "", "test": False,
            "TOTP": False, "SAML": False, "SCIM": False, "OIDC": False,
            "OAuth": u["extra"].get("oauth", {}), "webauthn": False, "password": bool(u["password"]),
            "ssoAppIds": [], "editable": True, "externalIds": [u["email"]] if u["email"] else [],
        })
        if u["email"] and u["password"] is not None:
            canaries.append((u["email"], u["password"]))
        expected.append({"user_id": u["uid"], "email": u["email"],
                         "login": "password" if u["password"] and "reason" not in u["extra"] else
                         ("rejected" if not u["email"] else "reset"),
                         "reason": u["extra"].get("reason", "no email" if not u["email"] else ""),
                         "tenants": len(u["tenants"])})
    with open(os.path.join(HERE, "descope-hashes.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    with open(os.path.join(HERE, "search-users.json"), "w") as f:
        json.dump({"users": search, "total": len(search)}, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "tenants.json"), "w") as f:
        json.dump({"tenants": TENANTS}, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "role-map.json"), "w") as f:
        json.dump({"Tenant Admin": "admin", "member": "member"}, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "canaries.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["email", "password"])
        w.writerows(canaries)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

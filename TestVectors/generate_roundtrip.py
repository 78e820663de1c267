#!/usr/bin/env python3
"""Writes roundtrip.json: one case per hash spelling hashport reads, each with its password and the exact
WorkOS string expected for it. Every hash and every expected string is computed here, independently of
hashport, with Python's hashlib (pbkdf2_hmac, scrypt, sha1/sha256), argon2-cffi, pyca/bcrypt and
cryptography (AES-CTR for Firebase's scrypt). Salts are fixed so the file is reproducible:
    python3 TestVectors/generate_roundtrip.py > TestVectors/roundtrip.json
"""
import base64, hashlib, json, struct, sys
import argon2.low_level as a2
import bcrypt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

def b64(b): return base64.b64encode(b).decode()
def b64n(b): return b64(b).rstrip("=")                      # PHC / WorkOS: standard alphabet, no padding
def ab64(b): return b64n(b).replace("+", ".")               # passlib "adapted base64"
def url(b): return base64.urlsafe_b64encode(b).decode()

cases = []
def case(id, spelling, input, password, workos_type=None, workos_hash=None, problems=(), salt_encoding="auto",
         verify=True, generated_by=""):
    cases.append({
        "id": id, "spelling": spelling, "input": input if isinstance(input, str) else json.dumps(input, separators=(",", ":")),
        "salt_encoding": salt_encoding, "password": password, "password_hex": password.encode().hex(),
        "expected_workos_type": workos_type, "expected_workos_hash": workos_hash,
        "workos_accepts": workos_hash is not None and not problems, "expected_problems": list(problems),
        "verify": verify, "generated_by": generated_by})

def workos_pbkdf2(d, i, salt, dk): return f"$pbkdf2$i={i},d={d}${b64n(salt)}${b64n(dk)}"
def pbkdf2(d, pw, salt, i, n=None): return hashlib.pbkdf2_hmac(d, pw.encode(), salt, i, n)
PB = "hashlib.pbkdf2_hmac"

# --- bcrypt: passed through byte for byte -------------------------------------------------------
pw = "correct horse battery staple"
for prefix in (b"2a", b"2b"):
    h = bcrypt.hashpw(pw.encode(), b"$" + prefix + b"$10$" + b"abcdefghijklmnopqrstuu").decode()
    case(f"bcrypt-{prefix.decode()}", "mcf", h, pw, "bcrypt", h, generated_by="pyca/bcrypt hashpw")
h2b = bcrypt.hashpw("pässwörd".encode(), b"$2b$04$" + b"CCCCCCCCCCCCCCCCCCCCC.").decode()
h2y = "$2y$" + h2b[4:]                                       # $2y$ and $2b$ are the same algorithm
case("bcrypt-2y-utf8", "mcf", h2y, "pässwörd", "bcrypt", h2y, generated_by="pyca/bcrypt hashpw ($2b$ relabelled $2y$)")
case("bcrypt-django-wrapper", "django", "bcrypt$" + h2b, "pässwörd", "bcrypt", h2b, generated_by="pyca/bcrypt hashpw")
case("bcrypt-ldap-crypt", "ldap", "{CRYPT}" + h2b, "pässwörd", "bcrypt", h2b, generated_by="pyca/bcrypt hashpw")
case("bcrypt-2x-refused", "mcf", "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xa3",
     problems=["bcrypt_variant_not_supported"], verify=False, generated_by="openwall crypt_blowfish test vector")

# --- Argon2 -----------------------------------------------------------------------------------
def argon(t, pw, salt, v=19, m=65536, tc=3, p=4, n=32):
    typ = {"argon2id": a2.Type.ID, "argon2i": a2.Type.I, "argon2d": a2.Type.D}[t]
    return a2.hash_secret_raw(pw.encode(), salt, time_cost=tc, memory_cost=m, parallelism=p, hash_len=n, type=typ, version=v)
def phc(t, v, m, tc, p, salt, tag): return f"${t}$v={v}$m={m},t={tc},p={p}${b64n(salt)}${b64n(tag)}"
A2 = "argon2-cffi hash_secret_raw"
salt16 = bytes(range(16, 32))
tag = argon("argon2id", pw, salt16)
w = phc("argon2id", 19, 65536, 3, 4, salt16, tag)
case("argon2id-v19-descope", "phc", w, pw, "argon2", w, generated_by=A2)
case("argon2id-django", "django", "argon2" + w, pw, "argon2", w, generated_by=A2)
case("argon2id-split-base64", "split-fields",
     {"password_hash": b64(tag), "password_hash_type": "argon2", "password_salt": b64(salt16),
      "password_iterations": 3, "password_memory": 65536, "password_threads": 4}, pw, "argon2", w, generated_by=A2)
case("argon2id-split-hex", "split-fields",
     {"password_hash": tag.hex(), "password_hash_type": "argon2", "password_salt": salt16.hex(),
      "password_iterations": "3", "password_memory": "65536", "password_threads": "4"}, pw, "argon2", w, generated_by=A2)
tag_i = argon("argon2i", pw, salt16, m=8192, tc=3, p=1, n=16)
wi = phc("argon2i", 19, 8192, 3, 1, salt16, tag_i)
case("argon2i-v19", "phc", wi, pw, "argon2", wi, generated_by=A2)
case("argon2i-split-variant", "split-fields",
     {"password_hash": b64(tag_i), "password_hash_type": "argon2", "password_digest": "argon2i", "password_salt": b64(salt16),
      "password_iterations": 3, "password_memory": 8192, "password_threads": 1}, pw, "argon2", wi, generated_by=A2)
tag_d = argon("argon2d", pw, salt16, m=4096, tc=1, p=8, n=24)
wd = phc("argon2d", 19, 4096, 1, 8, salt16, tag_d)
case("argon2d-v19", "phc", wd, pw, "argon2", wd, generated_by=A2)
tag16 = argon("argon2i", pw, salt16, v=16, m=4096, tc=3, p=1)
w16 = phc("argon2i", 16, 4096, 3, 1, salt16, tag16)
case("argon2i-v16", "phc", w16, pw, "argon2", w16, problems=["argon2_version_not_accepted"], generated_by=A2)
case("argon2i-no-version", "phc", w16.replace("$v=16", ""), pw, "argon2", w16, problems=["argon2_version_not_accepted"], generated_by=A2)
tag_small = argon("argon2id", pw, salt16, m=1024, tc=2, p=1)
ws = phc("argon2id", 19, 1024, 2, 1, salt16, tag_small)
case("argon2id-memory-too-small", "phc", ws, pw, "argon2", ws, problems=["argon2_memory_out_of_range"], generated_by=A2)

# --- PBKDF2 -----------------------------------------------------------------------------------
s16 = bytes.fromhex("8f2a4c6e1b3d5f7092a4c6e8fb1d3f50")
dk256 = pbkdf2("sha256", pw, s16, 600000)
W256 = workos_pbkdf2("sha256", 600000, s16, dk256)
case("pbkdf2-workos-sha256", "workos", W256, pw, "pbkdf2", W256, generated_by=PB)
case("pbkdf2-rustcrypto-sha256", "phc", f"$pbkdf2-sha256$i=600000,l=32${b64n(s16)}${b64n(dk256)}", pw, "pbkdf2", W256, generated_by=PB)
case("pbkdf2-passlib-sha256", "passlib", f"$pbkdf2-sha256$600000${ab64(s16)}${ab64(dk256)}", pw, "pbkdf2", W256, generated_by=PB)
case("pbkdf2-ldap-sha256", "ldap", f"{{PBKDF2-SHA256}}600000${ab64(s16)}${ab64(dk256)}", pw, "pbkdf2", W256, generated_by=PB)
case("pbkdf2-hashcat-sha256", "hashcat", f"sha256:600000:{b64(s16)}:{b64(dk256)}", pw, "pbkdf2", W256, generated_by=PB)
blob = bytes([1]) + struct.pack(">III", 1, 600000, 16) + s16 + dk256
case("pbkdf2-aspnet-v3-sha256", "aspnet-v3", b64(blob), pw, "pbkdf2", W256, generated_by=PB)
for name, fields in [("padded", (b64(dk256), b64(s16))), ("unpadded", (b64n(dk256), b64n(s16))),
                     ("urlsafe", (url(dk256).rstrip("="), url(s16).rstrip("="))), ("hex", (dk256.hex(), s16.hex()))]:
    case(f"pbkdf2-split-{name}", "split-fields",
         {"password_hash": fields[0], "password_hash_type": "pbkdf2", "password_salt": fields[1],
          "password_iterations": 600000, "password_digest": "sha256"}, pw, "pbkdf2", W256, generated_by=PB)

dk512 = pbkdf2("sha512", "pässwörd", s16, 210000)
W512 = workos_pbkdf2("sha512", 210000, s16, dk512)
case("pbkdf2-workos-sha512", "workos", W512, "pässwörd", "pbkdf2", W512, generated_by=PB)
case("pbkdf2-passlib-sha512", "passlib", f"$pbkdf2-sha512$210000${ab64(s16)}${ab64(dk512)}", "pässwörd", "pbkdf2", W512, generated_by=PB)
case("pbkdf2-split-sha512-type", "split-fields",
     {"password_hash": b64(dk512), "password_hash_type": "pbkdf2-sha512", "password_salt": b64(s16),
      "password_iterations": "210000"}, "pässwörd", "pbkdf2", W512, generated_by=PB)
blob = bytes([1]) + struct.pack(">III", 2, 210000, 16) + s16 + dk512
case("pbkdf2-aspnet-v3-sha512", "aspnet-v3", b64(blob), "pässwörd", "pbkdf2", W512, generated_by=PB)

# Django / Werkzeug / Clerk: the salt is text (Clerk's is base64 text, read with --salt-encoding base64)
tsalt = "Qm7vXc2LpR9sTe4w"
dkd = pbkdf2("sha256", pw, tsalt.encode(), 600000)
WD = workos_pbkdf2("sha256", 600000, tsalt.encode(), dkd)
case("pbkdf2-django-sha256", "django", f"pbkdf2_sha256$600000${tsalt}${b64(dkd)}", pw, "pbkdf2", WD, generated_by=PB)
dkw = pbkdf2("sha256", pw, tsalt.encode(), 1000000)
WW = workos_pbkdf2("sha256", 1000000, tsalt.encode(), dkw)
case("pbkdf2-werkzeug-sha256", "werkzeug", f"pbkdf2:sha256:1000000${tsalt}${dkw.hex()}", pw, "pbkdf2", WW, generated_by=PB)
case("pbkdf2-werkzeug-no-iterations", "werkzeug", f"pbkdf2:sha256${tsalt}${dkw.hex()}", pw,
     problems=["pbkdf2_iterations_unknown"], verify=False, generated_by=PB)
dkc = pbkdf2("sha256", pw, s16, 600000)
case("pbkdf2-clerk-base64-salt", "django", f"pbkdf2_sha256$600000${b64(s16)}${b64(dkc)}", pw, "pbkdf2",
     workos_pbkdf2("sha256", 600000, s16, dkc), salt_encoding="base64", generated_by=PB)

# Refused PBKDF2: SHA-1 and too few iterations (the WorkOS spelling still exists; WorkOS's rules refuse it)
dk1 = pbkdf2("sha1", pw, s16, 10000)
W1 = workos_pbkdf2("sha1", 10000, s16, dk1)
case("pbkdf2-passlib-sha1", "passlib", f"$pbkdf2$10000${ab64(s16)}${ab64(dk1)}", pw, "pbkdf2", W1,
     problems=["pbkdf2_digest_not_accepted"], generated_by=PB)
case("pbkdf2-rustcrypto-sha1", "phc", f"$pbkdf2$i=10000,l=20${b64n(s16)}${b64n(dk1)}", pw, "pbkdf2", W1,
     problems=["pbkdf2_digest_not_accepted"], generated_by=PB)
dka = pbkdf2("sha1", pw, s16, 10000, 32)
case("pbkdf2-atlassian", "atlassian", "{PKCS5S2}" + b64(s16 + dka), pw, "pbkdf2", workos_pbkdf2("sha1", 10000, s16, dka),
     problems=["pbkdf2_digest_not_accepted"], generated_by=PB)
dkv2 = pbkdf2("sha1", pw, s16, 1000, 32)
case("pbkdf2-aspnet-v2", "aspnet-v2", b64(bytes([0]) + s16 + dkv2), pw, "pbkdf2", workos_pbkdf2("sha1", 1000, s16, dkv2),
     problems=["pbkdf2_digest_not_accepted"], generated_by=PB)
dkl = pbkdf2("sha256", pw, tsalt.encode(), 260000)
case("pbkdf2-django-too-few-iterations", "django", f"pbkdf2_sha256$260000${tsalt}${b64(dkl)}", pw, "pbkdf2",
     workos_pbkdf2("sha256", 260000, tsalt.encode(), dkl), problems=["pbkdf2_iterations_out_of_range"], generated_by=PB)

# --- scrypt -----------------------------------------------------------------------------------
SC = "hashlib.scrypt"
dks = hashlib.scrypt(pw.encode(), salt=s16, n=16384, r=8, p=1, dklen=64)
WS = f"$scrypt$v=1$n=16384,r=8,p=1,kl=64${b64n(s16)}${b64n(dks)}"
case("scrypt-workos", "workos", WS, pw, "scrypt", WS, generated_by=SC)
dks32 = hashlib.scrypt(pw.encode(), salt=s16, n=16384, r=8, p=1, dklen=32)
WS32 = f"$scrypt$v=1$n=16384,r=8,p=1,kl=32${b64n(s16)}${b64n(dks32)}"
case("scrypt-passlib", "passlib", f"$scrypt$ln=14,r=8,p=1${ab64(s16)}${ab64(dks32)}", pw, "scrypt", WS32, generated_by=SC)
case("scrypt-phc", "phc", f"$scrypt$ln=14,r=8,p=1${b64n(s16)}${b64n(dks32)}", pw, "scrypt", WS32, generated_by=SC)
dkz = hashlib.scrypt(pw.encode(), salt=tsalt.encode(), n=32768, r=8, p=1, dklen=64, maxmem=64 * 1024 * 1024)
case("scrypt-werkzeug", "werkzeug", f"scrypt:32768:8:1${tsalt}${dkz.hex()}", pw, "scrypt",
     f"$scrypt$v=1$n=32768,r=8,p=1,kl=64${b64n(tsalt.encode())}${b64n(dkz)}", generated_by=SC)

# --- Firebase scrypt (firebase/scrypt README example) -----------------------------------------
fsalt, fsk, fss = base64.b64decode("42xEC+ixf3L2lw=="), base64.b64decode(
    "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA=="), base64.b64decode("Bw==")
key = hashlib.scrypt(b"user1password", salt=fsalt + fss, n=1 << 14, r=8, p=1, dklen=64, maxmem=64 * 1024 * 1024)[:32]
enc = Cipher(algorithms.AES(key), modes.CTR(b"\0" * 16)).encryptor()
fhash = enc.update(fsk) + enc.finalize()
WF = f"$firebase-scrypt$hash={b64(fhash)}$salt={b64(fsalt)}$sk={b64(fsk)}$ss={b64(fss)}$r=8$m=14"
case("firebase-split", "split-fields",
     {"password_hash": b64(fhash), "password_hash_type": "firebase", "password_salt": b64(fsalt), "signerKey": b64(fsk),
      "saltSeparator": b64(fss), "password_iterations": 8, "password_memory": 14}, "user1password", "firebase-scrypt", WF,
     generated_by="hashlib.scrypt + cryptography AES-256-CTR (Firebase's algorithm)")
case("firebase-workos", "workos", WF, "user1password", "firebase-scrypt", WF,
     generated_by="hashlib.scrypt + cryptography AES-256-CTR (Firebase's algorithm)")

# --- SSHA ---------------------------------------------------------------------------------------
ssalt = bytes.fromhex("a1b2c3d4e5f60718")
d1 = hashlib.sha1(pw.encode() + ssalt).digest()
case("ssha", "ldap", "{SSHA}" + b64(d1 + ssalt), pw, "ssha", "{SSHA}" + b64(d1 + ssalt), generated_by="hashlib.sha1")
d2 = hashlib.sha256(pw.encode() + ssalt).digest()
case("ssha256", "ldap", "{SSHA256}" + b64(d2 + ssalt), pw, "ssha256", "{SSHA256}" + b64(d2 + ssalt), generated_by="hashlib.sha256")

# --- recognised, never importable ---------------------------------------------------------------
case("md5-hex", "hex", hashlib.md5(pw.encode()).hexdigest(), pw, problems=["family_not_importable"], verify=False, generated_by="hashlib.md5")
case("sha1-hex", "hex", hashlib.sha1(pw.encode()).hexdigest(), pw, problems=["family_not_importable"], verify=False, generated_by="hashlib.sha1")
case("phpass", "phpass", "$P$984478476IagS59wHZvyQMArzfx58u.", "test", problems=["family_not_importable"], verify=False,
     generated_by="phpass documentation example")
case("md5-split", "split-fields", {"password_hash": hashlib.md5(pw.encode()).hexdigest(), "password_hash_type": "md5"}, pw,
     problems=["family_not_importable"], verify=False, generated_by="hashlib.md5")

# --- Descope's hashedPassword object (descope-hash-objects.md): raw bytes as standard padded base64 --------
DO = "descope-object"
case("descope-argon2", DO, {"argon2": {"hash": b64(tag), "salt": b64(salt16), "iterations": 3, "memory": 65536, "threads": 4}},
     pw, "argon2", w, generated_by=A2)
case("descope-argon2-wrapped-strings", DO, {"hashedPassword": {"argon2": {"hash": b64(tag), "salt": b64(salt16),
     "iterations": "3", "memory": "65536", "threads": "4"}}}, pw, "argon2", w, generated_by=A2)
case("descope-argon2-any-case", DO, {"HashedPassword": {"Argon2": {"Hash": b64(tag), "SALT": b64(salt16),
     "Iterations": 3, "Memory": 65536, "Threads": 4}}}, pw, "argon2", w, generated_by=A2)
case("descope-pbkdf2-sha256", DO, {"pbkdf2": {"hash": b64(dk256), "salt": b64(s16), "iterations": 600000, "type": "sha256"}},
     pw, "pbkdf2", W256, generated_by=PB)
case("descope-pbkdf2-sha512", DO, {"hashedPassword": {"pbkdf2": {"hash": b64(dk512), "salt": b64(s16), "iterations": "210000",
     "type": "sha512"}}}, "pässwörd", "pbkdf2", W512, generated_by=PB)
case("descope-pbkdf2-sha1-refused", DO, {"pbkdf2": {"hash": b64(dk1), "salt": b64(s16), "iterations": 10000, "type": "sha1"}},
     pw, "pbkdf2", W1, problems=["pbkdf2_digest_not_accepted"], generated_by=PB)
case("descope-bcrypt", DO, {"bcrypt": {"hash": h2b}}, "pässwörd", "bcrypt", h2b, generated_by="pyca/bcrypt hashpw")
case("descope-django-pbkdf2", DO, {"django": {"hash": f"pbkdf2_sha256$600000${tsalt}${b64(dkd)}"}}, pw, "pbkdf2", WD, generated_by=PB)
case("descope-django-argon2", DO, {"hashedPassword": {"django": {"hash": "argon2" + w}}}, pw, "argon2", w, generated_by=A2)
case("descope-firebase", DO, {"firebase": {"hash": b64(fhash), "salt": b64(fsalt), "saltSeparator": b64(fss), "signerKey": b64(fsk),
     "memory": 14, "rounds": 8}}, "user1password", "firebase-scrypt", WF,
     generated_by="hashlib.scrypt + cryptography AES-256-CTR (Firebase's algorithm)")
case("descope-firebase-snake-case", DO, {"firebase": {"hash": b64(fhash), "salt": b64(fsalt), "salt_separator": b64(fss),
     "signer_key": b64(fsk), "memory": "14", "rounds": "8"}}, "user1password", "firebase-scrypt", WF,
     generated_by="hashlib.scrypt + cryptography AES-256-CTR (Firebase's algorithm)")
case("descope-md5-refused", DO, {"md5": {"hash": hashlib.md5(pw.encode()).hexdigest()}}, pw,
     problems=["family_not_importable"], verify=False, generated_by="hashlib.md5")
case("descope-sha-refused", DO, {"sha": {"hash": hashlib.sha256(pw.encode() + ssalt).hexdigest(), "type": "sha256", "salt": ssalt.hex()}},
     pw, problems=["family_not_importable"], verify=False, generated_by="hashlib.sha256")
case("descope-phpass-refused", DO, {"phpass": {"hash": "IagS59wHZvyQMArzfx58u.", "salt": "84478476", "iterations": 2048, "type": "md5"}},
     "test", problems=["family_not_importable"], verify=False, generated_by="phpass documentation example, split")
# Malformed objects: a precise problem naming what is wrong, never unknown_format
bad = [("unknown-kind", {"scrypt": {"hash": b64(dk256)}}, "descope_object_unknown_kind"),
       ("two-kinds", {"bcrypt": {"hash": h2b}, "argon2": {"hash": b64(tag)}}, "descope_object_two_kinds"),
       ("missing-salt", {"argon2": {"hash": b64(tag), "iterations": 3, "memory": 65536, "threads": 4}}, "missing_field"),
       ("bad-base64", {"pbkdf2": {"hash": b64(dk256)[:-2] + "!=", "salt": b64(s16), "iterations": 600000, "type": "sha256"}}, "bad_base64"),
       ("iterations-not-a-number", {"pbkdf2": {"hash": b64(dk256), "salt": b64(s16), "iterations": "600k", "type": "sha256"}}, "bad_number"),
       ("nested-deeper", {"argon2": {"hash": {"value": b64(tag)}, "salt": b64(s16)}}, "descope_object_nested"),
       ("unknown-field", {"argon2": {"hash": b64(tag), "salt": b64(salt16), "iterations": 3, "memory": 65536, "threads": 4,
                                     "variant": "argon2i"}}, "descope_object_unknown_field")]
for name, obj, code in bad:
    case(f"descope-bad-{name}", DO, obj, pw, problems=[code], verify=False, generated_by="malformed on purpose")

json.dump({"description": __doc__.strip().splitlines()[0], "cases": cases}, sys.stdout, indent=1, ensure_ascii=False)
print()

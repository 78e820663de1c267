"""The password-hash half of the Python peer (inspect_convert.py): recognise a hash in the spellings the benchmark
matrix holds, decode it strictly, apply WorkOS's acceptance rules (reference/hash-formats.md §1) and write the
WorkOS string — the same steps, in the same order, as PasswordHashes' HashDetector, DescopeHashObject and
WorkOSPolicy (standard library only: re, base64, binascii, json). The parsers are in peer_hash_parse.py.

Read: bcrypt MCF (also Django's bcrypt$), Argon2 PHC (also Django's argon2$), PBKDF2 in the WorkOS/PHC/passlib
`$pbkdf2` forms and Django's pbkdf2_<digest>$, split fields (hash/salt/iterations/memory/threads/digest with an
algorithm column, or none) and Descope's hashedPassword objects (argon2, pbkdf2, bcrypt). Any other spelling is
`unknown_format` here (hashport reads more families; none of them is in the matrix).
"""
import json, re

from peer_hash_parse import (MAX_LENGTH, MAX_JSON_LENGTH, UINT32, HashProblem, Hash, problem, EMPTY, NON_ASCII,
                             UNKNOWN_FORMAT, UNKNOWN_DIGEST, CONTROL, TOO_LONG, BAD_JSON, malformed, bad_length,
                             missing, number, b64decode, b64, hexdecode, digest_name, bcrypt, argon2_build,
                             argon2_phc, pbkdf2_build, pbkdf2_mcf, pbkdf2_django, argon2_split, pbkdf2_split)

# --- one string --------------------------------------------------------------------------------------------
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def detect(text):
    """Any single-string spelling, or a JSON object (Descope's hashedPassword object)."""
    n = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if n == 0:
        raise EMPTY
    if n > MAX_JSON_LENGTH:
        raise TOO_LONG
    b = text.strip(" \t\r\n")
    if not b:
        raise EMPTY
    if b[0] == "{" and b[1:].lstrip(" \t\r\n")[:1] in ('"', "}"):
        return detect_json(text)
    if n > MAX_LENGTH:
        raise TOO_LONG
    if not b.isascii():
        raise NON_ASCII
    if CONTROL_RE.search(b):
        raise CONTROL
    if b.startswith("$2"):
        return bcrypt(b)
    if b.startswith("$argon2"):
        return argon2_phc(b, original=b)
    if b.startswith("$pbkdf2"):
        return pbkdf2_mcf(b)
    if b.startswith("pbkdf2_"):
        return pbkdf2_django(b)
    if b.startswith("argon2$"):
        h = argon2_phc(b[6:])
        h.spelling = "django"
        return h
    if b.startswith("bcrypt$$2"):
        h = bcrypt(b[7:])
        h.spelling = "django"
        return h
    raise UNKNOWN_FORMAT



PLAIN_TYPES = {"", "bcrypt", "django", "phpass", "scrypt", "ssha", "ssha256", "werkzeug", "passlib", "aspnet", "hashcat"}


def detect_fields(h, type_=None, salt=None, iterations=None, memory=None, threads=None, digest=None):
    """Split hash fields (CSV columns), as HashDetector.detect(fields:); a full string in `h` speaks for itself."""
    for v in (h, type_, salt, iterations, memory, threads, digest):
        if v and len(v) > MAX_LENGTH:
            raise TOO_LONG
    if not h:
        raise EMPTY
    t = (type_ or "").lower()
    if "$" in h or ":" in h or "{" in h:
        return detect(h)
    split = bool(salt)
    if t in ("argon2", "argon2id", "argon2i", "argon2d"):
        if not split:
            return detect(h)
        return argon2_split(h, salt, iterations, memory, threads, digest if (digest or t == "argon2") else t)
    if t.startswith("pbkdf2"):
        return pbkdf2_split(h, salt, iterations, digest, type_) if split else detect(h)
    if t in PLAIN_TYPES:
        if split and t == "":
            if memory and threads:
                return argon2_split(h, salt, iterations, memory, threads, digest)
            if iterations and digest_name(digest or ""):
                return pbkdf2_split(h, salt, iterations, digest, type_)
            raise problem("unknown_format", "The split hash fields carry a salt but no type, and their parameters do not say which algorithm made them.")
        return detect(h)
    raise problem("unknown_hash_type", "The hash type in password_hash_type is not one hashport recognises.")


# --- Descope's hashedPassword object -----------------------------------------------------------------------
KINDS = ("bcrypt", "argon2", "pbkdf2", "firebase", "django", "phpass", "md5", "sha")
FIELDS = {"hash": "hash", "salt": "salt", "iterations": "iterations", "memory": "memory", "threads": "threads",
          "type": "type", "saltseparator": "saltSeparator", "signerkey": "signerKey", "rounds": "rounds"}
OBJ = "Descope hashedPassword"


def norm_key(k):
    return k.replace("_", "").replace("-", "").replace(" ", "").lower()


def detect_json(text):
    try:
        members = json.loads(text)
    except ValueError:
        raise BAD_JSON
    if not isinstance(members, dict):
        raise BAD_JSON
    if any(isinstance(v, dict) or norm_key(k) in KINDS for k, v in members.items()):
        return descope_object(members)
    raise UNKNOWN_FORMAT  # a JSON object of split fields: not in the matrix


def descope_object(members):
    if len(members) == 1:
        (key, value), = members.items()
        if norm_key(key) == "hashedpassword":
            if not isinstance(value, dict):
                raise problem("descope_object_malformed", f"The {OBJ} value is not an object of one hash kind.")
            members = value
    if not members:
        raise problem("descope_object_no_kind", f"The {OBJ} object is empty; it needs one key naming the hash kind.")
    if len(members) > 1:
        named = [k for k in members if norm_key(k) in KINDS]
        if len(named) > 1:
            raise problem("descope_object_two_kinds", f"The {OBJ} object names more than one hash kind; it must hold exactly one.")
        raise problem("descope_object_malformed", f"The {OBJ} object has {len(members)} keys; it must hold exactly one, naming the hash kind.")
    (key, inner), = members.items()
    kind = norm_key(key)
    if kind not in KINDS:
        raise problem("descope_object_unknown_kind", f"The {OBJ} kind is not one Descope defines.")
    if not isinstance(inner, dict):
        raise problem("descope_object_malformed", f"The {OBJ} {kind} value is not an object of fields.")
    fields = {}
    for k, v in inner.items():
        field = FIELDS.get(norm_key(k))
        if field is None:
            raise problem("descope_object_unknown_field", f"The {OBJ} {kind} object has a field that Descope's schema does not define.")
        if v is None:
            continue
        if isinstance(v, bool):
            raise problem("descope_object_malformed", f"The {OBJ} {kind} field {field} is a boolean, not a string or a number.")
        if isinstance(v, (dict, list)):
            raise problem("descope_object_nested", f"The {OBJ} {kind} field {field} nests deeper than one level.")
        if field in fields:
            raise problem("descope_object_malformed", f"The {OBJ} {kind} object gives its {field} twice.")
        s = v if isinstance(v, str) else str(v)
        if s:
            fields[field] = s
    what = f"{OBJ} {kind}"

    def need(field):
        v = fields.get(field)
        if v is None:
            raise missing(what, field)
        return v

    if kind == "bcrypt":
        h = detect(need("hash"))
        if h.family != "bcrypt":
            raise malformed(what, "the hash is not a bcrypt string")
        return h
    if kind == "argon2":
        tag = b64decode(need("hash"), what, "hash", padding="optional")
        salt = b64decode(need("salt"), what, "salt", padding="optional")
        t = number(need("iterations"), what, "iterations", 1, UINT32)
        m = number(need("memory"), what, "memory", 1, UINT32)
        p = number(need("threads"), what, "threads", 1, 0xFFFFFF)
        return argon2_build("argon2id", 19, m, t, p, salt, tag)
    if kind == "pbkdf2":
        d = digest_name(need("type"))
        if d is None:
            raise UNKNOWN_DIGEST
        key = b64decode(need("hash"), what, "hash", padding="optional")
        salt = b64decode(need("salt"), what, "salt", padding="optional")
        i = number(need("iterations"), what, "iterations", 1, UINT32)
        return pbkdf2_build(d, i, salt, key)
    if kind == "django":
        h = detect(need("hash"))
        if h.spelling != "django":
            raise malformed(what, "the hash is not a Django hash string (pbkdf2_sha256$…, argon2$…, bcrypt$…)")
        return h
    if kind in ("md5", "sha"):
        digest = hexdecode(need("hash"), what, "hash")
        if kind == "md5":
            if len(digest) != 16:
                raise bad_length(what, "an MD5 digest is 16 bytes (32 hex digits)")
            return Hash("md5", "", (), digest=digest)
        d = digest_name(need("type"))
        if d is None:
            raise problem("unknown_hash_type", "The hash type of the sha object (expected sha1, sha256 or sha512) is not one hashport recognises.")
        if len(digest) != {"sha1": 20, "sha256": 32, "sha512": 64}[d]:
            raise bad_length(what, f"a {d.upper()} digest has another length")
        return Hash("sha", d, (), hexdecode(fields["salt"], what, "salt") if "salt" in fields else b"", digest)
    raise UNKNOWN_FORMAT  # firebase and phpass objects: not in the matrix


# --- WorkOS's rules and string -----------------------------------------------------------------------------
RESET = "this user will need a password reset"


def policy(h):
    """The first of WorkOS's rules the hash breaks, None when WorkOS takes it."""
    p = dict(h.params)
    if h.family == "bcrypt":
        if h.variant not in ("2a", "2b", "2y"):
            return problem("bcrypt_variant_not_supported", f"This bcrypt variant cannot be imported into WorkOS; {RESET}.")
    elif h.family == "pbkdf2":
        i = p["i"]
        if h.variant in ("sha256", "sha512"):
            lo = 600_000 if h.variant == "sha256" else 210_000
            if not lo <= i <= 1_000_000:
                return problem("pbkdf2_iterations_out_of_range",
                               f"PBKDF2-{h.variant.upper()} with {i} iterations cannot be imported into WorkOS: it accepts {lo}–1000000 iterations; {RESET}.")
        else:
            return problem("pbkdf2_digest_not_accepted",
                           f"PBKDF2-{h.variant.upper()} cannot be imported into WorkOS: it accepts sha256 or sha512 only; {RESET}.")
    elif h.family in ("md5", "sha"):
        what = "MD5 hashes" if h.family == "md5" else "Unsalted or unknown-layout SHA hashes"
        return problem("family_not_importable", f"{what} cannot be imported into WorkOS; {RESET}.")
    elif h.family == "argon2":
        if h.extras and "keyid" in h.extras:
            return problem("argon2_keyed_hash", f"This Argon2 hash was made with a secret key (pepper); WorkOS cannot verify it, so {RESET}.")
        if h.extras and h.extras.get("data"):
            return problem("argon2_associated_data", f"This Argon2 hash binds associated data (data=); {RESET}.")
        if p["v"] != 19:
            return problem("argon2_version_not_accepted", f"Argon2 version {p['v']} hashes cannot be imported into WorkOS: it accepts version 19 only; {RESET}.")
        if not 4096 <= p["m"] <= 262144:
            return problem("argon2_memory_out_of_range", f"Argon2 memory cost m={p['m']} KiB cannot be imported into WorkOS: it accepts 4096–262144 KiB; {RESET}.")
        lo = 3 if h.variant == "argon2i" else 1
        if not lo <= p["t"] <= 5:
            return problem("argon2_time_out_of_range", f"Argon2 time cost t={p['t']} cannot be imported into WorkOS: it accepts {lo}–5 for {h.variant}; {RESET}.")
        if not 1 <= p["p"] <= 8:
            return problem("argon2_parallelism_out_of_range", f"Argon2 parallelism p={p['p']} cannot be imported into WorkOS: it accepts 1–8; {RESET}.")
    return None


def workos_string(h):
    """(password_hash_type, password_hash) exactly as WorkOS takes them."""
    if h.family == "bcrypt":
        return "bcrypt", h.original
    if h.family == "argon2":
        if h.original:
            return "argon2", h.original
        p = dict(h.params)
        return "argon2", f"${h.variant}$v={p['v']}$m={p['m']},t={p['t']},p={p['p']}${b64(h.salt)}${b64(h.digest)}"
    return "pbkdf2", h.original or f"$pbkdf2$i={h.params[0][1]},d={h.variant}${b64(h.salt)}${b64(h.digest)}"


def label(h):
    """`argon2id m=65536 t=3 p=4`, `bcrypt 2b cost=10`, `pbkdf2 sha256 i=600000`: what WorkOS's rules look at."""
    head = h.family if not h.variant else h.variant if h.variant.startswith(h.family) else f"{h.family} {h.variant}"
    params = " ".join(f"{k}={v}" for k, v in h.params if not (h.family == "argon2" and k == "v" and v == 19))
    return f"{head} {params}" if params else head


def map_password(fields):
    """(family, label, (type, string) or None, problem or None) for a row's hash fields (a dict, never empty)."""
    try:
        h = detect_fields(fields.get("hash"), fields.get("type"), fields.get("salt"), fields.get("iterations"),
                          fields.get("memory"), fields.get("threads"), fields.get("digest"))
    except HashProblem as p:
        return "unknown", "unreadable", None, p
    refused = policy(h)
    return h.family, label(h), (None if refused else workos_string(h)), refused

"""Strict parsers for the hash spellings of the benchmark matrix, for the Python peer (peer_hashes.py puts them
together): problems with hashport's codes, strict base64 (alphabet, padding, zero padding bits), plain decimals,
digest names; bcrypt MCF, Argon2 PHC, PBKDF2 ($pbkdf2 forms, Django) and split hash/salt fields — as PasswordHashes'
BcryptHash, Argon2Hash, PBKDF2Hash and SplitFieldBytes read them (standard library only).
"""
import base64, binascii, re

MAX_LENGTH = 4096
MAX_JSON_LENGTH = 16 * 1024
UINT32 = 2**32 - 1


class HashProblem(Exception):
    def __init__(self, code, message):
        super().__init__(code)
        self.code, self.message = code, message


class Hash:
    __slots__ = ("family", "variant", "params", "salt", "digest", "original", "extras", "spelling")

    def __init__(self, family, variant, params, salt=b"", digest=b"", original=None, extras=None, spelling=None):
        self.family, self.variant, self.params = family, variant, params
        self.salt, self.digest, self.original, self.extras = salt, digest, original, extras
        self.spelling = spelling


def problem(code, message):
    return HashProblem(code, message)


EMPTY = problem("empty", "The password hash is empty.")
NON_ASCII = problem("non_ascii", "The password hash contains non-ASCII characters; every supported format is ASCII.")
UNKNOWN_FORMAT = problem("unknown_format", "The text is not a password hash format hashport recognises.")
UNKNOWN_DIGEST = problem("pbkdf2_unknown_digest", "The PBKDF2 digest is not SHA-1, SHA-256 or SHA-512.")
UNKNOWN_VARIANT = problem("argon2_unknown_variant", "The Argon2 type is not argon2i, argon2d or argon2id.")
CONTROL = problem("control_character", "The password hash contains a control character.")
TOO_LONG = problem("too_long", f"The password hash is longer than {MAX_LENGTH} bytes; no supported format is that long.")
BAD_JSON = problem("bad_json", "The input is not a well-formed JSON object of hash fields.")


def truncated(what, detail): return problem("truncated", f"The {what} hash is truncated: {detail}.")
def malformed(what, detail): return problem("malformed", f"The {what} hash is malformed: {detail}.")
def bad_length(what, detail): return problem("bad_length", f"The {what} hash has the wrong length: {detail}.")
def missing(what, field): return problem("missing_field", f"The {what} hash has no {field}.")


def bad_encoding(what, field, why, hex_=False):
    kind = "hex" if hex_ else "base64"
    return problem("bad_hex" if hex_ else "bad_base64", f"The {what} {field} is not valid {kind}: {why}.")


def number(text, what, param, lo, hi):
    """A plain decimal within lo..hi (no sign, no leading zero), or the problem naming the parameter."""
    if not text:
        raise missing(what, param)
    if len(text) > 1 and text[0] == "0":
        raise problem("leading_zero", f"The {what} parameter {param} has a leading zero; the format requires plain decimals.")
    if not (text.isascii() and text.isdigit()):
        raise problem("bad_number", f"The {what} parameter {param} is not a decimal number.")
    v = int(text)
    if not lo <= v <= hi:
        raise problem("parameter_out_of_range", f"The {what} parameter {param} is outside {lo}…{hi}, the range the algorithm allows.")
    return v


TO_STD = str.maketrans("-_", "+/")
PASSLIB_TO_STD = str.maketrans(".", "+")


def b64decode(text, what, field, padding="forbidden", alphabet="standard"):
    """Strict base64: the alphabet only, '=' only where `padding` allows it, zero padding bits (canonical)."""
    body = text.rstrip("=")
    pads = len(text) - len(body)
    if pads > 3:  # a fourth '=' is a character outside the alphabet
        body, pads = text[:len(text) - 3], 3
    if pads:
        if padding == "forbidden" or (len(body) + pads) % 4 or pads > 2:
            raise bad_encoding(what, field, "its '=' padding is wrong for this format")
    elif padding == "required" and len(body) % 4:
        raise bad_encoding(what, field, "its '=' padding is wrong for this format")
    if len(body) % 4 == 1:
        raise bad_encoding(what, field, "its length is impossible for base64")
    if alphabet == "urlsafe":
        if "+" in body or "/" in body:
            raise bad_encoding(what, field, "it contains a character outside the base64 alphabet")
        body = body.translate(TO_STD)
    elif alphabet == "passlib":
        if "+" in body:
            raise bad_encoding(what, field, "it contains a character outside the base64 alphabet")
        body = body.translate(PASSLIB_TO_STD)
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise bad_encoding(what, field, "it contains a character outside the base64 alphabet")
    if base64.b64encode(raw).decode().rstrip("=") != body:
        raise bad_encoding(what, field, "its last character has nonzero padding bits (not a canonical encoding)")
    return raw


def b64(raw):
    return base64.b64encode(raw).decode().rstrip("=")


HEX_RE = re.compile(r"[0-9a-fA-F]*")


def hexdecode(text, what, field):
    if len(text) % 2:
        raise bad_encoding(what, field, "its length is impossible for hex", hex_=True)
    try:
        return bytes.fromhex(text) if HEX_RE.fullmatch(text) else bytes.fromhex("zz")
    except ValueError:
        raise bad_encoding(what, field, "it contains a character outside the hex alphabet", hex_=True)


SHORT_DIGESTS = {"sha1": "sha1", "sha": "sha1", "sha256": "sha256", "sha512": "sha512"}


def digest_name(text):
    """'sha256' from 'sha256', 'SHA-256', 'pbkdf2_sha256', 'HMAC-SHA256', …; None when not SHA-1/256/512."""
    s = text.replace("-", "").replace("_", "").replace(":", "").lower()
    for prefix in ("", "pbkdf2", "hmac"):
        if s.startswith(prefix):
            d = SHORT_DIGESTS.get(s[len(prefix):])
            if d:
                return d
    return None


# --- bcrypt ------------------------------------------------------------------------------------------------
BCRYPT_RE = re.compile(r"\$2([abyx]?)\$(\d\d)\$([./A-Za-z0-9]{21})([.Oeu])([./A-Za-z0-9]{30})([.CGKOSWaeimquy26])")
BCRYPT_CHARS = re.compile(r"[./A-Za-z0-9]*")


def bcrypt(b):
    m = BCRYPT_RE.fullmatch(b)
    if m and 4 <= int(m.group(2)) <= 31:
        return Hash("bcrypt", "2" + m.group(1), (("cost", int(m.group(2))),), original=b)
    # Not the well-formed shape: say why, as hashport does.
    v = b[2:3]
    if v != "$" and v not in ("a", "b", "y", "x"):
        raise problem("bcrypt_unknown_variant", "The bcrypt prefix is not one of $2a$, $2b$, $2y$, $2x$ or $2$ (prefixes are lower-case).")
    i = 3 if v == "$" else 4
    if v != "$" and b[3:4] != "$":
        raise malformed("bcrypt", "the prefix must end with '$'")
    cost = b[i:i + 2]
    if len(b) - i < 3:
        raise truncated("bcrypt", "the cost is missing")
    if not cost[:1].isdigit():
        raise problem("bad_number", "The bcrypt parameter cost is not a decimal number.")
    if not cost[1:2].isdigit() or b[i + 2:i + 3] != "$":
        raise malformed("bcrypt", "the cost must be exactly two digits (04–31) followed by '$'")
    if not 4 <= int(cost) <= 31:
        raise problem("parameter_out_of_range", "The bcrypt parameter cost is outside 4…31, the range the algorithm allows.")
    rest = b[i + 3:]
    if len(rest) < 53:
        raise truncated("bcrypt", f"expected 22 salt and 31 hash characters after the cost, found {len(rest)}")
    if len(rest) > 53:
        raise bad_length("bcrypt", f"{len(rest) - 53} characters follow the 53 salt and hash characters")
    for field, part in (("salt", rest[:22]), ("hash", rest[22:])):
        if not BCRYPT_CHARS.fullmatch(part):
            raise bad_encoding("bcrypt", field, "it contains a character outside the base64 alphabet")
    raise bad_encoding("bcrypt", "salt" if rest[21] not in ".Oeu" else "hash",
                       "its last character has nonzero padding bits (not a canonical encoding)")


# --- Argon2 ------------------------------------------------------------------------------------------------
ARGON2_VARIANTS = ("argon2id", "argon2i", "argon2d")


def argon2_build(variant, version, m, t, p, salt, tag, original=None, extras=None):
    if m < 8 * p:
        raise problem("parameter_out_of_range", "The Argon2 memory m is less than 8 KiB per lane (8 × p).")
    if not 8 <= len(salt) <= 1024:
        raise bad_length("Argon2", "the salt must be 8–1024 bytes")
    if not 12 <= len(tag) <= 64:
        raise bad_length("Argon2", "the hash (tag) must be 12–64 bytes")
    return Hash("argon2", variant, (("v", version), ("m", m), ("t", t), ("p", p)), salt, tag, original, extras)


def argon2_phc(b, original=None):
    """`$argon2id[$v=19]$m=..,t=..,p=..[,keyid=..][,data=..]$salt$tag`."""
    parts = b.split("$")
    if len(parts) < 2 or not parts[1]:
        raise truncated("Argon2", "expected variant, parameters, salt and tag")
    if parts[1] not in ARGON2_VARIANTS:
        raise UNKNOWN_VARIANT
    rest = parts[2:]
    version, has_version = 16, bool(rest) and rest[0].startswith("v=")
    if has_version:
        version = number(rest[0][2:], "Argon2", "v", 0, UINT32)
        if version not in (16, 19):
            raise problem("argon2_unknown_version", "The Argon2 version is neither 16 nor 19.")
        rest = rest[1:]
    if len(rest) < 3:
        raise truncated("Argon2", "expected parameters, salt and tag")
    if len(rest) > 3:
        raise malformed("Argon2", "it has too many '$'-separated fields")
    params, salt_text, tag_text = rest
    kv = params.split(",")
    if len(kv) < 3 or kv[0][:2] != "m=" or kv[1][:2] != "t=" or kv[2][:2] != "p=":
        raise malformed("Argon2", "the parameters must be m=,t=,p= in that order")
    m = number(kv[0][2:], "Argon2", "m", 1, UINT32)
    t = number(kv[1][2:], "Argon2", "t", 1, UINT32)
    p = number(kv[2][2:], "Argon2", "p", 1, 0xFFFFFF)
    extras = None
    more = kv[3:]
    if more and more[0].startswith("keyid="):
        extras = {"keyid": b64decode(more.pop(0)[6:], "Argon2", "keyid")}
    if more and more[0].startswith("data="):
        extras = dict(extras or {}, data=b64decode(more.pop(0)[5:], "Argon2", "data"))
    if more:
        raise problem("unknown_parameter", "The Argon2 hash has a parameter hashport does not know.")
    salt = b64decode(salt_text, "Argon2", "salt")
    tag = b64decode(tag_text, "Argon2", "hash")
    return argon2_build(parts[1], version, m, t, p, salt, tag,
                        original=original if has_version and extras is None else None, extras=extras)


# --- PBKDF2 ------------------------------------------------------------------------------------------------
def pbkdf2_build(digest, iterations, salt, key):
    if not salt:
        raise missing("PBKDF2", "salt")
    if not 1 <= len(key) <= 1024:
        raise bad_length("PBKDF2", "the derived key must be 1–1024 bytes")
    return Hash("pbkdf2", digest, (("i", iterations),), salt, key)


def pbkdf2_mcf(b):
    """`$pbkdf2$i=N,d=sha256$salt$hash` (WorkOS), `$pbkdf2-sha256$i=N,l=L$…` (PHC), `$pbkdf2-sha256$N$…` (passlib)."""
    parts = b.split("$")
    if len(parts) > 6:
        raise malformed("PBKDF2", "too many '$'-separated fields")
    if len(parts) != 5:
        raise truncated("PBKDF2", "expected parameters, salt and hash") if len(parts) < 5 else malformed("PBKDF2", "too many fields")
    ident = parts[1]
    digest = "sha1" if ident == "pbkdf2" else digest_name(ident)
    if digest is None:
        raise UNKNOWN_DIGEST
    if parts[2][:1].isdigit():
        i = number(parts[2], "PBKDF2", "rounds", 1, UINT32)
        salt = b64decode(parts[3], "PBKDF2", "salt", alphabet="passlib")
        key = b64decode(parts[4], "PBKDF2", "hash", alphabet="passlib")
        return pbkdf2_build(digest, i, salt, key)
    kv = parts[2].split(",")
    if len(kv) > 4:
        raise problem("unknown_parameter", "The PBKDF2 hash has a parameter hashport does not know.")
    i = l = None
    saw_d = False
    for item in kv:
        if item.startswith("i=") and i is None:
            i = number(item[2:], "PBKDF2", "i", 1, UINT32)
        elif item.startswith("l=") and l is None:
            l = number(item[2:], "PBKDF2", "l", 1, 1024)
        elif item.startswith("d=") and not saw_d:
            d = digest_name(item[2:])
            if d is None:
                raise UNKNOWN_DIGEST
            if ident != "pbkdf2" and d != digest:
                raise malformed("PBKDF2", "the d= digest contradicts the identifier")
            digest, saw_d = d, True
        else:
            raise problem("unknown_parameter", "The PBKDF2 hash has a parameter hashport does not know.")
    if i is None:
        raise missing("PBKDF2", "iteration count (i=)")
    salt = b64decode(parts[3], "PBKDF2", "salt")
    key = b64decode(parts[4], "PBKDF2", "hash")
    if l is not None and l != len(key):
        raise bad_length("PBKDF2", "l= does not match the hash length")
    h = pbkdf2_build(digest, i, salt, key)
    if ident == "pbkdf2" and saw_d and len(kv) == 2 and kv[0].startswith("i=") and kv[1] in ("d=sha256", "d=sha512", "d=sha1"):
        h.original = b  # already the WorkOS string
    return h


def pbkdf2_django(b):
    """`pbkdf2_sha256$600000$salt$b64hash`: the salt is text."""
    parts = b.split("$")
    if len(parts) != 4:
        raise malformed("PBKDF2", "a Django PBKDF2 hash has four '$'-separated fields")
    digest = digest_name(parts[0])
    if digest is None:
        raise UNKNOWN_DIGEST
    i = number(parts[1], "PBKDF2", "iterations", 1, UINT32)
    key = b64decode(parts[3], "PBKDF2", "hash", padding="optional")
    h = pbkdf2_build(digest, i, parts[2].encode(), key)
    h.spelling = "django"
    return h



# --- split fields ------------------------------------------------------------------------------------------
def split_bytes(h, salt, what):
    """Hash and salt text whose encoding no spelling fixes: all-hex → hex, '-'/'_' → url-safe, else std base64."""
    if not h:
        raise missing(what, "hash")
    if not salt:
        raise missing(what, "salt")
    if len(h) % 2 == 0 and HEX_RE.fullmatch(h):
        return hexdecode(h, what, "hash"), hexdecode(salt, what, "salt")
    alphabet = "urlsafe" if ("-" in h or "_" in h) else "standard"
    key = b64decode(h, what, "hash", padding="optional", alphabet=alphabet)
    salt_alphabet = "urlsafe" if ("-" in salt or "_" in salt) else "standard"
    return key, b64decode(salt, what, "salt", padding="optional", alphabet=salt_alphabet)


def argon2_split(h, salt, iterations, memory, threads, digest):
    variant = "argon2id"
    if digest:
        if digest.lower() not in ARGON2_VARIANTS:
            raise UNKNOWN_VARIANT
        variant = digest.lower()
    if not iterations:
        raise missing("Argon2", "iterations (t)")
    if not memory:
        raise missing("Argon2", "memory (m)")
    if not threads:
        raise missing("Argon2", "threads (p)")
    t = number(iterations, "Argon2", "t", 1, UINT32)
    m = number(memory, "Argon2", "m", 1, UINT32)
    p = number(threads, "Argon2", "p", 1, 0xFFFFFF)
    tag, salt_bytes = split_bytes(h, salt, "Argon2")
    return argon2_build(variant, 19, m, t, p, salt_bytes, tag)


def pbkdf2_split(h, salt, iterations, digest, type_):
    if digest:
        d = digest_name(digest)
        if d is None:
            raise UNKNOWN_DIGEST
    else:
        d = digest_name(type_) if type_ else None
    if d is None:
        raise missing("PBKDF2", "digest (sha1, sha256 or sha512)")
    if not iterations:
        raise missing("PBKDF2", "iteration count")
    i = number(iterations, "PBKDF2", "iterations", 1, UINT32)
    key, salt_bytes = split_bytes(h, salt, "PBKDF2")
    return pbkdf2_build(d, i, salt_bytes, key)

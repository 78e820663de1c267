#!/usr/bin/env python3
"""The Python equivalent of `hashport inspect` and `hashport convert -o F.jsonl` for the benchmark:
csv module + base64/hashlib, written the way a careful engineer would write a one-off migration script.

    inspect_convert.py inspect users.csv [--report r.json]
    inspect_convert.py convert users.csv -o out.jsonl

Same work per row as hashport: header aliases, email check and duplicate check (case-insensitive),
skipped disabled/test users, external_id rule, name split, metadata, hash recognition (bcrypt, argon2 PHC,
PHC/Django PBKDF2) with strict base64 decoding, WorkOS's acceptance rules, the WorkOS string, outcomes,
problems grouped by code with the first rows; convert writes one JSON record per row.
"""
import argparse, base64, binascii, csv, datetime, json, re, sys

ALIASES = {
    "user_id": ["userid", "id", "descopeuserid"], "email": ["email", "emailaddress"],
    "email_verified": ["verifiedemail", "emailverified"], "name": ["name", "displayname", "fullname"],
    "given_name": ["givenname", "firstname"], "family_name": ["familyname", "lastname"],
    "status": ["status"], "created_at": ["createdtime", "createdat"], "test": ["test"],
    "password_hash": ["passwordhash", "hashedpassword", "hash"],
}
EMAIL_RE = re.compile(r'^[^@\s"(),:;<>\[\\\]]{1,64}@[^@\s"(),:;<>\[\\\]]+\.[^@\s"(),:;<>\[\\\]]+$')
BCRYPT_RE = re.compile(r"^\$(2[abyx]?)\$(\d\d)\$([./A-Za-z0-9]{53})$")
ARGON2_RE = re.compile(r"^\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$")
PHC_PBKDF2_RE = re.compile(r"^\$pbkdf2(?:-(sha1|sha256|sha512))?\$i=(\d+)(?:,l=\d+)?\$([A-Za-z0-9+/.]+)\$([A-Za-z0-9+/.]+)$")
DJANGO_PBKDF2_RE = re.compile(r"^pbkdf2_(sha1|sha256|sha512)\$(\d+)\$([^$]+)\$([A-Za-z0-9+/=]+)$")


def norm(h):
    return h.lstrip("\ufeff'").replace(" ", "").replace("_", "").replace("-", "").lower()


def b64decode_strict(text):
    padded = text + "=" * (-len(text) % 4)
    raw = base64.b64decode(padded, validate=True)
    if b64(raw) != text.rstrip("="):
        raise binascii.Error("non-canonical")
    return raw


def b64(raw):
    return base64.b64encode(raw).decode().rstrip("=")


def detect(h):
    """→ (family, label, workos_type, workos_string, problem_code)"""
    m = BCRYPT_RE.match(h)
    if m:
        v, cost = m.group(1), int(m.group(2))
        label = f"bcrypt {v} cost={cost}"
        if v not in ("2a", "2b", "2y") or not 4 <= cost <= 31:
            return "bcrypt", label, None, None, "refused_bcrypt_variant"
        return "bcrypt", label, "bcrypt", h, None
    m = ARGON2_RE.match(h)
    if m:
        variant, v, mm, t, p = m.group(1), int(m.group(2) or 16), int(m.group(3)), int(m.group(4)), int(m.group(5))
        label = f"{variant} m={mm} t={t} p={p}"
        try:
            salt, digest = b64decode_strict(m.group(6)), b64decode_strict(m.group(7))
        except (binascii.Error, ValueError):
            return "unknown", "unreadable", None, None, "bad_base64"
        if v != 19 or not 4096 <= mm <= 262144 or not (1 if variant != "argon2i" else 3) <= t <= 5 or not 1 <= p <= 8:
            return "argon2", label, None, None, "parameter_refused"
        return "argon2", label, "argon2", f"${variant}$v=19$m={mm},t={t},p={p}${b64(salt)}${b64(digest)}", None
    m = DJANGO_PBKDF2_RE.match(h) or PHC_PBKDF2_RE.match(h)
    if m:
        digest_name, iterations = (m.group(1) or "sha1"), int(m.group(2))
        label = f"pbkdf2 {digest_name} i={iterations}"
        try:
            if h.startswith("pbkdf2_"):
                salt = m.group(3).encode()
                dk = base64.b64decode(m.group(4), validate=True)
            else:
                salt = b64decode_strict(m.group(3).replace(".", "+"))
                dk = b64decode_strict(m.group(4).replace(".", "+"))
        except (binascii.Error, ValueError):
            return "unknown", "unreadable", None, None, "bad_base64"
        floor = {"sha256": 600_000, "sha512": 210_000}.get(digest_name)
        if floor is None or not floor <= iterations <= 1_000_000:
            return "pbkdf2", label, None, None, "parameter_refused"
        return "pbkdf2", label, "pbkdf2", f"$pbkdf2$i={iterations},d={digest_name}${b64(salt)}${b64(dk)}", None
    return "unknown", "unreadable", None, None, "unknown_format"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["inspect", "convert"])
    ap.add_argument("input")
    ap.add_argument("--report")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    out = open(args.output, "w") if args.mode == "convert" else None
    counts = {"ready": 0, "ready_without_password": 0, "rejected": 0}
    by_family, by_label, problems, seen = {}, {}, {}, {}
    users = 0

    def problem(code, row):
        p = problems.setdefault(code, [0, []])
        p[0] += 1
        if len(p[1]) < 20:
            p[1].append(row)

    with open(args.input, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {}
        for i, h in enumerate(header):
            n = norm(h)
            for canon, names in ALIASES.items():
                if (n in names or n == norm(canon)) and canon not in col:
                    col[canon] = i
        get = lambda row, c: row[col[c]] if c in col else ""
        rows = []
        for row in reader:
            users += 1
            line = reader.line_num
            if len(row) != len(header):
                counts["rejected"] += 1
                problem("ragged_row", line)
                continue
            errors, reason = [], None
            email = get(row, "email").strip()
            status = get(row, "status").strip().lower()
            if not email:
                errors.append("missing_email")
            elif not EMAIL_RE.match(email) or ".." in email:
                errors.append("invalid_email")
            if status in ("disabled", "expired"):
                errors.append(status + "_user")
            elif get(row, "test").strip().lower() == "true":
                errors.append("test_user")
            claims_email = not errors
            uid = get(row, "user_id")
            user = {"email": email}
            given, family = get(row, "given_name").strip(), get(row, "family_name").strip()
            if not given and not family and get(row, "name").strip():
                parts = get(row, "name").strip().split(None, 1)
                given, family = parts[0], (parts[1] if len(parts) > 1 else "")
            if given:
                user["first_name"] = given
            if family:
                user["last_name"] = family
            verified = get(row, "email_verified").strip().lower()
            if verified:
                user["email_verified"] = verified == "true"
            if uid and len(uid) <= 128 and uid.isascii():
                user["external_id"] = uid
            metadata = {}
            if status:
                metadata["descope_status"] = status
            created = get(row, "created_at").strip()
            if created.isdigit():
                metadata["descope_created_at"] = datetime.datetime.fromtimestamp(int(created), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if metadata:
                user["metadata"] = metadata
            h = get(row, "password_hash")
            if h:
                family_name, label, wtype, wstring, code = detect(h)
                fam = by_family.setdefault(family_name, [0, 0]); fam[0] += 1
                lab = by_label.setdefault(label, [0, 0]); lab[0] += 1
                if wstring:
                    fam[1] += 1; lab[1] += 1
                    user["password_hash"], user["password_hash_type"] = wstring, wtype
                else:
                    reason = code
            else:
                reason = "no_password_hash"
            for e in errors:
                problem(e, line)
            if reason:
                problem(reason, line)
            status_out = "rejected" if errors else ("ready_without_password" if reason else "ready")
            counts[status_out] += 1
            if claims_email:
                seen.setdefault(email.lower(), []).append((line, status_out))
            if out is not None:
                rows.append((line, uid, status_out, user, errors + ([reason] if reason else [])))
        # Duplicate emails: every row of a group is rejected.
        dup_rows = {}
        for group in seen.values():
            if len(group) > 1:
                dup_rows.update(group)
        for l in sorted(dup_rows):
            problem("duplicate_email", l)
        if out is not None:
            for line, uid, status_out, user, codes in rows:
                if line in dup_rows:
                    counts[status_out] -= 1; counts["rejected"] += 1
                    status_out, codes = "rejected", ["duplicate_email"] + codes
                out.write(json.dumps({"row": line, "source_user_id": uid, "status": status_out, "user": user,
                                      "memberships": [], "problems": [{"code": c} for c in codes]}) + "\n")
            out.close()
        else:
            for l, status_out in dup_rows.items():
                counts[status_out] -= 1; counts["rejected"] += 1
    report = {"users": users, "outcomes": counts,
              "by_family": {k: {"total": v[0], "importable": v[1]} for k, v in by_family.items()},
              "problems": [{"code": k, "count": v[0], "rows": v[1]} for k, v in problems.items()]}
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=2)
    print(f"{users} users: {counts}")
    for label, (total, ok) in sorted(by_label.items()):
        print(f"  {label}: {ok} importable, {total - ok} refused")


if __name__ == "__main__":
    main()

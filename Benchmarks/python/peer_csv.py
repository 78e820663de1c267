"""Support CSVs for the Python peer (inspect_convert.py): header aliases (reference/descope-export.md), every record
checked as hashport's CSVReader/CSVUserReader check it — quoting (csv module, strict; reading resumes after a quote
never closed, on the record's second line), field count, UTF-8 of the fields used, the spreadsheet guard `'` — and
the typed cells (flags, times, lists, JSON) read with CellValues' rules.
"""
import csv, itertools, json, re

import peer_mapping as mapping

ALIASES = {
    "user_id": ["userid", "id", "descopeuserid"], "login_ids": ["loginids", "loginid", "loginid(s)", "identifier", "identifiers", "username"],
    "email": ["email", "emailaddress"], "email_verified": ["verifiedemail", "emailverified"], "phone": ["phone", "phonenumber"],
    "phone_verified": ["verifiedphone", "phoneverified"], "name": ["name", "displayname", "fullname"],
    "given_name": ["givenname", "firstname"], "middle_name": ["middlename"], "family_name": ["familyname", "lastname"],
    "status": ["status"], "created_at": ["createdtime", "createdat"], "project_roles": ["rolenames", "roles"],
    "tenants": ["usertenants", "tenants", "tenantids"], "custom_attributes": ["customattributes"], "picture": ["picture"],
    "test": ["test"], "password_hash": ["passwordhash", "hashedpassword", "hash"], "password": ["password"],
    "password_hash_type": ["passwordhashtype", "hashtype", "hashalgorithm", "algorithm"], "password_salt": ["salt", "passwordsalt"],
    "password_iterations": ["iterations", "rounds", "timecost"], "password_memory": ["memory", "memcost"],
    "password_threads": ["threads", "parallelism"], "password_digest": ["type", "digest", "variant"],
}
HASH_FIELDS = {"password_hash": "hash", "password_hash_type": "type", "password_salt": "salt", "password_iterations": "iterations",
               "password_memory": "memory", "password_threads": "threads", "password_digest": "digest"}


def normalise(header):
    h = header.lstrip("\ufeff").lstrip(" \t")
    h = h[1:] if h.startswith("'") else h
    return "".join(c for c in h if c not in " _-\t\ufeff").translate(mapping.ASCII_LOWER)


BY_ALIAS = {}
for canonical, names in ALIASES.items():
    for alias in [normalise(canonical)] + names:
        BY_ALIAS.setdefault(alias, canonical)

SURROGATE = re.compile("[\udc80-\udcff]")
NUMBER = re.compile(r"[ \t]*(-?)(\d+)(?:\.\d*)?[ \t]*")
ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d*)?)?(Z|z|[+-]\d\d:?(?:\d\d)?)?)?")


def flag(text):
    if text in ("true", "TRUE", "True"):
        return True
    if text in ("false", "FALSE", "False"):
        return False
    t = text.strip(" \t").lower()
    return True if t in ("true", "yes", "1", "t", "y") else False if t in ("false", "no", "0", "f", "n") else None


def epoch_seconds(text):
    m = NUMBER.fullmatch(text)
    if m:
        whole = int(m.group(2))
        if whole >= 2**63:
            return None
        whole = -whole if m.group(1) else whole
        return int(whole / 1000) if abs(whole) >= 100_000_000_000 else whole
    m = ISO.fullmatch(text.strip(" \t"))
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1 <= int(m.group(3)) <= 31:
        return None
    import calendar
    h, mi, s = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
    if h > 23 or mi > 59 or s > 60:
        return None
    t = calendar.timegm((int(m.group(1)), int(m.group(2)), int(m.group(3)), h, mi, s))
    zone = m.group(7) or "Z"
    if zone not in "Zz":
        offset = int(zone[1:3]) * 3600 + (int(zone[-2:]) * 60 if len(zone) > 3 else 0)
        t -= offset if zone[0] == "+" else -offset
    return t


def cell_list(text):
    t = text.strip(" \t")
    if not t:
        return [], None
    if t.startswith("["):
        try:
            items = json.loads(t)
        except ValueError as e:
            return [], f"is not valid JSON: {e}"
        if not isinstance(items, list):
            return [], "is not a JSON array"
        return [i if isinstance(i, str) else mapping.json_text(i) for i in items if i is not None], None
    sep = ";" if ";" in t else "|" if "|" in t else ","
    return [s.strip(" \t") for s in t.split(sep) if s.strip(" \t")], None


# --- support CSV -------------------------------------------------------------------------------------------
class SupportCSV:
    """Records of one support CSV: users (dicts, see peer_mapping) or problems (file, row, code, message)."""

    def __init__(self, path, file_index):
        self.path, self.file = path, file_index
        csv.field_size_limit(16 << 20)
        with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as f:
            self.headers = [h.strip(" \t") for h in next(csv.reader(f))]
        self.mapped, self.custom = [], []
        taken = set()
        for i, h in enumerate(self.headers):
            column = BY_ALIAS.get(normalise(h))
            if "." in h and normalise(h.split(".", 1)[0]) in ("customattributes", "customattribute", "custom"):
                self.custom.append((i, h.split(".", 1)[1].strip(" \t")))
            elif column and column not in taken:
                taken.add(column)
                self.mapped.append((i, column))
        self.password_is_flag = "password_hash" in taken

    def rows(self):
        """(line, row) of every record, or (line, None, code, message) for one that cannot be split."""
        offset = 0
        f = open(self.path, newline="", encoding="utf-8-sig", errors="surrogateescape")
        reader = csv.reader(f, strict=True)
        next(reader)
        width = len(self.headers)
        while True:
            start = offset + reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                why = str(e)
                if "unexpected end of data" in why:
                    # A quote never closed: skip the record's first line only, as hashport does.
                    yield start, None, "unterminated_quote", f"line {start}: a quoted field is never closed; this record was skipped and reading resumed on the next line"
                    f.close()
                    f = open(self.path, newline="", encoding="utf-8-sig", errors="surrogateescape")
                    for _ in itertools.islice(f, start):
                        pass
                    offset, reader = start, csv.reader(f, strict=True)
                elif "field larger than field limit" in why:
                    yield start, None, "record_too_large", f"line {start}: the record is longer than 16 MiB; it was skipped up to the next line break"
                else:
                    yield start, None, "text_after_quote", f"line {start}: text after a closing quote; a quote inside a quoted field must be doubled (\"\")"
                continue
            if not row:
                continue
            if len(row) != width:
                yield start, None, "ragged_row", f"line {start}: row has {len(row)} fields, header has {width}"
                continue
            yield start, row
        f.close()

    def users(self, light=False):
        """Users and problems; `light` reads only what the duplicate check and the join need (convert's first pass)."""
        light_columns = ("email", "status", "test", "user_id", "login_ids") if light else None
        for item in self.rows():
            if item[1] is None:
                yield (self.file,) + item[:1] + item[2:]
                continue
            line, row = item
            u = {"file": self.file, "row": line}
            bad = None
            for i, column in self.mapped:
                text = row[i]
                if not text:
                    continue
                if not text.isascii() and SURROGATE.search(text):  # every field used must be UTF-8, in both passes
                    bad = self.headers[i]
                    break
                if light_columns and column not in light_columns:
                    continue
                if text[0] == "'":
                    text = text[1:]
                self.assign(u, column, text, self.headers[i])
            else:
                for i, key in self.custom:
                    text = row[i]
                    if text and not text.isascii() and SURROGATE.search(text):
                        bad = self.headers[i]
                        break
                    if text and not light:
                        u.setdefault("custom_attributes", []).append((key, text[1:] if text[0] == "'" else text))
            if bad is not None:
                yield self.file, line, "invalid_utf8", f"line {line}: column '{bad}' is not valid UTF-8"
                continue
            yield u

    def assign(self, u, column, text, header):
        def problem(code, why):
            u.setdefault("problems", []).append((code, f"line {u['row']}: column '{header}' {why}"))

        def boolean():
            if not text.strip(" \t"):
                return None
            b = flag(text)
            if b is None:
                problem("invalid_boolean", f"is not true/false: '{text[:20]}'")
            return b

        def as_list():
            items, why = cell_list(text)
            if why:
                problem("invalid_list", why)
            return items

        if column in HASH_FIELDS:
            u.setdefault("hash", {})[HASH_FIELDS[column]] = text
        elif column in ("user_id", "email", "phone", "name", "given_name", "middle_name", "family_name", "picture"):
            u[column] = text
        elif column == "status":
            u["status"] = text.strip(" \t").lower()
        elif column == "email_verified":
            u["verified_email"] = boolean()
        elif column == "phone_verified":
            u["verified_phone"] = boolean()
        elif column == "created_at":
            if text.strip(" \t"):
                t = epoch_seconds(text)
                if t is None:
                    problem("invalid_created_time", f"is not epoch seconds, epoch milliseconds or ISO-8601: '{text[:40]}'")
                else:
                    u["created_time"] = t
        elif column == "test":
            u["test"] = bool(boolean())
        elif column == "login_ids":
            u["login_ids"] = as_list()
        elif column == "project_roles":
            u["role_names"] = as_list()
        elif column == "tenants":
            u["tenants"] = [(t, None, []) for t in as_list()]
        elif column == "custom_attributes":
            try:
                attrs = json.loads(text) if text.strip(" \t") else {}
                u["custom_attributes"] = list((attrs or {}).items())
            except (ValueError, AttributeError):
                problem("invalid_custom_attributes", "is not a JSON object")
        elif column == "password":
            b = flag(text)
            if b is not None:
                u["has_password"] = b
            elif not self.password_is_flag:
                u.setdefault("hash", {})["hash"] = text
            else:
                problem("invalid_boolean", "is not true/false (the hash is in another column)")

"""Search Users JSON and the join, for the Python peer (inspect_convert.py): json.load of every input (any envelope,
or NDJSON line by line), a dict index by userId / lower-case email / login ids, the record a CSV user joins (the
first not yet matched), each record decoded as DescopeUser(searchUsersJSON:) decodes it (keys in any case, fields
of the wrong type a problem on the user), and the merge rules of DescopeUser.joined(with:).
"""
import json

from peer_csv import epoch_seconds, flag

def load_json_records(path, array_key, single_key):
    """The elements of a JSON export in any envelope ({key:[…]}, […], {single:{…}}) or NDJSON."""
    with open(path, encoding="utf-8-sig") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError:
            f.seek(0)
            return [ndjson_line(line, n) for n, line in enumerate((l for l in f if l.strip()), start=1)]
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lower = {k.lower(): v for k, v in data.items()}
        if isinstance(lower.get(array_key), list):
            return lower[array_key]
        if isinstance(lower.get(single_key), dict):
            return [lower[single_key]]
        return [data]
    return [data]


class BadElement:
    """An NDJSON line that is not JSON: a rejected row, reading goes on with the next line."""

    def __init__(self, why):
        self.why = why


def ndjson_line(line, n):
    try:
        return json.loads(line)
    except ValueError as e:
        return BadElement(f"element {n}: invalid JSON ({e}); skipped to the next line")


def fold(s):
    return s.strip(" \t").lower()


class SearchUsers:
    """Every Search Users record in memory (json.load), indexed by userId, folded email and folded login ids."""

    def __init__(self, files):
        """`files`: (file index, path) of each Search Users input."""
        self.records, self.problems, self.order = [], [], []  # order: problems and record numbers, as read
        self.by_id, self.by_email, self.by_login = {}, {}, {}
        for file, path in files:
            for n, element in enumerate(load_json_records(path, "users", "user"), start=1):
                if isinstance(element, BadElement) or not isinstance(element, dict):
                    self.problems.append((file, n, "invalid_json", element.why) if isinstance(element, BadElement)
                                         else (file, n, "not_a_user", f"element {n}: not a user object"))
                    self.order.append(self.problems[-1])
                    continue
                rec = {key.lower(): v for key, v in element.items()}
                seq = len(self.records)
                self.order.append(seq)
                self.records.append((file, n, rec))
                uid, email = rec.get("userid"), rec.get("email")
                if isinstance(uid, str) and uid:
                    self.by_id.setdefault(uid, []).append(seq)
                if isinstance(email, str) and email:
                    self.by_email.setdefault(fold(email), []).append(seq)
                logins = rec.get("loginids")
                if isinstance(logins, list):
                    for login in {fold(l) for l in logins if isinstance(l, str)}:
                        self.by_login.setdefault(login, []).append(seq)
        self.matched = bytearray(len(self.records))

    def reset(self):
        self.matched = bytearray(len(self.records))

    def lookup(self, index, key):
        seqs = index.get(key)
        if not seqs:
            return None
        chosen = next((s for s in seqs if not self.matched[s]), seqs[0])
        self.matched[chosen] = 1
        return self.records[chosen]

    def match(self, u):
        if u.get("user_id"):
            r = self.lookup(self.by_id, u["user_id"])
            if r:
                return r
        if u.get("email"):
            r = self.lookup(self.by_email, fold(u["email"]))
            if r:
                return r
        for login in u.get("login_ids", ()):
            r = self.lookup(self.by_login, fold(login))
            if r:
                return r
        return None

    def unmatched(self):
        return (r for s, r in enumerate(self.records) if not self.matched[s])


def decode_search_user(file, n, rec, light=False):
    """A Search Users record (keys lower-cased) as a user dict; fields of the wrong type are problems on the user."""
    u = {"file": file, "row": n}
    problems = []

    def bad(key, expected):
        problems.append(("invalid_field", f"element {n}: '{key}' is not {expected}"))

    def string(key):
        v = rec.get(key)
        if v is None or v == "":
            return None
        if isinstance(v, str):
            return v
        bad(key, "a string")
        return None

    def boolean(key):
        v = rec.get(key)
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, str) and flag(v) is not None:
            return flag(v)
        bad(key, "true or false")
        return None

    def strings(key):
        v = rec.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            bad(key, "a list of strings")
            return []
        if not all(isinstance(s, str) or s is None for s in v):
            bad(key, "a list of strings")
        return [s for s in v if isinstance(s, str)]

    logins = list(dict.fromkeys(strings("loginids")))
    if "loginid" in rec and string("loginid") and rec["loginid"] not in logins:
        logins.insert(0, rec["loginid"])
    if logins:
        u["login_ids"] = logins
    for key, field in (("userid", "user_id"), ("email", "email"), ("status", "status")):
        v = string(key)
        if v is not None:
            u[field] = v.lower() if key == "status" else v
    u["test"] = bool(boolean("test"))
    if not light:
        for key, field in (("phone", "phone"), ("name", "name"), ("givenname", "given_name"), ("middlename", "middle_name"),
                           ("familyname", "family_name"), ("picture", "picture")):
            v = string(key)
            if v is not None:
                u[field] = v
        for key, field in (("verifiedemail", "verified_email"), ("verifiedphone", "verified_phone"), ("password", "has_password")):
            v = boolean(key)
            if v is not None:
                u[field] = v
        for key, field in (("totp", "totp"), ("saml", "saml"), ("oidc", "oidc"), ("webauthn", "webauthn")):
            u[field] = bool(boolean(key))
        roles = strings("rolenames")
        if roles:
            u["role_names"] = roles
        sso = strings("ssoappids")
        if sso:
            u["sso_app_ids"] = sso
        tenants = rec.get("usertenants")
        if isinstance(tenants, list):
            out = []
            for t in tenants:
                tl = {k.lower(): v for k, v in t.items()} if isinstance(t, dict) else {}
                tid = tl.get("tenantid")
                if not isinstance(tid, str) or not tid:
                    bad("userTenants", "a list of {tenantId, roleNames} objects")
                    continue
                name = tl.get("tenantname")
                roles = tl.get("rolenames")
                out.append((tid, name if isinstance(name, str) else None,
                            [r for r in roles if isinstance(r, str)] if isinstance(roles, list) else []))
            if out:
                u["tenants"] = out
        elif tenants is not None:
            bad("userTenants", "a list of tenants")
        attrs = rec.get("customattributes")
        if isinstance(attrs, dict):
            if attrs:
                u["custom_attributes"] = list(attrs.items())
        elif attrs is not None:
            bad("customAttributes", "an object")
        created = rec.get("createdtime")
        if created is not None:
            t = (int(created / 1000) if abs(created) >= 100_000_000_000 else int(created)) \
                if isinstance(created, (int, float)) and not isinstance(created, bool) else \
                epoch_seconds(created) if isinstance(created, str) else None
            if t is None:
                bad("createdTime", "a Unix time")
            else:
                u["created_time"] = t
        oauth = rec.get("oauth")
        if isinstance(oauth, dict):
            providers = [k for k, v in oauth.items() if v is True]
            if providers:
                u["oauth"] = providers
        elif oauth is not None:
            bad("OAuth", "an object of provider flags")
    if problems:
        u["problems"] = problems
    return u


def joined(u, s):
    """The CSV user completed with its Search Users record (the rules of DescopeUser.joined(with:))."""
    for field in ("user_id", "email", "phone", "name", "given_name", "middle_name", "family_name", "created_time", "picture"):
        if u.get(field) is None and s.get(field) is not None:
            u[field] = s[field]
    for field in ("verified_email", "verified_phone", "status"):
        if s.get(field) is not None:
            u[field] = s[field]
    for field in ("login_ids", "oauth", "sso_app_ids"):
        if not u.get(field) and s.get(field):
            u[field] = s[field]
    for field in ("role_names", "tenants"):
        if s.get(field):
            u[field] = s[field]
    if s.get("custom_attributes"):
        mine = {k for k, _ in u.get("custom_attributes", ())}
        u["custom_attributes"] = u.get("custom_attributes", []) + [(k, v) for k, v in s["custom_attributes"] if k not in mine]
    for field in ("test", "totp", "saml", "oidc", "webauthn"):
        u[field] = bool(u.get(field) or s.get(field))
    if u.get("has_password") is None and s.get("has_password") is not None:
        u["has_password"] = s["has_password"]
    if s.get("problems"):
        u["problems"] = u.get("problems", []) + s["problems"]
    return u

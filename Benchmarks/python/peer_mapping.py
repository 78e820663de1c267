"""The mapping half of the Python peer (inspect_convert.py): one Descope user (a dict of the fields the inputs gave)
→ the WorkOS create-user body, memberships, problems and an outcome — the rules of Sources/Migration's UserMapper,
MetadataBuilder and EmailAddress, in the same order.

A user dict has the keys the readers fill: row, file, user_id, login_ids, email, verified_email, phone,
verified_phone, name, given_name, middle_name, family_name, status, role_names, tenants [(id, name, roles)],
custom_attributes [(key, value)], created_time, test, totp, saml, oidc, webauthn, oauth, sso_app_ids,
has_password, hash (a dict of hash fields), problems [(code, message)] — absent keys mean "not given".
"""
import json, re, time

import peer_hashes

ERROR, WARNING, INFO = 0, 1, 2
SEVERITY = ("error", "warning", "info")
WS = " \t\r\n"

EMAIL_BAD_CHAR = re.compile(r'[\x00-\x20\x7f"(),:;<>\[\\\]]')
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def email_problem(s):
    """None for an address WorkOS takes, else why not (EmailAddress.check)."""
    if not s:
        return "it is empty"
    n = len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))
    if n > 320:
        return "it is longer than 320 bytes"
    at = s.find("@")
    if at >= 0 and s.find("@", at + 1) >= 0:
        return "it has more than one @"
    if EMAIL_BAD_CHAR.search(s):
        return 'it contains a space, a control character or one of "(),:;<>[\\]'
    if at < 0:
        return "it has no @"
    if at == 0:
        return "nothing before the @"
    if (at if s.isascii() else len(s[:at].encode("utf-8", "surrogatepass"))) > 64:
        return "more than 64 bytes before the @"
    if s[0] == "." or s[at - 1] == ".":
        return "a dot at the start, at the end or twice in a row"
    if at + 1 >= len(s):
        return "the domain after the @ is not a dotted name"
    if s[at + 1] in ".-" or s[-1] == ".":
        return "a dot at the start, at the end or twice in a row"
    if ".." in s:
        return "a dot at the start, at the end or twice in a row"
    if "." not in s[at + 1:]:
        return "the domain after the @ is not a dotted name"
    return None


def email_key(email):
    """The duplicate check's key: ASCII letters lower-cased (as hashport's fingerprint does)."""
    return email.lower() if email.isascii() else email.translate(ASCII_LOWER)


def looks_like_phone(s):
    return s[:1] == "+" and 8 <= len(s) <= 16 and s[1:].isascii() and s[1:].isdigit()


def effective_email(u):
    """The email the user will have in WorkOS: the email field trimmed, else the first login id that is an address."""
    email = (u.get("email") or "").strip(WS)
    if not email:
        for login in u.get("login_ids", ()):
            if email_problem(login.strip(WS)) is None:
                return login.strip(WS), True
    return email, False


def duplicate_key(u):
    """The email a user claims in WorkOS (None when invalid, or the user is skipped and claims nothing)."""
    if u.get("status") in ("disabled", "expired") or u.get("test"):
        return None
    email = effective_email(u)[0]
    return email_key(email) if email_problem(email) is None else None


def iso8601(t):
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    except (OverflowError, OSError, ValueError):
        return str(t)


def json_text(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def metadata(u, keep_user_id, problems):
    """WorkOS metadata (insertion-ordered pairs), within WorkOS's limits; what breaks them is a row problem."""
    entries = []
    if keep_user_id:
        entries.append(("descope_user_id", u["user_id"]))
    if u.get("login_ids"):
        entries.append(("descope_login_ids", json_text(u["login_ids"])))
    if u.get("phone"):
        entries.append(("descope_phone", u["phone"]))
        if u.get("verified_phone") is not None:
            entries.append(("descope_phone_verified", "true" if u["verified_phone"] else "false"))
    if u.get("status"):
        entries.append(("descope_status", u["status"]))
    if u.get("created_time") is not None:
        entries.append(("descope_created_at", iso8601(u["created_time"])))
    if u.get("middle_name"):
        entries.append(("descope_middle_name", u["middle_name"]))
    if u.get("role_names"):
        entries.append(("descope_roles", json_text(u["role_names"])))
    own = {k for k, _ in entries}
    for key, value in u.get("custom_attributes", ()):
        if value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = value
        elif isinstance(value, (int, float)):
            text = str(value)
        else:
            text = json_text(value)
        if key in own:
            problems.append((ERROR, "metadata_key_conflict", f'custom attribute "{key}" has the name hashport uses for a Descope fact; rename it'))
            continue
        entries.append((key, text))
    if len(entries) > 50:
        problems.append((ERROR, "metadata_too_many_keys", f"metadata would have {len(entries)} keys; WorkOS takes at most 50"))
    for key, value in entries:
        if not key or len(key) > 40:
            problems.append((ERROR, "metadata_key_too_long", f'metadata key "{key[:60]}" has {len(key)} characters; WorkOS takes 1 to 40'))
        if len(value) > 600:
            problems.append((ERROR, "metadata_value_too_long", f'metadata "{key[:60]}" has {len(value)} characters; WorkOS takes at most 600'))
    return entries


class Options:
    def __init__(self, role_map=None, tenants=None, default_slug="member"):
        self.role_map = role_map or {}          # "role" or "tenantId\0role" → slug
        self.tenants = tenants or {}            # tenant id → name (None when unnamed)
        self.default_slug = default_slug


def memberships(u, options, problems):
    out, seen = [], set()
    for tenant_id, tenant_name, roles in u.get("tenants", ()):
        tenant_id = tenant_id.strip(WS)
        if not tenant_id:
            problems.append((WARNING, "tenant_without_id", "a tenant of the user has no id; no membership is made for it"))
            continue
        if tenant_id in seen:
            continue
        seen.add(tenant_id)
        slugs, unmapped = [], []
        for role in roles:
            if not role:
                continue
            slug = options.role_map.get(tenant_id + "\0" + role) or options.role_map.get(role)
            if slug:
                if slug not in slugs:
                    slugs.append(slug)
            elif role not in unmapped:
                unmapped.append(role)
        if unmapped:
            names = ", ".join(f'"{r}"' for r in unmapped)
            what = "(no --role-map given)" if not options.role_map else "not in the role map"
            consequence = f'the membership gets "{options.default_slug}"' if not slugs else "they are left out"
            problems.append((INFO if not options.role_map else WARNING, "role_not_mapped",
                             f"tenant {tenant_id}: Descope role{'' if len(unmapped) == 1 else 's'} {names} {what}; {consequence}"))
        if not slugs:
            slugs = [options.default_slug]
        if options.tenants:
            if tenant_id in options.tenants:
                tenant_name = options.tenants[tenant_id] or tenant_name
            else:
                problems.append((WARNING, "unknown_tenant", f"tenant {tenant_id} is not in the tenants file; its organization is created from the user's record alone"))
        out.append((tenant_id, slugs, tenant_name))
    return out


LOST = (("sms", WARNING, "login_sms", "signs in with SMS codes: WorkOS has no SMS factor (use email Magic Auth or TOTP)"),
        ("passkey", WARNING, "login_passkey", "has passkeys: they must be enrolled again through AuthKit"),
        ("totp", WARNING, "login_totp", "has a TOTP authenticator: it must be enrolled again"),
        ("sso", WARNING, "login_sso", "signs in through SSO (SAML/OIDC): the identity provider must be repointed to WorkOS"),
        ("social", INFO, "login_social", "signs in with a social provider: it links again by email on first sign-in"))


def lost_login_methods(u):
    lost = set()
    logins = u.get("login_ids", ())
    phone = u.get("phone")
    if phone and phone in logins:
        lost.add("sms")
    elif any(looks_like_phone(l) for l in logins):
        lost.add("sms")
    if u.get("webauthn"):
        lost.add("passkey")
    if u.get("totp"):
        lost.add("totp")
    if u.get("saml") or u.get("oidc") or u.get("sso_app_ids"):
        lost.add("sso")
    if u.get("oauth"):
        lost.add("social")
    return lost


def name_parts(u):
    first = (u.get("given_name") or "").strip(WS)
    last = (u.get("family_name") or "").strip(WS)
    if not first and not last:
        name = (u.get("name") or "").strip(WS)
        if name:
            cut = [k for k in (name.find(" "), name.find("\t")) if k >= 0]
            if cut:
                first, last = name[:min(cut)], name[min(cut):].strip(WS)
            else:
                first = name
    return first, last


def map_user(u, options, duplicate_rows=None):
    """→ (status, first reason or None, body, memberships, problems [(severity, code, message)], hash summary, lost).

    `duplicate_rows`: (file, row) of every row in a duplicate-email group (convert's first pass); None for inspect,
    which settles duplicates at the end.
    """
    problems = []
    email, from_login = effective_email(u)
    if from_login:
        problems.append((INFO, "email_from_login_id", "the export has no email; the login id that is an email address is used"))
    if not email:
        problems.append((ERROR, "missing_email", "the user has no email address; WorkOS needs one"))
    else:
        why = email_problem(email)
        if why:
            problems.append((ERROR, "invalid_email", f"the email address is not valid ({why})"))
        elif duplicate_rows and (u["file"], u["row"]) in duplicate_rows:
            problems.append((ERROR, "duplicate_email", "the same email address (ignoring case) is on another row; none of them is imported until that is resolved"))
    status = u.get("status")
    if status in ("disabled", "expired"):
        problems.append((ERROR, f"{status}_user", f"the user is {status} in Descope: skipped (pass --include-disabled to import it)"))
    if u.get("test"):
        problems.append((ERROR, "test_user", "Descope marks this as a test user: skipped (pass --include-test to import it)"))

    external_id, keep_user_id = None, False
    uid = u.get("user_id")
    if uid:
        if len(uid) <= 128 and uid.isascii() and uid.isprintable():
            external_id = uid
        else:
            keep_user_id = True
            problems.append((WARNING, "external_id_invalid", "the Descope user id is not 1–128 printable ASCII characters, so it cannot be the WorkOS external_id; it is kept in metadata as descope_user_id"))
    else:
        problems.append((WARNING, "missing_user_id", "the row has no Descope user id; the WorkOS user gets no external_id"))

    first, last = name_parts(u)
    for code, message in u.get("problems", ()):
        problems.append((WARNING, code, message))
    meta = metadata(u, keep_user_id, problems)
    members = memberships(u, options, problems)
    lost = lost_login_methods(u)
    for method, severity, code, message in LOST:
        if method in lost:
            problems.append((severity, code, message))

    fields = u.get("hash")
    workos, reason, summary = None, None, None
    if fields:
        family, label, workos, refused = peer_hashes.map_password(fields)
        summary = (family, label, workos is not None)
        if refused:
            reason = refused.code
            message = refused.message if "password reset" in refused.message else \
                refused.message + " The user is imported without a password and will need a password reset."
            problems.append((WARNING, refused.code, message))
    elif u.get("has_password") is True:
        reason = "password_hash_missing"
        problems.append((WARNING, reason, "Descope says the user has a password but the export holds no hash for it; the user will need a password reset"))
    elif lost - {"totp"}:
        reason = "passwordless_user"
        problems.append((INFO, reason, "the user signs in without a password (social, SSO, passkey or SMS); imported without one"))
    else:
        reason = "no_password_hash"
        problems.append((INFO, reason, "the export holds no password hash for the user; imported without a password"))

    body = {"email": email}
    if first:
        body["first_name"] = first
    if last:
        body["last_name"] = last
    if u.get("verified_email") is not None:
        body["email_verified"] = u["verified_email"]
    if external_id is not None:
        body["external_id"] = external_id
    if meta:
        body["metadata"] = dict(meta)
    if workos:
        body["password_hash"], body["password_hash_type"] = workos[1], workos[0]
    problems.sort(key=lambda p: p[0])  # stable: errors, then warnings, then info, each in the order found
    if problems and problems[0][0] == ERROR:
        status_out, reason = "rejected", problems[0][1]
    elif reason:
        status_out = "ready_without_password"
    else:
        status_out = "ready"
    return status_out, reason, body, members, problems, summary, lost

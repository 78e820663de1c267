#!/usr/bin/env python3
"""Generate a pull benchmark project: N Search Users objects as Descope answers them (every field of
reference/descope-export.md, about 900 bytes each), one NDJSON line each, and 20 tenants.
Users are created a few per second (ties in createdTime, as in a bulk import), every status, a test user in 50.
Usage: pull_bench_data.py N OUTDIR"""
import json
import os
import sys

STATUSES = ["enabled"] * 17 + ["disabled", "invited", "expired"]
TENANTS = [f"T2bench{t:021d}" for t in range(20)]


def user(i):
    uid = f"U2pull{i:023d}"
    email = f"pull{i}@example.com"
    tenants = [TENANTS[i % 20]] if i % 3 == 0 else []
    return {
        "userId": uid, "loginIds": [email], "email": email, "verifiedEmail": i % 7 != 0,
        "phone": f"+1555{i % 10_000_000:07d}" if i % 5 == 0 else "", "verifiedPhone": i % 10 == 0,
        "name": f"Pull User {i}", "givenName": "Pull", "middleName": "", "familyName": f"User {i}",
        "status": STATUSES[i % len(STATUSES)], "roleNames": ["viewer"] if i % 11 == 0 else [],
        "userTenants": [{"tenantId": t, "tenantName": f"Tenant {t[-2:]}", "roleNames": ["member"], "permissions": []}
                        for t in tenants],
        "customAttributes": {"plan": ["free", "pro", "team"][i % 3], "seats": i % 50, "beta": i % 4 == 0},
        "createdTime": 1_690_000_000 + i // 3, "picture": "", "test": i % 50 == 49,
        "TOTP": i % 13 == 0, "SAML": False, "SCIM": False, "OIDC": False, "OAuth": {"google": True} if i % 9 == 0 else {},
        "webauthn": i % 17 == 0, "password": i % 9 != 0, "ssoAppIds": [], "editable": True, "externalIds": [email],
        "permissions": [],
    }


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "users.ndjson"), "w") as f:
        for i in range(n):
            f.write(json.dumps(user(i), separators=(",", ":")) + "\n")
    with open(os.path.join(out, "tenants.json"), "w") as f:
        json.dump({"tenants": [{"id": t, "name": f"Tenant {t[-2:]}", "selfProvisioningDomains": [],
                                "customAttributes": {}} for t in TENANTS]}, f)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate an import benchmark export: N users (support CSV with a bcrypt hash + Search Users JSON with
tenants) and a tenants JSON with 20 tenants. Every 4th user belongs to a tenant, every 20th to two (B2C-like: most users
have no organization), so 20,000 users make about 26,000 writes.
Usage: import_bench_data.py N OUTDIR"""
import json
import os
import sys

BCRYPT = "$2b$10$ROc17YXb98cL3TiSW3wFY.yIfrbuEAVJb5mMw/6LpZylvVTUgwQJG"
TENANTS = [f"T2bench{t:021d}" for t in range(20)]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "hashes.csv"), "w") as csv, open(os.path.join(out, "users.ndjson"), "w") as js:
        csv.write("user_id,email,password_hash\n")
        for i in range(1, n + 1):
            uid, email = f"U2bench{i:09d}", f"bench{i}@example.com"
            csv.write(f"{uid},{email},{BCRYPT}\n")
            tenants = ([TENANTS[i % 20]] if i % 4 == 0 else []) + ([TENANTS[(i + 7) % 20]] if i % 20 == 0 else [])
            js.write(json.dumps({"userId": uid, "email": email, "givenName": "Bench", "familyName": str(i),
                                 "verifiedEmail": True, "status": "enabled",
                                 "userTenants": [{"tenantId": t, "roleNames": []} for t in tenants]}) + "\n")
    with open(os.path.join(out, "tenants.json"), "w") as f:
        json.dump({"tenants": [{"id": t, "name": f"Bench tenant {k}"} for k, t in enumerate(TENANTS)]}, f)


if __name__ == "__main__":
    main()

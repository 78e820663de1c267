#!/usr/bin/env python3
"""The Python equivalent of `hashport inspect` and `hashport convert -o F.jsonl` for the benchmarks: csv module,
json.load, re, base64 — written the way a careful engineer would write a one-off migration script.

    inspect_convert.py inspect users.csv [search-users.json] [--tenants t.json] [--role-map roles.json]
    inspect_convert.py convert users.csv [search-users.json] [--tenants t.json] [--role-map roles.json] -o out.jsonl

Same work per row as hashport: header aliases (reference/descope-export.md), records checked (quoting, field
count, UTF-8 of the fields used; reading resumes after a broken record as hashport's reader does), email check and
duplicate check (case-insensitive, settled at the end; convert finds duplicates in a first pass as hashport does),
skipped disabled/expired/test users, the external_id rule, name split, metadata, hash recognition with strict
base64 and WorkOS's acceptance rules, the WorkOS string (peer_hashes.py), outcomes, problems grouped by code with
their first rows. With a Search Users file: json.load, a dict index by userId / lower-case email / login ids, each
CSV row joined with its record (userId, else email, else a login id; the first not yet matched), records no row
matched yielded after the CSV; tenants → memberships with role slugs (`member` when unmapped), organization names
from the tenants file (peer_mapping.py). Prints the summary in hashport's words, so the two can be compared.
"""
import argparse, json, os, sys

import peer_mapping as mapping
from peer_csv import SupportCSV
from peer_mapping import ERROR, SEVERITY
from peer_search_users import SearchUsers, decode_search_user, joined, load_json_records


def is_json(path):
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


class Export:
    """The inputs of a run as one stream: support CSVs, joined with Search Users files when both are given."""

    def __init__(self, inputs):
        self.inputs = inputs
        kinds = [is_json(p) for p in inputs]
        self.csvs = [SupportCSV(p, k) for k, p in enumerate(inputs) if not kinds[k]]
        jsons = [(k, p) for k, p in enumerate(inputs) if kinds[k]]
        self.search = SearchUsers(jsons) if jsons else None

    def items(self, light=False):
        """Users (dicts) and problems (tuples), in hashport's order: JSON problems, CSV rows joined, unmatched records."""
        search = self.search
        if search and not self.csvs:  # Search Users alone: nothing to join, every element in order
            for x in search.order:
                yield x if type(x) is tuple else decode_search_user(*search.records[x], light=light)
            return
        if search:
            search.reset()
            yield from search.problems
        for source in self.csvs:
            for item in source.users(light):
                if search and type(item) is dict:
                    found = search.match(item)
                    if found:
                        item = joined(item, decode_search_user(*found, light=light))
                yield item
        if search:
            for file, n, rec in search.unmatched():
                yield decode_search_user(file, n, rec, light=light)


# --- reports -----------------------------------------------------------------------------------------------
class Report:
    def __init__(self, inputs):
        self.inputs, self.users = inputs, 0
        self.outcomes = {"ready": 0, "ready_without_password": 0, "rejected": 0}
        self.by_family, self.by_label, self.problems, self.lost = {}, {}, {}, {}

    def note(self, severity, code, message, row):
        p = self.problems.get(code)
        if p is None:
            p = self.problems[code] = [severity, 0, [], message]
        p[1] += 1
        if len(p[2]) < 20:
            p[2].append(row)

    def add_problem(self, item):
        self.users += 1
        self.outcomes["rejected"] += 1
        self.note(ERROR, item[2], item[3], item[1])

    def add(self, row, status, problems, summary, lost):
        self.users += 1
        self.outcomes[status] += 1
        if summary:
            family, label, importable = summary
            for table, key in ((self.by_family, family), (self.by_label, label)):
                c = table.setdefault(key, [0, 0])
                c[0] += 1
                c[1] += importable
        for severity, code, message in problems:
            self.note(severity, code, message, row)
        for method in lost:
            self.lost[method] = self.lost.get(method, 0) + 1

    def sorted_problems(self):
        return sorted(self.problems.items(), key=lambda kv: (kv[1][0], -kv[1][1], kv[0]))

    def summary(self):
        g = "{:,}".format
        o = self.outcomes
        lines = [f"{g(self.users)} users in {', '.join(self.inputs)}", f"  ready (with password)      {g(o['ready'])}",
                 f"  ready without password     {g(o['ready_without_password'])}", f"  rejected                   {g(o['rejected'])}"]
        if self.by_label:
            lines += ["", "Password hashes:"]
            for label, (total, ok) in sorted(self.by_label.items(), key=lambda kv: (-kv[1][0], kv[0])):
                lines.append(f"  {label}: {g(ok)} importable" + (f", {g(total - ok)} refused" if total > ok else ""))
        if self.problems:
            lines += ["", "Problems:"]
            for code, (severity, count, rows, message) in self.sorted_problems():
                more = ", …" if count > len(rows) else ""
                lines.append(f"  {SEVERITY[severity]} {code}: {g(count)} (rows {', '.join(map(str, rows))}{more})")
                lines.append(f"      {message}")
        if self.lost:
            lines += ["", "Login methods that will not carry over as they are:"]
            lines += [f"  {g(self.lost[m])} users: {m}" for m in ("sms", "passkey", "totp", "sso", "social") if m in self.lost]
        return "\n".join(lines) + "\n"


def duplicate_groups(claims):
    """{(file, row): index of its group} for every row whose email another row also claims."""
    rows = {}
    for refs in claims.values():
        if len(refs) > 1:
            for ref in refs:
                rows[ref[:2]] = refs
    return rows


def inspect(export, options):
    report = Report(export.inputs)
    claims = {}
    for item in export.items():
        if type(item) is tuple:
            report.add_problem(item)
            continue
        status, reason, body, members, problems, summary, lost = mapping.map_user(item, options)
        report.add(item["row"], status, problems, summary, lost)
        key = mapping.duplicate_key(item)
        if key:
            claims.setdefault(key, []).append((item["file"], item["row"], status))
    dups = duplicate_groups(claims)
    for ref in sorted(dups):
        status = next(r[2] for r in dups[ref] if r[:2] == ref)
        if status != "rejected":
            report.outcomes[status] -= 1
            report.outcomes["rejected"] += 1
        others = [str(r[1]) for r in dups[ref] if r[:2] != ref][:10]
        report.note(ERROR, "duplicate_email", f"the same email address (ignoring case) is on rows {', '.join(others)}; none of them is imported until that is resolved", ref[1])
    return report


def convert(export, options, output):
    claims = {}
    for item in export.items(light=True):  # pass 1: the email each row claims
        if type(item) is dict:
            key = mapping.duplicate_key(item)
            if key:
                claims.setdefault(key, []).append((item["file"], item["row"]))
    dups = duplicate_groups(claims)
    report = Report(export.inputs)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8", buffering=1 << 20) as out:
        for item in export.items():  # pass 2: every row mapped and written
            if type(item) is tuple:
                report.add_problem(item)
                out.write(dumps({"row": item[1], "source_user_id": None, "status": "rejected", "user": None, "memberships": [],
                                 "problems": [{"code": item[2], "severity": "error", "message": item[3]}]}) + "\n")
                continue
            status, reason, body, members, problems, summary, lost = mapping.map_user(item, options, dups)
            report.add(item["row"], status, problems, summary, lost)
            out.write(dumps({"row": item["row"], "source_user_id": item.get("user_id"), "status": status, "user": body,
                             "memberships": [{"tenant_id": t, "role_slugs": s} for t, s, _ in members],
                             "problems": [{"code": c, "severity": SEVERITY[s], "message": m} for s, c, m in problems]}) + "\n")
    return report


def load_options(args):
    role_map, tenants = {}, {}
    if args.role_map:
        with open(args.role_map) as f:
            for key, slug in json.load(f).items():
                tenant, _, role = key.partition(":")
                is_tenant = role and key.startswith("T") and " " not in tenant
                role_map[f"{tenant}\0{role}" if is_tenant else key] = slug
    if args.tenants:
        for t in load_json_records(args.tenants, "tenants", "tenant"):
            tl = {k.lower(): v for k, v in t.items()} if isinstance(t, dict) else {}
            if isinstance(tl.get("id"), str) and tl["id"] and tl["id"] not in tenants:
                tenants[tl["id"]] = tl.get("name") if isinstance(tl.get("name"), str) else None
    return mapping.Options(role_map=role_map, tenants=tenants)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["inspect", "convert"])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--tenants")
    ap.add_argument("--role-map")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    if args.mode == "convert" and not args.output:
        ap.error("convert needs -o out.jsonl")
    options = load_options(args)
    export = Export(args.inputs)
    if args.mode == "inspect":
        report = inspect(export, options)
        sys.stdout.write(report.summary())
    else:
        report = convert(export, options, args.output)
        o = report.outcomes
        print(f"{report.users} users → {args.output} (jsonl): {o['ready']} ready, {o['ready_without_password']} ready without password, {o['rejected']} rejected")
        for code, (severity, count, rows, _) in report.sorted_problems():
            if SEVERITY[severity] != "info":
                print(f"  {SEVERITY[severity]} {code}: {count} (rows {', '.join(map(str, rows[:10]))}{', …' if count > 10 else ''})")
    o = report.outcomes
    return 1 if o["rejected"] or o["ready_without_password"] else 0


if __name__ == "__main__":
    sys.exit(main())

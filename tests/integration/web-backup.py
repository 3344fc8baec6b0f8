"""Backup, restore and factory reset with curl: a backup holds the whole
configuration and the accounts (hashes, never passwords); restoring it
brings back settings and users and ends the sessions; a corrupted backup
(one flipped byte, a wrong checksum, a bad setting under a valid
checksum) is rejected with a report naming the problem and nothing
changes; a factory reset returns to the defaults and the initial admin
password."""

import copy
import hashlib
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs
from webtest import STRONG, admin_session, gateway_events, initial_password, start, stop

VIEWER = "Vi3wer!pass#12"


def checksum(doc):
    """The document's sha256 as backup.c computes it: compact, sorted keys."""
    d = {k: v for k, v in doc.items() if k != "sha256"}
    text = json.dumps(d, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def restore(c, data):
    return c.request("POST", "/restore", data=data)


def rejected_keys(r):
    return [e.get("key", "") for e in (r.json or {}).get("rejected", [])]


def run(work, d):
    c = admin_session(d, work)
    r = c.put("/settings", {"system.contact": "ops@example.com", "auth.lockout_minutes": 20})
    check(r.status == 200, "settings to back up")
    r = c.put("/users/viewer", {"role": "read-only", "password": VIEWER})
    check(r.status == 200, "a user to back up")

    r = c.get("/backup")
    day = time.strftime("%Y%m%d")
    check(r.status == 200 and f'filename="upsgate-backup-{day}.json"' in
          (r.header("content-disposition") or ""), f"backup is an attachment ({r.header('content-disposition')})")
    backup = r.body
    doc = r.json or {}
    check(doc.get("format") == "upsgate-backup" and doc.get("version") == 1 and
          re.fullmatch(r"[0-9a-f]{64}", doc.get("sha256", "")), "backup document with a checksum")
    check(checksum(doc) == doc.get("sha256"), "the checksum is the SHA-256 of the canonical document")
    check("ops@example.com" in doc.get("config", "") and
          {a["name"] for a in doc.get("accounts", [])} == {"admin", "viewer"},
          "settings and accounts are in it")
    check(STRONG.encode() not in backup and VIEWER.encode() not in backup,
          "no password in the backup (hashes only)")

    # Change things, then restore.
    c.put("/settings", {"system.contact": "changed", "auth.lockout_minutes": 30})
    c.delete("/users/viewer")
    r = restore(c, backup)
    check(r.status == 200 and r.json["restored"] is True and
          "system.contact" in r.json["applied"], f"restore accepted ({r})")
    r = c.get("/session")
    check(r.status == 401, "the restore ended the session")
    c.login("admin", STRONG)
    s = c.get("/settings").json
    check(s["system.contact"] == "ops@example.com" and s["auth.lockout_minutes"] == 20,
          "settings restored")
    users = [u["name"] for u in c.get("/users").json["users"]]
    check("viewer" in users, f"accounts restored ({users})")
    v = d.client("viewer")
    check(v.login("viewer", VIEWER).status == 200, "the restored user logs in with its password")
    check(any(e["code"] == "gw.config_uploaded" for e in gateway_events(c)),
          "the restore is in the gateway log")

    c.put("/settings", {"system.contact": "current"})
    state = (c.get("/settings").json, c.get("/users").json["users"])

    # One flipped byte inside the configuration text.
    text = backup.decode()
    at = text.index("ops@example.com")
    flipped = (text[:at] + chr(ord(text[at]) ^ 0x01) + text[at + 1:]).encode()
    r = restore(c, flipped)
    check(r.status == 422 and r.code == "backup_rejected" and "sha256" in rejected_keys(r),
          f"a flipped byte: rejected, the checksum named ({r})")
    # A flipped byte that breaks the JSON itself.
    broken = bytearray(backup)
    broken[0] ^= 0x20
    r = restore(c, bytes(broken))
    check(r.status == 422 and r.code == "backup_rejected" and r.json["rejected"],
          f"a document that is no longer JSON: rejected ({r})")
    # A wrong checksum.
    bad = copy.deepcopy(doc)
    bad["sha256"] = "0" * 64
    r = restore(c, json.dumps(bad))
    check(r.status == 422 and "sha256" in rejected_keys(r), f"a wrong checksum: rejected ({r})")
    # A bad setting with a valid checksum.
    bad = copy.deepcopy(doc)
    bad["config"], n = re.subn(r"login_timeout\s*=\s*\d+", "login_timeout = 5", bad["config"])
    check(n == 1, "the backup's config has auth.login_timeout")
    bad["sha256"] = checksum(bad)
    r = restore(c, json.dumps(bad))
    check(r.status == 422 and any("login_timeout" in k or "login_timeout" in e.get("reason", "")
                                  for k, e in zip(rejected_keys(r), r.json.get("rejected", []))),
          f"a bad setting under a valid checksum: rejected and named ({r})")
    # A bad account under a valid checksum.
    bad = copy.deepcopy(doc)
    bad["accounts"][0]["role"] = "superuser"
    bad["sha256"] = checksum(bad)
    r = restore(c, json.dumps(bad))
    check(r.status == 422 and r.json["rejected"], f"a bad account: rejected ({r})")
    r = restore(c, "")
    check(r.status == 400, f"an empty body: 400 ({r})")
    check(c.get("/session").status == 200, "rejected restores keep the session")
    check((c.get("/settings").json, c.get("/users").json["users"]) == state,
          "rejected restores changed nothing")

    # Factory reset.
    r = c.post("/factory-reset")
    check(r.status == 200 and r.json["reset"] is True, f"factory reset ({r})")
    check(c.get("/session").status == 401, "the reset ended the session")
    r = c.login("admin", STRONG)
    check(r.status == 401, "the admin password is gone")
    r = c.login("admin", initial_password(work.path))
    check(r.status == 200 and r.json["must_change"] is True, "the initial password is back")
    check(d.client("v2").login("viewer", VIEWER).status == 401, "other users are gone")
    conf = open(d.conf).read()
    check("ops@example.com" not in conf and "current" not in conf, "the config file is back to defaults")
    check(f'"{work.path}"' in conf, "the state directory is kept")


require_programs(UPSGATED)
work, d = start()
try:
    run(work, d)
finally:
    stop(work, d)
finish()

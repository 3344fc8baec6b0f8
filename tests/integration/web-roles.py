"""Roles with curl: a read-only user sees everything (secrets masked) and
every state-changing endpoint refuses it with nothing changed; a
read-write user may clear logs and ask for a test trap but not change
settings, users or the certificate; the multi-user table holds admin plus
8 users; removing a user ends its session."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs, wait_for
from webtest import STRONG, admin_session, gateway_events, start, stop

FIRST = "F1rst!passwd#x"


def user_session(d, admin, name, role):
    """A user created by the admin, logged in after the forced change."""
    r = admin.put(f"/users/{name}", {"role": role, "password": FIRST})
    check(r.status == 200 and r.json["must_change"] is True, f"{name} created as {role} ({r})")
    c = d.client(name)
    c.login(name, FIRST)
    new = f"{name.capitalize()}!pass#123456"
    r = c.post("/password", {"old": FIRST, "new": new})
    check(r.status == 200, f"{name} sets a password ({r})")
    r = c.login(name, new)
    check(r.status == 200 and r.json["role"] == role and not r.json["must_change"],
          f"{name} logs in as {role}")
    return c


# Every state-changing endpoint, with a body that would be accepted.
CHANGES = [
    ("DELETE", "/logs/history", None, None),
    ("DELETE", "/logs/ups", None, None),
    ("PUT", "/settings", {"system.location": "hacked"}, None),
    ("POST", "/settings/validate", {"system.location": "x"}, None),
    ("GET", "/backup", None, None),
    ("POST", "/restore", None, "{}"),
    ("POST", "/factory-reset", None, None),
    ("POST", "/restart", None, None),
    ("GET", "/users", None, None),
    ("PUT", "/users/mallory", {"role": "read-write", "password": FIRST}, None),
    ("DELETE", "/users/rw", None, None),
    ("POST", "/users/rw/unlock", None, None),
    ("PUT", "/certificate", None, "-----BEGIN CERTIFICATE-----\n"),
    ("DELETE", "/certificate", None, None),
    ("GET", "/trace", None, None),
    ("POST", "/trace", {"enabled": True}, None),
    ("GET", "/trace.csv", None, None),
    ("POST", "/snmp/test-trap", {"receiver": 1}, None),
]
WRITE_ALLOWED = {("DELETE", "/logs/history"), ("DELETE", "/logs/ups"), ("POST", "/snmp/test-trap"),
                 ("PUT", "/settings"), ("POST", "/settings/validate")}


def reads(c, who):
    for path in ["/status", "/alarms", "/logs/ups", "/logs/gateway", "/logs/history",
                 "/logs/extended", "/settings", "/settings/schema", "/certificate", "/session",
                 "/series?column=output.voltage.l1"]:
        p, _, q = path.partition("?")
        query = dict([q.split("=")]) if q else None
        r = c.get(p, query=query)
        check(r.status == 200, f"{who}: GET {path} -> 200 ({r.status})")
    r = c.get("/logs/ups.csv")
    check(r.status == 200 and r.header("content-type").startswith("text/csv"), f"{who}: CSV download")
    r = c.get("/certificate.pem")
    check(r.status == 200 and b"BEGIN CERTIFICATE" in r.body and b"PRIVATE" not in r.body,
          f"{who}: certificate download without the key")
    s = c.get("/settings").json
    check(s["snmp.read_community"] == "********" and s["snmp.write_community"] == "********",
          f"{who}: secrets masked")


def refused(c, who, allowed):
    for method, path, body, data in CHANGES:
        if (method, path) in allowed:
            continue
        r = c.request(method, path, body=body, data=data)
        check(r.status == 403 and r.code == "forbidden",
              f"{who}: {method} {path} -> 403 forbidden ({r.status} {r.code})")


def tree(c):
    """The topology tree of the simulated modular-parallel system (2 x 3)."""
    def detected():
        r = c.get("/status")
        return r.json if r.status == 200 and r.json.get("topology", {}).get("modules") == 6 \
            and r.json.get("tree") and len(r.json["tree"]["children"]) == 2 else None
    s = wait_for(detected, 40)
    check(s is not None, "modular-parallel system detected")
    if not s:
        return
    units = s["tree"]["children"]
    check([u["kind"] for u in units] == ["unit", "unit"] and [u["unit"] for u in units] == [1, 2],
          "the tree has the two units under the system")
    check(all(len(u["children"]) == 3 and all(m["kind"] == "module" and m["unit"] == u["unit"]
                                              for m in u["children"]) for u in units),
          "each unit has its three modules")
    idx = [m["level"] for u in units for m in u["children"]] + [u["level"] for u in units]
    check(sorted(idx) == list(range(1, len(s["levels"]))),
          f"every level appears once in the tree ({sorted(idx)})")


def run(work, d):
    admin = admin_session(d, work)
    tree(admin)
    ro = user_session(d, admin, "viewer", "read-only")
    rw = user_session(d, admin, "rw", "read-write")
    before = admin.get("/settings").json
    n_events = len(gateway_events(admin, 1000))
    users_before = admin.get("/users").json["users"]

    reads(ro, "read-only")
    refused(ro, "read-only", set())
    check(admin.get("/settings").json == before, "read-only changed no setting")
    check(admin.get("/users").json["users"] == users_before, "read-only changed no account")
    after = gateway_events(admin, 1000)
    check(not any(e["code"].endswith("_log_cleared") for e in after),
          "read-only cleared no log")
    check(len(after) >= n_events, "gateway log intact")

    reads(rw, "read-write")
    refused(rw, "read-write", WRITE_ALLOWED)
    r = rw.delete("/logs/history")
    check(r.status == 200 and r.json["cleared"] == "history", f"read-write clears the history ({r})")
    cleared = [e for e in gateway_events(admin) if e["code"] == "gw.history_log_cleared"]
    check(cleared and "rw" in cleared[0]["detail"], f"the clear is logged with who ({cleared[:1]})")
    r = rw.put("/settings", {"system.location": "rack 12"})
    check(r.status == 200 and "system.location" in r.json["applied"],
          f"read-write changes a setting, as §11.6 allows ({r})")
    changed = [e for e in gateway_events(admin) if e["code"] == "gw.config_changed"]
    check(any("system.location" in e["detail"] and "rw" in e["detail"] for e in changed),
          f"the change is logged with who ({changed[:2]})")
    r = rw.get("/settings")
    check(r.status == 200 and r.json["snmp.read_community"] == "********",
          "secrets stay masked for read-write")
    r = rw.post("/snmp/test-trap", {"receiver": 1})
    check(r.status == 503 and r.code == "not_available", f"test trap without SNMP agent: 503 ({r})")
    r = rw.post("/snmp/test-trap", {"receiver": 0})
    check(r.status == 400 and r.code == "bad_request", f"test trap to receiver 0: 400 ({r})")

    # The table: admin plus 8 users.
    r = admin.put("/users/admin", {"role": "read-only"})
    check(r.status in (403, 422), f"admin's own role cannot be changed ({r})")
    r = admin.put("/users/x1", {"role": "superuser"})
    check(r.status == 422 and r.code == "invalid_user", f"unknown role refused ({r})")
    r = admin.put("/users/bad%20name", {"role": "read-only", "password": FIRST})
    check(r.status == 422, f"a name with a space refused ({r})")
    r = admin.put("/users/weak", {"role": "read-only", "password": "weak"})
    check(r.status == 422 and "12 characters" in r.json["error"]["message"],
          f"a weak initial password refused ({r})")
    for i in range(6):
        r = admin.put(f"/users/user{i}", {"role": "read-only", "password": FIRST})
        check(r.status == 200, f"user{i} created")
    r = admin.put("/users/oneTooMany", {"role": "read-only", "password": FIRST})
    check(r.status == 409 and r.code == "too_many_users", f"a 9th user refused ({r})")
    r = admin.get("/users")
    check(len(r.json["users"]) == 9 and r.json["max_users"] == 8, "admin plus 8 users listed")
    check(all("hash" not in u and "password" not in u for u in r.json["users"]),
          "no hash or password in the list")
    r = admin.put("/users/rw", {"role": "read-only"})
    check(r.status == 200 and r.json["role"] == "read-only", "role changed")
    r = admin.delete("/users/viewer")
    check(r.status == 200 and r.json["removed"] == "viewer", "user removed")
    r = ro.get("/status")
    check(r.status == 401, f"the removed user's session is gone ({r})")
    r = admin.delete("/users/admin")
    check(r.status == 403, f"admin cannot be removed ({r})")
    r = admin.delete("/users/nosuch")
    check(r.status == 404 and r.code == "no_such_user", "removing an unknown user: 404")
    codes = [e["code"] for e in gateway_events(admin)]
    check("gw.user_changed" in codes, "account changes are in the gateway log")


require_programs(UPSGATED)
work, d = start(https=True, simulate="vumap/modular-parallel:2x3")
try:
    run(work, d)
finally:
    stop(work, d)
finish()

"""RADIUS through the web API with curl, against a real FreeRADIUS on
loopback (tests/integration/radius.py): a RADIUS user logs in with the
role auth.radius.users maps it to (not listed: read-only), cannot change
its password here; a user unknown to RADIUS falls back to the local
accounts; with the server down, local accounts still work and the
gateway log has "All RADIUS servers invalid or connection failed"."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from radius import RadiusServer  # noqa: E402
from ugtest import UPSGATED, Workdir, check, finish, require_programs, wait_for  # noqa: E402
from webtest import STRONG, admin_session, gateway_events, start, stop  # noqa: E402

SECRET = "w3b-radius-secret"
ALICE = "Alice!radius#12"
BOB = "Bob!radius#1234"
LOCAL = "L0cal!passwd#1"


def run(work, d, rad):
    c = admin_session(d, work)
    r = c.put("/settings", {
        "auth.radius.enabled": True, "auth.radius.primary": "127.0.0.1",
        "auth.radius.primary_secret": SECRET, "auth.radius.port": rad.port,
        "auth.radius.timeout": 1, "auth.radius.retries": 0,
        "auth.radius.users": [{"name": "alice", "access": "read-write"}]})
    check(r.status == 200, f"RADIUS configured through the API ({r})")
    s = c.get("/settings").json
    check(s["auth.radius.primary_secret"] == "********", "the shared secret reads masked")

    alice = d.client("alice")
    r = alice.login("alice", ALICE)
    check(r.status == 200 and r.json["role"] == "read-write" and r.json["radius"] is True and
          r.json["must_change"] is False, f"alice (mapped read-write) logs in through RADIUS ({r})")
    check(rad.requests_for("alice") >= 1, "FreeRADIUS received alice's request")
    check(alice.delete("/logs/ups").status == 200, "alice may do what read-write may")
    check(alice.get("/users").status == 403, "but not what only admin may")
    r = alice.post("/password", {"old": ALICE, "new": "N3w!password#x"})
    check(r.status == 409 and r.code == "not_local", f"a RADIUS user changes its password elsewhere ({r})")
    r = alice.get("/session")
    check(r.status == 200 and r.json["radius"] is True and r.json["days_left"] is None,
          f"GET /session of a RADIUS user ({r})")

    bob = d.client("bob")
    r = bob.login("bob", BOB)
    check(r.status == 200 and r.json["role"] == "read-only", f"bob (not listed) is read-only ({r})")
    r = bob.login("bob", "Wrong!pass#123")
    check(r.status == 401 and r.code == "bad_credentials", "a wrong RADIUS password: 401")

    # A local user unknown to RADIUS: the local accounts answer.
    r = c.put("/users/localop", {"role": "read-write", "password": LOCAL})
    check(r.status == 200, "local user created")
    loc = d.client("local")
    r = loc.login("localop", LOCAL)
    check(r.status == 200 and r.json["radius"] is False and r.json["must_change"] is True,
          f"a user RADIUS rejects falls back to the local account ({r})")

    # Server down: local accounts, and the event.
    rad.stop()
    n_before = len([e for e in gateway_events(c) if e["code"] == "gw.radius_failed"])
    loc2 = d.client("local2")
    r = loc2.login("localop", LOCAL, timeout=30)
    check(r.status == 200 and r.json["radius"] is False,
          f"RADIUS down: the local account still logs in ({r})")
    r = d.client("alice2").login("alice", ALICE, timeout=30)
    check(r.status == 401, f"RADIUS down: a RADIUS-only user cannot ({r})")
    c.login("admin", STRONG)
    failed = wait_for(lambda: [e for e in gateway_events(c) if e["code"] == "gw.radius_failed"], 10)
    check(failed and len(failed) > n_before and
          "All RADIUS servers invalid or connection failed" in failed[0]["text"],
          f"the gateway log has the RADIUS failure ({failed[:1] if failed else failed})")


require_programs(UPSGATED)
work = Workdir()
rad = RadiusServer(work, {"alice": ALICE, "bob": BOB}, secret=SECRET)
_, d = start(work=work)
try:
    run(work, d, rad)
finally:
    rad.stop()
    stop(work, d)
finish()

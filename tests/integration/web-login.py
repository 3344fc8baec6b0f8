"""The front door with curl: the first-login flow (the initial password
only allows a password change), password policy rejections with their
reasons, CSRF (missing or wrong token, foreign Origin, login CSRF), the
single-session rule, logout, and lockout after 3 failures with its
"Account locked" event and the admin's unlock."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs
from webtest import STRONG, gateway_events, initial_password, start, stop

LOCKED_OUT = "Operat0r!pass#2"


def first_login(d, work):
    c = d.client("first")
    initial = initial_password(work.path)
    check(initial is not None and len(initial) >= 6, f"initial password known ({initial!r})")

    r = c.get("/status")
    check(r.status == 401 and r.code == "login_required", f"anonymous GET /status: 401 ({r})")
    bad_user = c.login("nosuchuser", initial)
    bad_pass = c.login("admin", "wrong" + initial)
    check(bad_user.status == 401 and bad_user.code == "bad_credentials",
          f"unknown user: 401 bad_credentials ({bad_user})")
    check(bad_pass.status == 401 and bad_pass.code == "bad_credentials",
          f"wrong password: 401 bad_credentials ({bad_pass})")
    check(bad_user.json == bad_pass.json, "unknown user and wrong password give the same reply")

    r = c.login("admin", initial)
    check(r.status == 200 and r.json["must_change"] is True and r.json["role"] == "admin",
          f"initial password opens a must-change session ({r})")
    check(r.json and len(r.json.get("csrf", "")) == 64, "login returns a 256-bit CSRF token")
    cookie = r.header("set-cookie") or ""
    check(cookie.startswith("upsgate=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
          and "Path=/" in cookie, f"session cookie HttpOnly, SameSite=Strict ({cookie})")
    check(len(c.cookie() or "") == 64, "session token of 256 bits in the cookie")

    for method, path, body in [("GET", "/status", None), ("GET", "/alarms", None),
                               ("GET", "/settings", None), ("GET", "/logs/gateway", None),
                               ("GET", "/users", None), ("GET", "/events", None),
                               ("PUT", "/settings", {"system.location": "x"}),
                               ("DELETE", "/logs/history", None)]:
        r = c.request(method, path, body=body)
        check(r.status == 403 and r.code == "password_change_required",
              f"must-change session: {method} {path} -> 403 password_change_required ({r})")
    r = c.get("/session")
    check(r.status == 200 and r.json["must_change"] is True and r.json["user"] == "admin",
          f"GET /session allowed while a change is required ({r})")

    # Policy: each rule named in the reason; nothing changes.
    for pw, reason in [("Sh0rt!pw", "12 characters"), ("nouppercase1!xx", "uppercase"),
                       ("NOLOWERCASE1!XX", "lowercase"), ("NoDigitsHere!!x", "digit"),
                       ("NoSpecials1234x", "special"), ("Dollar$Sign123!", "'$'")]:
        r = c.post("/password", {"old": initial, "new": pw})
        msg = r.json["error"]["message"] if r.code else ""
        check(r.status == 422 and r.code == "password_policy" and reason in msg,
              f"policy refuses {pw!r}: {msg!r}")
    r = c.post("/password", {"old": "wrong" + initial, "new": STRONG})
    check(r.status == 403 and r.code == "wrong_password", f"wrong old password refused ({r})")
    r = c.post("/password", {"old": initial, "new": STRONG}, csrf=False)
    check(r.status == 403 and r.code == "csrf", f"password change without X-CSRF-Token: 403 csrf ({r})")

    r = c.post("/password", {"old": initial, "new": STRONG})
    check(r.status == 200 and r.json.get("changed") is True, f"password changed ({r})")
    r = c.get("/session")
    check(r.status == 401, f"the session ends with the change ({r})")
    r = c.login("admin", initial)
    check(r.status == 401 and r.code == "bad_credentials", "the initial password no longer works")
    r = c.login("admin", STRONG)
    check(r.status == 200 and r.json["must_change"] is False and r.json["days_left"] in (89, 90),
          f"new password logs in, 90 days left ({r})")
    r = c.get("/status")
    check(r.status == 200 and "levels" in r.json, "GET /status after the change")
    events = [e["code"] for e in gateway_events(c)]
    check("gw.password_changed" in events and "gw.login" in events and "gw.login_failed" in events,
          f"gateway log has the login, the failure and the change ({sorted(set(events))})")
    return c


def csrf(d, c):
    origin = d.base
    change = {"system.location": "Lab"}
    r = c.put("/settings", change, csrf=False)
    check(r.status == 403 and r.code == "csrf", f"PUT without token: 403 csrf ({r})")
    saved, c.csrf = c.csrf, "0" * 64
    r = c.put("/settings", change)
    c.csrf = saved
    check(r.status == 403 and r.code == "csrf", f"PUT with a wrong token: 403 csrf ({r})")
    r = c.put("/settings", change, origin="http://evil.example")
    check(r.status == 403 and r.code == "csrf", f"PUT from a foreign Origin: 403 csrf ({r})")
    r = c.get("/settings")
    check(r.json.get("system.location") == "", "refused requests changed nothing")
    r = c.put("/settings", change, origin=origin)
    check(r.status == 200 and r.json["applied"] == ["system.location"],
          f"same Origin and the right token: applied ({r})")

    evil = d.client("evil")
    r = evil.login("admin", STRONG, origin="http://evil.example")
    check(r.status == 403 and r.code == "csrf", f"login from a foreign Origin refused ({r})")
    r = c.get("/session")
    check(r.status == 200, "a refused login CSRF does not close the session")


def single_session(d, c):
    other = d.client("second")
    r = other.login("admin", STRONG)
    check(r.status == 200, "second login of admin")
    r = c.get("/session")
    check(r.status == 401 and r.code == "login_required",
          f"the first cookie stops working (single session) ({r})")
    r = other.get("/session")
    check(r.status == 200 and r.json["user"] == "admin", "the second session works")
    token = other.cookie()
    r = other.post("/logout")
    check(r.status == 200, "logout")
    check("Max-Age=0" in (r.header("set-cookie") or ""), "logout removes the cookie")
    replay = d.client("replay")
    r = replay.get("/session", headers={"Cookie": f"upsgate={token}"})
    check(r.status == 401, f"the old token is refused after logout ({r})")


def lockout(d, work):
    admin = d.client("admin2")
    admin.login("admin", STRONG)
    r = admin.put("/users/operator", {"role": "read-write", "password": LOCKED_OUT})
    check(r.status == 200 and r.json["role"] == "read-write", f"user operator created ({r})")
    op = d.client("operator")
    for i in range(3):
        r = op.login("operator", f"Wrong!pass#{i}xx")
    check(r.status in (401, 423), f"three failures ({r})")
    r = op.login("operator", LOCKED_OUT)
    check(r.status == 423 and r.code == "locked" and r.json.get("retry_after", 0) > 800,
          f"locked: even the right password gets 423 with retry_after ({r})")
    check(r.header("retry-after") is not None, "423 carries Retry-After")
    users = {u["name"]: u for u in admin.get("/users").json["users"]}
    check(users["operator"]["locked"] is True and users["operator"]["locked_until"],
          f"the admin sees the lock ({users['operator']})")
    rows = gateway_events(admin)
    locked = [e for e in rows if e["code"] == "gw.account_locked"]
    check(locked and "operator" in locked[0]["detail"],
          f"'Account locked' in the gateway log ({locked[:1]})")
    r = admin.post("/users/operator/unlock")
    check(r.status == 200 and r.json["locked"] is False, f"admin unlocks ({r})")
    r = op.login("operator", LOCKED_OUT)
    check(r.status == 200 and r.json["must_change"] is True and r.json["role"] == "read-write",
          f"unlocked: logs in, must change the admin-set password ({r})")
    r = op.get("/status")
    check(r.status == 403 and r.code == "password_change_required", "operator must change first")
    r = admin.post("/users/nosuch/unlock")
    check(r.status == 404 and r.code == "no_such_user", "unlocking an unknown user: 404")


require_programs(UPSGATED)
work, d = start()
try:
    c = first_login(d, work)
    csrf(d, c)
    single_session(d, c)
    lockout(d, work)
finally:
    stop(work, d)
finish()

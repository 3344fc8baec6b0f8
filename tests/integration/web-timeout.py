"""The idle timeout with curl: with auth.login_timeout at its minimum
(30 s), a request keeps the session alive and half a minute of silence
ends it (the one test that waits ~30 s)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs
from webtest import admin_session, start, stop

TIMEOUT = 30

require_programs(UPSGATED)
work, d = start(extra=f"auth = {{ login_timeout = {TIMEOUT}; }};\n")
try:
    c = admin_session(d, work)
    r = c.get("/session")
    check(r.status == 200 and TIMEOUT - 2 <= r.json["timeout"] <= TIMEOUT,
          f"a fresh session has ~{TIMEOUT} s left ({r.json})")
    time.sleep(4)
    r = c.get("/session")
    check(r.status == 200 and r.json["timeout"] >= TIMEOUT - 1,
          f"a request after 4 s idle starts the idle time again ({r.json})")
    time.sleep(TIMEOUT + 1.5)
    r = c.get("/status")
    check(r.status == 401 and r.code == "login_required", f"idle for {TIMEOUT} s: logged out ({r})")
    r = c.login("admin", "Sup3r!secret#1")
    check(r.status == 200, "logging in again works")
finally:
    stop(work, d)
finish()

"""upsgatectl users / passwd / password reset admin against the real
daemon, checked through the web API with curl: a password set by
upsgatectl (read from standard input, policy enforced) logs in; a reset
brings admin back to the initial password that must be changed; the
accounts travel in a backup."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Workdir, check, finish, free_port, require_programs, wait_for, UPSGATED,
                    UPSGATECTL)
from ctltest import ctl, gateway_details, start
from webtest import Client, initial_password

require_programs(UPSGATED, UPSGATECTL)
NEW = "Ctl!passw0rd#42"
PORTS = range(24000, 25000)         # this test's TCP ports


def users(d):
    r = ctl(d, "users", "--json")
    return {u["name"]: u for u in json.loads(r.stdout)} if r.returncode == 0 else {}


def login(port, work, password):
    return Client(f"http://127.0.0.1:{port}", work).login("admin", password)


work = Workdir()
os.makedirs(work.file("www"), exist_ok=True)
port = free_port(PORTS)
conf = (f'state_dir = "{work.file("state")}";\n'
        f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
        f'http = {{ enabled = true; port = {port}; }};\nhttps = {{ enabled = false; }};\n'
        f'web = {{ root = "{work.file("www")}"; }};\nsnmp = {{ enabled = false; }};\n')
d = start(work, conf)
try:
    wait_for(lambda: login(port, work, "x").status != 0, 10)
    u = users(d)
    check(list(u) == ["admin"] and u["admin"]["role"] == "admin" and u["admin"]["must_change"] and
          not u["admin"]["locked"], f"users --json: admin alone, on its initial password: {u}")
    r = ctl(d, "users")
    check(r.returncode == 0 and r.stdout.startswith("NAME") and "admin" in r.stdout and
          "password must be changed" in r.stdout, f"users: a table: {r.stdout!r}")

    # --- passwd: the policy, then a password that logs in ----------------
    r = ctl(d, "passwd", "admin", stdin="short\n")
    check(r.returncode == 1 and "at least 12 characters" in r.stderr, f"too short: {r.stderr.strip()!r}")
    r = ctl(d, "passwd", "admin", stdin="Abcdefgh1234$\n")
    check(r.returncode == 1 and "'$'" in r.stderr, f"a character outside the policy: {r.stderr.strip()!r}")
    r = ctl(d, "passwd", "nobody", stdin=NEW + "\n")
    check(r.returncode == 1 and "nobody" in r.stderr, f"an unknown user: {r.stderr.strip()!r}")
    r = ctl(d, "passwd", "admin", stdin="")
    check(r.returncode == 1 and "no password" in r.stderr, "no password on standard input")
    r = ctl(d, "passwd", "admin", stdin=NEW + "\n")
    check(r.returncode == 0 and r.stdout == "password of admin changed\n", f"passwd: {r.stdout!r} {r.stderr!r}")
    u = users(d)
    check(not u["admin"]["must_change"] and u["admin"]["days_left"] == 90,
          f"no change required now, 90 days left: {u['admin']}")
    r = login(port, work, NEW)
    check(r.status == 200, f"the new password logs in on the web API: {r}")
    init = initial_password(work.file("state"))
    r = login(port, work, init)
    check(r.status != 200, f"the initial password no longer does: {r.status}")
    check(any(c == "gw.password_changed" for c, _ in gateway_details(d)), "gw.password_changed logged")

    # --- the accounts travel in a backup -----------------------------------
    path = work.file("backup.json")
    check(ctl(d, "backup", path).returncode == 0, "backup")

    # --- password reset admin ----------------------------------------------
    r = ctl(d, "password", "reset", "admin")
    check(r.returncode == 0 and "initial password" in r.stdout, f"password reset admin: {r.stdout!r}")
    check(users(d)["admin"]["must_change"], "admin must change its password again")
    r = login(port, work, NEW)
    check(r.status != 200, f"the old password is gone: {r.status}")
    r = login(port, work, init)
    check(r.status == 200 and r.json and r.json.get("must_change"),
          f"the initial password logs in, only to change it: {r}")
    r = ctl(d, "password", "reset", "bob")
    check(r.returncode == 2, "password reset is for admin only (usage)")

    r = ctl(d, "restore", path)
    check(r.returncode == 0, f"restore: {r.stderr!r}")
    check(not users(d)["admin"]["must_change"], "the restored admin has its password back")
    r = login(port, work, NEW)
    check(r.status == 200, f"and it logs in: {r}")
finally:
    code, _ = d.stop()
    check(code == 0, "clean stop")
    work.cleanup()
finish()

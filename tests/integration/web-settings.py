"""Settings through the API with curl: get (secrets masked), schema,
validate (a dry run), put (checked completely, saved to the config file,
logged with who and from where, restart-needing keys named), a restart
through the API that keeps the change, and the firewall applied to HTTP
(a reject rule for 127.0.0.1 makes the API unreachable there; it is
lifted by PUT /settings from ::1)."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs, wait_for
from webtest import STRONG, Client, admin_session, gateway_events, start, stop


def get_set(work, d, c):
    s = c.get("/settings")
    check(s.status == 200 and s.json["auth.login_timeout"] == 300 and
          s.json["snmp.read_community"] == "********", f"GET /settings, secrets masked")
    schema = c.get("/settings/schema").json
    lt = [e for e in schema if e["key"] == "auth.login_timeout"]
    check(lt and lt[0]["min"] == 30 and lt[0]["type"] == "integer", f"schema entry ({lt})")

    r = c.post("/settings/validate", {"auth.login_timeout": 5, "no.such.key": 1})
    keys = sorted(e["key"] for e in r.json.get("errors", []))
    check(r.status == 200 and r.json["valid"] is False and keys == ["auth.login_timeout", "no.such.key"],
          f"validate names every bad key ({r})")
    r = c.post("/settings/validate", {"system.location": "Room 1", "https.port": 23999})
    check(r.status == 200 and r.json["valid"] is True and
          sorted(r.json["changes"]) == ["https.port", "system.location"] and
          r.json["restart_keys"] == ["https.port"], f"validate of a good patch ({r})")
    check(c.get("/settings").json["system.location"] == "", "validate applied nothing")

    r = c.put("/settings", {"system.location": "Room 1", "auth.login_timeout": 5})
    check(r.status == 422 and r.code == "invalid_settings" and
          [e["key"] for e in r.json["errors"]] == ["auth.login_timeout"] and
          r.json["errors"][0]["reason"], f"PUT with one bad key refused whole ({r})")
    check(c.get("/settings").json["system.location"] == "", "a refused PUT changes nothing")
    r = c.put("/settings", ["not", "an", "object"])
    check(r.status == 400 and r.code == "bad_json", f"a non-object body: 400 bad_json ({r})")
    r = c.request("PUT", "/settings", data="{\"system.location\": ")
    check(r.status == 400 and r.code == "bad_json", "broken JSON: 400 bad_json")

    r = c.put("/settings", {"system.location": "Server room 2", "auth.login_timeout": 600,
                            "snmp.read_community": "********"})
    check(r.status == 200 and sorted(r.json["applied"]) == ["auth.login_timeout", "system.location"]
          and r.json["restart_required"] is False, f"PUT applied, no restart needed ({r})")
    r = c.put("/settings", {"snmp.read_community": "n3wcommunity", "modbus_tcp.port": 23502})
    check(r.status == 200 and r.json["restart_required"] is True and
          r.json["restart_keys"] == ["modbus_tcp.port"], f"restart-needing key named ({r})")
    conf = open(d.conf).read()
    check('"Server room 2"' in conf and "600" in conf and '"n3wcommunity"' in conf,
          "the changes are in the config file (secret in clear there)")
    check(c.get("/settings").json["snmp.read_community"] == "********", "the new secret reads masked")
    changed = [e for e in gateway_events(c) if e["code"] == "gw.config_changed"]
    details = " | ".join(e["detail"] + " " + e["text"] for e in changed)
    check("system.location" in details and "web" in details and "admin" in details and
          "127.0.0.1" in details, f"each change logged with who and from where ({details[:300]})")
    ck = subprocess.run([UPSGATED, "--check", "-c", d.conf], capture_output=True, text=True)
    check(ck.returncode == 0, f"the saved file passes upsgated --check ({ck.stdout}{ck.stderr})")


def restart(work, d, c):
    pid = d.proc.pid
    r = c.post("/restart")
    check(r.status == 202 and r.json["restarting"] is True, f"POST /restart: 202 ({r})")
    # Down, then up again under the same PID (exec).
    went_down = wait_for(lambda: c.get("/session", timeout=2).status != 200, 20)
    check(went_down, "the old daemon stopped serving")
    check(d.wait_web(40) and d.proc.pid == pid, "the daemon is back (same PID)")
    c2 = d.client("after-restart")
    r = c2.login("admin", STRONG)
    check(r.status == 200, "the new admin password survived the restart")
    s = c2.get("/settings").json
    check(s["system.location"] == "Server room 2" and s["auth.login_timeout"] == 600,
          "settings survived the restart")
    return c2


def firewall(work, d, c):
    r = c.put("/settings", {"firewall.rules": [
        {"address": "127.0.0.1", "prefix": 32, "action": "reject"}]})
    check(r.status == 200 and r.json["applied"] == ["firewall.rules"], f"reject rule set ({r})")
    r = c.get("/session", timeout=5)
    check(r.status == 0, f"127.0.0.1 can no longer reach the API ({r.status})")
    v6 = Client(d.base6, work, "v6")
    r = v6.login("admin", STRONG)
    check(r.status == 200, f"::1 still reaches it ({r})")
    r = v6.get("/settings")
    check(r.json["firewall.rules"] == [{"address": "127.0.0.1", "prefix": 32, "action": "reject"}],
          "the rule reads back")
    r = v6.put("/settings", {"firewall.rules": []})
    check(r.status == 200, f"rules cleared from ::1 ({r})")
    back = d.client("back")
    r = back.login("admin", STRONG)
    check(r.status == 200, f"127.0.0.1 reaches the API again ({r})")
    r = back.put("/settings", {"firewall.rules": [
        {"address": "127.0.0.1", "prefix": 40, "action": "reject"}]})
    check(r.status == 422 and r.json["errors"][0]["key"].startswith("firewall.rules"),
          f"an IPv4 prefix over 32 refused ({r})")
    r = back.put("/settings", {"firewall.rules": [
        {"address": "not-an-ip", "prefix": 8, "action": "reject"}]})
    check(r.status == 422, f"a bad address refused ({r})")


require_programs(UPSGATED)
work, d = start()
try:
    c = admin_session(d, work)
    get_set(work, d, c)
    c = restart(work, d, c)
    firewall(work, d, c)
finally:
    stop(work, d)
finish()

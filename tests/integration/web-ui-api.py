"""The API the web interface needs beyond the first version, with curl
against the real daemon polling upsgate-sim:
- GET /languages (public) lists the language files of web.root/lang,
  sorted, without the broken one, the links and the other names, and
  warns once about the broken file;
- GET /time agrees with the local clock, the zone the daemon was given
  and the kernel's NTP state (adjtimex through ctypes);
- POST /alarms/ack: an alarm raised in the simulator is unacknowledged,
  acknowledged by a read-write user (refused to read-only and without
  the CSRF token), recorded in the gateway log, and new again when it
  clears and comes back;
- web.links: a valid list is saved to the configuration file; bad ones
  are refused whole with 422 invalid_settings and change nothing."""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import SIM, UPSGATECTL, UPSGATED, Sim, Workdir, check, finish, require_programs, wait_for
from webtest import admin_session, gateway_events, start, stop

ZONE = "Europe/Paris"
FIRST = "F1rst!passwd#x"
ALARM = "A07"                   # Over temperature: one managed alarm, nothing else follows


def web_root(work):
    """lang/ with en, fr, an extra xx, a broken file, a link, other names."""
    lang = os.path.join(work.path, "www", "lang")
    os.makedirs(os.path.join(lang, "_parts"), exist_ok=True)
    files = {
        "en.json": '{"meta": {"code": "en", "name": "English"}, "strings": {"menu.alarms": "Alarms"}}',
        "fr.json": '{"meta": {"code": "fr", "name": "Fran\u00e7ais"}, "strings": {}}',
        "xx.json": '{"meta": {"code": "xx", "name": "Test language"}, "strings": {}}',
        "zz.json": '{"meta": {"name": "Broken", ',
        "_parts/de.json": '{"meta": {"name": "Part"}}',
        "english.json": '{"meta": {"name": "Not a tag"}}',
        ".hidden.json": '{"meta": {"name": "Hidden"}}',
    }
    for name, text in files.items():
        with open(os.path.join(lang, name), "w", encoding="utf-8") as f:
            f.write(text)
    os.symlink("en.json", os.path.join(lang, "yy.json"))
    outside = os.path.join(work.path, "outside.json")
    with open(outside, "w") as f:
        f.write('{"meta": {"name": "Outside"}}')
    os.symlink(outside, os.path.join(lang, "ww.json"))


def languages(d):
    anon = d.client("anon")
    r = anon.get("/languages")
    check(r.status == 200 and r.header("cache-control") == "no-store",
          f"GET /languages without a session: 200 ({r})")
    got = r.json["languages"] if r.json else None
    check(got == [{"code": "en", "name": "English"}, {"code": "fr", "name": "Fran\u00e7ais"},
                  {"code": "xx", "name": "Test language"}],
          f"en, fr and xx, sorted; the broken file, links and other names left out ({got})")
    check(anon.get("/languages").json == r.json, "the same list again")
    warned = [line for line in d.logtext().splitlines() if "lang/zz.json" in line]
    check(len(warned) == 1 and "not JSON" in warned[0], f"the broken file is named once in the log ({warned})")
    r = anon.post("/languages")
    check(r.status == 405 and r.code == "method_not_allowed", f"POST /languages: 405 ({r})")
    r = anon.get("/time")
    check(r.status == 401 and r.code == "login_required", f"GET /time needs a session ({r})")


def kernel_clock():
    """(state, maxerror) of adjtimex(2) with modes 0, read from here."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    buf = ctypes.create_string_buffer(512)          # struct timex, zeroed: modes = 0
    state = libc.adjtimex(buf)
    # x86-64 and aarch64: int modes (padded to 8), long offset, long freq, long maxerror.
    maxerror = ctypes.c_long.from_buffer(buf, 24).value
    return state, maxerror


def clock(c):
    before = time.time()
    r = c.get("/time")
    after = time.time()
    t = r.json or {}
    check(r.status == 200 and set(t) == {"time", "time_ms", "timezone", "utc_offset", "dst",
                                         "synchronized", "max_error_us"}, f"GET /time members ({r})")
    if r.status != 200:
        return
    check(before * 1000 - 1000 <= t["time_ms"] <= after * 1000 + 1000,
          f"time_ms is the local clock ({t['time_ms']} vs {before * 1000:.0f})")
    check(t["time"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t["time_ms"] // 1000)),
          f"time is time_ms in UTC ({t['time']})")
    os.environ["TZ"] = ZONE
    time.tzset()
    local = time.localtime(t["time_ms"] / 1000)
    check(t["timezone"] == ZONE, f"timezone from the daemon's TZ ({t['timezone']})")
    check(t["utc_offset"] == local.tm_gmtoff and t["dst"] == (local.tm_isdst > 0),
          f"utc_offset and dst of {ZONE} now ({t['utc_offset']}, {t['dst']})")
    state, maxerror = kernel_clock()
    if state >= 0:
        check(t["synchronized"] == (state != 5), f"synchronized is the kernel's (state {state}: {t['synchronized']})")
        check(isinstance(t["max_error_us"], int) and abs(t["max_error_us"] - maxerror) <= 1000000,
              f"max_error_us is the kernel's ({t['max_error_us']} vs {maxerror})")
    else:
        check(isinstance(t["synchronized"], bool), "synchronized is a boolean")


def user_session(d, admin, name, role):
    r = admin.put(f"/users/{name}", {"role": role, "password": FIRST})
    check(r.status == 200, f"{name} created as {role} ({r})")
    c = d.client(name)
    c.login(name, FIRST)
    new = f"{name.capitalize()}!pass#123456"
    c.post("/password", {"old": FIRST, "new": new})
    r = c.login(name, new)
    check(r.status == 200 and r.json["role"] == role, f"{name} logs in as {role}")
    return c


def alarms(c):
    r = c.get("/alarms")
    return r.json if r.status == 200 else None


def ours(summary):
    return [a for a in (summary or {}).get("active_alarms", []) if a["code"] == ALARM]


def event_stream(c):
    """curl -N on /events; the lines it receives, as they come."""
    proc = subprocess.Popen(["curl", "-sN", "-b", c.jar, "--max-time", "60", c.base + "/api/v1/events"],
                            stdout=subprocess.PIPE)
    lines = []
    threading.Thread(target=lambda: lines.extend(iter(lambda: proc.stdout.readline().decode(
        errors="replace"), "")), daemon=True).start()
    return proc, lines


def acknowledgement(d, sim, admin):
    rw = user_session(d, admin, "operator", "read-write")
    ro = user_session(d, admin, "viewer", "read-only")
    check(wait_for(lambda: (alarms(rw) or {}).get("alarm_counts", {}).get("total") == 0, 20),
          "no alarm at first")
    r = rw.post("/alarms/ack")
    check(r.status == 200 and r.json == {"acknowledged": 0}, f"nothing to acknowledge ({r})")

    sim.ctl("alarm", ALARM, "on")
    s = wait_for(lambda: (lambda a: a if ours(a) else None)(alarms(rw)), 15)
    check(s is not None, f"{ALARM} raised in the simulator is active")
    if not s:
        return
    check(len(s["active_alarms"]) == 1 and s["alarm_counts"]["unacknowledged"] == 1 and
          ours(s)[0]["acknowledged"] is False,
          f"one unacknowledged alarm ({s['active_alarms']}, {s['alarm_counts']})")
    st = rw.get("/status").json
    check(st["alarm_counts"]["unacknowledged"] == 1 and ours(st)[0]["acknowledged"] is False,
          "GET /status says the same")

    r = ro.post("/alarms/ack")
    check(r.status == 403 and r.code == "forbidden", f"read-only: 403 forbidden ({r})")
    r = rw.post("/alarms/ack", csrf=False)
    check(r.status == 403 and r.code == "csrf", f"without the CSRF token: 403 csrf ({r})")
    r = rw.post("/alarms/ack", {"alarm": "A07"})
    check(r.status == 400 and r.code == "bad_request", f"a body other than {{}}: 400 ({r})")
    check(alarms(rw)["alarm_counts"]["unacknowledged"] == 1, "the refusals acknowledged nothing")

    stream, lines = event_stream(ro)
    check(wait_for(lambda: any(line.startswith("event: snapshot") for line in lines), 10),
          "another browser follows the event stream")
    r = rw.post("/alarms/ack", {})
    check(r.status == 200 and r.json == {"acknowledged": 1}, f"read-write acknowledges one ({r})")
    s = alarms(ro)
    check(s["alarm_counts"]["unacknowledged"] == 0 and ours(s)[0]["acknowledged"] is True and
          s["alarm_counts"]["total"] == 1, f"acknowledged for every user ({s['alarm_counts']})")
    check(ours(ro.get("/status").json)[0]["acknowledged"] is True, "GET /status too")
    check(wait_for(lambda: any('"gw.alarms_acknowledged"' in line for line in lines), 10),
          "the other browser's event stream carries the acknowledgement")
    stream.terminate()
    stream.wait(5)
    r = admin.post("/alarms/ack")
    check(r.status == 200 and r.json == {"acknowledged": 0}, f"again: nothing new ({r})")
    acks = [e for e in gateway_events(admin) if e["code"] == "gw.alarms_acknowledged"]
    check(len(acks) == 1 and "1 alarm(s) by operator from 127.0.0.1" in acks[0]["detail"] and
          acks[0]["text"] == "Alarms acknowledged",
          f"one gateway event, with who and from where ({acks})")

    # Cleared and back: a new alarm.
    sim.ctl("alarm", ALARM, "off")
    check(wait_for(lambda: not ours(alarms(rw)), 15), f"{ALARM} clears")
    sim.ctl("alarm", ALARM, "on")
    s = wait_for(lambda: (lambda a: a if ours(a) else None)(alarms(rw)), 15)
    check(s and s["alarm_counts"]["unacknowledged"] == 1 and ours(s)[0]["acknowledged"] is False,
          f"back again: unacknowledged ({s and s['alarm_counts']})")
    r = admin.post("/alarms/ack")
    check(r.status == 200 and r.json == {"acknowledged": 1}, f"admin acknowledges it ({r})")
    sim.ctl("alarm", ALARM, "auto")


LINKS = [{"text": "Rack PDU", "address": "192.0.2.20", "enabled": True},
         {"text": "Wiki", "address": "https://wiki.example.com/ups?x=1", "enabled": False}]


def links(d, admin):
    s = admin.get("/settings").json
    check(s["web.links"] == [], f"web.links is empty by default ({s['web.links']})")
    schema = [e for e in admin.get("/settings/schema").json if e["key"] == "web.links"]
    check(schema and schema[0]["restart"] is False and schema[0]["max_entries"] == 4 and
          [i["key"] for i in schema[0]["items"]] == ["text", "address", "enabled"],
          f"schema: a list of 4 (text, address, enabled), no restart ({schema})")
    r = admin.put("/settings", {"web.links": LINKS})
    check(r.status == 200 and r.json["applied"] == ["web.links"] and r.json["restart_required"] is False,
          f"valid links applied without a restart ({r})")
    check(admin.get("/settings").json["web.links"] == LINKS, "read back")
    conf = open(d.conf).read()
    check('"Rack PDU"' in conf and '"https://wiki.example.com/ups?x=1"' in conf,
          "saved to the configuration file")
    ck = d.ctl("config", "get", "web.links")
    check(ck is not None and "Rack PDU" in ck.stdout, "upsgatectl sees them")

    bad = [
        ([{"text": str(i), "address": f"h{i}"} for i in range(5)], "web.links", "5 links"),
        ([{"text": "x", "address": "javascript:alert(1)"}], "web.links[0].address", "javascript: scheme"),
        ([{"text": "x" * 33, "address": "a"}], "web.links[0].text", "33-character text"),
        ([{"text": "x", "address": 'a"onmouseover="x'}], "web.links[0].address", "quote in the address"),
        ([{"text": "x", "address": "a<b>"}], "web.links[0].address", "< > in the address"),
        ([{"text": "x", "address": "ftp://example.com"}], "web.links[0].address", "ftp scheme"),
        ([{"text": "x"}], "web.links[0]", "no address"),
    ]
    for value, key, what in bad:
        r = admin.put("/settings", {"web.links": value, "system.location": "changed"})
        keys = [e["key"] for e in (r.json or {}).get("errors", [])]
        check(r.status == 422 and r.code == "invalid_settings" and keys == [key],
              f"{what}: 422 invalid_settings on {key} ({r})")
    after = admin.get("/settings").json
    check(after["web.links"] == LINKS and after["system.location"] == "", "the refused PUTs changed nothing")
    check(open(d.conf).read() == conf, "the configuration file is unchanged")
    r = admin.put("/settings", {"web.links": []})
    check(r.status == 200 and admin.get("/settings").json["web.links"] == [], "links removed")


require_programs(UPSGATED, UPSGATECTL, SIM)
work = Workdir()
web_root(work)
sim = Sim(work, "jbusp", "single", "--no-noise")
saved_tz = os.environ.get("TZ")
os.environ["TZ"] = ZONE         # the daemon's zone (inherited)
try:
    _, d = start(work=work, device=sim.link, extra="events = { debounce = 0.2; };\n")
finally:
    if saved_tz is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved_tz
try:
    languages(d)
    admin = admin_session(d, work)
    clock(admin)
    acknowledgement(d, sim, admin)
    links(d, admin)
finally:
    sim.stop()
    stop(work, d)
finish()

"""The live model and the logs with curl, against the real daemon polling
upsgate-sim: GET /status agrees with upsgatectl status --json and adds the
topology tree; an Server-Sent Events stream (curl -N) receives a snapshot,
then the AC-failure events after `upsgate-sim ctl ac-fail`; the active
alarms carry their start time; logs page, filter and sort, download as
CSV, draw as a series, and clear (logged with who)."""

import csv
import io
import json
import os
import queue
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import SIM, UPSGATECTL, UPSGATED, Sim, Workdir, check, finish, require_programs, wait_for
from webtest import admin_session, gateway_events, start, stop

AC_FAIL = {"jbusp.A00", "jbusp.A05", "jbusp.A06", "jbusp.S05"}


class Stream:
    """curl -N on /events; parsed messages arrive on a queue."""

    def __init__(self, c):
        self.q = queue.Queue()
        self.proc = subprocess.Popen(["curl", "-sN", "-b", c.jar, "--max-time", "120",
                                      c.base + "/api/v1/events"], stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        kind, data = None, []
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and kind:
                try:
                    self.q.put((kind, json.loads("\n".join(data))))
                except ValueError:
                    self.q.put((kind, None))
                kind, data = None, []

    def wait(self, predicate, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                kind, data = self.q.get(timeout=max(0.05, end - time.monotonic()))
            except queue.Empty:
                break
            if predicate(kind, data):
                return data
        return None

    def close(self):
        self.proc.terminate()
        self.proc.wait(5)


def status_agrees(d, c):
    s = wait_for(lambda: (lambda r: r.json if r.status == 200 and r.json.get("comm") == "ok"
                          and r.json["levels"][0]["valid"] else None)(c.get("/status")), 30)
    check(s is not None, "GET /status: communication ok")
    if not s:
        return
    ctl = json.loads(subprocess.run([UPSGATECTL, "-s", d.socket, "status", "--json"],
                                    capture_output=True, text=True).stdout)
    check(s["identity"] == ctl["identity"] and s["topology"] == ctl["topology"],
          "identity and topology agree with upsgatectl status --json")
    check(set(ctl) <= set(s), f"every member of upsgatectl's status is in the API's ({set(ctl) - set(s)})")
    check(s["identity"]["map"] == "JBUSP" and s["levels"][0]["measurements"]["output.voltage.l1"] == 230,
          "measurements of the system level")
    check(s["tree"]["kind"] == "system" and s["tree"]["level"] == 0 and s["tree"]["children"] == [],
          f"topology tree of a single UPS ({s['tree']})")
    check(s["active_alarms"] == [] and s["alarm_counts"]["total"] == 0, "no alarm yet")
    r = c.get("/alarms")
    check(r.status == 200 and r.json["active_alarms"] == [], "GET /alarms: none")


def ac_failure(d, c, sim, stream):
    snap = stream.wait(lambda k, data: k == "snapshot" and data and "levels" in data, 15)
    check(snap is not None, "the stream sends snapshots")
    t_fail = time.time()
    sim.ctl("ac-fail")
    seen = set()

    def raised(kind, data):
        if kind == "event" and data and data.get("active") and data.get("code") in AC_FAIL:
            seen.add(data["code"])
        return seen == AC_FAIL
    check(stream.wait(raised, 20) is not None, f"the stream sends the AC-failure events ({sorted(seen)})")
    snap = stream.wait(lambda k, data: k == "snapshot" and data and
                       data["levels"][0]["state"]["battery_status"] == "Battery discharging", 10)
    check(snap is not None, "a later snapshot shows the battery discharging")

    r = c.get("/alarms")
    active = {a["code"]: a for a in r.json["active_alarms"]}
    check({"A00", "A05", "A06"} <= set(active), f"active alarms listed ({sorted(active)})")
    since = [a.get("since_ms") for a in active.values()]
    check(all(s and t_fail * 1000 - 2000 <= s <= time.time() * 1000 for s in since),
          f"each active alarm carries its start time ({since})")
    check(r.json["alarm_counts"]["total"] == len(active) and r.json["alarm_counts"]["warning"] >= 3,
          f"alarm counts ({r.json['alarm_counts']})")
    last = r.json["last_alarm"]
    check(last and last["code"].startswith("jbusp.") and last["time_ms"] >= t_fail * 1000 - 2000,
          f"the last alarm ({last})")
    s = c.get("/status").json
    check({a["code"] for a in s["active_alarms"]} == set(active), "GET /status has the same alarms")
    # A history row of the failure before the return (the series test reads it).
    def zero_row():
        r = c.get("/logs/history", query={"from": int(t_fail) - 1, "unit": 0, "size": 100})
        return r.status == 200 and any(row["input.voltage.l1"] == 0 for row in r.json["rows"])
    check(wait_for(zero_row, 10), "the history log records the 0 V input")
    sim.ctl("ac-restore")
    check(stream.wait(lambda k, data: k == "event" and data and data.get("code") == "jbusp.A00"
                      and data.get("active") is False, 20) is not None, "the stream sends the return")
    check(wait_for(lambda: c.get("/alarms").json["active_alarms"] == [], 15), "no alarm left")
    return t_fail


def logs(d, c, t_fail):
    r = c.get("/logs/ups", query={"level": "warning", "order": "asc", "size": 1000})
    codes = {row["code"] for row in r.json["rows"]}
    check(r.status == 200 and AC_FAIL <= codes, f"UPS log with the level filter ({sorted(codes)})")
    check(all(row["level"] in ("warning", "critical") for row in r.json["rows"]), "only warnings and up")
    times = [row["t"] for row in r.json["rows"]]
    check(times == sorted(times), "ascending order")
    r = c.get("/logs/ups", query={"page": 2, "size": 2})
    check(r.status == 200 and r.json["page"] == 2 and len(r.json["rows"]) == 2 and r.json["total"] >= 8,
          f"paging with a total ({r.json and r.json.get('total')})")
    r = c.get("/logs/ups", query={"sort": "level", "order": "desc", "size": 5})
    check(r.status == 200 and r.json["rows"][0]["level"] in ("warning", "critical"), "sort by level")
    r = c.get("/logs/gateway", query={"group": "gateway"})
    check(r.status == 200 and all(row["group"] == "gateway" for row in r.json["rows"]), "group filter")
    for q, what in [({"size": 5000}, "size over 1000"), ({"page": 0}, "page 0"),
                    ({"sort": "name"}, "unknown sort"), ({"from": "yesterday"}, "bad time"),
                    ({"from": 200, "to": 100}, "from after to")]:
        r = c.get("/logs/ups", query=q)
        check(r.status == 400 and r.code == "bad_query", f"{what}: 400 bad_query ({r})")
    r = c.get("/logs/history", query={"level": "warning"})
    check(r.status == 400 and r.code == "bad_query", "level on the history log: 400")
    r = c.get("/logs/nosuch")
    check(r.status == 404 and r.code == "no_such_log", "unknown log: 404")
    # One history row a second: the window fills within a few seconds.
    deadline = time.time() + 10
    while True:
        r = c.get("/logs/history", query={"from": int(t_fail) - 2, "to": int(time.time()) + 1, "unit": 0})
        if r.status != 200 or r.json["total"] >= 3 or time.time() > deadline:
            break
        time.sleep(0.5)
    check(r.status == 200 and r.json["total"] >= 3, f"history rows of the window ({r.json and r.json['total']})")

    r = c.get("/logs/ups.csv")
    day = time.strftime("%Y%m%d")
    check(r.status == 200 and r.header("content-type").startswith("text/csv") and
          f"upsgate-ups-{day}.csv" in (r.header("content-disposition") or ""),
          f"CSV attachment ({r.header('content-disposition')})")
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    check(rows and rows[0][:2] == ["Local time", "ISO 8601"] and len(rows) > 8, "CSV header and rows")
    check(r.body.count(b"\r\n") == len(rows), "CSV lines end in CRLF")
    r = c.get("/logs/history.csv", query={"from": int(t_fail) - 2})
    check(r.status == 200 and r.text.count("\n") >= 3, "history CSV of a window")

    now = int(time.time()) + 1
    r = c.get("/series", query={"column": "input.voltage.l1", "from": int(t_fail) - 3, "to": now,
                                "points": 20})
    pts = [p for p in (r.json or {}).get("points", []) if p["min"] is not None]
    check(r.status == 200 and 0 < len(pts) <= 20, f"a series of at most 20 points ({len(pts)})")
    check(pts and min(p["min"] for p in pts) == 0 and max(p["max"] for p in pts) == 230,
          "the series keeps the failure's 0 V and the normal 230 V")
    r = c.get("/series", query={"column": "no.such.column"})
    check(r.status == 400 and r.code == "bad_query", "unknown series column: 400")
    r = c.get("/series", query={"column": "input.voltage.l1", "points": 0})
    check(r.status == 400, "0 points: 400")

    r = c.delete("/logs/history")
    check(r.status == 200 and r.json["cleared"] == "history", "history cleared")
    left = c.get("/logs/history", query={"to": int(time.time()) - 1}).json
    check(left["total"] == 0, f"no history row left from before the clear ({left['total']})")
    cleared = [e for e in gateway_events(c) if e["code"] == "gw.history_log_cleared"]
    check(cleared and "admin" in cleared[0]["detail"], f"'History log cleared' with who ({cleared[:1]})")
    r = c.delete("/logs/history.csv")
    check(r.status == 404, "DELETE on a .csv path: 404")


def trace(c):
    r = c.post("/trace", {"enabled": True, "frames": 40})
    check(r.status == 200 and r.json == {"enabled": True, "frames": 40}, f"trace on ({r})")
    frames = wait_for(lambda: (lambda j: j["frames"] if j and j["count"] >= 10 else None)(
        c.get("/trace").json), 10)
    check(frames and len(frames) <= 40 and {f["direction"] for f in frames} >= {"tx", "rx"},
          f"GET /trace: frames both ways, at most 40 ({len(frames or [])})")
    check(frames and all(f["length"] == len(f["bytes"].split()) for f in frames if f["direction"] != "error"),
          "each frame's length matches its bytes")
    r = c.get("/trace.csv")
    lines = r.text.splitlines()
    check(r.status == 200 and lines[0] == "time,direction,length,bytes,note" and len(lines) > 10,
          f"GET /trace.csv ({lines[:2]})")
    for body in [{"enabled": "yes"}, {"enabled": True, "frames": 0}, {"enabled": True, "frames": 10001}, {}]:
        r = c.post("/trace", body)
        check(r.status == 400 and r.code == "bad_request", f"POST /trace {body}: 400 ({r})")
    r = c.post("/trace", {"enabled": False})
    check(r.status == 200 and r.json["enabled"] is False, "trace off")
    t = c.get("/trace").json
    check(t["enabled"] is False and t["size"] == 0 and t["count"] > 0,
          f"trace off keeps the frames for export ({t['enabled']}, {t['count']})")
    check(len(c.get("/trace.csv").text.splitlines()) == t["count"] + 1,
          "the stopped trace exports as CSV")


require_programs(UPSGATED, UPSGATECTL, SIM)
work = Workdir()
sim = Sim(work, "jbusp", "single", "--no-noise")
_, d = start(work=work, device=sim.link,
                 extra="history = { interval = 1; };\nevents = { debounce = 0.5; };\n")
stream = None
try:
    c = admin_session(d, work)
    status_agrees(d, c)
    stream = Stream(c)
    t_fail = ac_failure(d, c, sim, stream)
    logs(d, c, t_fail)
    trace(c)
finally:
    if stream:
        stream.close()
    sim.stop()
    stop(work, d)
finish()

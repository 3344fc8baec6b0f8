"""Crash safety of the logs: the real daemon writes at a high rate
(history every second, an alarm flapping faster than that, no debounce)
and is killed with SIGKILL at a random moment, 50 times. After every kill
PRAGMA integrity_check is ok, and every row a query had returned before
the kill (an acknowledged row) is still there after the restart."""

import os
import random
import signal
import sqlite3
import sys
import threading
import time
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, require_programs,
                    wait_for, UPSGATED, UPSGATECTL, SIM)

KILLS = 50
LOGS = ("ups", "gateway", "history")


def row_key(log, r):
    if log == "history":
        return (r["t"], r["unit"])
    return (r["t"], r["code"], r["active"], r["unit"], r["module"])


def acknowledged(d):
    """Newest rows of every log as the daemon reports them."""
    seen = {}
    for log in LOGS:
        r = d.ctl("logs", log, "--json", "--size", "1000", "--desc")
        if not r:
            return None
        seen[log] = {row_key(log, x) for x in json.loads(r.stdout)["rows"]}
    return seen


def present(d, acked):
    """Which acknowledged rows are missing now (queried by their window)."""
    missing = {}
    for log, keys in acked.items():
        if not keys:
            continue
        lo = min(k[0] for k in keys) // 1000
        hi = max(k[0] for k in keys) // 1000 + 1
        now = set()
        page = 1
        while True:
            r = d.ctl("logs", log, "--json", "--size", "1000", "--asc", "--from", str(lo),
                      "--to", str(hi), "--page", str(page))
            rows = json.loads(r.stdout)["rows"] if r else []
            now |= {row_key(log, x) for x in rows}
            if len(rows) < 1000:
                break
            page += 1
        lost = keys - now
        if lost:
            missing[log] = sorted(lost)[:5]
    return missing


def flap(sim, stop):
    on = False
    while not stop.is_set():
        on = not on
        try:
            sim.ctl("alarm", "A02", "on" if on else "off")
        except RuntimeError:
            pass
        stop.wait(0.3)


require_programs(UPSGATED, UPSGATECTL, SIM)
random.seed(int(os.environ.get("UPSGATE_TEST_SEED", "1234")))
work = Workdir()
sim = Sim(work, "jbusp", "single", "--no-noise")
conf = config_text(work, sim.link) + "history = { interval = 1; extended_interval = 10; };\n" \
    "events = { debounce = 0.0; };\n"
stop = threading.Event()
flapper = threading.Thread(target=flap, args=(sim, stop), daemon=True)
flapper.start()
db = work.file("upsgate.db")
acked = None
ok_integrity = ok_rows = ok_start = 0
written = 0
try:
    for i in range(KILLS):
        d = Daemon(work, conf if i == 0 else None)
        up = d.wait_status(lambda s: s.get("comm") == "ok", 20)
        if up is None:
            print(f"# kill {i}: daemon did not come up\n" + d.logtext()[-2000:])
            d.stop()
            continue
        ok_start += 1
        if acked is not None:
            missing = present(d, acked)
            if missing:
                print(f"# kill {i}: acknowledged rows lost: {missing}")
            else:
                ok_rows += 1
        time.sleep(random.uniform(0.3, 2.5))
        acked = acknowledged(d)
        written = sum(len(v) for v in acked.values()) if acked else written
        time.sleep(random.uniform(0.0, 0.6))
        d.signal(signal.SIGKILL)
        d.proc.wait()
        d.log.close()
        con = sqlite3.connect(db)
        result = con.execute("PRAGMA integrity_check").fetchall()
        con.close()
        if result == [("ok",)]:
            ok_integrity += 1
        else:
            print(f"# kill {i}: integrity_check says {result[:3]}")
    # The last kill's acknowledged rows, checked by one more start.
    d = Daemon(work, None)
    if d.wait_status(lambda s: s.get("comm") == "ok", 20) and acked is not None:
        missing = present(d, acked)
        ok_rows += 0 if missing else 1
        if missing:
            print(f"# final: acknowledged rows lost: {missing}")
    code, _ = d.stop()
finally:
    stop.set()
    flapper.join(5)
    sim.stop()

check(ok_start == KILLS, f"daemon restarted after every kill ({ok_start}/{KILLS})")
check(ok_integrity == KILLS, f"integrity_check ok after every kill ({ok_integrity}/{KILLS})")
check(ok_rows == KILLS, f"no acknowledged row lost ({ok_rows}/{KILLS} restarts checked)")
check(written > 100, f"the logs were being written at a high rate ({written} rows at the last kill)")
work.cleanup()
finish()

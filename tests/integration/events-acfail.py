"""An AC failure and its return, end to end: the real daemon polls the
simulator and records exactly the expected UPS events with their levels,
history rows at the configured interval with the simulator's values, and
an extended-history row whose min/max match the history rows of its window
and whose average lies between them.
Logs are read back through upsgatectl (JSON pages and CSV export)."""

import csv
import io
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, require_programs,
                    system_level, wait_for, UPSGATED, UPSGATECTL, SIM)

EXTENDED_S = 10


def logs_json(d, name, **opts):
    args = ["logs", name, "--json", "--size", "1000", "--asc"]
    for k, v in opts.items():
        args += [f"--{k}", str(v)]
    r = d.ctl(*args)
    return json.loads(r.stdout) if r else None


def events_between(d, t0, t1):
    page = logs_json(d, "ups")
    return [(r["code"], r["level"], r["active"]) for r in page["rows"] if t0 <= r["t"] < t1]


def run(map_, topo, expected_fail):
    work = Workdir()
    sim = Sim(work, map_, topo, "--no-noise")
    conf = config_text(work, sim.link) + \
        f"history = {{ interval = 1; extended_interval = {EXTENDED_S}; }};\n" \
        "events = { debounce = 0.5; };\n"
    d = Daemon(work, conf)
    try:
        ok = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 30)
        check(ok is not None, f"{map_}: comm ok")
        time.sleep(2)
        t_fail = time.time() * 1000
        sim.ctl("ac-fail")
        on_batt = d.wait_status(lambda s: system_level(s)["state"]["battery_status"]
                                == "Battery discharging", 10)
        check(on_batt is not None, f"{map_}: daemon sees the battery discharging")
        time.sleep(4)
        t_restore = time.time() * 1000
        sim.ctl("ac-restore")
        back = d.wait_status(lambda s: system_level(s)["state"]["ups_status"]
                             == "Load protected by Inverter", 10)
        check(back is not None, f"{map_}: back on inverter")
        time.sleep(4)
        t_end = time.time() * 1000

        raised = sorted(events_between(d, t_fail, t_restore))
        want = sorted([(c, l, True) for c, l in expected_fail] +
                      [("ups.status.on_inverter", "information", False)])
        check(raised == want, f"{map_}: AC failure gives exactly {want}, got {raised}")
        cleared = sorted(events_between(d, t_restore, t_end))
        want = sorted([(c, l, False) for c, l in expected_fail] +
                      [("ups.status.on_inverter", "information", True)])
        check(cleared == want, f"{map_}: AC return gives exactly {want}, got {cleared}")

        hist = logs_json(d, "history", **{"from": int(t_fail / 1000) - 2, "to": int(t_end / 1000) + 1})
        rows = [r for r in hist["rows"] if r["unit"] == 0]
        times = [r["t"] for r in rows]
        gaps = [b - a for a, b in zip(times, times[1:])]
        check(len(rows) >= 8 and all(g == 1000 for g in gaps),
              f"{map_}: one history row per second ({len(rows)} rows, gaps {sorted(set(gaps))})")
        during = [r for r in rows if t_fail + 1500 < r["t"] < t_restore]
        after = [r for r in rows if r["t"] > t_restore + 1500]
        key_in, key_out = "input.voltage.l1", "output.voltage.l1"
        check(during and all(r[key_in] == 0 for r in during),
              f"{map_}: input voltage 0 while on battery ({[r[key_in] for r in during]})")
        check(all(r[key_out] == 230 for r in rows), f"{map_}: output voltage 230 throughout")
        check(after and all(r[key_in] == 230 for r in after), f"{map_}: input voltage back to 230")
        check(all(r["output.load.l1"] == 40 and r["battery.charge"] is not None for r in rows),
              f"{map_}: load and battery columns filled")

        # Extended rows: wait for the window holding the failure to close.
        def ext_rows():
            page = logs_json(d, "extended")
            return [r for r in page["rows"] if r["unit"] == 0 and r["t_end"] > t_fail] if page else []
        # The window holding a moment well inside the failure: the failure
        # (about 5 s) is shorter than the window, so 230 V samples from
        # before or after it fall in the same window.
        mid = t_fail + 1500
        ext = wait_for(lambda: [r for r in ext_rows() if r["t"] <= mid < r["t_end"]], EXTENDED_S + 8)
        check(bool(ext), f"{map_}: an extended row covers the failure")
        if ext:
            e = ext[0]
            check(e["t_end"] - e["t"] <= EXTENDED_S * 1000, f"{map_}: window at most {EXTENDED_S} s")
            inside = [r[key_in] for r in rows if e["t"] <= r["t"] < e["t_end"]]
            vin = e[key_in]
            check(vin["min"] == 0 and vin["max"] == 230, f"{map_}: extended input voltage min 0 max 230 ({vin})")
            check(inside and vin["min"] <= min(inside) and vin["max"] >= max(inside),
                  f"{map_}: extended min/max bound the history rows of the window {inside}")
            check(0 < vin["avg"] < 230, f"{map_}: extended average in between ({vin['avg']})")
            check(e[key_out]["min"] == e[key_out]["max"] == 230, f"{map_}: output voltage steady 230")
            check(e["samples"] >= len(inside), f"{map_}: every snapshot sampled ({e['samples']})")

        # Filters: by level, by group; bad parameters refused.
        warn = logs_json(d, "ups", level="warning")
        check(warn["rows"] and all(x["level"] in ("warning", "critical") for x in warn["rows"]),
              f"{map_}: level filter ({len(warn['rows'])} warning rows)")
        gw = logs_json(d, "gateway", group="gateway")
        check(gw["rows"] and all(x["group"] == "gateway" for x in gw["rows"]), f"{map_}: group filter")
        bad = d.ctl("logs", "ups", "--json", "--size", "5000", check=False)
        check(bad.returncode != 0 and "bad arguments for: logs" in bad.stderr, f"{map_}: size over 1000 refused")
        bad = d.ctl("logs", "nosuchlog", check=False)
        check(bad.returncode != 0, f"{map_}: unknown log refused")
        page2 = logs_json(d, "history", page=2, size=3)
        check(page2["page"] == 2 and len(page2["rows"]) == 3 and page2["total"] >= len(rows),
              f"{map_}: paging with a total count ({page2['total']})")

        r = d.ctl("logs", "ups")
        rows_csv = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff")))) if r else []
        check(rows_csv and rows_csv[0][:2] == ["Local time", "ISO 8601"], f"{map_}: CSV header")
        check(any("has been removed" in " ".join(x) for x in rows_csv), f"{map_}: CSV has cleared events")
        raw = subprocess.run([UPSGATECTL, "-s", d.socket, "logs", "ups"], capture_output=True).stdout
        check(raw.count(b"\r\n") == len(rows_csv) and raw.count(b"\n") == len(rows_csv),
              f"{map_}: every CSV line ends in CRLF")
        # Clearing a log empties it and is itself logged.
        check(d.ctl("logs", "history", "--clear") is not None, f"{map_}: history cleared")
        left = logs_json(d, "history", **{"to": int(time.time()) - 1})
        check(left["total"] == 0, f"{map_}: no history row left from before the clear ({left['total']})")
        gw = logs_json(d, "gateway")
        check(any(x["code"] == "gw.history_log_cleared" for x in gw["rows"]),
              f"{map_}: 'History log cleared' recorded in the gateway log")
    finally:
        code, took = d.stop()
        check(code == 0, f"{map_}: clean stop")
        sim.stop()
        work.cleanup()


require_programs(UPSGATED, UPSGATECTL, SIM)
run("jbusp", "single", [("jbusp.A00", "warning"), ("jbusp.A05", "warning"),
                        ("jbusp.A06", "warning"), ("jbusp.S05", "warning")])
finish()

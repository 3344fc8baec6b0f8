"""CRC errors, timeouts and garbage on the line never produce a false
state or alarm: with max_failures = 3 and 20 % of replies damaged the
daemon keeps comm ok, no alarm appears and the state does not flicker."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, require_programs,
                    system_level, UPSGATED, UPSGATECTL, SIM)

require_programs(UPSGATED, UPSGATECTL, SIM)


def observe(d, seconds):
    """Every status seen during [seconds]."""
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        s = d.status()
        if s:
            seen.append(s)
        time.sleep(0.15)
    return seen


for map_, topo in (("jbusp", "single"), ("vumap", "parallel:2")):
    work = Workdir()
    sim = Sim(work, map_, topo, "--seed", "7")
    d = Daemon(work, config_text(work, sim.link, max_failures=3))
    try:
        s = d.wait_status(lambda s: s.get("comm") == "ok" and all(l["valid"] for l in s["levels"]),
                          timeout=30)
        check(s is not None, f"{map_}: comm ok")
        if not s:
            print(d.logtext()[-2000:])
            continue
        status0 = system_level(s)["state"]["ups_status"]
        for kind in ("crc", "timeout", "garbage"):
            sim.ctl("inject", kind, 20)
            seen = observe(d, 6)
            sim.ctl("inject", kind, 0)
            check(len(seen) > 10, f"{map_} {kind}: daemon answered throughout ({len(seen)})")
            check(all(x["comm"] == "ok" for x in seen), f"{map_} {kind}: comm never lost")
            alarms = {a["code"] for x in seen for l in x["levels"] for a in l["alarms"]}
            check(not alarms, f"{map_} {kind}: no false alarm {sorted(alarms)}")
            states = {system_level(x)["state"]["ups_status"] for x in seen}
            check(states == {status0}, f"{map_} {kind}: state steady {states}")
            volts = [system_level(x)["measurements"]["output.voltage.l1"] for x in seen]
            check(all(v is not None and 200 < v < 260 for v in volts),
                  f"{map_} {kind}: no garbage measurement ({min(volts)}..{max(volts)})"
                  if all(v is not None for v in volts) else f"{map_} {kind}: a value went missing")
        final = d.status()
        errors = final["link"]["crc_errors"] + final["link"]["timeouts"] + final["link"]["other_errors"] \
            + final["link"]["exceptions"]
        check(errors > 0, f"{map_}: damaged frames were counted ({final['link']})")
    finally:
        code, took = d.stop()
        check(code == 0 and took < 2.0, f"{map_}: SIGTERM exit {code} in {took:.2f} s")
        sim.stop()
        work.cleanup()
finish()

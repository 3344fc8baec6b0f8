"""Communication loss and restore without restarting the daemon: the
simulator closes its pty and removes the link (a USB adapter unplugged),
then recreates a new pty behind the same link (replugged)."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, require_programs,
                    system_level, wait_for, UPSGATED, UPSGATECTL, SIM)

require_programs(UPSGATED, UPSGATECTL, SIM)
work = Workdir()
sim = Sim(work, "vumap", "single")
d = Daemon(work, config_text(work, sim.link, max_failures=2, reopen_max=1.0))
try:
    s = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=30)
    check(s is not None, "comm ok before unplug")
    pid = d.proc.pid
    sim.ctl("unplug", 4)
    lost = d.wait_status(lambda s: s.get("comm") == "lost", timeout=10)
    check(lost is not None, "comm lost after unplug")
    if lost:
        sysl = system_level(lost)
        check(sysl["state"]["ups_status"] == "Unknown", "status Unknown while lost")
        check(all(v is None for v in sysl["measurements"].values()),
              "every measurement not available while lost")
        check(lost["levels"][0]["alarms"] == [], "no alarm invented while lost")
    back = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=20)
    check(back is not None, "comm restored after replug")
    check(d.alive() and d.proc.pid == pid, "same daemon process: no restart")
    if back:
        v = system_level(back)["measurements"].get("output.voltage.l1")
        check(v is not None and 200 < v < 260, f"values back after replug ({v})")
        check(back["link"]["reopens"] >= 1, f"reopen counted ({back['link']['reopens']})")
    log = d.logtext()
    check("lost" in log and "restored" in log, "loss and restore logged")
finally:
    code, took = d.stop()
    check(code == 0 and took < 2.0, f"SIGTERM: exit {code} in {took:.2f} s")
    sim.stop()
    work.cleanup()
finish()

"""upsgatectl restart (manager_request_restart): the daemon shuts down
cleanly and executes itself again with the same arguments and the same
PID, so systemd keeps following it; a setting that needed a restart
(a listener) is live afterwards, and the daemon serves as before."""

import os
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Workdir, check, finish, free_port, require_programs, wait_for, UPSGATED,
                    UPSGATECTL)
from ctltest import base_config, ctl, gateway_details, start

require_programs(UPSGATED, UPSGATECTL)
PORTS = range(24000, 25000)         # this test's TCP ports


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


work = Workdir()
d = start(work, base_config(work), args=("--simulate=jbusp/single",))
try:
    pid = d.proc.pid
    port = free_port(PORTS)
    before = sum(1 for c, _ in gateway_details(d) if c == "gw.agent_restart")
    r = ctl(d, "config", "set", "modbus_tcp.port", str(port))
    r2 = ctl(d, "config", "set", "modbus_tcp.enabled", "true")
    check(r.returncode == 0 and "next restart" in r2.stdout, f"a listener change waits for a restart: {r2.stdout!r}")
    check(not listening(port), "Modbus TCP not listening before the restart")

    r = ctl(d, "restart")
    check(r.returncode == 0 and r.stdout == "restarting\n", f"restart: {r.stdout!r} {r.stderr!r}")
    up = wait_for(lambda: "restarting: executing" in d.logtext() and ctl(d, "ping").returncode == 0, 20)
    check(up, "the daemon answers again")
    check(d.alive() and d.proc.pid == pid, "same process, same PID (exec)")
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        argv = f.read().split(b"\0")[:-1]
    check(argv[1:] == [b"-c", d.conf.encode(), b"--simulate=jbusp/single"], f"same arguments: {argv}")
    s = d.wait_status(lambda s: s.get("comm") == "ok", timeout=30)
    check(s is not None, "polling the simulator again")
    check(wait_for(lambda: listening(port), 10), "Modbus TCP listens after the restart")
    after = sum(1 for c, _ in gateway_details(d) if c == "gw.agent_restart")
    check(after == before + 1, f"one more 'Agent Restart' event ({before} -> {after})")
    check("stopped" in d.logtext(), "the first run shut down cleanly before the exec")

    # Still the same daemon in every way: SIGHUP, then a clean stop.
    text = open(d.conf).read().replace('name = "upsgate";', 'name = "after-restart";')
    with open(d.conf, "w") as f:
        f.write(text)
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: ctl(d, "config", "get", "system.name").stdout == "after-restart\n", 5),
          "SIGHUP after the restart")
    time.sleep(0.2)
finally:
    code, _ = d.stop()
    check(code == 0, f"clean stop after a restart (exit {code})")
    work.cleanup()
finish()

"""Configuration: --check reports file:line: key: reason; an invalid file
is refused at start; SIGHUP with a broken file keeps the daemon running
with its old settings; SIGHUP with a valid change applies it."""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Workdir, check, finish, require_programs, system_level, wait_for,
                    UPSGATED, UPSGATECTL)

require_programs(UPSGATED, UPSGATECTL)
work = Workdir()
good = (f'state_dir = "{work.path}";\n'
        f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
        'serial = { poll_interval = 0.5; };\n')
bad = good + 'serial_extra = 1;\nhttp = { port = 70000; };\n'

# --check
with open(work.file("good.conf"), "w") as f:
    f.write(good)
with open(work.file("bad.conf"), "w") as f:
    f.write(bad)
r = subprocess.run([UPSGATED, "--check", "-c", work.file("good.conf")], capture_output=True, text=True)
check(r.returncode == 0 and "ok" in r.stdout, "--check accepts a valid file")
r = subprocess.run([UPSGATED, "--check", "-c", work.file("bad.conf")], capture_output=True, text=True)
check(r.returncode == 1, "--check refuses an invalid file")
check(f'{work.file("bad.conf")}:4: serial_extra: unknown setting' in r.stderr,
      f"--check names file, line and key of an unknown key: {r.stderr.strip()!r}")
check(f'{work.file("bad.conf")}:5: http.port: 70000 is out of range' in r.stderr,
      "--check names file, line and key of a value out of range")
r = subprocess.run([UPSGATED, "--check", "-c", work.file("missing.conf")], capture_output=True, text=True)
check(r.returncode == 1 and "missing.conf" in r.stderr, "--check on a missing -c file fails")
r = subprocess.run([UPSGATED, "--settings"], capture_output=True, text=True)
check(r.returncode == 0 and "serial.poll_interval" in r.stdout and "0.2 to 60" in r.stdout,
      "--settings lists the schema with limits")

# refused at start
r = subprocess.run([UPSGATED, "-c", work.file("bad.conf"), "--simulate"], capture_output=True,
                   text=True, timeout=10)
check(r.returncode == 1 and "refused" in r.stderr, "an invalid file is refused at start")

# SIGHUP with a broken file keeps running; with a good change applies it
d = Daemon(work, good, args=["--simulate=jbusp/single"])
try:
    s = d.wait_status(lambda s: s.get("comm") == "ok", timeout=30)
    check(s is not None, "daemon up on the simulator")
    with open(d.conf, "w") as f:
        f.write(bad)
    d.signal(signal.SIGHUP)
    logged = wait_for(lambda: "not reloaded" in d.logtext(), 5)
    check(logged, "broken config on SIGHUP is logged as not reloaded")
    check("serial_extra: unknown setting" in d.logtext(), "the reason is in the log")
    time.sleep(1.5)
    check(d.alive(), "daemon still running after SIGHUP with a broken config")
    before = d.status()
    time.sleep(1.2)
    after = d.status()
    check(before and after and after["seq"] > before["seq"] and after["comm"] == "ok",
          "still polling with the old settings")
    with open(d.conf, "w") as f:
        f.write(good.replace("poll_interval = 0.5", "poll_interval = 1.5"))
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: "serial.poll_interval changed" in d.logtext(), 5),
          "a valid change is applied and logged")
    check(wait_for(lambda: "reloaded" in d.logtext().split("serial.poll_interval changed")[-1], 5),
          "reload confirmed")
    check(d.alive(), "daemon running after a good reload")
    # A local-API client that says nothing loses its slot after 10 s.
    import socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
        c.connect(d.socket)
        c.settimeout(20)
        t0 = time.monotonic()
        eof = c.recv(16) == b""
        took = time.monotonic() - t0
    check(eof and 9 <= took <= 15, f"a silent local-API client is disconnected ({took:.1f} s)")
    check(d.ctl("ping") is not None, "the local API still answers")
finally:
    code, took = d.stop()
    check(code == 0 and took < 2.0, f"SIGTERM: exit {code} in {took:.2f} s")
    work.cleanup()
finish()

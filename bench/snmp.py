#!/usr/bin/python3
"""bench/snmp: walk rate (objects/s) of upsgated's SNMP agent (simulated
UPS, every tree it serves) against net-snmp's own snmpd walking its MIB-II,
both on this machine in the same run, with the same client
(snmpbulkwalk v2c and snmpwalk v2c). Prints the rates and their ratio;
never a pass/fail on speed.

Run from the build tree:  top_builddir=. top_srcdir=/path/to/src bench/snmp.py [SECONDS]"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from ugtest import free_ports, WILDCARDS  # noqa: E402

BUILD = os.environ.get("top_builddir", os.getcwd())
UPSGATED = os.path.join(BUILD, "upsgated")
SNMPD = "/usr/sbin/snmpd"
ENV = dict(os.environ, MIBS="", MIBDIRS="/nonexistent", SNMPCONFPATH="/nonexistent")
PORTS = range(25000, 26000)         # UDP, free on 0.0.0.0 and ::


def walk(tool, port, root):
    r = subprocess.run([tool, "-v2c", "-c", "public", "-On", "-t", "5", "-r", "1",
                        f"127.0.0.1:{port}", root], capture_output=True, text=True, env=ENV)
    return len(re.findall(r"^\.[\d.]+ = ", r.stdout, re.M))


def rate(tool, port, root, seconds):
    """(objects per walk, objects per second) over walks for [seconds]."""
    objects = walk(tool, port, root)        # warm-up; also the size
    n, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        n += walk(tool, port, root)
    return objects, n / (time.monotonic() - start)


def wait_walk(port, root, timeout=30):
    """Until a walk of [root] finds something (polled, never a fixed wait)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if walk("/usr/bin/snmpwalk", port, root) > 0:
            return True
        time.sleep(0.1)
    return False


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if not os.access(SNMPD, os.X_OK):
        print(f"{SNMPD} missing: install snmpd")
        return 77
    tmp = tempfile.TemporaryDirectory(prefix="upsgate-bench-snmp.")
    ours, theirs = free_ports(2, PORTS, udp=True, addresses=WILDCARDS)
    conf = os.path.join(tmp.name, "upsgated.conf")
    with open(conf, "w") as f:
        f.write(f'state_dir = "{tmp.name}";\ncontrol = {{ socket = "{tmp.name}/ctl.sock"; }};\n'
                'http = { enabled = false; };\nhttps = { enabled = false; };\n'
                f'snmp = {{ enabled = true; port = {ours}; }};\n')
    snmpd_conf = os.path.join(tmp.name, "snmpd.conf")
    with open(snmpd_conf, "w") as f:
        f.write("rocommunity public 127.0.0.1 .1.3.6.1.2.1\n")
    log = open(os.path.join(tmp.name, "logs"), "w")
    d = subprocess.Popen([UPSGATED, "-c", conf, "--simulate"], stdout=log, stderr=log)
    s = subprocess.Popen([SNMPD, "-f", "-Lo", "-C", "-c", snmpd_conf, "-p",
                          os.path.join(tmp.name, "snmpd.pid"), f"udp:127.0.0.1:{theirs}"],
                         stdout=log, stderr=log,
                         env=dict(ENV, SNMP_PERSISTENT_DIR=os.path.join(tmp.name, "snmpd-state")))
    try:
        # Ours once the first snapshot is in (upsEstimatedChargeRemaining
        # served), so that the UPS-MIB is full.
        if not wait_walk(ours, ".1.3.6.1.2.1.33.1.2.4") or \
           not wait_walk(theirs, ".1.3.6.1.2.1.1.1"):
            print("an agent did not answer; see", log.name)
            return 1
        for tool in ("/usr/bin/snmpbulkwalk", "/usr/bin/snmpwalk"):
            n_ours, r_ours = rate(tool, ours, ".1.3.6.1", seconds)
            n_theirs, r_theirs = rate(tool, theirs, ".1.3.6.1", seconds)
            name = os.path.basename(tool)
            print(f"{name}: upsgated {r_ours:.0f} objects/s ({n_ours} per walk), "
                  f"snmpd MIB-II {r_theirs:.0f} objects/s ({n_theirs} per walk), "
                  f"ratio {r_ours / r_theirs:.2f}")
    finally:
        for p in (d, s):
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""NUT's snmp-ups driver (Debian nut-snmp) with mibs=ietf reads the
daemon's RFC 1628 UPS-MIB: battery.charge, battery.runtime in seconds,
input and output voltage and frequency equal to the simulator's, and
ups.status OL, then OB after an AC failure, then OB LB when the battery
runs low; once over SNMPv1 and once over SNMPv3 authPriv."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_port,
                    require_programs, system_level, wait_for, UPSGATED, UPSGATECTL, SIM, WILDCARDS)

SNMP_UPS = "/lib/nut/snmp-ups"
UPS = ".1.3.6.1.2.1.33.1"
PORTS = range(25000, 26000)         # this test's UDP ports (agent on 0.0.0.0 and ::)


def nut(work, port, *extra):
    """The variables snmp-ups publishes after one update (-d 1)."""
    state = work.file("nut-state")
    os.makedirs(state, exist_ok=True)
    r = subprocess.run([SNMP_UPS, "-s", "ups", "-u", "root", "-x", f"port=127.0.0.1:{port}",
                        "-x", "mibs=ietf", *extra, "-d", "1"],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, NUT_STATEPATH=state, MIBS=""))
    return dict(re.findall(r"^([a-z][\w.-]+): (.*)$", r.stdout, re.M)), r.stdout + r.stderr


def output_source(port):
    r = subprocess.run(["snmpget", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{port}",
                        UPS + ".4.1.0"], capture_output=True, text=True, env=dict(os.environ, MIBS=""))
    return r.stdout.strip()


if not os.access(SNMP_UPS, os.X_OK):
    print(f"{SNMP_UPS} missing: install nut-snmp")
    sys.exit(77)
require_programs(UPSGATED, UPSGATECTL, SIM)
work = Workdir()
port = free_port(PORTS, udp=True, addresses=WILDCARDS)
sim = Sim(work, "vumap", "single", "--no-noise")
conf = config_text(work, sim.link) + (
    f'snmp = {{ enabled = true; port = {port};\n'
    '  users = ( { name = "nut"; level = "read-only"; auth = "SHA"; auth_password = "nut-auth-pw";\n'
    '              priv = "AES"; priv_password = "nut-priv-pw"; } ); };\n')
d = Daemon(work, conf, name="snmp-nut")
V3 = ["-x", "snmp_version=v3", "-x", "secLevel=authPriv", "-x", "secName=nut",
      "-x", "authPassword=nut-auth-pw", "-x", "authProtocol=SHA", "-x", "privPassword=nut-priv-pw",
      "-x", "privProtocol=AES"]
try:
    s = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=40)
    check(s is not None, "daemon polls the simulator")
    check(wait_for(lambda: output_source(port) == "3", 15), "agent up, UPS on inverter")

    for name, extra in (("v1", ["-x", "snmp_version=v1", "-x", "community=public"]), ("v3", V3)):
        v = sim.values()
        vars_, text = nut(work, port, *extra)
        check(vars_.get("device.mfr") == "Socomec" or vars_.get("ups.mfr") == "Socomec",
              f"{name}: NUT detects the UPS-MIB ({vars_.get('driver.version.data')})")
        check(vars_.get("battery.charge") == str(round(v["battery.charge"])),
              f"{name}: battery.charge {vars_.get('battery.charge')} = {v['battery.charge']}")
        check(vars_.get("battery.runtime") == str(round(v["battery.runtime"]) * 60),
              f"{name}: battery.runtime {vars_.get('battery.runtime')} s = {v['battery.runtime']} min")
        check(float(vars_.get("input.L1-N.voltage", "nan")) == round(v["input.voltage.l1"]),
              f"{name}: input voltage L1 {vars_.get('input.L1-N.voltage')}")
        check(abs(float(vars_.get("input.L1.frequency", "nan")) - v["input.frequency"]) < 0.051,
              f"{name}: input frequency {vars_.get('input.L1.frequency')}")
        check(float(vars_.get("output.L1-N.voltage", "nan")) == round(v["output.voltage.l1"]),
              f"{name}: output voltage L1 {vars_.get('output.L1-N.voltage')}")
        check(abs(float(vars_.get("output.frequency", "nan")) - v["output.frequency"]) < 0.051,
              f"{name}: output frequency {vars_.get('output.frequency')}")
        check(vars_.get("ups.status") == "OL", f"{name}: ups.status {vars_.get('ups.status')}")

    sim.ctl("ac-fail")
    check(wait_for(lambda: output_source(port) == "5", 20), "AC failure seen by the agent")
    vars_, _ = nut(work, port)
    check(vars_.get("ups.status", "").split()[:1] == ["OB"], f"ups.status {vars_.get('ups.status')}")
    sim.ctl("battery", "3")
    low = wait_for(lambda: (lambda v: v if "LB" in v.get("ups.status", "") else None)(nut(work, port)[0]),
                   30)
    check(low is not None and sorted(low.get("ups.status").split()) == ["LB", "OB"],
          f"battery low: ups.status {low.get('ups.status') if low else None}")
    sim.ctl("ac-restore")
finally:
    d.stop()
    sim.stop()
    work.cleanup()
finish()

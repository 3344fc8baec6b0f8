"""The Socomec MIBs against the running daemon and simulator, with net-snmp's
tools and NUT's snmp-ups: walks of the NET VISION 7 and legacy trees in v1,
v2c and v3 (authPriv SHA/AES); GETs equal to the simulator's measurements
with the MIB's scaling; SETs of upsControlStatusControl (refused with the
read community, commitFailed with the write one: controls do not exist yet)
and of upsSystemContact (saved to the config file); NUT's snmp-ups with
mibs=netvision and with auto-detection reading charge, runtime, voltages,
frequencies and ups.status OL / OB / LB; an STS serves the STS MIB only."""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_port,
                    require_programs, system_level, wait_for, UPSGATED, UPSGATECTL, SIM)

TOOLS = "/usr/bin"
SNMP_UPS = "/lib/nut/snmp-ups"
NV7 = ".1.3.6.1.4.1.4555.1.1.7.1"
LEG = ".1.3.6.1.4.1.4555.1.1.1.1"
STS = ".1.3.6.1.4.1.4555.1.1.10.1"
USER, AUTH, PRIV = "mibuser", "authpass123", "privpass123"
ENV = dict(os.environ, MIBS="", MIBDIRS="/nonexistent")
PORTS = range(26000, 27000)         # this test's UDP ports


def snmp(tool, port, *args, auth=("-v2c", "-c", "public")):
    r = subprocess.run([os.path.join(TOOLS, tool), *auth, "-On", "-r", "1", "-t", "3",
                        f"127.0.0.1:{port}", *args], capture_output=True, text=True, env=ENV,
                       timeout=60)
    return r


def walk(port, root, auth):
    """{oid: value text} of a walk (snmpwalk -On -Oq)."""
    r = snmp("snmpwalk", port, "-Oq", root, auth=auth)
    out = {}
    for line in r.stdout.splitlines():
        oid, _, value = line.partition(" ")
        if oid.startswith(root + "."):
            out[oid] = value.strip().strip('"')
    return out, r


def get_int(port, oid, auth=("-v2c", "-c", "public")):
    r = snmp("snmpget", port, "-Oqv", oid, auth=auth)
    try:
        return int(r.stdout.strip().split()[0])
    except (ValueError, IndexError):
        return None


def one_line(text):
    return " ".join(text.split())[:100]


def close(got, want, scale, what):
    """got (scaled integer) matches the simulator's value within one step."""
    ok = got is not None and want is not None and abs(got - want * scale) <= 1
    check(ok, f"{what}: {got} ~ {want} x {scale}")


def daemon_conf(work, device, port, extra=""):
    return (config_text(work, device) + "events = { debounce = 0.3; };\n" +
            f"snmp = {{ enabled = true; port = {port}; write_enabled = true;\n"
            f'  read_community = "public"; write_community = "secretw";\n'
            f'  users = ( {{ name = "{USER}"; level = "read-write"; auth = "SHA"; '
            f'auth_password = "{AUTH}"; priv = "AES"; priv_password = "{PRIV}"; }} ); }};\n'
            + extra)


def check_walks(port):
    v3 = ("-v3", "-l", "authPriv", "-u", USER, "-a", "SHA", "-A", AUTH, "-x", "AES", "-X", PRIV)
    for root, least in ((NV7, 150), (LEG, 60)):
        w1, r1 = walk(port, root, ("-v1", "-c", "public"))
        w2, r2 = walk(port, root, ("-v2c", "-c", "public"))
        w3, r3 = walk(port, root, v3)
        check(len(w2) >= least and r2.returncode == 0, f"v2c walk of {root}: {len(w2)} objects")
        check(set(w1) == set(w2), f"v1 walk of {root} gives the same {len(w1)} OIDs")
        check(set(w3) == set(w2), f"v3 authPriv walk of {root} gives the same {len(w3)} OIDs")
        check(STS not in " ".join(w2), f"{root}: nothing of the STS tree")
    return walk(port, NV7, ("-v2c", "-c", "public"))[0]


def check_values(port, sim, nv):
    v = sim.values()
    close(get_int(port, NV7 + ".2.4.0"), v.get("battery.charge"), 1, "upsEstimatedChargeRemaining")
    close(get_int(port, NV7 + ".2.3.0"), v.get("battery.runtime"), 1,
          "upsEstimatedMinutesRemaining (minutes)")
    close(get_int(port, NV7 + ".3.3.1.2.1"), v.get("input.voltage.l1"), 10, "upsInputVoltage.1 (0.1 V)")
    close(get_int(port, NV7 + ".4.4.1.2.1"), v.get("output.voltage.l1"), 10, "upsOutputVoltage.1 (0.1 V)")
    close(get_int(port, NV7 + ".4.2.0"), v.get("output.frequency"), 10, "upsOutputFrequency (0.1 Hz)")
    close(get_int(port, NV7 + ".5.1.0"), v.get("bypass.frequency"), 10, "upsBypassFrequency (0.1 Hz)")
    close(get_int(port, NV7 + ".4.4.1.4.1"), v.get("output.load.l1"), 1, "upsOutputPercentLoad.1")
    close(get_int(port, LEG + ".3.3.1.5.1"), v.get("input.voltage.l1"), 10, "legacy input voltage")
    close(get_int(port, LEG + ".2.4.0"), v.get("battery.charge"), 1, "legacy battery charge")
    check(get_int(port, NV7 + ".4.1.0") == 3, "upsOutputSource onInverter(3)")
    check(get_int(port, LEG + ".4.1.0") == 3, "legacy upsOutputSource normal(3)")
    check(nv.get(NV7 + ".1.2.0", "").startswith("UG"), f"upsIdentSerialNumber {nv.get(NV7 + '.1.2.0')}")
    check(get_int(port, NV7 + ".2.6.0") == -1 or "battery.temperature" in v,
          "battery temperature: -1 when the UPS does not manage it")


def check_sets(port, d, work):
    ctl = NV7 + ".7.1.0"
    r = snmp("snmpset", port, ctl, "i", "2", auth=("-v2c", "-c", "public"))
    check(r.returncode != 0 and re.search(r"noAccess|notWritable|authorizationError", r.stderr),
          f"control with the read community refused ({one_line(r.stderr)})")
    r = snmp("snmpset", port, ctl, "i", "2", auth=("-v2c", "-c", "secretw"))
    check(r.returncode != 0 and "commitFailed" in r.stderr,
          f"control with the write community: commitFailed ({one_line(r.stderr)})")
    check(wait_for(lambda: "controls are not available yet" in d.logtext(), 5),
          "the reason is logged")
    r = snmp("snmpset", port, NV7 + ".1.7.0", "s", "ops team 7", auth=("-v2c", "-c", "secretw"))
    check(r.returncode == 0, f"upsSystemContact SET accepted {one_line(r.stderr)}")
    conf = open(d.conf).read()
    check(re.search(r'contact\s*=\s*"ops team 7"', conf) is not None, "contact saved in the config file")
    check(wait_for(lambda: snmp("snmpget", port, "-Oqv", NV7 + ".1.7.0").stdout.strip().strip('"')
                   == "ops team 7", 5), "upsSystemContact reads back")
    r = snmp("snmpset", port, NV7 + ".1.7.0", "s", "x" * 100, auth=("-v2c", "-c", "secretw"))
    check(r.returncode != 0 and "wrongLength" in r.stderr, f"too long contact: wrongLength")
    r = snmp("snmpset", port, NV7 + ".9.16.0", "i", "7", auth=("-v2c", "-c", "secretw"))
    check(r.returncode != 0 and "wrongValue" in r.stderr, "upsAgentRestart 7: wrongValue")


def nut(port, mibs=None):
    """snmp-ups -d 1: {variable: value}, and its debug text."""
    state = tempfile.mkdtemp(prefix="nut.")
    args = [SNMP_UPS, "-s", "ups", "-x", f"port=127.0.0.1:{port}", "-x", "community=public",
            "-x", "pollfreq=2", "-u", "root", "-d", "1", "-DD"]
    if mibs:
        args += ["-x", f"mibs={mibs}"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60,
                       env=dict(ENV, NUT_STATEPATH=state))
    out = {}
    for line in r.stdout.splitlines():
        k, sep, val = line.partition(": ")
        if sep:
            out[k.strip()] = val.strip()
    subprocess.run(["rm", "-rf", state])
    return out, r.stdout + r.stderr


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def check_nut(port, sim, what, want_status, mibs="netvision"):
    vals, text = nut(port, mibs)
    v = sim.values()
    check(bool(vals), f"NUT {what}: snmp-ups reads the agent")
    if not vals:
        print("# " + text[-2000:].replace("\n", "\n# "))
        return vals, text
    charge, runtime = num(vals.get("battery.charge")), num(vals.get("battery.runtime"))
    check(charge is not None and abs(charge - v["battery.charge"]) <= 1,
          f"NUT {what}: battery.charge {charge} = {v['battery.charge']}")
    check(runtime is not None and abs(runtime - 60 * v["battery.runtime"]) <= 60,
          f"NUT {what}: battery.runtime {runtime} s = {v['battery.runtime']} min")
    # NUT names a 3-phase UPS's line 1 input.L1-N.voltage, a 1-phase one's input.voltage.
    for key, sim_key in (("input.voltage", "input.voltage.l1"), ("output.voltage", "output.voltage.l1"),
                         ("output.frequency", "output.frequency")):
        got = num(vals.get(key, vals.get(key.replace(".voltage", ".L1-N.voltage"))))
        check(got is not None and abs(got - v[sim_key]) <= 0.15, f"NUT {what}: {key} {got} = {v[sim_key]}")
    status = vals.get("ups.status", "").split()
    check(all(s in status for s in want_status) and
          not ({"OL", "OB"} - set(want_status)) & set(status),
          f"NUT {what}: ups.status {status} has {want_status}")
    return vals, text


def run_ups(port):
    work = Workdir()
    sim = Sim(work, "jbusp", "single", "--no-noise")
    d = Daemon(work, daemon_conf(work, sim.link, port))
    try:
        ok = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 30)
        check(ok is not None, "comm ok")
        up = wait_for(lambda: get_int(port, NV7 + ".3.1.0"), 20)
        check(up in (1, 3), f"the agent serves upsInputNumLines ({up})")
        if not up:
            print("# " + d.logtext()[-2000:].replace("\n", "\n# "))
            return
        nv = check_walks(port)
        check_values(port, sim, nv)
        check_sets(port, d, work)
        # A settings change makes the poller re-read the identity; its next
        # fast cycle carries no measurement (shown as -1) until a full one.
        wait_for(lambda: (get_int(port, NV7 + ".2.4.0") or -1) >= 0, 10)
        if os.access(SNMP_UPS, os.X_OK):
            check_nut(port, sim, "mibs=netvision on mains", ["OL"])
            vals, text = check_nut(port, sim, "auto-detected", ["OL"], mibs=None)
            check(re.search(r"netvision", text, re.I) is not None,
                  "auto-detection picks the netvision mapping")
            sim.ctl("ac-fail")
            d.wait_status(lambda s: system_level(s)["state"]["battery_status"]
                          == "Battery discharging", 10)
            wait_for(lambda: get_int(port, LEG + ".6.3.2.0") == 1 and
                     get_int(port, LEG + ".3.3.1.5.1") == 0, 10)
            check_nut(port, sim, "on battery", ["OB"])
            sim.ctl("battery", "3")
            wait_for(lambda: get_int(port, LEG + ".2.1.0") == 3 and
                     get_int(port, LEG + ".2.4.0") == round(sim.values()["battery.charge"]), 15)
            check_nut(port, sim, "battery low", ["OB", "LB"])
            sim.ctl("ac-restore")
        else:
            check(False, f"{SNMP_UPS} missing (Debian nut-snmp)")
        import ugtest
        if ugtest.failures:
            print("# " + d.logtext()[-4000:].replace("\n", "\n# "))
    finally:
        d.stop()
        sim.stop()
        work.cleanup()


def run_sts(port):
    work = Workdir()
    sim = Sim(work, "sts", "single", "--no-noise")
    d = Daemon(work, daemon_conf(work, sim.link, port))
    try:
        ok = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 30)
        check(ok is not None, "STS: comm ok")
        up = wait_for(lambda: get_int(port, STS + ".2.1.0"), 20)
        check(up is not None and up in (2, 3, 4, 5), f"STS: stsSource1Status {up}")
        w, _ = walk(port, STS, ("-v2c", "-c", "public"))
        check(len(w) >= 30, f"STS: walk of the STS tree ({len(w)} objects)")
        nv, _ = walk(port, ".1.3.6.1.4.1.4555.1.1.7", ("-v2c", "-c", "public"))
        check(not nv, "STS: no NET VISION UPS tree")
        v = sim.values()
        close(get_int(port, STS + ".2.3.0"), v.get("sts.source1.frequency"), 10,
              "STS: stsSource1Frequency (0.1 Hz)")
        close(get_int(port, STS + ".5.6.1.2.1"), v.get("output.voltage.l1"), 10,
              "STS: stsOutputVoltage.1 (0.1 V)")
    finally:
        d.stop()
        sim.stop()
        work.cleanup()


def main():
    require_programs(UPSGATED, UPSGATECTL, SIM)
    for tool in ("snmpget", "snmpwalk", "snmpset"):
        if not os.access(os.path.join(TOOLS, tool), os.X_OK):
            print(f"SKIP: {tool} not installed (Debian snmp)")
            sys.exit(77)
    run_ups(free_port(PORTS, udp=True))
    run_sts(free_port(PORTS, udp=True))
    finish()


if __name__ == "__main__":
    main()

"""The embedded SNMP agent against net-snmp's own tools: the UPS-MIB walked
in v1, v2c and v3 (authPriv SHA/AES and SHA-512/AES-256), values equal to
the simulator's with the RFC 1628 scales, wrong community and wrong v3 key
refused, SETs of sysContact by access (read community, write community with
writes off and on, read-only and read-write v3 users) and in the gateway
log, v3 users and communities changed by SIGHUP without a restart,
engineBoots across restarts with a stable engine ID, the firewall, the rate
limit of failing requests, and an AC failure seen in the UPS-MIB."""

import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_port,
                    require_programs, system_level, wait_for, UPSGATED, UPSGATECTL, SIM, WILDCARDS)

ENV = dict(os.environ, MIBS="", MIBDIRS="/nonexistent", SNMPCONFPATH="/nonexistent")
UPS = ".1.3.6.1.2.1.33.1"
SYS = ".1.3.6.1.2.1.1"
BOOTS = ".1.3.6.1.6.3.10.2.1.2.0"
ENGINE_ID = ".1.3.6.1.6.3.10.2.1.1.0"
PORTS = range(25000, 26000)         # this test's UDP ports (agent on 0.0.0.0 and ::)

BOB = ["-v3", "-l", "authPriv", "-u", "bob", "-a", "SHA", "-A", "bob-auth-pw", "-x", "AES",
       "-X", "bob-priv-pw"]
ALICE = ["-v3", "-l", "authPriv", "-u", "alice", "-a", "SHA-512", "-A", "alice-auth-pw",
         "-x", "AES-256", "-X", "alice-priv-pw"]


def snmp(tool, port, auth, *args, timeout=2, retries=1, extra=(), source=None):
    """(exit code, output); [source]: the client's 127.0.0.X, so that the
    failures one check provokes do not get another check's address blocked."""
    if source:
        extra = [*extra, f"--clientaddr={source}"]
    r = subprocess.run([f"/usr/bin/{tool}", *auth, "-On", "-t", str(timeout), "-r", str(retries),
                        *extra, f"127.0.0.1:{port}", *args],
                       capture_output=True, text=True, env=ENV, timeout=60)
    return r.returncode, r.stdout + r.stderr


def parse_walk(text):
    """{oid: (type, value)} from -On output."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(\.[\d.]+) = (?:([\w-]+): )?(.*)$", line)
        if m:
            out[m.group(1)] = (m.group(2) or "", m.group(3).strip('"'))
    return out


def get_ints(port, auth, oids):
    code, text = snmp("snmpget", port, auth, *oids)
    values = parse_walk(text)
    result = {}
    for oid in oids:
        if oid in values:
            m = re.match(r"^-?\d+", values[oid][1].split(") ")[0].lstrip("("))
            result[oid] = int(m.group(0)) if m else None
    return result


def failed_object(text):
    """The varbind snmpset names after an error (the response's error index)."""
    m = re.search(r"^Failed object: (\S+)$", text, re.M)
    return m.group(1) if m else None


def one_line(text):
    return " | ".join(line for line in text.strip().splitlines())


def users_conf(users):
    return ",\n".join(
        f'{{ name = "{n}"; level = "{lvl}"; auth = "{a}"; auth_password = "{ap}"; '
        f'priv = "{p}"; priv_password = "{pp}"; }}' for n, lvl, a, ap, p, pp in users)


DEFAULT_USERS = [("bob", "read-write", "SHA", "bob-auth-pw", "AES", "bob-priv-pw"),
                 ("alice", "read-only", "SHA-512", "alice-auth-pw", "AES-256", "alice-priv-pw")]


def snmp_conf(port, write_enabled=False, users=DEFAULT_USERS, read="public", rules=""):
    return (f'snmp = {{ enabled = true; port = {port}; read_community = "{read}";\n'
            f'  write_community = "private"; write_enabled = {"true" if write_enabled else "false"};\n'
            f'  users = ( {users_conf(users)} ); }};\n'
            f'firewall = {{ rules = ( {rules} ); }};\n')


def write_conf(d, text):
    with open(d.conf, "w") as f:
        f.write(text)


# ---- scenario

require_programs(UPSGATED, UPSGATECTL, SIM)
work = Workdir()
port = free_port(PORTS, udp=True, addresses=WILDCARDS)
sim = Sim(work, "vumap", "single", "--no-noise")
base = config_text(work, sim.link)
d = Daemon(work, base + snmp_conf(port), name="snmp")
try:
    s = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=40)
    check(s is not None, "daemon polls the simulator")
    check(wait_for(lambda: snmp("snmpget", port, ["-v2c", "-c", "public"], SYS + ".1.0")[0] == 0, 10),
          "agent answers")

    # -- walks in every version see the same UPS-MIB
    walks = {}
    for name, auth in (("v1", ["-v1", "-c", "public"]), ("v2c", ["-v2c", "-c", "public"]),
                       ("v3 SHA/AES", BOB), ("v3 SHA-512/AES-256", ALICE)):
        code, text = snmp("snmpwalk", port, auth, ".1.3.6.1.2.1.33", timeout=5)
        walks[name] = parse_walk(text)
        check(code == 0 and len(walks[name]) > 50, f"UPS-MIB walk {name}: {len(walks[name])} objects")
    check(set(walks["v1"]) == set(walks["v2c"]) == set(walks["v3 SHA/AES"]),
          "same objects in v1, v2c and v3")
    code, text = snmp("snmpbulkwalk", port, ["-v2c", "-c", "public"], ".1.3.6.1.2.1.33")
    check(set(parse_walk(text)) == set(walks["v2c"]), "GETBULK walk = GETNEXT walk")
    oids = list(walks["v2c"])
    check(oids == sorted(oids, key=lambda o: [int(x) for x in o.strip(".").split(".")]),
          "walk in increasing OID order")
    check(not any(o.startswith(UPS + ".3.3.1.1.") for o in oids), "index columns not served")

    # -- values equal to the simulator's, with the RFC 1628 scales
    def compare():
        v = sim.values()
        want = {
            UPS + ".2.4.0": round(v["battery.charge"]),
            UPS + ".2.3.0": max(1, round(v["battery.runtime"])),
            UPS + ".2.5.0": round(v["battery.voltage.positive"] * 10),
            UPS + ".3.3.1.2.1": round(v["input.frequency"] * 10),
            UPS + ".3.3.1.3.1": round(v["input.voltage.l1"]),
            UPS + ".3.3.1.3.3": round(v["input.voltage.l3"]),
            UPS + ".3.3.1.4.2": round(v["input.current.l2"] * 10),
            UPS + ".4.2.0": round(v["output.frequency"] * 10),
            UPS + ".4.4.1.2.1": round(v["output.voltage.l1"]),
            UPS + ".4.4.1.3.1": round(v["output.current.l1"] * 10),
            UPS + ".4.4.1.5.2": round(v["output.load.l2"]),
        }
        got = get_ints(port, ["-v2c", "-c", "public"], list(want))
        return want, got
    want, got = wait_for(lambda: (lambda w, g: (w, g) if w == g else None)(*compare()), 15) or compare()
    for oid in want:
        check(got.get(oid) == want[oid], f"{oid} = {got.get(oid)} (simulator {want[oid]})")
    got = get_ints(port, ["-v2c", "-c", "public"], [UPS + ".2.1.0", UPS + ".4.1.0", UPS + ".3.2.0"])
    check(got == {UPS + ".2.1.0": 2, UPS + ".4.1.0": 3, UPS + ".3.2.0": 3},
          f"battery normal(2), output normal(3), 3 input lines: {got}")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public"], SYS + ".1.0", SYS + ".2.0", SYS + ".3.0")
    check("upsgate" in text and ".1.3.6.1.4.1.4555.1.1.1" in text and "Timeticks" in text,
          "sysDescr, sysObjectID, sysUpTime")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public"], UPS + ".9.7.0")
    config = [o for o in walks["v2c"] if o.startswith(UPS + ".9.")]
    check("No Such Instance" in text and config and UPS + ".9.7.0" not in config,
          f"upsConfigLowBattTime absent (no source), other upsConfig served {config}")

    # -- wrong community, wrong key, unknown user
    code, text = snmp("snmpget", port, ["-v2c", "-c", "nope"], SYS + ".5.0", timeout=1, retries=0,
                      source="127.0.0.4")
    check(code != 0 and "Timeout" in text, "wrong community: no answer")
    code, text = snmp("snmpget", port, BOB[:8] + ["wrong-auth-pw"] + BOB[9:], SYS + ".5.0",
                      timeout=1, retries=0, source="127.0.0.4")
    check(code != 0 and "Authentication failure" in text, f"wrong v3 key refused: {text.strip()}")
    code, text = snmp("snmpget", port, ["-v3", "-l", "authPriv", "-u", "mallory", "-a", "SHA", "-A",
                                        "whatever-pw", "-x", "AES", "-X", "whatever-pw"],
                      SYS + ".5.0", timeout=1, retries=0, source="127.0.0.4")
    check(code != 0 and "Unknown user name" in text, "unknown v3 user refused")
    code, text = snmp("snmpget", port, ["-v3", "-l", "authNoPriv", "-u", "bob", "-a", "SHA", "-A",
                                        "bob-auth-pw"], SYS + ".5.0", timeout=1, retries=0,
                      source="127.0.0.4")
    check(code != 0 and "authorizationError" in text, "v3 user below its level refused")

    # -- SET of sysContact by access
    contact = SYS + ".4.0"
    code, text = snmp("snmpset", port, ["-v2c", "-c", "public"], contact, "s", "nope")
    check(code != 0 and "noAccess" in text, "SET with the read community: noAccess")
    code, text = snmp("snmpset", port, ["-v2c", "-c", "private"], contact, "s", "nope")
    check(code != 0 and "noAccess" in text, "SET with the write community, writes disabled: noAccess")
    code, text = snmp("snmpset", port, ALICE, contact, "s", "nope")
    check(code != 0 and "noAccess" in text, "SET by a read-only v3 user: noAccess")
    code, text = snmp("snmpset", port, BOB, contact, "s", "bob was here")
    check(code == 0, f"SET by a read-write v3 user: {text.strip()}")
    write_conf(d, base + snmp_conf(port, write_enabled=True))
    pid = d.proc.pid
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: snmp("snmpset", port, ["-v2c", "-c", "private"], contact, "s",
                                "ops@example.org")[0] == 0, 10),
          "SET with the write community once writes are enabled (SIGHUP)")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public"], contact)
    check("ops@example.org" in text, "sysContact reads back")
    check('contact = "ops@example.org"' in open(d.conf).read(), "sysContact saved in the configuration")
    code, text = snmp("snmpset", port, ["-v2c", "-c", "private"], contact, "s", "x" * 70)
    check(code != 0 and "wrongLength" in text, "too long a sysContact: wrongLength")
    code, text = snmp("snmpset", port, ["-v2c", "-c", "private"], contact, "i", "3")
    check(code != 0 and "wrongType" in text, "sysContact as an INTEGER: wrongType")
    code, text = snmp("snmpset", port, ["-v2c", "-c", "private"], SYS + ".1.0", "s", "x")
    check(code != 0 and "notWritable" in text, "sysDescr: notWritable")
    code, text = snmp("snmpset", port, ["-v2c", "-c", "private"], UPS + ".8.2.0", "i", "60")
    check(code != 0 and "commitFailed" in text, "upsShutdownAfterDelay: commitFailed, never faked")
    check(failed_object(text) == UPS + ".8.2.0", f"commitFailed names the object set ({one_line(text)})")
    # Two varbinds: the error index names the refused one, in either
    # position, and the other is not applied either.
    writer = ["-v2c", "-c", "private"]
    location = snmp("snmpget", port, writer, "-Oqv", SYS + ".6.0")[1].strip()
    for order in ((SYS + ".6.0", "s", "lab 2", UPS + ".8.2.0", "i", "60"),
                  (UPS + ".8.2.0", "i", "60", SYS + ".6.0", "s", "lab 2")):
        code, text = snmp("snmpset", port, writer, *order)
        check(code != 0 and "commitFailed" in text and failed_object(text) == UPS + ".8.2.0",
              f"two varbinds, {order[0]} first: the refused one is named ({one_line(text)})")
    code, text = snmp("snmpset", port, ["-v1", "-c", "private"], SYS + ".6.0", "s", "lab 2",
                      UPS + ".8.2.0", "i", "60")
    check(code != 0 and "genError" in text and failed_object(text) == UPS + ".8.2.0",
          f"SNMPv1: genErr, same object ({one_line(text)})")
    check(snmp("snmpget", port, writer, "-Oqv", SYS + ".6.0")[1].strip() == location,
          "a refused SET changes nothing")
    # A failure in the commit phase itself: the configuration cannot be
    # saved (a directory where the file was).
    # upsAgentClearHistoryLog after it would succeed: it is not applied.
    clear_history = ".1.3.6.1.4.1.4555.1.1.7.1.9.20.0"
    os.rename(d.conf, d.conf + ".keep")
    os.mkdir(d.conf)
    try:
        code, text = snmp("snmpset", port, writer, SYS + ".6.0", "s", "lab 3")
        code2, text2 = snmp("snmpset", port, writer, SYS + ".6.0", "s", "lab 3",
                            clear_history, "i", "1")
    finally:
        os.rmdir(d.conf)
        os.rename(d.conf + ".keep", d.conf)
    check(code != 0 and "commitFailed" in text and failed_object(text) == SYS + ".6.0",
          f"a SET that cannot be saved: commitFailed on sysLocation ({one_line(text)})")
    check(code2 != 0 and "commitFailed" in text2 and failed_object(text2) == SYS + ".6.0",
          f"the same with a second varbind: sysLocation named ({one_line(text2)})")
    check(snmp("snmpget", port, writer, "-Oqv", SYS + ".6.0")[1].strip() == location,
          "an unsaved SET is not applied")
    check(f"SET {clear_history} = 1 by write community from 127.0.0.1 not applied: "
          "an earlier varbind failed" in d.logtext() and "History log cleared" not in d.logtext(),
          "after a failed commit, the next varbind is not applied")
    logs = d.ctl("logs", "gateway")
    log_text = (logs.stdout if logs else "") + d.logtext()
    check(re.search(r"SNMP SET.*\.1\.3\.6\.1\.2\.1\.1\.4\.0 = \"ops@example.org\" by write community "
                    r"from 127\.0\.0\.1", log_text) is not None, "the SET is in the gateway log")
    check(re.search(r"\.1\.3\.6\.1\.2\.1\.1\.4\.0 = \"bob was here\" by v3 user bob", log_text)
          is not None, "the v3 SET names its user")
    check("private" not in d.logtext() and "bob-auth-pw" not in d.logtext(), "no secret in the log")

    # -- users and communities follow a reload, without a restart
    write_conf(d, base + snmp_conf(port, write_enabled=True, read="public2", users=[
        ("erin", "read-only", "SHA-256", "erin-auth-pw", "AES-192", "erin-priv-pw"),
        ("alice", "read-only", "SHA-512", "alice-auth-pw", "AES-256", "alice-priv-pw")]))
    d.signal(signal.SIGHUP)
    erin = ["-v3", "-l", "authPriv", "-u", "erin", "-a", "SHA-256", "-A", "erin-auth-pw",
            "-x", "AES-192", "-X", "erin-priv-pw"]
    check(wait_for(lambda: snmp("snmpget", port, erin, SYS + ".5.0", timeout=1, retries=0)[0] == 0, 10),
          "new v3 user (SHA-256/AES-192) works after SIGHUP")
    code, text = snmp("snmpget", port, BOB, SYS + ".5.0", timeout=1, retries=0, source="127.0.0.5")
    check(code != 0 and "Unknown user name" in text, "removed v3 user refused at once")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public"], SYS + ".5.0", timeout=1, retries=0,
                      source="127.0.0.5")
    check(code != 0, "old read community refused at once")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0")
    check(code == 0, "new read community works")
    check(d.proc.pid == pid and d.alive(), "same daemon, no restart")

    # -- firewall: a reject rule drops SNMP, a reload lifts it
    write_conf(d, base + snmp_conf(port, read="public2",
                                   rules='{ address = "127.0.0.1"; prefix = 32; action = "reject"; }'))
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0",
                                timeout=1, retries=0)[0] != 0, 10), "firewall reject: no answer")
    code, text = snmp("snmpget", port, ALICE, SYS + ".5.0", timeout=1, retries=0)
    check(code != 0 and "Timeout" in text, "firewall reject: v3 too")
    write_conf(d, base + snmp_conf(port, read="public2"))
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0",
                                timeout=1, retries=0)[0] == 0, 10), "firewall rule removed: answers again")

    # -- rate limit: 5 failures from one address block it, not others
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0", timeout=1, retries=0,
                      source="127.0.0.6")
    check(code == 0, "served before the failures")
    for i in range(5):
        snmp("snmpget", port, ["-v2c", "-c", f"bad{i}"], SYS + ".5.0", timeout=0.3, retries=0,
             source="127.0.0.6")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0", timeout=1, retries=0,
                      source="127.0.0.6")
    check(code != 0 and "Timeout" in text, "after 5 failures the address is ignored")
    code, text = snmp("snmpget", port, ["-v2c", "-c", "public2"], SYS + ".5.0", timeout=1, retries=0)
    check(code == 0, f"another address is still served: {text.strip()}")
    check(d.logtext().count("127.0.0.6 ignored for 60 s") == 1 and
          d.logtext().count("ignored for 60 s") == 1, "the block is logged once")

    # -- AC failure in the UPS-MIB
    sim.ctl("ac-fail")
    got = wait_for(lambda: (lambda g: g if g.get(UPS + ".4.1.0") == 5 and g.get(UPS + ".2.2.0", 0) > 0
                            else None)(get_ints(port, ["-v2c", "-c", "public2"],
                                                [UPS + ".4.1.0", UPS + ".2.2.0"])), 20)
    check(got is not None, f"on battery: upsOutputSource battery(5), upsSecondsOnBattery > 0: {got}")
    # the alarm becomes an event after events.debounce
    check(wait_for(lambda: ".1.3.6.1.2.1.33.1.6.3.2" in
                   snmp("snmpwalk", port, ["-v2c", "-c", "public2"], UPS + ".6")[1], 10),
          "alarm table holds upsAlarmOnBattery")
    sim.ctl("ac-restore")
    check(wait_for(lambda: get_ints(port, ["-v2c", "-c", "public2"],
                                    [UPS + ".4.1.0"]).get(UPS + ".4.1.0") == 3, 20),
          "mains back: upsOutputSource normal(3)")

    # -- engineBoots across restarts, same engine ID
    def boots_and_id():
        code, text = snmp("snmpget", port, ALICE, BOOTS, ENGINE_ID)
        v = parse_walk(text)
        return (int(v[BOOTS][1]) if BOOTS in v else None, v.get(ENGINE_ID, ("", ""))[1])
    before = boots_and_id()
    code, _ = d.stop()
    check(code == 0, "daemon stops cleanly")
    d = Daemon(work, None, name="snmp")
    d.wait_status(lambda s: s.get("comm") == "ok", timeout=40)
    after = wait_for(lambda: (lambda b: b if b[0] else None)(boots_and_id()), 10) or (None, "")
    check(before[0] is not None and after[0] == before[0] + 1,
          f"engineBoots {before[0]} -> {after[0]} across a restart")
    check(before[1] and before[1] == after[1], "engine ID stable across a restart")
finally:
    d.stop()
    sim.stop()
    work.cleanup()
finish()

"""SNMP traps end to end: the real daemon polls the simulator; a scripted AC
failure and return, then an imminent-stop alarm, must bring each of eight
net-snmp snmptrapd receivers exactly its expected traps (numbers, OIDs,
varbinds): v1, v2c, v3 traps (the agent's engine ID) and v3 informs (the
receiver's engine), NET VISION and RFC1628 types, a critical severity
filter, an event list and type none. The test trap goes through the web
API's POST /snmp/test-trap (the manager action "snmp.test_trap")."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_port, free_ports,
                    require_programs, system_level, wait_for, UPSGATED, UPSGATECTL, SIM)

SNMPTRAPD = "/usr/sbin/snmptrapd"
SNMPGET = "/usr/bin/snmpget"
NV = ".1.3.6.1.4.1.4555.1.1.7.2"
STS = ".1.3.6.1.4.1.4555.1.1.10.2"
RFC = ".1.3.6.1.2.1.33.2"
MIBS = {NV: "nv", RFC: "rfc", STS: "sts"}
SYS_UPTIME = ".1.3.6.1.2.1.1.3.0"
TRAP_OID = ".1.3.6.1.6.3.1.1.4.1.0"
NV_DESCR = ".1.3.6.1.4.1.4555.1.1.7.1.6.2.1.2."
RFC_DESCR = ".1.3.6.1.2.1.33.1.6.2.1.2."
USER, AUTH, PRIV = "trapuser", "authpass123", "privpass123"
INFORM_ENGINE = "upsgate-inform"       # fixed: the same engine after a restart
ENV = dict(os.environ, MIBS="", MIBDIRS="/nonexistent")
PORTS = range(27000, 28000)         # this test's UDP and TCP ports


class Trapd:
    """snmptrapd on 127.0.0.1:port printing one line per notification."""

    def __init__(self, work, name, port, extra=""):
        self.name = name
        self.out = work.file(f"trapd-{name}.out")
        conf = work.file(f"trapd-{name}.conf")
        with open(conf, "w") as f:
            f.write("disableAuthorization yes\nauthCommunity log public\n" + extra +
                    "format1 T|%s|%N|%w|%q|%u|%V~%v<<EOT>>\n"
                    "format2 T|%s|%N|%w|%q|%u|%V~%v<<EOT>>\n")
        self.log = open(work.file(f"trapd-{name}.stderr"), "wb")
        open(self.out, "w").close()
        # -Lf: a file is written line by line (stdout would be buffered).
        self.proc = subprocess.Popen(
            [SNMPTRAPD, "-f", "-Lf", self.out, "-n", "-On", "-Oe", "-Ot", "-C", "-c", conf,
             "-p", work.file(f"trapd-{name}.pid"), f"udp:127.0.0.1:{port}"],
            stdout=self.log, stderr=subprocess.STDOUT, env=ENV)

    def text(self):
        with open(self.out, errors="replace") as f:
            return f.read()

    def ready(self):
        return "NET-SNMP version" in self.text()

    def traps(self, mark=0):
        """[(mib, number, alarm, version, user, varbinds)] after [mark] lines."""
        out = []
        for line in self.records()[mark:]:
            if "T|" not in line:
                continue
            line = line[line.index("T|"):].strip()
            f = line.split("|", 6)
            version, enterprise, generic, specific, user = f[1], f[2], f[3], f[4], f[5]
            vbs = [parse_vb(v) for v in f[6].split("~")] if f[6] else []
            if version == "0":
                mib, number = MIBS.get(enterprise, enterprise), int(specific.strip(".") or 0)
            else:
                oid = vbs[1][1] if len(vbs) > 1 and vbs[1][0] == TRAP_OID else ""
                base, _, n = oid.rpartition(".0.")
                mib, number = MIBS.get(base, base), int(n) if n.isdigit() else 0
            alarm = 0
            for name, value in vbs:
                if name.startswith(NV_DESCR) or name.startswith(RFC_DESCR):
                    alarm = int(value.rsplit(".", 1)[1])
            out.append((mib, number, alarm, version, user, vbs))
        return out

    def records(self):
        """One per notification (-Lf drops the format's newline)."""
        return self.text().split("<<EOT>>")[:-1]

    def lines(self):
        return len(self.records())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def parse_vb(text):
    name, _, value = text.partition(" = ")
    value = value.strip()
    m = re.match(r"^[A-Za-z0-9-]+: (.*)$", value)
    if m:
        value = m.group(1)
    return name.strip(), value.strip('"')


def summary(traps):
    return sorted((m, n, a) for m, n, a, _, _, _ in traps)


def snmpget(port, oid):
    r = subprocess.run([SNMPGET, "-v2c", "-c", "public", "-On", "-Oqv", "-Ox", "-r", "1", "-t", "2",
                        f"127.0.0.1:{port}", oid], capture_output=True, text=True, env=ENV)
    out = r.stdout.strip()
    return out if r.returncode == 0 and out and not out.startswith("No Such") else None


def engine_id(work, port):
    """snmpEngineID by snmpget; else as net-snmp persisted it (oldEngineID)."""
    got = wait_for(lambda: snmpget(port, ".1.3.6.1.6.3.10.2.1.1.0"), 10)
    if got:
        return "0x" + re.sub(r'[\s"]', "", got)
    try:
        with open(work.file("snmp/upsgated.conf")) as f:
            m = re.search(r"^oldEngineID (0x[0-9a-fA-F]+)$", f.read(), re.M)
        return m.group(1) if m else None
    except OSError:
        return None


# (name, receiver config): one snmptrapd each.
def receivers():
    v3 = f'version = "v3"; user = "{USER}";'
    return [
        ("v1", 'version = "v1"; community = "public";'),
        ("v2c", 'version = "v2c"; community = "public";'),
        ("v3", v3),
        ("rfc", 'type = "rfc1628"; version = "v2c"; community = "public";'),
        ("crit", 'version = "v2c"; filter = "severity"; severity = "critical";'),
        ("list", 'version = "v1"; filter = "events"; events = "15, 23";'),
        ("none", 'type = "none"; version = "v2c";'),
        ("inform", v3 + ' inform = true; filter = "severity"; severity = "warning";'),
    ]


FAIL = [("nv", 19, 0), ("nv", 3, 11), ("nv", 3, 22), ("nv", 3, 30), ("nv", 1, 0), ("nv", 15, 0)]
RETURN = [("nv", 4, 11), ("nv", 24, 0), ("nv", 4, 22), ("nv", 4, 30), ("nv", 4, 15),
          ("nv", 23, 0), ("nv", 22, 0)]
# Imminent stop: its trap and alarm entry; the status leaves "on
# inverter" and comes back (trap 22 again).
STOP = [("nv", 5, 0), ("nv", 3, 1), ("nv", 4, 1), ("nv", 22, 0)]
RFC_ALL = [("rfc", 3, 18), ("rfc", 3, 6), ("rfc", 1, 0),
           ("rfc", 4, 18), ("rfc", 4, 6), ("rfc", 4, 2)]
EXPECTED = {
    "v1": FAIL + RETURN + STOP,
    "v2c": FAIL + RETURN + STOP,
    "v3": FAIL + RETURN + STOP,
    "rfc": RFC_ALL,
    "crit": [("nv", 5, 0)],
    "list": [("nv", 15, 0), ("nv", 23, 0)],
    "none": [],
    "inform": [("nv", 19, 0), ("nv", 1, 0), ("nv", 15, 0), ("nv", 5, 0)],
}


def alarm_table(port, descr, rows=16):
    """An alarm table of the agent: well-known index -> upsAlarmId (GETs of
    upsAlarmDescr.1-16)."""
    out = {}
    for i in range(1, rows + 1):
        value = snmpget(port, f"{descr}{i}")
        if value and "." in value:
            out[int(value.rsplit(".", 1)[1])] = str(i)
    return out


def alarm_tables(port):
    return {"nv": alarm_table(port, NV_DESCR), "rfc": alarm_table(port, RFC_DESCR)}


def wait_received(trapds, marks, want, timeout=20):
    """Until every receiver named in [want] got at least those traps."""
    def got_all():
        for name, traps in want.items():
            have = Counter(summary(trapds[name].traps(marks[name])))
            if Counter(traps) - have:
                return False
        return True
    return wait_for(got_all, timeout, step=0.2)


def check_varbinds(name, traps, table, served):
    v2 = [t for t in traps if t[3] != "0"]
    check(all(t[5][0][0] == SYS_UPTIME and t[5][1][0] == TRAP_OID for t in v2),
          f"{name}: every v2 notification starts with sysUpTime.0, snmpTrapOID.0")
    ids = {}
    for mib, n, alarm, _, _, vbs in traps:
        body = vbs[2:] if traps and traps[0][3] != "0" else vbs
        if mib == "nv" and n == 1:
            names = [v[0] for v in body]
            check(names == [".1.3.6.1.4.1.4555.1.1.7.1.2.3.0", ".1.3.6.1.4.1.4555.1.1.7.1.2.2.0"]
                  and all(v[1].isdigit() for v in body),
                  f"{name}: trap 1 carries minutes remaining and seconds on battery {body}")
            check(int(body[0][1]) > 0, f"{name}: trap 1 with a remaining time ({body[0][1]} min)")
        elif mib in ("nv", "rfc") and n in (3, 4):
            descr = NV_DESCR if mib == "nv" else RFC_DESCR
            aid = body[0][1] if body else None
            root = ".1.3.6.1.4.1.4555.1.1.7.1.6.3." if mib == "nv" else ".1.3.6.1.2.1.33.1.6.3."
            check(len(body) == 2 and body[0][0].endswith("." + aid) and
                  body[1][0] == descr + aid and body[1][1] == root + str(alarm),
                  f"{name}: {mib} trap {n}: upsAlarmId.{aid}, upsAlarmDescr = {root}{alarm}")
            if n == 3:
                ids[(mib, alarm)] = aid
            elif (mib, alarm) in (("nv", 15), ("rfc", 2)):
                check(aid == table[mib].get(alarm), f"{name}: on battery removed with the id "
                      f"the agent's alarm table gave it ({aid}, table {table[mib]})")
            else:
                check(ids.get((mib, alarm)) == aid,
                      f"{name}: {mib} alarm {alarm} removed with the id it was added with ({aid})")
        elif mib == "rfc" and n == 1:
            # The RFC's three objects, each as the agent serves it (an
            # object the UPS does not give is not served, nor sent).
            want = [o for o in (".1.3.6.1.2.1.33.1.2.3.0", ".1.3.6.1.2.1.33.1.2.2.0",
                                ".1.3.6.1.2.1.33.1.9.7.0") if o in served]
            check([v[0] for v in body] == want and len(want) >= 2,
                  f"{name}: upsTrapOnBattery carries the RFC's objects the agent serves "
                  f"{body} (served {want})")
        elif mib == "nv" and n == 19:
            check(body and body[0] == (".1.3.6.1.4.1.4555.1.1.7.1.9.50.0",
                                       "The UPS has detected a preventive alarm: General Alarm"),
                  f"{name}: trap 19 text {body}")


class WebShim:
    def __init__(self, work, port):
        self.work, self.base = work, f"http://127.0.0.1:{port}"

    def client(self, name="c"):
        from webtest import Client
        return Client(self.base, self.work, name)


def test_trap(work, http_port, trapds):
    from webtest import admin_session
    web = WebShim(work, http_port)
    if not wait_for(lambda: subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", web.base + "/api/v1/session"],
            capture_output=True, text=True).stdout == "401", 20):
        check(False, "web API up for the test trap")
        return
    c = admin_session(web, work)
    marks = {k: t.lines() for k, t in trapds.items()}
    r = c.post("/snmp/test-trap", {"receiver": 5})
    check(r.status == 200, f"test trap to receiver 5 accepted ({r})")
    got = wait_for(lambda: trapds["crit"].traps(marks["crit"]), 20)
    check(got and summary(got) == [("nv", 40, 0)] and
          got[0][5][2] == (".1.3.6.1.4.1.4555.1.1.7.1.9.50.0", "TRAP TEST"),
          f"receiver 5 gets trap 40 despite its critical filter ({got})")
    r = c.post("/snmp/test-trap", {"receiver": 7})
    check(r.status == 422, f"no test trap to a receiver of type none ({r})")
    r = c.post("/snmp/test-trap", {"receiver": 9})
    check(r.status == 400, f"receiver 9 refused ({r})")
    time.sleep(1)
    others = {k: t.traps(marks[k]) for k, t in trapds.items() if k != "crit"}
    check(not any(others.values()), f"the test trap went to receiver 5 only ({others})")


def run():
    work = Workdir()
    sim = Sim(work, "jbusp", "single", "--no-noise")
    ports = free_ports(10, PORTS, udp=True)
    agent_port, tports = ports[0], ports[1:9]
    http_port = free_port(PORTS, exclude=ports)
    rc = receivers()
    recv_conf = ",\n".join(
        f'  {{ address = "127.0.0.1"; port = {p}; {conf} }}' for (name, conf), p in zip(rc, tports))
    base = "".join(line + "\n" for line in config_text(work, sim.link).splitlines()
                   if not line.startswith(("http ", "https ")))
    conf = base + \
        "events = { debounce = 0.5; };\n" \
        f"http = {{ enabled = true; port = {http_port}; }};\nhttps = {{ enabled = false; }};\n" \
        f'web = {{ root = "{work.path}/www"; }};\n' \
        f"snmp = {{ enabled = true; port = {agent_port}; alarm_trap_filter = false;\n" \
        f'  users = ( {{ name = "{USER}"; level = "read-only"; auth = "SHA"; ' \
        f'auth_password = "{AUTH}"; priv = "AES"; priv_password = "{PRIV}"; }} );\n' \
        f"  receivers = (\n{recv_conf} ); }};\n"
    os.makedirs(work.file("www"), exist_ok=True)
    d = Daemon(work, conf)
    trapds = {}
    try:
        ok = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 30)
        check(ok is not None, "comm ok")
        engine_hex = engine_id(work, agent_port)
        check(bool(engine_hex), f"the agent's engine ID ({engine_hex})")
        if not engine_hex:
            return
        for (name, _), p in zip(rc, tports):
            extra = ""
            if name == "v3":
                extra = f"createUser -e {engine_hex} {USER} SHA {AUTH} AES {PRIV}\n"
            elif name == "inform":
                extra = f"engineID {INFORM_ENGINE}\ncreateUser {USER} SHA {AUTH} AES {PRIV}\n"
            trapds[name] = Trapd(work, name, p, extra)
        check(wait_for(lambda: all(t.ready() for t in trapds.values()), 30),
              "eight snmptrapd receivers up")
        # The start-up traps (27, then 22 once the load is on inverter)
        # must be behind the marks, whether a receiver saw them or not.
        check(wait_for(lambda: "trap 22 (upsTrapUpsNormal) sent" in d.logtext(), 20),
              "start-up traps sent")
        marks = {k: t.lines() for k, t in trapds.items()}

        sim.ctl("ac-fail")
        check(d.wait_status(lambda s: system_level(s)["state"]["battery_status"]
                            == "Battery discharging", 20) is not None, "on battery")
        # The snapshot says "on battery" at once; the alarms become events
        # (and rows of the alarm tables) only after events.debounce.
        table = wait_for(lambda: (lambda t: t if set(t["nv"]) == {11, 15, 22, 30} and
                                  set(t["rfc"]) == {2, 6, 18} else None)(alarm_tables(agent_port)),
                         15) or alarm_tables(agent_port)
        check(set(table["nv"]) == {11, 15, 22, 30} and set(table["rfc"]) == {2, 6, 18},
              f"agent's alarm tables while on battery ({table})")
        served = [o for o in (".1.3.6.1.2.1.33.1.2.3.0", ".1.3.6.1.2.1.33.1.2.2.0",
                              ".1.3.6.1.2.1.33.1.9.7.0") if snmpget(agent_port, o)]
        check(wait_received(trapds, marks, {"v1": FAIL, "rfc": RFC_ALL[:3]}),
              "AC failure traps received")
        sim.ctl("ac-restore")
        check(d.wait_status(lambda s: system_level(s)["state"]["ups_status"]
                            == "Load protected by Inverter", 20) is not None, "back on inverter")
        check(wait_received(trapds, marks, {"v1": FAIL + RETURN, "rfc": RFC_ALL}),
              "AC return traps received")
        sim.ctl("alarm", "A31", "on")
        check(wait_received(trapds, marks, {"v1": FAIL + RETURN + STOP[:2]}),
              "imminent stop traps received")
        sim.ctl("alarm", "A31", "auto")
        wait_received(trapds, marks, EXPECTED)
        time.sleep(1)           # anything unexpected still on its way

        for name, want in EXPECTED.items():
            got = trapds[name].traps(marks[name])
            if not check(summary(got) == sorted(want),
                         f"{name}: exactly {sorted(want)}, got {summary(got)}"):
                print(f"# snmptrapd {name}:\n" + trapds[name].text()[-3000:])
            if name != "none":
                check_varbinds(name, got, table, served)
        v1 = trapds["v1"].traps(marks["v1"])
        check(v1 and all(t[3] == "0" for t in v1), "v1 receiver gets SNMPv1 traps")
        for name in ("v3", "inform"):
            got = trapds[name].traps(marks[name])
            check(got and all(t[3] == "3" and t[4] == USER for t in got),
                  f"{name}: SNMPv3 as {USER}")
        test_trap(work, http_port, trapds)

        # A reload reopens every receiver's session (new sockets, often on
        # the numbers the old ones had): informs must still be answered.
        marks = {k: t.lines() for k, t in trapds.items()}
        opened = d.logtext().count("trap receiver 8:")
        d.signal(signal.SIGHUP)
        check(wait_for(lambda: d.logtext().count("trap receiver 8:") > opened, 10),
              "receivers reopened by SIGHUP")
        sim.ctl("ac-fail")
        check(wait_received(trapds, marks, {"inform": [("nv", 19, 0), ("nv", 1, 0), ("nv", 15, 0)],
                                            "v2c": [("nv", 19, 0), ("nv", 1, 0)]}, 30),
              "v3 informs still delivered after a reload")
        sim.ctl("ac-restore")

        # New passwords for the inform user on both sides (the receiver
        # keeps its engine ID): the informs use them after the reload.
        trapds["inform"].stop()
        trapds["inform"] = Trapd(work, "inform2", tports[7],
                                 f"engineID {INFORM_ENGINE}\n"
                                 f"createUser {USER} SHA newauth456 AES newpriv456\n")
        check(wait_for(trapds["inform"].ready, 20), "inform receiver restarted")
        with open(d.conf, "w") as f:
            f.write(conf.replace(f'auth_password = "{AUTH}"', 'auth_password = "newauth456"')
                        .replace(f'priv_password = "{PRIV}"', 'priv_password = "newpriv456"'))
        opened = d.logtext().count("trap receiver 8:")
        d.signal(signal.SIGHUP)
        check(wait_for(lambda: d.logtext().count("trap receiver 8:") > opened, 10),
              "receivers reopened with the new passwords")
        marks = {k: t.lines() for k, t in trapds.items()}
        sim.ctl("alarm", "A31", "on")
        check(wait_received(trapds, marks, {"inform": [("nv", 5, 0)]}, 30),
              "v3 informs sent with the new passwords")
        sim.ctl("alarm", "A31", "auto")
    finally:
        for t in trapds.values():
            t.stop()
        code, _ = d.stop()
        check(code == 0, "clean stop")
        if failures_so_far():
            print("# daemon log:\n" + "\n".join(
                line for line in d.logtext().splitlines()[-400:] if "Cannot find module" not in line))
        sim.stop()
        work.cleanup()


def failures_so_far():
    import ugtest
    return ugtest.failures


require_programs(UPSGATED, UPSGATECTL, SIM)
if not os.access(SNMPTRAPD, os.X_OK) or not os.access(SNMPGET, os.X_OK):
    print(f"missing {SNMPTRAPD} or {SNMPGET} (Debian snmptrapd, snmp)")
    sys.exit(77)
run()
finish()

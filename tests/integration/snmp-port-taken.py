"""The SNMP port already taken: the daemon logs why, runs on without the
SNMP agent and traps (docs/snmp.md), keeps monitoring, reloads, and stops
cleanly (exit 0: under ASan/LSan any error or leak of the partly started
agent changes the exit code). Three cases:

1. net-snmp's own snmpd holds the port on IPv4 and IPv6: it keeps
   answering there, we send no trap;
2. only IPv4 is taken: the agent does not start either (it must not answer
   on IPv6 alone while another program answers on IPv4);
3. only IPv6 is taken: the agent serves IPv4 and says IPv6 is left out."""

import os
import re
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_ports, has_ipv6,
                    require_programs, system_level, wait_for, UPSGATED, UPSGATECTL, SIM, WILDCARDS)

SNMPD = "/usr/sbin/snmpd"
SNMPGET = "/usr/bin/snmpget"
ENV = dict(os.environ, MIBS="", MIBDIRS="/nonexistent", SNMPCONFPATH="/nonexistent")
SYS_DESCR = ".1.3.6.1.2.1.1.1.0"
PORTS = range(28000, 29000)         # this test's UDP ports


def udp_socket(family, port):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", port))
    return s


def sys_descr(host, port):
    r = subprocess.run([SNMPGET, "-v2c", "-c", "public", "-On", "-Oqv", "-t", "1", "-r", "1",
                        f"{host}:{port}", SYS_DESCR], capture_output=True, text=True, env=ENV)
    return r.stdout.strip().strip('"') if r.returncode == 0 else None


def start_daemon(work, sim, port, trap_port, name):
    conf = config_text(work, sim.link) + \
        f"snmp = {{ enabled = true; port = {port};\n" \
        f'  receivers = ( {{ address = "127.0.0.1"; port = {trap_port}; version = "v2c"; ' \
        'community = "public"; } ); };\n'
    d = Daemon(work, conf, name=name)     # a log of its own
    up = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 40)
    return d, up is not None


def stop_daemon(name, d):
    code, _ = d.stop(timeout=20)
    log = d.logtext()
    check(code == 0, f"{name}: clean stop (exit {code})")
    bad = [line for line in log.splitlines()
           if re.search(r"Sanitizer|runtime error:|double free|corruption", line)]
    check(not bad, f"{name}: no memory error reported {bad[:3]}")
    return log


def check_without_agent(name, d, port, trap_sock):
    log = d.logtext()
    check(re.search(rf"snmp: cannot listen on udp:0\.0\.0\.0:{port}: Address already in use",
                    log) is not None, f"{name}: the taken port is logged with its reason")
    check("running without the SNMP agent and traps" in log, f"{name}: runs without SNMP, said once")
    check("agent listening" not in log, f"{name}: no agent claims to listen")
    # Traps come from the agent: none at start (trap 27) nor on an event.
    trap_sock.settimeout(2)
    try:
        data = trap_sock.recv(4096)
    except socket.timeout:
        data = None
    check(data is None, f"{name}: no trap sent without the agent")
    reloads = log.count(" reloaded")
    d.signal(signal.SIGHUP)
    check(wait_for(lambda: d.logtext().count(" reloaded") > reloads, 10), f"{name}: reload handled")
    check(d.alive() and d.status() is not None, f"{name}: still monitoring after a reload")


def snmpd_holds(work, port, v6):
    conf = work.file("snmpd.conf")
    with open(conf, "w") as f:
        f.write("rocommunity public 127.0.0.1\nsysDescr squatter-snmpd\n")
    spec = f"udp:0.0.0.0:{port}" + (f",udp6:[::]:{port}" if v6 else "")
    log = open(work.file("snmpd.log"), "wb")
    p = subprocess.Popen([SNMPD, "-f", "-Lo", "-C", "-c", conf, "-p", work.file("snmpd.pid"), spec],
                         stdout=log, stderr=subprocess.STDOUT,
                         env=dict(ENV, SNMP_PERSISTENT_DIR=work.file("snmpd-state")))
    return p, log


def case_snmpd(work, sim, port, trap_port, v6):
    snmpd, snmpd_log = snmpd_holds(work, port, v6)
    trap_sock = udp_socket(socket.AF_INET, trap_port)
    try:
        check(wait_for(lambda: sys_descr("127.0.0.1", port) == "squatter-snmpd", 20),
              "snmpd holds the port")
        d, up = start_daemon(work, sim, port, trap_port, "snmpd-taken")
        check(up, "port taken by snmpd: the daemon starts and polls the UPS")
        check_without_agent("snmpd", d, port, trap_sock)
        check(sys_descr("127.0.0.1", port) == "squatter-snmpd", "snmpd still answers on its port")
        stop_daemon("snmpd", d)
    finally:
        trap_sock.close()
        snmpd.send_signal(signal.SIGTERM)
        try:
            snmpd.wait(10)
        except subprocess.TimeoutExpired:
            snmpd.kill()
            snmpd.wait()
        snmpd_log.close()


def case_ipv4_taken(work, sim, port, trap_port):
    squatter = udp_socket(socket.AF_INET, port)
    trap_sock = udp_socket(socket.AF_INET, trap_port)
    try:
        d, up = start_daemon(work, sim, port, trap_port, "ipv4-taken")
        check(up, "IPv4 taken: the daemon starts and polls the UPS")
        check_without_agent("IPv4 taken", d, port, trap_sock)
        check(sys_descr("udp6:[::1]", port) is None, "IPv4 taken: no agent on IPv6 alone")
        stop_daemon("IPv4 taken", d)
    finally:
        squatter.close()
        trap_sock.close()


def case_ipv6_taken(work, sim, port, trap_port):
    squatter = udp_socket(socket.AF_INET6, port)
    try:
        d, up = start_daemon(work, sim, port, trap_port, "ipv6-taken")
        check(up, "IPv6 taken: the daemon starts and polls the UPS")
        check(wait_for(lambda: (sys_descr("127.0.0.1", port) or "").startswith("upsgate"), 10),
              "IPv6 taken: the agent answers on IPv4")
        log = d.logtext()
        check(re.search(rf"cannot listen on udp6:\[::\]:{port}: Address already in use", log)
              and "serving IPv4 only" in log, "IPv6 taken: logged, IPv4 only")
        stop_daemon("IPv6 taken", d)
    finally:
        squatter.close()


require_programs(UPSGATED, UPSGATECTL, SIM)
if not os.access(SNMPD, os.X_OK) or not os.access(SNMPGET, os.X_OK):
    print(f"missing {SNMPD} or {SNMPGET} (Debian snmpd, snmp)")
    sys.exit(77)
v6 = has_ipv6()
work = Workdir()
sim = Sim(work, "jbusp", "single", "--no-noise")
try:
    ports = free_ports(4, PORTS, udp=True, addresses=WILDCARDS if v6 else WILDCARDS[:1])
    case_snmpd(work, sim, ports[0], ports[1], v6)
    case_ipv4_taken(work, sim, ports[2], ports[1])
    if v6:
        case_ipv6_taken(work, sim, ports[3], ports[1])
    else:
        print("# no IPv6 on this host: the IPv6-taken case is skipped")
finally:
    sim.stop()
    work.cleanup()
finish()

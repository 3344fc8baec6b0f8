"""upsgatectl config get/set/list against the real daemon: a change is
checked by the schema, saved to the file (rewritten whole, atomically),
applied, logged as "KEY has been changed via upsgatectl by uid N (user)"
and survives a restart of the daemon; a bad value is refused with its
reason and leaves the file as it was; secrets are masked; SIGHUP still
re-reads a file edited by hand."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import Workdir, check, finish, require_programs, wait_for, UPSGATED, UPSGATECTL
from ctltest import base_config, ctl, gateway_details, read, start, who

require_programs(UPSGATED, UPSGATECTL)
work = Workdir()
conf = base_config(work, 'auth = { radius = { primary_secret = "rad1us"; }; };\n')
d = start(work, conf)
try:
    check(d.alive(), "daemon up")

    # --- reading -----------------------------------------------------
    r = ctl(d, "config", "get", "auth.radius.primary_secret")
    check(r.returncode == 0 and r.stdout == "********\n", f"a secret is masked: {r.stdout!r}")
    r = ctl(d, "config", "list")
    check(r.returncode == 0 and "rad1us" not in r.stdout and
          'auth.radius.primary_secret = "********"' in r.stdout and
          'serial.slave = 1' in r.stdout, "config list: every key, secrets masked")
    lines = [x for x in r.stdout.splitlines() if " = " in x]
    settings = subprocess.run([UPSGATED, "--settings"], capture_output=True, text=True).stdout
    keys = [x.split()[0] for x in settings.splitlines() if x and not x.startswith(" ")]
    check(len(lines) == len(keys), f"one line per key of the schema ({len(lines)} vs {len(keys)})")
    r = ctl(d, "config", "list", "--json")
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    check(j.get("auth.radius.primary_secret") == "********" and j.get("http.port") == 80,
          "config list --json: typed values, secrets masked")
    r = ctl(d, "config", "get", "auth.radius.primary_secret", "--reveal")
    if os.getuid() == 0:
        check(r.returncode == 0 and r.stdout == "rad1us\n", "--reveal shows a secret to root")
    else:
        check(r.returncode == 1 and "root only" in r.stderr, "--reveal refused to non-root")
    r = ctl(d, "config", "get", "no.such.key")
    check(r.returncode == 1 and "no.such.key: unknown setting" in r.stderr, f"unknown key: {r.stderr!r}")

    # --- a change: saved, applied, logged ------------------------------
    before = read(d.conf)
    check(b"# written by hand" in before, "the hand-written file has its comment")
    value = 'Room "B" \\ rack 2'
    r = ctl(d, "config", "set", "system.location", value)
    check(r.returncode == 0 and r.stdout == "system.location changed\n", f"set: {r.stdout!r} {r.stderr!r}")
    r = ctl(d, "config", "get", "system.location")
    check(r.stdout == value + "\n", f"get gives the value back: {r.stdout!r}")
    text = read(d.conf).decode()
    check('location = "Room \\"B\\" \\\\ rack 2";' in text, "the file has the value, escaped")
    check("# written by hand" not in text and "rewrites this file whole" in text,
          "the file was rewritten whole (comments are not kept, and it says so)")
    check(oct(os.stat(d.conf).st_mode & 0o777) == "0o640", "the file is 0640")
    left = [f for f in os.listdir(work.path) if f.startswith(os.path.basename(d.conf) + ".")]
    check(not left, f"no temporary file left: {left}")
    r = subprocess.run([UPSGATED, "--check", "-c", d.conf], capture_output=True, text=True)
    check(r.returncode == 0, f"the rewritten file passes --check: {r.stderr.strip()}")
    events = gateway_details(d)
    want = f"system.location has been changed via upsgatectl by {who()}"
    check(("gw.config_changed", want) in events, f"gateway log: {want!r}")

    r = ctl(d, "config", "set", "history.interval", "30")
    check(r.returncode == 0, "an integer")
    events = gateway_details(d)
    check(("gw.history_interval_changed", "30 s") in events, "the manual's own event for the interval")
    r = ctl(d, "logs", "gateway", "--since", "10m", "--csv")
    check(r.returncode == 0 and "history.interval has been changed via upsgatectl by" in r.stdout,
          "upsgatectl logs gateway --since 10m --csv shows the change")

    r = ctl(d, "config", "set", "firewall.rules",
            '[{"address": "127.0.0.0", "prefix": 8, "action": "accept"}]')
    check(r.returncode == 0, f"a list as a JSON array: {r.stderr!r}")
    r = ctl(d, "config", "get", "firewall.rules")
    check(json.loads(r.stdout) == [{"address": "127.0.0.0", "prefix": 8, "action": "accept"}],
          f"the list reads back: {r.stdout!r}")
    r = ctl(d, "config", "set", "snmp.write_community", "-", stdin="s3cr3t!\n")
    check(r.returncode == 0, "a secret from standard input")
    if os.getuid() == 0:
        r = ctl(d, "config", "get", "snmp.write_community", "--reveal")
        check(r.stdout == "s3cr3t!\n", f"stdin value without its line break: {r.stdout!r}")
    r = ctl(d, "config", "set", "modbus_tcp.port", "24502")
    check(r.returncode == 0 and "takes effect at the next restart" in r.stdout,
          "a key that needs a restart says so")
    r = ctl(d, "config", "set", "serial.baud", "9600")
    check(r.returncode == 0 and ctl(d, "config", "get", "serial.baud").stdout == "9600\n",
          "a choice given as a number")
    r = ctl(d, "config", "set", "serial.baud", "9600")
    check(r.returncode == 0 and "unchanged" in r.stdout, "setting the same value: unchanged")
    ctl(d, "config", "set", "serial.baud", "auto")

    # --- refusals: a clear reason, the file untouched ----------------
    before = read(d.conf)
    mtime = os.stat(d.conf).st_mtime_ns
    bad = [
        (("serial.poll_interval", "0.01"), "serial.poll_interval: 0.01 is out of range (0.2 to 60)"),
        (("serial.slave", "abc"), "serial.slave: must be an integer"),
        (("http.enabled", "maybe"), "http.enabled: must be true or false"),
        (("log_level", "loud"), "log_level: must be one of: error, warning, notice, info, debug"),
        (("system.name", "x" * 64), "system.name: length must be 0 to 63 characters"),
        (("firewall.rules", '[{"address": "10.0.0.0", "prefix": 40}]'),
         "firewall.rules[0]: prefix must be 0 to 32 for an IPv4 address"),
        (("firewall.rules", '[{"address": "nowhere"}]'),
         "firewall.rules[0].address: must be an IPv4 or IPv6 address"),
        (("firewall.rules", '[{"address": "::1", "colour": 1}]'), "firewall.rules[0].colour: unknown setting"),
        (("no.such.key", "1"), "no.such.key: unknown setting"),
    ]
    for (key, value), reason in bad:
        r = ctl(d, "config", "set", key, value)
        check(r.returncode == 1 and reason in r.stderr, f"refused: {key} {value[:20]!r}: {r.stderr.strip()!r}")
    check(read(d.conf) == before and os.stat(d.conf).st_mtime_ns == mtime,
          "refused changes leave the file as it was")
    r = ctl(d, "config", "set", "serial.slave")
    check(r.returncode == 2, "config set without a value is a usage error")

    # --- the wire: a body's length is capped before anything is read, and
    # a body may arrive in pieces ------------------------------------------
    def raw(*pieces):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
            c.connect(d.socket)
            for p in pieces:
                c.sendall(p)
                time.sleep(0.05)
            c.shutdown(socket.SHUT_WR)
            return b"".join(iter(lambda: c.recv(65536), b"")).decode()
    check(raw(b"config-set system.name 99999999\n") == "error: bad arguments for: config-set\n",
          "a body over the limit is refused from its declared length")
    check(raw(b"restore 2000000\n") == "error: bad arguments for: restore\n", "a restore over 1 MiB too")
    check(raw(b"config-set system.contact 7\nsp", b"lit", b"!!") == "system.contact changed\n" and
          ctl(d, "config", "get", "system.contact").stdout == "split!!\n", "a body in three pieces")
    check(read(d.conf) != before, "(that one was a real change)")
    before = read(d.conf)

    # --- SIGHUP still re-reads a file edited by hand -------------------
    with open(d.conf, "a") as f:
        f.write("\n")
    text = re.sub(r'contact = ".*";', 'contact = "ops@example.org";', read(d.conf).decode())
    with open(d.conf, "w") as f:
        f.write(text)
    d.signal(signal.SIGHUP)
    got = wait_for(lambda: ctl(d, "config", "get", "system.contact").stdout == "ops@example.org\n", 5)
    check(got, "SIGHUP applies a hand edit")
    check(("gw.config_changed", "system.contact has been changed via configuration file by SIGHUP")
          in gateway_details(d), "SIGHUP's change is logged as such")

    # --- the change survives a restart of the daemon --------------------
    code, _ = d.stop()
    check(code == 0, "clean stop")
    d = start(work)
    r = ctl(d, "config", "get", "system.location")
    check(r.stdout == 'Room "B" \\ rack 2\n', f"the value survived a restart: {r.stdout!r}")
    r = ctl(d, "config", "get", "firewall.rules")
    check(r.returncode == 0 and json.loads(r.stdout)[0]["address"] == "127.0.0.0", "so did the list")
finally:
    code, _ = d.stop()
    check(code == 0, "clean stop at the end")
    if os.environ.get("KEEP"):
        print(d.logtext())
    work.cleanup()
finish()

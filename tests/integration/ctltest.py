"""Shared by the ctl-*.py tests: a daemon on its built-in simulator with a
config file in a work dir, services that listen on the network off (or on
ports of 24000-24999), and helpers around upsgatectl."""

import json
import os
import pwd
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import Daemon, UPSGATECTL, wait_for  # noqa: E402


def base_config(work, extra=""):
    return (f'# written by hand: this comment does not survive a change\n'
            f'state_dir = "{work.file("state")}";\n'
            f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
            'http = { enabled = false; };\nhttps = { enabled = false; };\n'
            'snmp = { enabled = false; };\n' + extra)


def start(work, config=None, args=("--simulate",)):
    """The daemon, once its local API answers and the UPS is seen."""
    d = Daemon(work, config, args=list(args))
    wait_for(lambda: d.ctl("ping"), 15)
    d.wait_status(lambda s: s.get("comm") == "ok", timeout=30)
    return d


def ctl(d, *args, stdin=None):
    """upsgatectl's CompletedProcess, whatever its exit code."""
    return subprocess.run([UPSGATECTL, "-s", d.socket, *args], input=stdin,
                          capture_output=True, text=True, timeout=20)


def who():
    uid = os.getuid()
    try:
        return f"uid {uid} ({pwd.getpwuid(uid).pw_name})"
    except KeyError:
        return f"uid {uid}"


def gateway_details(d):
    """(code, detail) of every gateway-log event, oldest first."""
    r = ctl(d, "logs", "gateway", "--json", "--size", "1000", "--asc")
    if r.returncode != 0:
        return []
    return [(row["code"], row.get("detail", "")) for row in json.loads(r.stdout)["rows"]]


def read(path):
    with open(path, "rb") as f:
        return f.read()

"""Shared helpers for the integration tests: start the real daemon and the
real simulator in a temporary directory, talk to the daemon through
upsgatectl, stop everything by PID."""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

BUILD = os.environ.get("top_builddir", os.getcwd())
SRC = os.environ.get("top_srcdir", os.getcwd())
UPSGATED = os.path.join(BUILD, "upsgated")
UPSGATECTL = os.path.join(BUILD, "upsgatectl")
SIM = os.path.join(BUILD, "upsgate-sim")

failures = 0


def check(cond, what):
    """Record one named assertion; the test exits 1 at the end if any failed."""
    global failures
    if cond:
        print(f"ok - {what}", flush=True)
    else:
        failures += 1
        print(f"not ok - {what}", flush=True)
    return cond


def finish():
    print(f"{'FAIL' if failures else 'PASS'}: {failures} failed check(s)")
    sys.exit(1 if failures else 0)


def wait_for(predicate, timeout, step=0.1):
    """Poll predicate() until it returns a true value or timeout seconds pass."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > end:
            return value
        time.sleep(step)


# Free ports. Each test searches a range of its own (in random order) so
# that tests running in parallel do not race for one port between this
# check and the daemon's bind.
LOOPBACKS = ("127.0.0.1", "::1")
WILDCARDS = ("0.0.0.0", "::")


def has_ipv6():
    """Whether ::1 can be bound (containers may run without IPv6)."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
            return True
    except OSError:
        return False


def _bind_all(port, kind, addresses):
    """[port] if it binds on every one of [addresses] at once (port 0: the
    one the kernel picks on the first address), else None. IPv6 sockets are
    V6ONLY so that "0.0.0.0" and "::" check the two stacks apart."""
    socks = []
    try:
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            s = socket.socket(family, kind)
            socks.append(s)
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind((address, port))
            port = s.getsockname()[1]
        return port
    except OSError:
        return None
    finally:
        for s in socks:
            s.close()


def free_ports(n, port_range=None, udp=False, addresses=("127.0.0.1",), exclude=()):
    """[n] distinct TCP (or, with [udp], UDP) ports free on every one of
    [addresses], taken from [port_range] (None: ports the kernel picks),
    none of them in [exclude]."""
    kind = socket.SOCK_DGRAM if udp else socket.SOCK_STREAM
    candidates = random.sample(port_range, len(port_range)) if port_range else [0] * 100
    found = []
    for candidate in candidates:
        if candidate in exclude:
            continue
        port = _bind_all(candidate, kind, addresses)
        if port and port not in exclude and port not in found:
            found.append(port)
            if len(found) == n:
                return found
    where = f"{port_range.start}-{port_range.stop - 1}" if port_range else "the kernel's picks"
    raise RuntimeError(f"no {n} free {'UDP' if udp else 'TCP'} port(s) on {', '.join(addresses)} "
                       f"in {where}")


def free_port(port_range=None, udp=False, addresses=("127.0.0.1",), exclude=()):
    """One port as free_ports() finds them."""
    return free_ports(1, port_range, udp, addresses, exclude)[0]


class Workdir:
    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="upsgate-test.")
        self.path = self.tmp.name

    def file(self, name):
        return os.path.join(self.path, name)

    def cleanup(self):
        self.tmp.cleanup()


def config_text(work, device, **serial):
    """A complete config for a test: state and sockets in the work dir."""
    opts = {"device": f'"{device}"', "poll_interval": 0.5, "fast_interval": 0.2,
            "max_failures": 3, "reopen_max": 2.0}
    opts.update(serial)
    serial_text = " ".join(f"{k} = {v};" for k, v in opts.items())
    # The web server listens on 80/443 by default: off here, its tests
    # (webtest.web_config) give it free ports.
    return (f'state_dir = "{work.path}";\n'
            f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
            f'serial = {{ {serial_text} }};\n'
            'http = { enabled = false; };\nhttps = { enabled = false; };\n')


class Sim:
    """upsgate-sim on a pty behind a symlink in the work dir."""

    def __init__(self, work, map_, topology, *extra):
        self.link = work.file(f"sim-{map_}-{topology.replace(':', '-')}")
        self.log = open(work.file("sim.log"), "ab")
        self.proc = subprocess.Popen(
            [SIM, "--map", map_, "--topology", topology, "--link", self.link, *extra],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"upsgate-sim did not start: {line!r}")

    def ctl(self, *args):
        r = subprocess.run([SIM, "ctl", "--link", self.link, *map(str, args)],
                           capture_output=True, text=True, timeout=10)
        if r.returncode != 0:
            raise RuntimeError(f"upsgate-sim ctl {args}: {r.stderr.strip()}")
        return r.stdout.strip()

    def values(self):
        return json.loads(self.ctl("values"))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# Services whose default ports (80, 443, 161) tests must never take: a
# config that does not mention one turns it off.
DEFAULT_PORT_SERVICES = ("http", "https", "snmp")


def services_off(config):
    for name in DEFAULT_PORT_SERVICES:
        if not re.search(rf"^\s*{name}\s*=", config, re.M):
            config += f"{name} = {{ enabled = false; }};\n"
    return config


class Daemon:
    """upsgated with a config file in the work dir; stderr to a log file."""

    def __init__(self, work, config=None, args=(), name="upsgated"):
        self.work = work
        self.conf = work.file(f"{name}.conf")
        self.logpath = work.file(f"{name}.log")
        self.socket = work.file("ctl.sock")
        if config is not None:
            with open(self.conf, "w") as f:
                f.write(services_off(config))
        self.log = open(self.logpath, "ab")
        self.proc = subprocess.Popen([UPSGATED, "-c", self.conf, *args],
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def alive(self):
        return self.proc.poll() is None

    def ctl(self, *args, check=True):
        r = subprocess.run([UPSGATECTL, "-s", self.socket, *args],
                           capture_output=True, text=True, timeout=10)
        if check and r.returncode != 0:
            return None
        return r

    def status(self):
        r = self.ctl("status", "--json")
        if not r:
            return None
        try:
            return json.loads(r.stdout)
        except ValueError:
            return None

    def wait_status(self, predicate, timeout=20):
        """Latest status satisfying predicate, or None after timeout."""
        def probe():
            s = self.status()
            return s if s and predicate(s) else None
        return wait_for(probe, timeout)

    def logtext(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=5):
        """SIGTERM; returns (exit code, seconds it took)."""
        if not self.alive():
            self.log.close()
            return self.proc.returncode, 0.0
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.log.close()
        return code, time.monotonic() - start


def system_level(status):
    return status["levels"][0] if status and status.get("levels") else None


def require_programs(*paths):
    for p in paths:
        if not os.access(p, os.X_OK):
            print(f"missing {p}: build first")
            sys.exit(99)

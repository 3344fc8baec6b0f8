"""Helpers of the browser tests (tests/integration/browser-*.py): the daemon
serving the real web interface (installed as `make install` would: the
files share/www/local.mk lists, each with its .gz; or the directory
$BROWSER_WWW as it is), fed by an external upsgate-sim, and a Playwright
scenario (tests/browser/SCRIPT.mjs, run with node against Debian's
Chromium) that gets them in its environment."""

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from ugtest import (BUILD, SIM, SRC, UPSGATED, UPSGATECTL, Daemon, Sim, Workdir, check, finish,
                    free_port, require_programs, system_level)
from webtest import STRONG, Client, initial_password

PORT_RANGE = range(29000, 30000)    # TCP ports of the browser-*.py tests, on 127.0.0.1
BROWSER_DIR = os.path.join(SRC, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
OUT_ROOT = os.path.join(BUILD, "tests", "browser-output")
SCENARIO_TIMEOUT = 240


def require_browser():
    """Skip (77) when node, Chromium or playwright-core is missing: ./dev test
    installs them (chromium from Debian, npm ci --prefix tests/browser)."""
    require_programs(UPSGATED, UPSGATECTL, SIM)
    missing = []
    if not shutil.which("node"):
        missing.append("node (Debian package nodejs)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    if not os.path.exists(os.path.join(BROWSER_DIR, "node_modules", "playwright-core", "package.json")):
        missing.append(f"playwright-core (npm ci --prefix {BROWSER_DIR})")
    if missing:
        print(f"SKIP: the browser tests need {', '.join(missing)}")
        sys.exit(77)


def www_files():
    """The files of share/www that make install installs (share/www/local.mk)."""
    text = open(os.path.join(SRC, "share", "www", "local.mk")).read()
    return sorted(set(re.findall(r"\bshare/www/(\S+\.\w+)", text)) - {"local.mk"})


def install_www(dest):
    """Copy the listed files to dest with a gzip copy of each beside it, as
    make install does, so that the tests see what a user gets (a file
    missing from local.mk is a 404 here too)."""
    files = www_files()
    missing = [rel for rel in files if not os.path.isfile(os.path.join(SRC, "share", "www", rel))]
    check(not missing, f"every file share/www/local.mk lists exists (missing: {', '.join(missing) or 'none'})")
    for rel in files:
        src = os.path.join(SRC, "share", "www", rel)
        if rel in missing:
            continue
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copyfile(src, out)
        with open(src, "rb") as f, open(out + ".gz", "wb") as g:
            with gzip.GzipFile(fileobj=g, mode="wb", compresslevel=9, mtime=0) as z:
                z.write(f.read())
    return dest


class Gateway:
    """upsgated with the web interface on a free loopback port, polling an
    external upsgate-sim (so that a scenario can drive it: ac-fail...)."""

    def __init__(self, topology="single", poll_interval=1.0):
        self.work = Workdir()
        self.sim = None
        self.daemon = None
        self.topology = topology
        self.poll_interval = poll_interval
        try:
            self._start()
        except Exception:
            self.stop()
            raise

    def _start(self):
        poll_interval = self.poll_interval
        topology = self.topology
        # BROWSER_WWW=DIR serves DIR as it is (a tree being worked on).
        www = os.path.abspath(os.environ.get("BROWSER_WWW") or install_www(self.work.file("www")))
        map_ = "sts" if topology == "sts" else "vumap"
        self.sim = Sim(self.work, map_, topology, "--no-noise")
        self.port = free_port(PORT_RANGE)
        self.base = f"http://127.0.0.1:{self.port}"
        conf = (f'state_dir = "{self.work.path}";\n'
                f'control = {{ socket = "{self.work.file("ctl.sock")}"; }};\n'
                f'serial = {{ device = "{self.sim.link}"; poll_interval = {poll_interval}; }};\n'
                f"http = {{ enabled = true; port = {self.port}; }};\n"
                "https = { enabled = false; };\n"
                f'web = {{ root = "{www}"; }};\n'
                "snmp = { enabled = false; };\n"
                "history = { interval = 1; extended_interval = 10; };\n")
        self.daemon = Daemon(self.work, conf)
        self.config_file = self.daemon.conf

    def wait_up(self, timeout=30):
        """Until the web server answers and the daemon talks to the simulator."""
        ok = self.daemon.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)
                                     and system_level(s)["valid"], timeout)
        if not ok or not self.daemon.alive():
            print("# daemon log:\n" + self.daemon.logtext()[-4000:])
            raise RuntimeError("the daemon did not reach comm ok with the simulator")

    def initial_password(self):
        return initial_password(self.work.path)

    def admin(self, password=STRONG):
        """The first-login flow done through the API: a logged-in admin
        Client, the admin password being [password]."""
        c = Client(self.base, self.work, "admin")
        initial = self.initial_password()
        for step, r in (("initial login", lambda: c.login("admin", initial)),
                        ("password change", lambda: c.post("/password", {"old": initial, "new": password})),
                        ("login", lambda: c.login("admin", password))):
            reply = r()
            if reply.status != 200:
                raise RuntimeError(f"admin {step} failed: {reply}")
        return c

    def user(self, admin, name, role, password):
        """An account made by the admin, its first password already changed
        to [password] through the API (the UI's first login is tested once,
        in browser-login.py)."""
        first = "F1rst!passwd#x"
        r = admin.put(f"/users/{name}", {"role": role, "password": first})
        if r.status != 200:
            raise RuntimeError(f"creating {name} failed: {r}")
        c = Client(self.base, self.work, name)
        c.login(name, first)
        r = c.post("/password", {"old": first, "new": password})
        if r.status != 200:
            raise RuntimeError(f"{name}'s password change failed: {r}")

    def sim_ctl_command(self):
        return [SIM, "ctl", "--link", self.sim.link]

    def stop(self):
        try:
            if self.daemon:
                code, _ = self.daemon.stop(10)
                check(code == 0, f"daemon stopped cleanly (exit {code})")
                if code != 0:
                    print("# daemon log:\n" + self.daemon.logtext()[-4000:])
        finally:
            if self.sim:
                self.sim.stop()
            self.work.cleanup()


def run_scenario(name, script, gateway, **env):
    """Runs tests/browser/SCRIPT.mjs against [gateway] with [env] added,
    its files in browser-output/NAME; its output goes to our log, its exit
    status becomes one check."""
    out_dir = os.path.join(OUT_ROOT, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    print(f"# screenshots and downloads of {name}: {out_dir}", flush=True)
    full_env = dict(os.environ, BASE_URL=gateway.base, OUT_DIR=out_dir,
                    POLL_INTERVAL=str(gateway.poll_interval), CHROMIUM=CHROMIUM,
                    SIM_CTL=json.dumps(gateway.sim_ctl_command()),
                    CONFIG_FILE=gateway.config_file, TOPOLOGY=gateway.topology)
    full_env.update({k: str(v) for k, v in env.items()})
    path = os.path.join(BROWSER_DIR, f"{script}.mjs")
    started = time.monotonic()
    # A process group of its own, stopped as a whole after a timeout;
    # Playwright closes Chromium on SIGTERM (and Chromium exits when the
    # pipe to a killed node closes).
    proc = subprocess.Popen(["node", path], env=full_env, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        code = proc.wait(SCENARIO_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        code = f"stopped after {SCENARIO_TIMEOUT} s"
    took = time.monotonic() - started
    check(code == 0, f"{script}.mjs passed (exit {code}, {took:.1f} s)")
    check(gateway.daemon.alive(), f"the daemon still runs after {script}.mjs")


def main(name, script=None, topology="single", setup=None, **env):
    """One scenario against one gateway: start, [setup](gateway) -> more
    env, run tests/browser/SCRIPT.mjs (default NAME), stop. The test's
    exit status says it all."""
    require_browser()
    gateway = Gateway(topology)
    try:
        gateway.wait_up()
        if setup:
            env.update(setup(gateway) or {})
        run_scenario(name, script or name, gateway, **env)
    finally:
        gateway.stop()
    finish()

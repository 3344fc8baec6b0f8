"""Helpers of the web API tests (tests/integration/web-*.py): the daemon
with its web server on free loopback ports, the initial admin password,
and a client that talks to the API with curl (the required client: one
cookie jar per client, status, headers and body of every reply)."""

import json
import os
import re
import subprocess
import tempfile
import time

from ugtest import Daemon, Workdir, check, free_ports, wait_for, LOOPBACKS

PORT_RANGE = range(23000, 24000)    # TCP ports of the web-*.py tests, on 127.0.0.1 and ::1
STRONG = "Sup3r!secret#1"          # meets the policy; tests derive others from it


def initial_password(state_dir=None):
    """What auth_initial_password() computes: the last 6 hex digits (upper
    case) of the MAC of the first Ethernet interface (physical ones first,
    then the lowest ifindex); else the file the daemon writes."""
    best = None
    root = "/sys/class/net"
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        try:
            if int(open(os.path.join(d, "type")).read()) != 1:
                continue
            mac = open(os.path.join(d, "address")).read().strip()
            index = int(open(os.path.join(d, "ifindex")).read())
        except (OSError, ValueError):
            continue
        if not re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac) or mac == "00:00:00:00:00:00":
            continue
        key = (not os.path.exists(os.path.join(d, "device")), index)
        if best is None or key < best[0]:
            best = (key, mac)
    if best:
        return best[1].replace(":", "")[-6:].upper()
    if state_dir:
        path = os.path.join(state_dir, "initial-password")
        if wait_for(lambda: os.path.exists(path), 10):
            return open(path).read().strip()
    return None


def web_config(work, http_port, https_port=None, extra="", device=None, web="", http_extra=""):
    """A daemon config: web on loopback ports, other network services off
    (so that tests do not need privileged ports); [device] is a
    simulator's link, else the daemon runs --simulate; [web] and
    [http_extra] go into the web and http sections."""
    https = (f"https = {{ enabled = true; port = {https_port}; }};\n" if https_port
             else "https = { enabled = false; };\n")
    dev = f'device = "{device}"; max_failures = 3; ' if device else ""
    return (f'state_dir = "{work.path}";\n'
            f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
            f'serial = {{ {dev}poll_interval = 0.5; fast_interval = 0.25; }};\n'
            f"http = {{ enabled = true; port = {http_port}; {http_extra}}};\n" + https +
            f'web = {{ root = "{work.file("www")}"; {web}}};\n'
            "snmp = { enabled = false; };\n" + extra)


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # lower-case name -> list of values
        self.body = body                # bytes
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        v = self.headers.get(name.lower())
        return v[-1] if v else None

    @property
    def code(self):
        """The stable error code, or None."""
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("code")
        return None

    @property
    def text(self):
        return self.body.decode(errors="replace")

    def __repr__(self):
        return f"<{self.status} {self.text[:300]!r}>"


class Client:
    """One browser-like client: a cookie jar and the CSRF token of its session."""

    def __init__(self, base, work, name="c", cacert=None, insecure=False):
        self.base = base.rstrip("/")
        self.jar = os.path.join(work.path, f"cookies-{name}-{id(self)}")
        open(self.jar, "w").close()
        self.csrf = None
        self.cacert = cacert
        self.insecure = insecure

    def request(self, method, path, body=None, data=None, headers=None, csrf=True,
                origin=None, timeout=20, query=None):
        """[body] is sent as JSON; [data] (bytes or str) as it is."""
        url = self.base + "/api/v1" + path
        if query:
            from urllib.parse import urlencode
            url += "?" + urlencode(query)
        fd, hfile = tempfile.mkstemp(prefix="hdr.", dir=os.path.dirname(self.jar))
        os.close(fd)
        bfd, bfile = tempfile.mkstemp(prefix="body.", dir=os.path.dirname(self.jar))
        os.close(bfd)
        args = ["curl", "-sS", "-X", method, "-b", self.jar, "-c", self.jar, "-D", hfile,
                "-o", bfile, "-w", "%{http_code}", "--max-time", str(timeout)]
        if self.cacert:
            args += ["--cacert", self.cacert]
        if self.insecure:
            args += ["-k"]
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            args += ["-H", "Content-Type: application/json"]
        elif data is not None:
            payload = data.encode() if isinstance(data, str) else data
            args += ["-H", "Content-Type: application/octet-stream"]
        if payload is not None:
            args += ["--data-binary", "@-"]
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            args += ["-H", f"X-CSRF-Token: {self.csrf}"]
        if origin:
            args += ["-H", f"Origin: {origin}"]
        for k, v in (headers or {}).items():
            args += ["-H", f"{k}: {v}"]
        args.append(url)
        try:
            r = subprocess.run(args, input=payload, capture_output=True, timeout=timeout + 5)
            status = int(r.stdout.decode() or 0)
            hdrs = {}
            with open(hfile, errors="replace") as f:
                for line in f:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
            with open(bfile, "rb") as f:
                data_out = f.read()
        finally:
            os.unlink(hfile)
            os.unlink(bfile)
        return Reply(status, hdrs, data_out)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, user, password, **kw):
        r = self.post("/login", {"user": user, "password": password}, csrf=False, **kw)
        if r.status == 200 and r.json:
            self.csrf = r.json.get("csrf")
        return r

    def cookie(self):
        """The session cookie's value in the jar, or None."""
        with open(self.jar) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 7 and parts[5] in ("upsgate", "__Host-upsgate"):
                    return parts[6]
        return None


class WebDaemon(Daemon):
    """upsgated --simulate with the web server on free loopback ports."""

    def __init__(self, work, extra="", https=False, simulate="single", args=None, ports=None,
                 device=None):
        os.makedirs(os.path.join(work.path, "www"), exist_ok=True)
        with open(os.path.join(work.path, "www", "index.html"), "w") as f:
            f.write("<!doctype html><title>upsgate</title>\n")
        self.http_port, self.https_port = ports or free_ports(2, PORT_RANGE, addresses=LOOPBACKS)
        conf = web_config(work, self.http_port, self.https_port if https else None, extra, device)
        if args is None:
            args = [] if device else [f"--simulate={simulate}"]
        super().__init__(work, conf, args=args)
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.base6 = f"http://[::1]:{self.http_port}"
        self.https_base = f"https://127.0.0.1:{self.https_port}"

    def wait_web(self, timeout=30):
        """Until the API answers (401 to an anonymous GET /session)."""
        def up():
            if not self.alive():
                return True
            r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                "--max-time", "2", self.base + "/api/v1/session"],
                               capture_output=True, text=True)
            return r.stdout == "401"
        return wait_for(up, timeout, 0.2) and self.alive()

    def client(self, name="c", **kw):
        return Client(self.base, self.work, name, **kw)


def admin_session(d, work, password=STRONG):
    """The first-login flow done quickly: returns a logged-in admin Client
    with [password] as the new admin password."""
    c = d.client("admin")
    initial = initial_password(work.path)
    r = c.login("admin", initial)
    if r.status != 200:
        raise RuntimeError(f"initial admin login failed: {r}")
    r = c.post("/password", {"old": initial, "new": password})
    if r.status != 200:
        raise RuntimeError(f"initial password change failed: {r}")
    r = c.login("admin", password)
    if r.status != 200:
        raise RuntimeError(f"admin login failed: {r}")
    return c


def gateway_events(c, size=200):
    r = c.get("/logs/gateway", query={"size": size})
    return r.json["rows"] if r.status == 200 and r.json else []


def start(extra="", https=False, work=None, **kw):
    """A work dir and a daemon whose web server answers; (work, daemon)."""
    work = work or Workdir()
    d = WebDaemon(work, extra, https=https, **kw)
    if not d.wait_web():
        print("# daemon log:\n" + d.logtext()[-4000:])
        d.stop()
        work.cleanup()
        raise RuntimeError("the web server did not come up")
    return work, d


def stop(work, d):
    code, _ = d.stop(10)
    check(code == 0, f"daemon stopped cleanly (exit {code})")
    if code != 0:
        print("# daemon log:\n" + d.logtext()[-4000:])
    work.cleanup()

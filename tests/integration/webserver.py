"""Helpers of the web server's own tests (web-server.py, web-load.py and
bench/web-load.sh): the daemon with chosen web settings on ports of the
range 22000-22999, raw sockets, curl."""

import os
import shutil
import socket
import subprocess

from ugtest import Daemon, free_ports, has_ipv6, wait_for, LOOPBACKS, SRC
from webtest import Client, web_config

PORT_RANGE = range(22000, 23000)    # TCP ports, on 127.0.0.1 and ::1 when there is IPv6


def make_root(work):
    """share/www plus what the traversal cases aim at: a secret beside the
    root, a hidden file and symbolic links out of it."""
    root = work.file("www")
    shutil.copytree(os.path.join(SRC, "share", "www"), root, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.mk"))
    with open(work.file("secret.txt"), "w") as f:
        f.write("SECRET-OUTSIDE\n")
    with open(os.path.join(root, ".hidden"), "w") as f:
        f.write("SECRET-HIDDEN\n")
    with open(os.path.join(root, "app.js"), "w") as f:
        f.write("console.log('plain');\n")
    subprocess.run(f"printf 'gzipped' | gzip -c > '{root}/app.js.gz'", shell=True, check=True)
    os.symlink(work.file("secret.txt"), os.path.join(root, "link.txt"))
    os.symlink("/etc", os.path.join(root, "etc"))
    return root


class WebServerDaemon(Daemon):
    def __init__(self, work, https=True, web="", http_extra="", extra="", name="upsgated",
                 ports=None, simulate="single"):
        addresses = LOOPBACKS if has_ipv6() else LOOPBACKS[:1]
        self.http_port, self.https_port = ports or free_ports(2, PORT_RANGE, addresses=addresses)
        conf = web_config(work, self.http_port, self.https_port if https else None, extra,
                          web=web, http_extra=http_extra)
        super().__init__(work, conf, args=[f"--simulate={simulate}"], name=name)
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.https_base = f"https://127.0.0.1:{self.https_port}"

    def wait_web(self, timeout=30):
        def up():
            if not self.alive():
                return True
            try:
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=1):
                    return True
            except OSError:
                return False
        return wait_for(up, timeout, 0.2) and self.alive()

    def client(self, name="c", **kw):
        """A webtest.Client (cookie jar, CSRF token) on the HTTP port."""
        return Client(self.base, self.work, name, **kw)

    def sanitized(self):
        """Built with AddressSanitizer (its quarantine inflates the RSS)."""
        with open(f"/proc/{self.proc.pid}/maps") as f:
            return "libasan" in f.read()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def curl(url, *args, timeout=10):
    """(status, headers dict of lower-case name -> value, body bytes, curl exit code)."""
    r = subprocess.run(["curl", "-sS", "-k", "--path-as-is", "-D", "-", "-o", "-",
                        "--max-time", str(timeout), *args, url], capture_output=True,
                       timeout=timeout + 5)
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    status = 0
    if lines and lines[0].startswith("HTTP/"):
        status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return status, headers, body, r.returncode


def raw(port, data, host="127.0.0.1", timeout=5):
    """Sends [data], returns what comes back until the server closes."""
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam) as s:
        s.settimeout(timeout)
        s.connect((host, port))
        s.sendall(data)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return out

"""The web server against the real daemon with real clients: TLS versions
and suites (gnutls-cli, openssl s_client, testssl.sh), the generated
certificate (files, kept across a restart), security headers and HSTS, the
HTTP -> HTTPS redirect, static files and traversal attempts, 404/405/413,
the firewall, the per-IP limit and the idle timeout."""

import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import Workdir, check, finish, has_ipv6, require_programs, wait_for, UPSGATED, SIM
from webserver import WebServerDaemon, curl, make_root, raw

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
TESTSSL = shutil.which("testssl") or shutil.which("testssl.sh")


def gnutls(port, priority):
    """True when gnutls-cli completes a handshake with [priority]."""
    r = subprocess.run(["gnutls-cli", "--insecure", "--port", str(port), "--priority", priority,
                        "127.0.0.1"], input=b"", capture_output=True, timeout=20)
    return r.returncode == 0 and b"Handshake was completed" in r.stdout


def openssl(port, *args):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *args],
                       input=b"", capture_output=True, timeout=20)
    out = r.stdout.decode(errors="replace")
    m = re.search(r"Protocol\s*:\s*(\S+)", out) or re.search(r"New, (TLSv[\d.]+)", out)
    ok = r.returncode == 0 and "Cipher is (NONE)" not in out and "Cipher    : 0000" not in out
    return ok, (m.group(1) if m else None), out


def served_fingerprint(port):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}"], input=b"",
                       capture_output=True, timeout=20)
    fp = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input=r.stdout,
                        capture_output=True)
    return fp.stdout.decode().strip().split("=", 1)[-1] if fp.returncode == 0 else None


def test_tls(d):
    port = d.https_port
    for version, ok in (("TLS1.0", False), ("TLS1.1", False), ("TLS1.2", True), ("TLS1.3", True)):
        got = gnutls(port, f"NORMAL:-VERS-ALL:+VERS-{version}:%VERIFY_ALLOW_SIGN_WITH_SHA1")
        check(got == ok, f"gnutls-cli {version}: {'accepted' if ok else 'refused'}")
    weak = {
        "CBC ciphers": "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:+CAMELLIA-128-CBC:-MAC-ALL:+SHA1:+SHA256:+SHA384",
        "3DES and RC4": "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+3DES-CBC:+ARCFOUR-128:-MAC-ALL:+SHA1:+MD5",
        "NULL cipher": "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+NULL:-MAC-ALL:+SHA1:+SHA256",
        "RSA key exchange": "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA",
        "finite-field DHE": "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:+DHE-DSS",
    }
    for what, prio in weak.items():
        check(not gnutls(port, prio), f"gnutls-cli: {what} refused")
    for flag, ok in (("-tls1", False), ("-tls1_1", False), ("-tls1_2", True), ("-tls1_3", True)):
        args = [flag]
        if not ok:
            args += ["-cipher", "DEFAULT@SECLEVEL=0"]   # let the client offer it at all
        got, proto, _ = openssl(port, *args)
        check(got == ok, f"openssl s_client {flag}: {'accepted' if ok else 'refused'} ({proto})")
    got, _, out = openssl(port, "-tls1_2", "-cipher", "AES128-SHA:AES256-SHA:DES-CBC3-SHA:AES128-SHA256")
    check(not got, "openssl: RSA key exchange with CBC suites refused")
    got, _, out = openssl(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384")
    check(not got, "openssl: ECDHE with CBC suites refused")
    got, _, out = openssl(port, "-tls1_2")
    check(got and re.search(r"Cipher is ECDHE-ECDSA-(AES\d+-GCM|CHACHA20)", out),
          "TLS 1.2 negotiates ECDHE with an AEAD suite")
    if TESTSSL:
        test_testssl(port)
    else:
        check(False, "testssl.sh installed (Debian package testssl.sh)")


def test_testssl(port):
    """testssl.sh: protocols, cipher categories and forward secrecy."""
    out = tempfile.mktemp(suffix=".json")
    subprocess.run([TESTSSL, "--quiet", "--color", "0", "--warnings", "off", "--ip", "one",
                    "--fast", "-p", "-s", "-f", "--jsonfile", out, f"127.0.0.1:{port}"],
                   capture_output=True, timeout=600)
    try:
        findings = {f["id"]: f for f in json.load(open(out))}
    except (OSError, ValueError):
        check(False, "testssl.sh produced its JSON report")
        return
    finally:
        if os.path.exists(out):
            os.unlink(out)
    offered = {p: findings.get(p, {}).get("finding", "") for p in
               ("SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3")}
    for p in ("SSLv2", "SSLv3", "TLS1", "TLS1_1"):
        check(offered[p].startswith("not offered"), f"testssl: {p} {offered[p]!r}")
    for p in ("TLS1_2", "TLS1_3"):
        check(offered[p].startswith("offered"), f"testssl: {p} {offered[p]!r}")
    for cat in ("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
                "cipherlist_3DES_IDEA", "cipherlist_AVERAGE"):
        f = findings.get(cat, {}).get("finding", "")
        check(f.startswith("not offered"), f"testssl: {cat} {f!r}")
    f = findings.get("cipherlist_STRONG", {}).get("finding", "")
    check(f.startswith("offered"), f"testssl: strong ciphers {f!r}")
    # "PFS" in testssl 3.0, "FS" in later versions.
    f = (findings.get("PFS") or findings.get("FS") or {}).get("finding", "")
    check(f.startswith("offered"), f"testssl: forward secrecy {f!r}")
    f = (findings.get("PFS_ciphers") or findings.get("FS_ciphers") or {}).get("finding", "")
    check(f and "CBC" not in f and "SHA " not in f + " ", f"testssl: forward-secret suites {f!r}")
    bad = [k for k, v in findings.items() if v.get("severity") in ("HIGH", "CRITICAL")]
    check(not bad, f"testssl: no high or critical finding ({bad})")


def test_certificate_files(work):
    tls = work.file("tls")
    check(stat.S_IMODE(os.stat(tls).st_mode) == 0o700, "tls/ is 0700")
    for name in ("key.pem", "cert.pem"):
        check(stat.S_IMODE(os.stat(os.path.join(tls, name)).st_mode) == 0o600, f"tls/{name} is 0600")
    info = subprocess.run(["certtool", "--certificate-info", "--infile", os.path.join(tls, "cert.pem")],
                          capture_output=True, text=True).stdout
    check("EC/ECDSA" in info and "SECP256R1" in info, "ECDSA P-256 key")
    check("DNSname: localhost" in info and "IPAddress: 127.0.0.1" in info and "IPAddress: ::1" in info,
          "SAN: localhost, 127.0.0.1, ::1")
    check("CN=upsgate-web" in info, "CN is system.name")


def test_headers(d):
    for base, https in ((d.base, False), (d.https_base, True)):
        status, h, body, _ = curl(base + "/")
        check(status == 200 and b"upsgate" in body, f"{base}/: index.html ({status})")
        check(h.get("content-security-policy") == CSP, f"{base}: CSP")
        check(h.get("x-content-type-options") == "nosniff", f"{base}: nosniff")
        check(h.get("referrer-policy") == "no-referrer", f"{base}: Referrer-Policy")
        check(h.get("x-frame-options") == "DENY", f"{base}: X-Frame-Options")
        check((h.get("strict-transport-security") == "max-age=31536000") == https,
              f"{base}: HSTS {'present' if https else 'absent'}")
        status, h, body, _ = curl(base + "/api/v1/status")
        check(status == 401 and json.loads(body)["error"]["code"] == "login_required",
              f"{base}: API without a session: 401 login_required")
        check(h.get("cache-control") == "no-store" and h.get("content-security-policy") == CSP,
              f"{base}: API replies: no-store and the security headers")


def test_static(d, work):
    status, h, body, _ = curl(d.base + "/app.js", "-H", "Accept-Encoding: gzip")
    check(status == 200 and h.get("content-encoding") == "gzip" and "accept-encoding" in
          h.get("vary", "").lower(), "precompressed .gz for a gzip client")
    status, h, body, _ = curl(d.base + "/app.js")
    check(status == 200 and b"plain" in body and "content-encoding" not in h, "plain otherwise")
    etag = h.get("etag")
    status, h, body, _ = curl(d.base + "/app.js", "-H", f"If-None-Match: {etag}")
    check(status == 304 and not body, "If-None-Match: 304")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/etc/passwd",
                 "/..%2fsecret.txt", "/.hidden", "/index.html%00.js", "/%00", "/link.txt",
                 "/etc/passwd", "/app.js/..", "/..\\secret.txt", "/%5c..%5csecret.txt"):
        status, h, body, code = curl(d.base + path)
        check(status in (400, 404) and b"SECRET" not in body and b"root:" not in body,
              f"GET {path}: {status}")
    # A raw request line, as no client library would send it.
    out = raw(d.http_port, b"GET /../../../../etc/passwd HTTP/1.0\r\n\r\n")
    check(out.startswith(b"HTTP/1.") and b"root:" not in out, "raw /../../etc/passwd refused")
    status, h, body, _ = curl(d.base + "/nothing.html")
    check(status == 404 and json.loads(body)["error"]["code"] == "not_found", "404 JSON")
    status, h, body, _ = curl(d.base + "/index.html", "-X", "POST", "-d", "x")
    check(status == 405 and h.get("allow") == "GET, HEAD", "405 with Allow on a file")
    status, h, body, _ = curl(d.base + "/api/v1/status", "-X", "PATCH")
    check(status == 405 and "GET" in h.get("allow", ""), f"405 with Allow on the API ({h.get('allow')})")
    status, h, body, _ = curl(d.base + "/api/v1/nope")
    check(status == 404 and json.loads(body)["error"]["code"] == "not_found", "unknown API path: 404")
    status, h, body, _ = curl(d.base + "/api/v1/login", "-X", "POST", "-H",
                              "Content-Type: application/json", "--data-binary", "x" * 5000)
    check(status == 413 and json.loads(body)["error"]["code"] == "body_too_large",
          f"login body over its cap: 413 ({status})")
    status, h, body, _ = curl(d.base + "/" + "a" * 3000)
    check(status == 414, f"long target: 414 ({status})")


def test_limits(d):
    """web.per_ip_connections = 6, web.timeout = 5."""
    socks = []
    for _ in range(6):
        s = socket.create_connection(("127.0.0.1", d.http_port))
        socks.append(s)
    time.sleep(0.3)
    out = raw(d.http_port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(out == b"", f"7th connection from one address is closed ({out[:40]!r})")
    for s in socks:
        s.close()
    time.sleep(0.3)
    status, _, _, _ = curl(d.base + "/")
    check(status == 200, "served again once the others left")

    s = socket.create_connection(("127.0.0.1", d.http_port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    s.settimeout(3)
    first = s.recv(65536)
    check(first.startswith(b"HTTP/1.1 200"), "keep-alive request answered")
    start = time.monotonic()
    s.settimeout(15)
    try:
        while s.recv(65536):
            pass
        closed = True
    except (socket.timeout, ConnectionResetError):
        closed = False
    took = time.monotonic() - start
    s.close()
    check(closed and 3 <= took <= 12, f"idle keep-alive connection dropped after web.timeout ({took:.1f} s)")

    # Slowloris: a header line every second never ends a request.
    s = socket.create_connection(("127.0.0.1", d.http_port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    alive = True
    while alive and time.monotonic() - start < 20:
        try:
            s.sendall(b"X-Slow: 1\r\n")
            time.sleep(1)
            s.setblocking(False)
            try:
                alive = s.recv(1) != b""
            except BlockingIOError:
                pass
            s.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            alive = False
    took = time.monotonic() - start
    s.close()
    check(not alive, f"a slowloris client is dropped ({took:.1f} s)")


def test_redirect_and_firewall(work):
    """Redirect on; the firewall rejects 127.0.0.1 (IPv6 loopback allowed)."""
    rules = 'firewall = { rules = ( { address = "127.0.0.1"; prefix = 32; action = "reject"; } ); };\n'
    d = WebServerDaemon(work, https=True, http_extra="redirect_https = true;", extra=rules,
                        name="redirect")
    try:
        check(d.wait_web(), "daemon with redirect and firewall up")
        status, h, body, code = curl(d.base + "/")
        check(status == 0 and code in (7, 52, 56), f"firewall: 127.0.0.1 refused (curl exit {code})")
        out = raw(d.http_port, b"GET / HTTP/1.0\r\n\r\n")
        check(out == b"", "firewall: nothing read or answered")
        if has_ipv6():
            base6 = f"http://[::1]:{d.http_port}"
            status, h, body, _ = curl(base6 + "/status.html?x=1")
            check(status == 301 and h.get("location") == f"https://[::1]:{d.https_port}/status.html?x=1",
                  f"GET redirected: {status} {h.get('location')}")
            status, h, body, _ = curl(base6 + "/api/v1/login", "-X", "POST", "-d", "{}",
                                      "-H", "Host: gw.example:8080")
            check(status == 308 and h.get("location") == f"https://gw.example:{d.https_port}/api/v1/login",
                  f"POST redirected with 308: {h.get('location')}")
            status, h, body, _ = curl(f"https://[::1]:{d.https_port}/")
            check(status == 200, "HTTPS is not redirected")
    finally:
        d.stop()


def main():
    require_programs(UPSGATED, SIM)
    work = Workdir()
    make_root(work)
    d = WebServerDaemon(work, web="per_ip_connections = 6; timeout = 5;",
                        extra='system = { name = "upsgate-web"; };\n')
    try:
        if not check(d.wait_web(), "daemon and web server up"):
            print(d.logtext()[-3000:])
            return
        test_certificate_files(work)
        fingerprint = served_fingerprint(d.https_port)
        check(fingerprint, f"HTTPS serves a certificate ({fingerprint})")
        test_headers(d)
        test_static(d, work)
        test_tls(d)
        test_limits(d)
        check(d.alive(), "daemon still running")
        code, _ = d.stop(10)
        check(code == 0, f"clean stop ({code})")
        d = WebServerDaemon(work, ports=(d.http_port, d.https_port),
                            extra='system = { name = "upsgate-web"; };\n')
        check(d.wait_web(), "restarted")
        check(served_fingerprint(d.https_port) == fingerprint, "same certificate after a restart")
        d.stop()
        test_redirect_and_firewall(work)
    finally:
        if d.alive():
            d.stop()
        if os.environ.get("KEEP"):
            print("# work dir", work.path)
        else:
            work.cleanup()


if __name__ == "__main__":
    main()
    finish()

"""The HTTPS certificate through the API with curl: details and download
(never the key); uploads validated before anything changes (garbage, a
key that does not match, an expired certificate, a file over 8 KB are
refused with the reason); a valid upload is what HTTPS then serves (curl
verifies it against the uploaded certificate); removal returns to the
generated one. Keys and certificates are made with certtool."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import UPSGATED, check, finish, require_programs, wait_for
from webtest import admin_session, gateway_events, start, stop

TEMPLATE = """cn = "upsgate-test"
ip_address = "127.0.0.1"
dns_name = "localhost"
tls_www_server
encryption_key
signing_key
serial = {serial}
{dates}
"""


def certtool(*args):
    r = subprocess.run(["certtool", *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"certtool {args}: {r.stderr}")
    return r.stdout


def make_pair(work, name, dates="expiration_days = 30", serial=1):
    key = work.file(f"{name}-key.pem")
    cert = work.file(f"{name}-cert.pem")
    tmpl = work.file(f"{name}.tmpl")
    with open(tmpl, "w") as f:
        f.write(TEMPLATE.format(dates=dates, serial=serial))
    certtool("--generate-privkey", "--key-type=ecdsa", "--curve=secp256r1", "--outfile", key)
    certtool("--generate-self-signed", "--load-privkey", key, "--template", tmpl, "--outfile", cert)
    return open(key).read(), open(cert).read(), cert


def https_ok(d, cacert):
    """curl verifies the server against [cacert] only."""
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                        "--cacert", cacert, d.https_base + "/api/v1/session"],
                       capture_output=True, text=True)
    return r.stdout == "401"


def served_sha256(d):
    """The SHA-256 fingerprint of what HTTPS serves (openssl s_client)."""
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{d.https_port}",
                        "-servername", "localhost"], input="", capture_output=True, text=True,
                       timeout=10)
    fp = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input=r.stdout,
                        capture_output=True, text=True)
    return fp.stdout.strip().split("=", 1)[-1].upper() if fp.returncode == 0 else None


def same_fp(a, b):
    norm = lambda x: (x or "").replace(":", "").upper()
    return bool(a) and norm(a) == norm(b)


def run(work, d):
    c = admin_session(d, work)
    r = c.get("/certificate")
    info = r.json or {}
    check(r.status == 200 and info.get("uploaded") is False and info.get("subject") and
          len(info.get("sha256", "")) >= 64, f"the generated certificate ({r})")
    gen = c.get("/certificate.pem")
    check(gen.status == 200 and b"BEGIN CERTIFICATE" in gen.body and b"PRIVATE KEY" not in gen.body,
          "download: the certificate, not the key")
    check(b"attachment" in (gen.header("content-disposition") or "").encode(), "as an attachment")

    key, cert, cert_path = make_pair(work, "good")
    other_key, _, _ = make_pair(work, "other", serial=2)
    old_key, old_cert, _ = make_pair(work, "expired", serial=3,
                                     dates='activation_date = "2020-01-01 00:00:00"\n'
                                           'expiration_date = "2021-01-01 00:00:00"')
    cases = [
        ("garbage", "this is not a PEM file\n" * 10),
        ("a certificate without its key", cert),
        ("a key that does not match", other_key + cert),
        ("an expired certificate", old_key + old_cert),
    ]
    for what, pem in cases:
        r = c.request("PUT", "/certificate", data=pem)
        msg = r.json["error"]["message"] if r.code else ""
        check(r.status == 422 and r.code == "invalid_certificate" and msg,
              f"{what}: 422 with a reason ({msg!r})")
    r = c.request("PUT", "/certificate", data=(key + cert) + "#" * 8192)
    check(r.status == 413 and r.code == "body_too_large", f"over 8 KB: 413 ({r})")
    r = c.request("PUT", "/certificate", data="")
    check(r.status == 400, f"empty: 400 ({r})")
    check(c.get("/certificate").json == info, "refused uploads changed nothing")
    check(same_fp(served_sha256(d), info["sha256"]), "HTTPS still serves the generated certificate")

    r = c.request("PUT", "/certificate", data=key + cert)
    check(r.status == 200 and r.json["uploaded"] is True and "upsgate-test" in r.json["subject"],
          f"a valid pair is accepted ({r})")
    check(wait_for(lambda: https_ok(d, cert_path), 10), "HTTPS now serves the uploaded certificate")
    check(not same_fp(served_sha256(d), info["sha256"]), "and no longer the generated one")
    pem = c.get("/certificate.pem").body.decode()
    check("upsgate-test" in certtool("--certificate-info", "--infile", _save(work, pem)) and
          "PRIVATE KEY" not in pem, "download gives the uploaded certificate, without its key")
    events = [e for e in gateway_events(c) if e["code"] == "gw.certificate_changed"]
    check(events and "admin" in events[0]["detail"], f"the change is in the gateway log ({events[:1]})")

    r = c.delete("/certificate")
    check(r.status == 200 and r.json["uploaded"] is False and r.json["sha256"] == info["sha256"],
          f"removal returns to the generated certificate ({r})")
    check(wait_for(lambda: same_fp(served_sha256(d), info["sha256"]), 10),
          "HTTPS serves the generated one again")
    check(len([e for e in gateway_events(c) if e["code"] == "gw.certificate_changed"]) == 2,
          "the removal is logged too")
    r = c.delete("/certificate")
    check(r.status == 200 and r.json["uploaded"] is False and
          len([e for e in gateway_events(c) if e["code"] == "gw.certificate_changed"]) == 2,
          "removing again changes nothing")


def _save(work, text):
    path = work.file("downloaded.pem")
    with open(path, "w") as f:
        f.write(text)
    return path


require_programs(UPSGATED)
work, d = start(https=True)
try:
    run(work, d)
finally:
    stop(work, d)
finish()

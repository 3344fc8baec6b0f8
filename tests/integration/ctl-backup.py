"""upsgatectl backup / restore / factory-reset against the real daemon:
a backup is a JSON document whose checksum anyone can recompute; a
round trip brings back what was changed; a damaged backup, one with a bad
setting or a bad account under a valid checksum, or from a future
version, is refused with its reasons and changes nothing."""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import Workdir, check, finish, require_programs, UPSGATED, UPSGATECTL
from ctltest import base_config, ctl, gateway_details, read, start, who

require_programs(UPSGATED, UPSGATECTL)


def canonical_sum(doc):
    """backup.h: SHA-256 of the document without "sha256", compact, keys sorted."""
    body = {k: v for k, v in doc.items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def resealed(doc, **changes):
    d = dict(doc, **changes)
    d["sha256"] = canonical_sum(d)
    return d


def write(path, doc):
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=1))
    return path


work = Workdir()
d = start(work, base_config(work, 'system = { name = "before"; };\n'))
try:
    # --- making one ----------------------------------------------------
    path = work.file("backup.json")
    r = ctl(d, "backup", path)
    check(r.returncode == 0 and r.stdout == "", f"backup to a file: {r.stderr!r}")
    check(oct(os.stat(path).st_mode & 0o777) == "0o600", "the backup file is 0600")
    doc = json.loads(read(path))
    check(doc.get("format") == "upsgate-backup" and doc.get("version") == 1 and
          set(doc) == {"format", "version", "created", "host", "config", "accounts", "sha256"},
          f"the documented members: {sorted(doc)}")
    check(doc["sha256"] == canonical_sum(doc), "the checksum is reproducible with Python's json")
    check('name = "before";' in doc["config"], "the config text is in it")
    check(doc["accounts"] and doc["accounts"][0]["name"] == "admin", "the accounts are in it")
    r = ctl(d, "backup")
    check(r.returncode == 0 and json.loads(r.stdout)["format"] == "upsgate-backup", "backup to stdout")

    # --- change, then restore -------------------------------------------
    ctl(d, "config", "set", "system.name", "after")
    ctl(d, "config", "set", "history.interval", "45")
    r = ctl(d, "restore", path)
    check(r.returncode == 0 and "backup restored" in r.stdout, f"restore: {r.stdout!r} {r.stderr!r}")
    check(ctl(d, "config", "get", "system.name").stdout == "before\n", "system.name back")
    check(ctl(d, "config", "get", "history.interval").stdout == "60\n", "history.interval back")
    check('name = "before";' in read(d.conf).decode(), "and saved to the file")
    events = gateway_details(d)
    check(("gw.config_uploaded", f"Upload configuration successfully via upsgatectl by {who()}") in events,
          "gw.config_uploaded with via and by")
    check(("gw.config_changed", f"system.name has been changed via upsgatectl by {who()}") in events,
          "each restored key logged")

    # --- refusals: every reason, nothing changed ---------------------------
    ctl(d, "config", "set", "system.name", "kept")
    conf_before = read(d.conf)
    flipped = read(path).decode().replace('name = \\"before\\";', 'name = \\"bef0re\\";')
    cases = [
        ("one byte changed", flipped, ["sha256: checksum does not match"]),
        ("no checksum", json.dumps({k: v for k, v in doc.items() if k != "sha256"}),
         ["sha256: missing checksum"]),
        ("a future version", resealed(doc, version=2), ["version: version 2 is not supported"]),
        ("another format", resealed(doc, format="nv-config"), ["format: not an upsgate backup"]),
        ("a bad setting under a valid checksum",
         resealed(doc, config=doc["config"].replace("slave = 1;", "slave = 300;")),
         ["serial.slave: line ", "300 is out of range (1 to 247)"]),
        ("a bad account under a valid checksum",
         resealed(doc, accounts=[dict(doc["accounts"][0], role="read-only")]),
         ["accounts[0].role: the account admin, and only it, has the role admin"]),
        ("an @include under a valid checksum",
         resealed(doc, config='@include "/etc/passwd"\n' + doc["config"]),
         ["@include is not allowed"]),
        ("not JSON", "{ this is not json", ["not a JSON object"]),
    ]
    for what, bad, reasons in cases:
        r = ctl(d, "restore", write(work.file("bad.json"), bad))
        check(r.returncode == 1 and "backup refused, nothing changed" in r.stderr and
              all(x in r.stderr for x in reasons), f"{what}: refused: {r.stderr.strip()!r}")
    several = resealed(doc, version=3, config=doc["config"].replace("slave = 1;", "slave = 0;"),
                       accounts=[])
    r = ctl(d, "restore", write(work.file("bad.json"), several))
    check(r.returncode == 1 and "(3 problems)" in r.stderr and "version" in r.stderr and
          "serial.slave" in r.stderr and "accounts" in r.stderr, f"every part named: {r.stderr!r}")
    check(read(d.conf) == conf_before, "the file is untouched by the refusals")
    check(ctl(d, "config", "get", "system.name").stdout == "kept\n", "the running settings too")
    check(any(c == "gw.config_upload_errors" and "3 error(s) via upsgatectl" in x
              for c, x in gateway_details(d)), "gw.config_upload_errors logged")
    r = ctl(d, "restore", work.file("missing.json"))
    check(r.returncode == 1 and "missing.json" in r.stderr, "a missing file")

    # --- factory reset ---------------------------------------------------------
    r = ctl(d, "factory-reset")
    check(r.returncode == 1 and "--yes" in r.stderr, "factory-reset asks for --yes")
    check(ctl(d, "config", "get", "system.name").stdout == "kept\n", "and does nothing without it")
    r = ctl(d, "factory-reset", "--yes")
    check(r.returncode == 0, f"factory-reset --yes: {r.stderr!r}")
    check(ctl(d, "config", "get", "system.name").stdout == "upsgate\n", "system.name at its default")
    check(ctl(d, "config", "get", "http.enabled").stdout == "true\n", "http.enabled at its default")
    check(ctl(d, "config", "get", "state_dir").stdout == work.file("state") + "\n", "state_dir kept")
    check(ctl(d, "config", "get", "control.socket").stdout == d.socket + "\n", "control.socket kept")
    check(any(c == "gw.params_reset" and f"via upsgatectl by {who()}" in x for c, x in gateway_details(d)),
          "gw.params_reset logged")
    r = ctl(d, "users", "--json")
    check(r.returncode == 0 and json.loads(r.stdout)[0]["must_change"], "admin on its initial password")
finally:
    code, _ = d.stop()
    check(code == 0, "clean stop")
    work.cleanup()
finish()

"""upsgated --simulate: every map and topology is detected and shown
through the local API; the journal/stderr tells the detection; SIGTERM
stops the daemon within 2 s."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Workdir, check, finish, require_programs, system_level,
                    UPSGATED, UPSGATECTL)

# (--simulate spec, map, topology kind, units, modules)
CASES = [
    ("jbusp/single", "JBUSP", "single", 0, 0),
    ("jbusp/parallel:3", "JBUSP", "parallel", 3, 0),
    ("jbusp/modular:4", "JBUSP", "modular-unit", 0, 4),
    ("vumap/single", "VU-MAP", "single", 0, 0),
    ("vumap/modular:4", "VU-MAP", "modular-unit", 0, 4),
    ("vumap/parallel:3", "VU-MAP", "parallel", 3, 0),
    ("vumap/modular-parallel:2x3", "VU-MAP", "modular-system", 2, 6),
    ("sts", "STS", "sts", 0, 0),
]


def check_trace(d):
    """The serial trace ring, on demand through upsgatectl."""
    check(d.ctl("trace", "on", "40") is not None, "trace on accepted")
    time.sleep(1.5)
    r = d.ctl("trace", "csv")
    lines = r.stdout.splitlines() if r else []
    check(lines and lines[0] == "time,direction,length,bytes,note", "trace CSV header")
    check(any(",tx,8,01 03 10 20 00 70" in l for l in lines),
          "trace shows the one coalesced read of 0x1020 x 112")
    check(any(",rx," in l for l in lines), "trace shows replies")
    check(len(lines) <= 41, f"ring keeps at most 40 frames ({len(lines) - 1})")
    bad = d.ctl("trace", "on", "0", check=False)
    check(bad.returncode != 0 and "bad arguments" in bad.stderr, "trace on 0 refused")
    check(d.ctl("trace", "off") is not None, "trace off")


def run_case(spec, map_name, kind, units, modules):
    work = Workdir()
    conf = (f'state_dir = "{work.path}";\n'
            f'control = {{ socket = "{work.file("ctl.sock")}"; }};\n'
            'serial = { poll_interval = 0.5; fast_interval = 0.25; };\n')
    d = Daemon(work, conf, args=[f"--simulate={spec}"])
    try:
        s = d.wait_status(lambda s: s.get("comm") == "ok" and s["identity"]["map"] == map_name
                          and s["topology"]["kind"] == kind
                          and (units == 0 or s["topology"]["units"] == units)
                          and (modules == 0 or s["topology"]["modules"] == modules)
                          and system_level(s) and system_level(s)["valid"], timeout=40)
        check(s is not None, f"{spec}: detected {map_name} {kind} units={units} modules={modules}")
        if s is None:
            last = d.status()
            print(f"# last status: {last and {k: last[k] for k in ('comm', 'identity', 'topology')}}")
            print("# daemon log:\n" + d.logtext()[-3000:])
            return
        sysl = system_level(s)
        check(sysl["state"]["ups_status"] not in ("Unknown", ""), f"{spec}: a known status ({sysl['state']['ups_status']})")
        if map_name != "STS":
            v = sysl["measurements"].get("output.voltage.l1")
            check(v is not None and 200 < v < 260, f"{spec}: output voltage plausible ({v})")
            expected_levels = 1 + units + modules
            check(len(s["levels"]) == expected_levels,
                  f"{spec}: {expected_levels} levels polled (got {len(s['levels'])})")
            check(all(l["valid"] for l in s["levels"]), f"{spec}: every level read")
        else:
            v = sysl["measurements"].get("sts.source1.voltage.l1")
            check(v is not None and 200 < v < 260, f"{spec}: source 1 voltage plausible ({v})")
        check(s["identity"]["serial"] != "", f"{spec}: serial number read")
        log = d.logtext()
        check("detected" in log and map_name in log, f"{spec}: detection logged")
        if spec == "jbusp/single":
            check_trace(d)
        text = d.ctl("status")
        check(text is not None and "communication: ok" in text.stdout, f"{spec}: upsgatectl status text")
    finally:
        code, took = d.stop()
        check(code == 0, f"{spec}: SIGTERM exits 0 (got {code})")
        check(took < 2.0, f"{spec}: stopped in {took:.2f} s (< 2 s)")
        check(not os.path.exists(work.file("ctl.sock")), f"{spec}: control socket removed")
        work.cleanup()


require_programs(UPSGATED, UPSGATECTL)
for case in CASES:
    run_case(*case)
finish()

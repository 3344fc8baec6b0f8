"""Checks polltest's JSON lines (one snapshot per line) for poll-*.sh.

pollcheck.py detect FILE MAP TOPOLOGY UNITS MODULES LEVELS
pollcheck.py unplug FILE
pollcheck.py inject FILE
pollcheck.py reconfigure FILE
Exit 0 when the run is as expected, 1 with the reason otherwise.
"""
import json
import math
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    snaps = []
    for n, line in enumerate(lines, 1):
        try:
            snaps.append(json.loads(line))
        except json.JSONDecodeError as e:
            # polltest stopped mid-line: only the last line may be cut
            if n < len(lines):
                sys.exit(f"{path}:{n}: not JSON ({e})")
    if not snaps:
        sys.exit(f"{path}: no snapshot published")
    return snaps


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def seq_increasing(snaps):
    for a, b in zip(snaps, snaps[1:]):
        if b["seq"] <= a["seq"]:
            fail(f"seq went from {a['seq']} to {b['seq']}: the poller restarted")


def check_detect(snaps, want_map, topology, units, modules, levels):
    ok = [s for s in snaps if s["comm"] == "ok"]
    if not ok:
        fail(f"never reached comm ok: {[s['comm'] for s in snaps]}")
    s = ok[-1]
    got = (s["map"], s["topology"], s["n_units"], s["n_modules"], s["n_levels"])
    want = (want_map, topology, int(units), int(modules), int(levels))
    if got != want:
        fail(f"detected map/topology/units/modules/levels {got}, expected {want}")
    for lv in s["levels"]:
        if lv["present"] and not lv["valid"]:
            fail(f"level {lv['kind']} {lv['unit']}.{lv['module']} present but not read")
    system = s["levels"][0]
    if not system["meas"]:
        fail("system level has no measurement")
    print(f"ok {want_map} {topology}: {s['range']} serial {s['serial']} at {s['baud']} baud, "
          f"{s['n_levels']} levels, {s['stats']['last_cycle_transactions']} transactions/cycle")


def check_unplug(snaps):
    seq_increasing(snaps)
    states = [s["comm"] for s in snaps]
    try:
        first_ok = states.index("ok")
        lost = states.index("lost", first_ok)
        back = states.index("ok", lost)
    except ValueError:
        fail(f"expected ok -> lost -> ok, got {compress(states)}")
    for lv in snaps[lost]["levels"]:
        if lv["valid"] or lv["meas"]:
            fail("comm lost snapshot still carries valid levels or values")
    if not snaps[back]["levels"][0]["valid"]:
        fail("restored snapshot has an invalid system level")
    print(f"ok unplug: {compress(states)}")


def check_reconfigure(snaps):
    """A reload that changes nothing of the link or the levels must not
    blank a single measurement (every web or SNMP settings change is one)."""
    seq_increasing(snaps)
    full = [n for n, s in enumerate(snaps) if s["comm"] == "ok" and s["levels"][0]["meas"]]
    if not full:
        fail("no snapshot with measurements")
    base = set(snaps[full[0]]["levels"][0]["meas"])
    for s in snaps[full[0]:]:
        have = set(s["levels"][0]["meas"])
        if s["comm"] != "ok" or have != base:
            fail(f"seq {s['seq']}: comm {s['comm']}, measurements missing after a reload: "
                 f"{sorted(base - have)}")
    print(f"ok reconfigure: {len(snaps) - full[0]} snapshots kept every measurement")


def compress(states):
    out = []
    for s in states:
        if not out or out[-1][0] != s:
            out.append([s, 0])
        out[-1][1] += 1
    return " ".join(f"{s}x{n}" for s, n in out)


def plausible(key, base, value):
    """A glitch decoded as data would be far off: 0xFFFF, a random word."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return abs(value - base) <= max(10.0, 0.5 * abs(base))


def check_inject(snaps):
    seq_increasing(snaps)
    states = [s["comm"] for s in snaps]
    if "lost" in states:
        fail(f"comm reported lost under injected errors: {compress(states)}")
    ok = [s for s in snaps if s["comm"] == "ok"]
    if len(ok) < 10:
        fail(f"only {len(ok)} snapshots with comm ok")
    base = ok[0]["levels"][0]
    for s in ok[1:]:
        lv = s["levels"][0]
        for field in ("alarms", "status", "flags", "ups_status"):
            if lv[field] != base[field]:
                fail(f"seq {s['seq']}: {field} changed from {base[field]} to {lv[field]}")
        if set(lv["meas"]) != set(base["meas"]):
            fail(f"seq {s['seq']}: measurement set changed: "
                 f"{sorted(set(lv['meas']) ^ set(base['meas']))}")
        for k, v in lv["meas"].items():
            if not plausible(k, base["meas"][k], v):
                fail(f"seq {s['seq']}: {k} jumped from {base['meas'][k]} to {v}")
    st = ok[-1]["stats"]
    if st["crc_errors"] == 0 or st["timeouts"] == 0:
        fail(f"injection did not reach the poller: {st}")
    print(f"ok inject: {len(ok)} snapshots, stats {st}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd, path = sys.argv[1], sys.argv[2]
    snaps = load(path)
    if cmd == "detect" and len(sys.argv) == 8:
        check_detect(snaps, *sys.argv[3:])
    elif cmd == "unplug":
        check_unplug(snaps)
    elif cmd == "inject":
        check_inject(snaps)
    elif cmd == "reconfigure":
        check_reconfigure(snaps)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

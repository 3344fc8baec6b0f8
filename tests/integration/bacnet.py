"""BACnet/IP end to end: the real daemon polling upsgate-sim, served to an
independent client (npm node-bacnet, driven through bacnet-client.js) and
to hand-made datagrams for the corners node-bacnet cannot produce.
Checks discovery, every object's Present_Value against the simulator (with
002 §5.2.2's decimal scaling, read from the generated object table), the
Device properties, RPM ALL, State_Text / Bit_Text, errors, rejects and
aborts, COV notifications on an AC failure, and that tshark decodes every
packet the daemon sent without a [Malformed Packet] mark."""

import json
import math
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (BUILD, SRC, Daemon, Sim, Workdir, check, config_text, finish,
                    require_programs, system_level, wait_for, free_ports, UPSGATED, SIM)

NODE_BACNET = "node-bacnet@0.2.4"
DEVICE_ID = 1338
AV, DEV, MV, BSV = 2, 8, 19, 39
PROP = {"object_name": 77, "present_value": 85, "state_text": 110, "bit_text": 343,
        "number_of_states": 74, "object_list": 76, "all": 8, "units": 117,
        "vendor_identifier": 120, "vendor_name": 121, "model_name": 70, "description": 28,
        "location": 58, "profile_name": 168, "protocol_revision": 139, "system_status": 112,
        "status_flags": 111, "out_of_service": 81, "max_apdu": 62, "segmentation": 107}


def install_node_bacnet():
    """node-bacnet in $top_builddir/node_modules (outside the sources)."""
    modules = os.path.join(BUILD, "node_modules")
    if os.path.exists(os.path.join(modules, "node-bacnet", "package.json")):
        return modules
    if not shutil.which("npm") or not shutil.which("node"):
        print("SKIP: node and npm are needed for the BACnet client")
        sys.exit(77)
    r = subprocess.run(["npm", "install", "--prefix", BUILD, "--no-audit", "--no-fund",
                        "--no-save", NODE_BACNET], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        print(f"SKIP: npm could not install {NODE_BACNET}: {r.stderr.strip()[-500:]}")
        sys.exit(77)
    return modules


# ---- the object table, read from the generated source (one table per fact)

def object_table():
    text = open(os.path.join(SRC, "src", "bacnet", "tab_objects.c")).read()
    objects = [(int(inst), name, factor == "true") for inst, name, factor in re.findall(
        r'\{ BAC_OBJ_ANALOG_VALUE, (\d+), "(\w+)", "[^"]*", \d+, (true|false),', text)]
    bindings = re.findall(r'\{ BAC_LEVEL_\w+, (MEAS_\w+|-1), (\d+), \d+, \d+, \w+ \},\s*/\* (\w+) \*/', text)
    decimals = {name: (meas, int(dec)) for meas, dec, name in bindings}
    keys = dict(re.findall(r'X\((\w+),\s*"([\w.]+)"', open(os.path.join(SRC, "src", "device", "meas.h")).read()))
    table = []
    for inst, name, factor in objects:
        meas, dec = decimals[name]
        table.append((inst, name, factor, keys.get(meas[5:]), dec))
    return table


# ---- the client

class Client:
    def __init__(self, modules, port, target):
        self.target = target
        self.proc = subprocess.Popen(
            ["node", os.path.join(SRC, "tests", "integration", "bacnet-client.js"), modules, str(port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.proc.stdout.readline()
        if "ready" not in ready:
            raise RuntimeError(f"bacnet-client did not start: {ready!r}")

    def ask(self, op, **args):
        args.setdefault("target", self.target)
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def read(self, type_, instance, prop, index=None):
        args = {"type": type_, "instance": instance, "property": prop}
        if index is not None:
            args["index"] = index
        return self.ask("read", **args)

    def value(self, type_, instance, prop, index=None):
        r = self.read(type_, instance, prop, index)
        return r["values"][0]["value"] if r.get("values") else None

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# ---- hand-made datagrams

def bvlc(function, npdu):
    return bytes([0x81, function]) + struct.pack(">H", 4 + len(npdu)) + npdu


def confirmed(service, params, invoke=9, max_apdu=5):
    return bvlc(0x0a, bytes([0x01, 0x04, 0x00, max_apdu, invoke, service]) + params)


def raw_exchange(port, datagram, wait=1.0):
    """Sends one datagram from a fresh socket; returns every reply's bytes."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(wait)
        s.sendto(datagram, ("127.0.0.1", port))
        replies = []
        try:
            while True:
                replies.append(s.recvfrom(2048)[0])
        except socket.timeout:
            pass
        return replies


def apdu_of(reply):
    """The APDU of a BVLC Original-Unicast with a plain NPDU header."""
    if len(reply) < 6 or reply[0] != 0x81 or reply[4] != 0x01 or reply[5] & 0x80:
        return None
    return reply[6:]


def check_raw(port):
    rp_pv = bytes([0x0c]) + struct.pack(">I", AV << 22) + bytes([0x19, 85])
    segmented = bvlc(0x0a, bytes([0x01, 0x04, 0x0c, 5, 9, 0, 1, 12]) + rp_pv)
    r = raw_exchange(port, segmented)
    check(len(r) == 1 and apdu_of(r[0]) is not None and apdu_of(r[0])[0] == 0x71
          and apdu_of(r[0])[2] == 4, "segmented request: Abort segmentation-not-supported")
    r = raw_exchange(port, confirmed(26, b""))
    check(len(r) == 1 and apdu_of(r[0]) == bytes([0x60, 9, 9]), "ReadRange: Reject unrecognized-service")
    r = raw_exchange(port, confirmed(12, rp_pv[:5]))
    check(len(r) == 1 and apdu_of(r[0]) == bytes([0x60, 9, 5]),
          "ReadProperty without a property: Reject missing-required-parameter")
    r = raw_exchange(port, confirmed(12, rp_pv + b"\x2e"))
    check(len(r) == 1 and apdu_of(r[0]) is not None and apdu_of(r[0])[0] == 0x60,
          "ReadProperty with a stray opening tag: Reject")
    rpm_all_device = bytes([0x0c]) + struct.pack(">I", DEV << 22 | DEVICE_ID) + bytes([0x1e, 0x09, 8, 0x1f])
    r = raw_exchange(port, confirmed(14, rpm_all_device, max_apdu=0))
    check(len(r) == 1 and apdu_of(r[0]) == bytes([0x71, 9, 4]),
          "RPM ALL of the Device to a 50-octet client: Abort segmentation-not-supported")
    r = raw_exchange(port, confirmed(14, rpm_all_device, max_apdu=5))
    check(len(r) == 1 and apdu_of(r[0]) is not None and apdu_of(r[0])[0] == 0x30,
          "the same to a 1476-octet client: Complex-ACK")
    who_has = bvlc(0x0a, bytes([0x01, 0x00, 0x10, 0x07]) + bytes([0x3d, 1 + 13, 0]) + b"UPS_OUTPUT_Lr")
    r = raw_exchange(port, who_has)
    check(len(r) == 1 and apdu_of(r[0]) is not None and apdu_of(r[0])[:2] == bytes([0x10, 0x01])
          and r[0].endswith(b"UPS_OUTPUT_Lr"), "Who-Has UPS_OUTPUT_Lr: I-Have")
    r = raw_exchange(port, bvlc(0x05, b"")[:2] + b"\x00\x06\x00\x3c")
    check(r == [bytes([0x81, 0x00, 0x00, 0x06, 0x00, 0x30])], "Register-Foreign-Device: BVLC-Result NAK")
    r = raw_exchange(port, bvlc(0x0a, bytes([0x01, 0x80, 0x55])))
    check(len(r) == 1 and r[0][4:] == bytes([0x01, 0x80, 0x03, 0x03, 0x00, 0x00]),
          "unknown network layer message: Reject-Message-To-Network")
    r = raw_exchange(port, bvlc(0x0a, bytes([0x01, 0x80, 0x00])), wait=0.5)
    check(r == [], "Who-Is-Router-To-Network: left to routers")
    r = raw_exchange(port, b"\x81\x0a\x00\x0a\x01\x00\x10\x08\x00", wait=0.5)
    check(r == [], "BVLC length not matching the datagram: dropped")
    routed = bvlc(0x0a, bytes([0x01, 0x08, 0x00, 0x07, 0x01, 0x2a, 0x10, 0x08]))
    r = raw_exchange(port, routed)
    check(len(r) == 1 and r[0][4:11] == bytes([0x01, 0x20, 0x00, 0x07, 0x01, 0x2a, 0xff]),
          "Who-Is through a router (SNET 7): I-Am addressed back with DNET 7")


def check_values(c, sim, table):
    profile = c.value(DEV, DEVICE_ID, PROP["profile_name"])
    values = sim.values()
    bad, compared = [], 0
    for inst, name, factor, key, dec in table:
        got = c.value(AV, inst, PROP["present_value"])
        if key is None or key not in values or values[key] is None:
            continue
        want = values[key] * 10 ** dec * (10 if factor and profile == "factor_10" else 1)
        compared += 1
        if got is None or not math.isclose(got, want, rel_tol=1e-4, abs_tol=0.05):
            bad.append(f"{name}: {got} != {want}")
    check(compared >= 40 and not bad,
          f"Present_Value of {compared} Analog Values equals the simulator's {bad[:5]}")
    for inst in range(10):
        n = c.value(MV, inst, PROP["number_of_states"])
        pv = c.value(MV, inst, PROP["present_value"])
        texts = c.read(MV, inst, PROP["state_text"])
        check(n and pv is not None and 1 <= pv <= n and len(texts.get("values", [])) == n,
              f"MV {inst}: Present_Value {pv} within {n} states with {n} State_Text entries")
    for inst in range(3):
        pv = c.value(BSV, inst, PROP["present_value"])
        texts = c.read(BSV, inst, PROP["bit_text"])
        check(pv is not None and len(texts.get("values", [])) == pv["bitsUsed"],
              f"BSV {inst}: one Bit_Text per bit of Present_Value")


def check_device(c, status):
    ident = status["identity"] if status and "identity" in status else {}
    name = c.value(DEV, DEVICE_ID, PROP["object_name"])
    check(name and (not ident.get("range") or ident["range"] in name), f"Object_Name is the UPS model: {name}")
    check(c.value(DEV, DEVICE_ID, PROP["vendor_identifier"]) == 591, "Vendor_Identifier 591")
    check(c.value(DEV, DEVICE_ID, PROP["vendor_name"]) == "SOCOMEC UPS", "Vendor_Name")
    check("kVA" in (c.value(DEV, DEVICE_ID, PROP["model_name"]) or ""), "Model_Name: nominal kVA")
    desc = c.value(DEV, DEVICE_ID, PROP["description"])
    check(desc and (not ident.get("serial") or desc == ident["serial"]), f"Description: serial number {desc}")
    check(c.value(DEV, DEVICE_ID, PROP["location"]) == "0", "Location: unit number 0")
    check(c.value(DEV, DEVICE_ID, PROP["profile_name"]) in ("N/A", "factor_10", "no_factor"), "Profile_Name")
    check(c.value(DEV, DEVICE_ID, PROP["max_apdu"]) == 1476, "Max_APDU_Length_Accepted 1476")
    check(c.value(DEV, DEVICE_ID, PROP["segmentation"]) == 3, "Segmentation_Supported: no-segmentation")
    check(c.value(DEV, DEVICE_ID, PROP["object_list"], 0) == 102, "Object_List[0]: 102 objects")
    r = c.read(DEV, DEVICE_ID, PROP["object_list"])
    check(len(r.get("values", [])) == 102, "Object_List whole: 1 Device, 88 AV, 10 MV, 3 BSV")
    r = c.ask("rpm", objects=[{"type": DEV, "instance": DEVICE_ID, "props": [[8]]}])
    dev = r.get("objects", [])
    r = c.ask("rpm", objects=[{"type": AV, "instance": 0, "props": [[8]]},
                              {"type": MV, "instance": 1, "props": [[8]]},
                              {"type": BSV, "instance": 0, "props": [[8]]}])
    objs = dev + r.get("objects", [])
    counts = [len(o["props"]) for o in objs]
    errors = [p for o in objs for p in o["props"] if p["values"] and p["values"][0]["type"] == 105]
    check(len(objs) == 4 and counts[1:] == [11, 11, 10] and counts[0] >= 25 and not errors,
          f"RPM ALL of the Device, then of an AV, MV and BSV: {counts}, no error result")
    r = c.ask("rpm", objects=[{"type": AV, "instance": i, "props": [[85], [117]]} for i in range(20)])
    check(len(r.get("objects", [])) == 20, "RPM of Present_Value and Units of 20 AVs in one request")


def check_errors(c):
    r = c.read(AV, 200, PROP["present_value"])
    check(r.get("cls") == 1 and r.get("code") == 31, "AV 200: error unknown-object")
    r = c.read(AV, 0, PROP["state_text"])
    check(r.get("cls") == 2 and r.get("code") == 32, "State_Text of an AV: error unknown-property")
    r = c.read(MV, 1, PROP["state_text"], 99)
    check(r.get("cls") == 2 and r.get("code") == 42, "State_Text[99]: error invalid-array-index")
    r = c.ask("write", type=AV, instance=0, property=PROP["present_value"], real=1.0)
    check(r.get("cls") == 2 and r.get("code") == 40, "WriteProperty: error write-access-denied")
    r = c.ask("rpm", objects=[{"type": AV, "instance": 300, "props": [[85]]}])
    vals = r["objects"][0]["props"][0]["values"] if r.get("objects") else []
    check(vals and vals[0]["type"] == 105 and vals[0]["value"]["errorCode"] == 31,
          "RPM of an unknown object: unknown-object in the result")


def state_number(c, inst, text):
    texts = [v["value"] for v in c.read(MV, inst, PROP["state_text"]).get("values", [])]
    return texts.index(text) + 1 if text in texts else None


def check_cov(c, sim, d):
    on_battery = state_number(c, 1, "ON BATTERY")
    check(on_battery is not None, "UPSLoadStatus has an ON BATTERY state")
    check(c.ask("subscribe", type=MV, instance=1, pid=11, confirmed=False, lifetime=120).get("ok"),
          "SubscribeCOV UPSLoadStatus (unconfirmed)")
    check(c.ask("subscribe", type=AV, instance=0, pid=12, confirmed=True, lifetime=120).get("ok"),
          "SubscribeCOV UPS_OUTPUT_Lr (confirmed)")
    time.sleep(0.5)
    first = c.ask("notifications")["notifications"]
    check({n["pid"] for n in first} == {11, 12}, "an initial notification for each subscription")
    check(any(n["confirmed"] for n in first if n["pid"] == 12), "pid 12's notifications are confirmed")
    sim.ctl("ac-fail")
    seen = []

    def got_battery():
        seen.extend(c.ask("notifications")["notifications"])
        return any(n["pid"] == 11 and n["values"][0]["value"][0]["value"] == on_battery for n in seen)
    check(wait_for(got_battery, 15, 0.5), "AC failure: UPSLoadStatus notification ON BATTERY")
    n = next(n for n in seen if n["pid"] == 11)
    check(n["device"] == {"type": DEV, "instance": DEVICE_ID} and 0 < n["timeRemaining"] <= 120
          and [v["property"] for v in n["values"]] == [85, 111],
          "notification: device, time remaining, Present_Value and Status_Flags")
    sim.ctl("ac-restore")
    check(c.ask("subscribe", type=MV, instance=1, pid=11, cancel=True).get("ok"), "cancellation")


def known_dissector_defect(payload):
    """A Bitstring Value (type 39) object identifier and a bit string in
    the extended length form (0x85 LEN) in the same APDU."""
    bsv_ids = [bytes([tag]) + struct.pack(">I", BSV << 22 | inst)
               for tag in (0x0c, 0x2c, 0xc4) for inst in range(3)]
    return any(i in payload for i in bsv_ids) and re.search(rb"\x85[\x05-\xff]", payload) is not None


def capture_start(work, port):
    tool = shutil.which("tcpdump")
    if not tool:
        return None
    path = work.file("bacnet.pcap")
    p = subprocess.Popen([tool, "-i", "lo", "-U", "-n", "-w", path, "udp", "port", str(port)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)         # tcpdump is listening once it has opened lo
    return p, path


def capture_check(cap, port):
    if not check(cap is not None and shutil.which("tshark"), "tcpdump and tshark available (./dev deps test)"):
        return
    proc, path = cap
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    proc.wait(10)
    base = ["tshark", "-r", path, "-d", f"udp.port=={port},bvlc"]

    def count(flt):
        r = subprocess.run(base + ["-Y", flt], capture_output=True, text=True, timeout=60)
        return len([l for l in r.stdout.splitlines() if l.strip()]), r.stdout
    sent, _ = count(f"udp.srcport == {port}")
    decoded, _ = count(f"udp.srcport == {port} && bvlc")
    r = subprocess.run(base + ["-Y", f"udp.srcport == {port} && _ws.malformed", "-T", "fields",
                               "-e", "frame.number", "-e", "udp.payload"],
                       capture_output=True, text=True, timeout=60)
    malformed = [l.split("\t") for l in r.stdout.splitlines() if l.strip()]
    # Wireshark 4.0's bacapp dissector throws on a Bitstring Value's
    # Present_Value whose bit string needs the extended length form (more
    # than 24 bits, UnitAlarms' 31), although the encoding is valid: those
    # packets are named and excused, every other mark fails.
    excused = [n for n, payload in malformed if known_dissector_defect(bytes.fromhex(payload))]
    others = [n for n, _ in malformed if n not in excused]
    check(sent >= 100 and decoded == sent, f"tshark decodes all {sent} packets the daemon sent as BACnet")
    check(not others, f"no [Malformed Packet] among them (frames {others[:10]}; "
          f"{len(excused)} with the Wireshark 4.0 long BSV bit string defect excused)")
    services, _ = count(f"udp.srcport == {port} && (bacapp.confirmed_service || bacapp.unconfirmed_service)")
    check(services > 0, "tshark sees BACnet application services in them")


def main():
    require_programs(UPSGATED, SIM)
    modules = install_node_bacnet()
    work = Workdir()
    port, client_port = free_ports(2, udp=True)
    cap = capture_start(work, port)
    sim = Sim(work, "vumap", "single", "--no-noise")
    conf = config_text(work, sim.link) + \
        f"bacnet = {{ enabled = true; port = {port}; device_id = {DEVICE_ID}; cov_lifetime_max = 600; }};\n"
    d = Daemon(work, conf)
    c = None
    try:
        status = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], 40)
        check(status is not None, "daemon polls the simulator")
        time.sleep(1.5)
        c = Client(modules, client_port, f"127.0.0.1:{port}")
        iams = c.ask("whois", wait=1000)["iams"]
        check(len(iams) == 1 and iams[0]["deviceId"] == DEVICE_ID and iams[0]["vendorId"] == 591
              and iams[0]["maxApdu"] == 1476 and iams[0]["segmentation"] == 3,
              f"Who-Is: I-Am of device {DEVICE_ID}, vendor 591")
        iams = c.ask("whois", low=1, high=100, wait=500)["iams"]
        check(iams == [], "Who-Is 1..100: no answer")
        iams = c.ask("whois", low=1000, high=2000, wait=500)["iams"]
        check(len(iams) == 1, "Who-Is 1000..2000: I-Am")
        check_device(c, status)
        check_values(c, sim, object_table())
        check_errors(c)
        check_raw(port)
        check_cov(c, sim, d)
        check(d.alive(), "daemon still running")
    finally:
        if c:
            c.stop()
        code, _ = d.stop()
        check(code == 0, "daemon stops cleanly")
        sim.stop()
        capture_check(cap, port)
        if "--keep" not in sys.argv and not os.environ.get("KEEP"):
            work.cleanup()
    finish()


if __name__ == "__main__":
    main()

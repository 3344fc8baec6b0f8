"""Modbus TCP server against real clients (mbpoll, pymodbus): every block
of the JBUSP, VU-MAP and STS maps and single words equal to what the
simulator holds, the exceptions for writes, bad addresses and other unit
ids, one connection at a time, the idle close, malformed frames, comm loss
(0x0B), and the firewall (rules, order, reload)."""

import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import (Daemon, Sim, Workdir, check, config_text, finish, free_port, has_ipv6,
                    require_programs, system_level, wait_for, SRC, UPSGATED, UPSGATECTL, SIM)

from pymodbus.client import ModbusTcpClient

MBPOLL = "/usr/bin/mbpoll"
IDLE_S = 2


# ---- the map tables, read from the generated sources (one table per fact)

def map_blocks(tab):
    text = open(os.path.join(SRC, "src", "device", f"tab_{tab}.c")).read()
    return [(name, int(addr, 16), int(words))
            for name, addr, words in re.findall(r'\{ "(\w+)", (0x[0-9A-Fa-f]+), (\d+), ROLE_\w+ \}', text)]


def meas_keys():
    text = open(os.path.join(SRC, "src", "device", "meas.h")).read()
    return dict(re.findall(r'X\((\w+),\s*"([\w.]+)"', text))


def map_meas(tab):
    text = open(os.path.join(SRC, "src", "device", f"tab_{tab}.c")).read()
    keys = meas_keys()
    return [(int(addr, 16), keys[mid], (int(d0), int(d1)), sign == "1")
            for addr, mid, d0, d1, sign in
            re.findall(r'\{ "\w+", (0x[0-9A-Fa-f]+), MEAS_(\w+), \{ (\d+), (\d+) \}, (\d) \}', text)]


# ---- clients

def mbpoll(port, address, count=1, table=4, unit=1, write=None):
    """(exit code, {address: value}, output) of one mbpoll run."""
    args = [MBPOLL, "-m", "tcp", "-p", str(port), "-a", str(unit), "-0", "-1", "-o", "2",
            "-r", str(address)]
    if write is None:
        args += ["-t", f"{table}:hex", "-c", str(count), "127.0.0.1"]
    else:
        args += ["-t", str(table), "127.0.0.1", str(write)]
    r = subprocess.run(args, capture_output=True, text=True, timeout=20)
    values = {int(a): int(v, 16) for a, v in re.findall(r"^\[(\d+)\]:\s+0x([0-9A-Fa-f]+)", r.stdout, re.M)}
    return r.returncode, values, r.stdout + r.stderr


def raw_request(sock, tid, unit, pdu):
    sock.sendall(struct.pack(">HHHB", tid, 0, len(pdu) + 1, unit) + pdu)


def raw_response(sock, timeout=3):
    """(transaction id, unit, pdu) or None if the server closed."""
    try:
        return raw_response_or_raise(sock, timeout)
    except (ConnectionResetError, BrokenPipeError):
        return None


def raw_response_or_raise(sock, timeout):
    sock.settimeout(timeout)
    head = b""
    while len(head) < 7:
        part = sock.recv(7 - len(head))
        if not part:
            return None
        head += part
    tid, proto, length, unit = struct.unpack(">HHHB", head)
    body = b""
    while len(body) < length - 1:
        part = sock.recv(length - 1 - len(body))
        if not part:
            return None
        body += part
    return tid, unit, body


def raw_read(port, address, count, unit=1, fc=3):
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        raw_request(s, 1, unit, struct.pack(">BHH", fc, address, count))
        return raw_response(s)


def exception_of(resp):
    return resp[2][1] if resp and resp[2][0] & 0x80 else None


def closed_at_once(port, host="127.0.0.1", within=1.5):
    """True if the server closes a fresh connection without a word."""
    try:
        with socket.create_connection((host, port), timeout=3) as s:
            s.settimeout(within)
            return s.recv(16) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def serves(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=3) as s:
            raw_request(s, 9, 1, struct.pack(">BHH", 3, 0, 1))
            return raw_response(s) is not None
    except OSError:
        return False


# ---- one UPS

def start(work, map_, topology, port, extra=""):
    sim = Sim(work, map_, topology, "--no-noise")
    conf = config_text(work, sim.link) + \
        f"modbus_tcp = {{ enabled = true; port = {port}; idle_timeout = {IDLE_S}; }};\n" + extra
    d = Daemon(work, conf, name=f"upsgated-{map_}")
    s = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=40)
    check(s is not None, f"{map_}: daemon polls the simulator")
    return sim, d, s


def ascii_of(words):
    msb = b"".join(struct.pack(">H", w) for w in words).decode("latin-1")
    lsb = b"".join(struct.pack("<H", w) for w in words).decode("latin-1")
    return msb, lsb


def check_blocks(map_, tab, port):
    """Every block whole with mbpoll (3 and 4) and pymodbus; single words.
    One client at a time: the server takes one connection."""
    image = {}
    for name, addr, words in map_blocks(tab):
        code, holding, out = mbpoll(port, addr, words, table=4)
        check(code == 0 and len(holding) == words, f"{map_} {name} 0x{addr:04X} x{words}: mbpoll -t 4 ({code})")
        code, inputs, _ = mbpoll(port, addr, words, table=3)
        check(code == 0 and inputs.keys() == holding.keys(), f"{map_} {name}: mbpoll -t 3")
        image.update(holding)
        last = addr + words - 1
        code, one, _ = mbpoll(port, last, 1)
        check(code == 0 and abs(one.get(last, -99) - holding.get(last, -1)) <= 1,
              f"{map_} {name}: single word 0x{last:04X}")
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
    check(client.connect(), f"{map_}: pymodbus connects")
    for name, addr, words in map_blocks(tab):
        rr = client.read_holding_registers(addr, words, slave=1)
        ok = not rr.isError() and len(rr.registers) == words
        check(ok, f"{map_} {name}: pymodbus read_holding_registers")
        if ok:
            check(all(abs(rr.registers[i] - image.get(addr + i, -99)) <= 1 for i in range(words)),
                  f"{map_} {name}: pymodbus and mbpoll read the same words")
        ri = client.read_input_registers(addr + 1, 1, slave=1)
        check(not ri.isError() and abs(ri.registers[0] - image.get(addr + 1, -99)) <= 1,
              f"{map_} {name}: single input register")
    client.close()
    return image


def check_values(map_, tab, image, sim, status):
    """Each measurement register = the simulator's value x its divisor."""
    values = sim.values()
    factor = status["identity"].get("measurement_factor") or 0
    compared = bad = 0
    for addr, key, div, signed in map_meas(tab):
        if key not in values or addr not in image:
            continue
        raw = image[addr]
        if signed and raw >= 0x8000:
            raw -= 0x10000
        got = raw / div[factor]
        compared += 1
        if abs(got - values[key]) > 1.0 / div[factor] + 1e-9:
            bad += 1
            print(f"# {map_} 0x{addr:04X} {key}: served {got}, simulator {values[key]}")
    check(compared >= 20 and bad == 0, f"{map_}: {compared} measurement registers match the simulator")


def check_serial(map_, image, status, address):
    serial = status["identity"]["serial"]
    words = [image.get(address + i, 0) for i in range(10)]
    check(serial and any(s.rstrip("\0 ").startswith(serial) for s in ascii_of(words)),
          f"{map_}: serial number ASCII at 0x{address:04X} is {serial}")


def check_exceptions(map_, port, good, bad_addresses, write_at):
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
    client.connect()
    w = client.write_register(write_at, 5, slave=1)
    check(w.isError() and getattr(w, "exception_code", None) == 1, f"{map_}: write 0x06 -> exception 01")
    w = client.write_registers(write_at, [1, 2], slave=1)
    check(w.isError() and getattr(w, "exception_code", None) == 1, f"{map_}: write 0x10 -> exception 01")
    for addr, count in bad_addresses:
        rr = client.read_holding_registers(addr, count, slave=1)
        check(rr.isError() and getattr(rr, "exception_code", None) == 2,
              f"{map_}: read 0x{addr:04X} x{count} -> exception 02")
    rr = client.read_holding_registers(good, 1, slave=7)
    check(rr.isError() and getattr(rr, "exception_code", None) == 0x0A, f"{map_}: unit 7 -> exception 0A")
    rr = client.read_holding_registers(good, 1, slave=255)
    check(not rr.isError(), f"{map_}: unit 255 is the UPS")
    client.close()
    code, _, out = mbpoll(port, write_at, write=5)
    check(code != 0 and "Illegal function" in out, f"{map_}: mbpoll write refused (Illegal function)")
    code, _, out = mbpoll(port, bad_addresses[0][0], bad_addresses[0][1])
    check(code != 0 and "Illegal data address" in out, f"{map_}: mbpoll bad address (Illegal data address)")


def check_connections(port, good):
    first = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
    check(first.connect() and not first.read_holding_registers(good, 1, slave=1).isError(),
          "first connection served")
    check(closed_at_once(port), "second connection closed at once while the first is open")
    check(not first.read_holding_registers(good, 1, slave=1).isError(), "first connection undisturbed")
    first.close()
    check(wait_for(lambda: serves(port), 3), "a new connection is served once the first is gone")

    # idle close: nothing sent for idle_timeout seconds
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        t0 = time.monotonic()
        s.settimeout(IDLE_S + 5)
        try:
            eof = s.recv(16) == b""
        except ConnectionResetError:
            eof = True
        took = time.monotonic() - t0
    check(eof and IDLE_S - 0.3 <= took <= IDLE_S + 2, f"idle connection closed after {took:.1f} s")

    # traffic keeps it open
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        alive = True
        for i in range(4):
            time.sleep(IDLE_S * 0.6)
            raw_request(s, i, 1, struct.pack(">BHH", 3, good, 1))
            alive = alive and raw_response(s) is not None
        check(alive, f"requests every {IDLE_S * 0.6:.1f} s keep the connection open")

    # pipelined requests, and one request split across two writes
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(b"".join(struct.pack(">HHHBBHH", tid, 0, 6, 1, 3, good, 1) for tid in (11, 12, 13)))
        tids = [r[0] if r else None for r in (raw_response(s), raw_response(s), raw_response(s))]
        check(tids == [11, 12, 13], f"pipelined requests answered in order ({tids})")
        frame = struct.pack(">HHHBBHH", 14, 0, 6, 1, 3, good, 2)
        s.sendall(frame[:5])
        time.sleep(0.3)
        s.sendall(frame[5:])
        r = raw_response(s)
        check(r is not None and r[0] == 14 and r[2][:2] == b"\x03\x04", "request split in two writes")

    # a flood of pipelined reads to a client with a small receive buffer
    # that starts reading only after a while: the server stops reading
    # while its output is full, and loses nothing
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        s.connect(("127.0.0.1", port))
        n = 50000
        got = []

        def read_all():
            time.sleep(IDLE_S / 2)
            got.extend(r[0] if r else None for r in (raw_response(s, 10) for _ in range(n)))
        reader = threading.Thread(target=read_all)
        reader.start()
        try:
            s.sendall(b"".join(struct.pack(">HHHBBHH", tid, 0, 6, 1, 4, 0x0040, 80) for tid in range(n)))
        except OSError as e:
            print(f"# flood: {e}")
        reader.join(60)
        check(got == list(range(n)), f"{n} pipelined 80-word reads answered in order while the client lags")

    # malformed frames close that connection only
    for what, frame in (("protocol id 1", struct.pack(">HHHBBHH", 1, 1, 6, 1, 3, good, 1)),
                        ("length 1", struct.pack(">HHHB", 1, 0, 1, 1)),
                        ("length 300", struct.pack(">HHHB", 1, 0, 300, 1) + bytes(300))):
        other = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
            s.sendall(frame)
            check(raw_response(s) is None, f"malformed frame ({what}) closes the connection")
        check(other.connect() and not other.read_holding_registers(good, 1, slave=1).isError(),
              f"next connection served after the malformed frame ({what})")
        other.close()


def check_comm_lost(sim, d, port, good):
    sim.ctl("unplug", 6)
    lost = d.wait_status(lambda s: s.get("comm") == "lost", timeout=15)
    check(lost is not None, "comm lost after unplug")
    check(exception_of(raw_read(port, good, 1)) == 0x0B, "comm lost: read -> exception 0B")
    check(exception_of(raw_read(port, good, 1, fc=4)) == 0x0B, "comm lost: input registers -> exception 0B")
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=3)
    client.connect()
    rr = client.read_holding_registers(good, 1, slave=1)
    check(rr.isError() and getattr(rr, "exception_code", None) == 0x0B, "comm lost: pymodbus sees 0B")
    client.close()
    back = d.wait_status(lambda s: s.get("comm") == "ok" and system_level(s)["valid"], timeout=30)
    check(back is not None and exception_of(raw_read(port, good, 1)) is None, "values served again after replug")


def stop(sim, d):
    code, _ = d.stop()
    check(code == 0, f"daemon stops cleanly ({code})")
    sim.stop()


def test_map(work, map_, tab, serial_at, good, bad_addresses, write_at, full=False):
    port = free_port()
    sim, d, status = start(work, map_, "sts" if map_ == "sts" else "single", port)
    try:
        if not status:
            return
        image = check_blocks(map_, tab, port)
        check_values(map_, tab, image, sim, status)
        check_serial(map_, image, status, serial_at)
        check_exceptions(map_, port, good, bad_addresses, write_at)
        if full:
            check_connections(port, good)
            check_comm_lost(sim, d, port, good)
    finally:
        stop(sim, d)


def rules(*entries):
    body = ", ".join(f'{{ address = "{a}"; prefix = {p}; action = "{act}"; }}' for a, p, act in entries)
    return f"firewall = {{ rules = ( {body} ); }};\n"


def test_firewall(work):
    port = free_port()
    sim, d, status = start(work, "vumap", "single", port, rules(("127.0.0.1", 32, "reject")))
    try:
        check(closed_at_once(port), "firewall: 127.0.0.1/32 rejected, connection closed at once")
        check(not serves(port), "firewall: nothing answered to 127.0.0.1")
        if has_ipv6():
            check(serves(port, "::1"), "firewall: ::1 still accepted")
        # rewrite the rules: accept 127.0.0.1 first, then reject all IPv4
        conf = open(d.conf).read()
        conf = re.sub(r"firewall = .*\n", "", conf)
        with open(d.conf, "w") as f:
            f.write(conf + rules(("127.0.0.1", 32, "accept"), ("0.0.0.0", 0, "reject")))
        d.signal(signal.SIGHUP)
        check(wait_for(lambda: serves(port), 5), "firewall: after reload, accept 127.0.0.1 before reject all")
        with open(d.conf, "w") as f:
            f.write(conf + rules(("0.0.0.0", 0, "reject"), ("127.0.0.1", 32, "accept")))
        d.signal(signal.SIGHUP)
        check(wait_for(lambda: closed_at_once(port), 5), "firewall: reject all first wins over a later accept")
        with open(d.conf, "w") as f:
            f.write(conf + rules(("127.0.0.0", 33, "accept")))
        d.signal(signal.SIGHUP)
        time.sleep(1)
        check(closed_at_once(port)
              and "firewall.rules[0]: prefix must be 0 to 32 for an IPv4 address" in d.logtext()
              and "not reloaded" in d.logtext(),
              "firewall: a bad rule on reload is named and the running rules kept")
    finally:
        stop(sim, d)
    # a bad rule at start: the daemon refuses to run
    bad = Daemon(work, config_text(work, "/nonexistent") + rules(("10.0.0.0", 40, "reject")), name="bad-rule")
    try:
        code = bad.proc.wait(10)
    except subprocess.TimeoutExpired:
        code = None
    check(code not in (None, 0) and
          "firewall.rules[0]: prefix must be 0 to 32 for an IPv4 address" in bad.logtext(),
          f"firewall: IPv4 prefix 40 refused at start (exit {code})")
    bad.stop()


def test_disabled(work):
    """Off by default: the daemon runs and opens no Modbus TCP port."""
    d = Daemon(work, config_text(work, "/nonexistent"), name="disabled")
    up = wait_for(lambda: d.ctl("ping"), 10)
    check(up and d.alive() and "Modbus TCP" not in d.logtext(), "Modbus TCP off by default")
    d.stop()


require_programs(UPSGATED, UPSGATECTL, SIM, MBPOLL)
work = Workdir()
try:
    test_map(work, "vumap", "vumap", 0x0010, 0x0040,
             [(0x0024, 1), (0x0030, 16), (0x0000, 1), (0x0090, 1), (0x0040, 81)], 0x0040, full=True)
    test_map(work, "jbusp", "jbusp", 0x1003, 0x1060,
             [(0x1010, 1), (0x1020, 5), (0x1000, 13), (0x0040, 1), (0x10F0, 1)], 0x1060)
    test_map(work, "sts", "sts", 0x0116, 0x0220,
             [(0x0144, 1), (0x0140, 5), (0x0220, 65), (0x0040, 1), (0x0260, 1)], 0x0220)
    test_firewall(work)
    test_disabled(work)
finally:
    work.cleanup()
finish()

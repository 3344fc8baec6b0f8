"""The web server under load next to the poller: wrk with 200 connections
on GET /api/v1/status, plus idle connections, slowloris clients and a
connect/close flood. Functional properties only: the poller keeps its
communication (comm "ok", no new timeouts), snapshots keep arriving on an
event stream, the API still answers afterwards, the RSS stays within a
generous bound.

With --bench SECONDS (bench/web-load.sh) it loads for that long and prints
ratios instead of checking: requests per second, snapshot rate and poll
cycle time under load against before, RSS after against before."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ugtest import Workdir, check, finish, require_programs, wait_for, UPSGATED, SIM
from webserver import WebServerDaemon, curl, make_root
from webtest import admin_session

CONNECTIONS = 200


class Stream:
    """curl -N on /events: (monotonic time, snapshot) of every snapshot."""

    def __init__(self, base, cookie):
        self.snaps = []
        self.events = []
        self.proc = subprocess.Popen(["curl", "-sN", "-H", f"Cookie: upsgate={cookie}",
                                      base + "/api/v1/events"], stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        kind = None
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:") and kind:
                try:
                    data = json.loads(line[5:])
                except ValueError:
                    data = None
                (self.snaps if kind == "snapshot" else self.events).append((time.monotonic(), data))
                kind = None

    def window(self, start, end):
        return [s for t, s in self.snaps if start <= t < end and s]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Nuisances:
    """Idle sockets, slowloris clients and a connect/close flood."""

    def __init__(self, port, idle=20, slow=5):
        self.port = port
        self.stop_flag = threading.Event()
        self.flooded = 0
        self.idle = []
        for _ in range(idle):
            try:
                self.idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                pass
        self.threads = [threading.Thread(target=self._slow, daemon=True) for _ in range(slow)]
        self.threads.append(threading.Thread(target=self._flood, daemon=True))
        for t in self.threads:
            t.start()

    def _slow(self):
        while not self.stop_flag.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    s.sendall(b"GET /api/v1/status HTTP/1.1\r\nHost: x\r\n")
                    while not self.stop_flag.is_set():
                        s.sendall(b"X-a: b\r\n")
                        time.sleep(0.5)
            except OSError:
                time.sleep(0.1)

    def _flood(self):
        while not self.stop_flag.is_set():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                    s.sendall(b"GET /api/v1/st")
                self.flooded += 1
            except OSError:
                time.sleep(0.01)

    def stop(self):
        self.stop_flag.set()
        for s in self.idle:
            s.close()
        for t in self.threads:
            t.join(5)


def wrk(base, cookie, seconds):
    r = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
                        "-H", f"Cookie: upsgate={cookie}", base + "/api/v1/status"],
                       capture_output=True, text=True, timeout=seconds + 60)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", r.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", r.stdout)
    total = re.search(r"(\d+) requests in", r.stdout)
    return (float(rps.group(1)) if rps else 0.0, int(non2xx.group(1)) if non2xx else 0,
            int(total.group(1)) if total else 0, r.stdout)


def rate(snaps, seconds):
    return len(snaps) / seconds if seconds > 0 else 0.0


def mean_cycle(snaps):
    cycles = [s["link"]["cycle_ms"] for s in snaps if s.get("link") and s["link"].get("cycle_ms")]
    return sum(cycles) / len(cycles) if cycles else 0.0


def run(seconds, bench):
    work = Workdir()
    make_root(work)
    d = WebServerDaemon(work, https=False,
                        web="max_connections = 256; per_ip_connections = 256; timeout = 10;")
    stream = None
    nuisances = None
    try:
        if not check(d.wait_web(), "daemon and web server up"):
            print(d.logtext()[-3000:])
            return
        c = admin_session(d, work)
        cookie = c.cookie()
        check(cookie, "a session for the load")
        check(wait_for(lambda: (d.status() or {}).get("comm") == "ok", 30), "poller has communication")
        stream = Stream(d.base, cookie)
        check(wait_for(lambda: len(stream.snaps) >= 2, 20), "event stream delivers snapshots")
        base_s = max(3.0, seconds / 5)
        t0 = time.monotonic()
        time.sleep(base_s)
        t1 = time.monotonic()
        before = stream.window(t0, t1)
        rss_before = d.rss_kib()
        timeouts_before = before[-1]["link"]["timeouts"] if before else 0

        nuisances = Nuisances(d.http_port)
        rps, non2xx, total, out = wrk(d.base, cookie, seconds)
        t2 = time.monotonic()
        nuisances.stop()
        nuisances = None
        rss_during = d.rss_kib()
        during = stream.window(t1, t2)
        time.sleep(1)
        rss_after = d.rss_kib()

        status, _, body, code = curl(d.base + "/api/v1/status", "-H", f"Cookie: upsgate={cookie}")
        s_rate_before, s_rate_during = rate(before, t1 - t0), rate(during, t2 - t1)
        if bench:
            print(f"wrk {CONNECTIONS} connections {seconds} s: {rps:.0f} requests/s, "
                  f"{total} requests, {non2xx} not 2xx")
            print(f"snapshots/s under load / before: {s_rate_during:.2f} / {s_rate_before:.2f} = "
                  f"{s_rate_during / s_rate_before if s_rate_before else 0:.2f}")
            print(f"poll cycle ms under load / before: {mean_cycle(during):.1f} / "
                  f"{mean_cycle(before):.1f} = "
                  f"{mean_cycle(during) / mean_cycle(before) if mean_cycle(before) else 0:.2f}")
            print(f"RSS KiB before / during / after: {rss_before} / {rss_during} / {rss_after}; "
                  f"after/before = {rss_after / rss_before if rss_before else 0:.2f}")
            # Connection pools stay in malloc's arenas after the first round;
            # a leak keeps growing round after round, warm-up does not.
            last = rss_after
            for n in range(2, 5):
                wrk(d.base, cookie, seconds)
                time.sleep(1)
                rss = d.rss_kib()
                print(f"RSS KiB after round {n}: {rss}; round {n}/{n - 1} = "
                      f"{rss / last if last else 0:.3f}")
                last = rss
            return
        check(total > 0 and non2xx < total, f"wrk was served ({total} requests, {non2xx} not 2xx)")
        check(len(during) >= 2, f"snapshots kept arriving under load ({len(during)} in {t2 - t1:.1f} s)")
        check(all(s.get("comm") == "ok" for s in during), "the poller never lost communication")
        # Retries are allowed (wrk, the flood and the simulator share two
        # cores here); losing the UPS is not.
        last = during[-1] if during else {}
        print(f"# serial timeouts during the load: "
              f"{last.get('link', {}).get('timeouts', 0) - timeouts_before}")
        check(status == 200 and json.loads(body), f"the API answers after the load ({status}, curl {code})")
        # ASan keeps freed memory in quarantine (256 MiB): a bound for it too.
        slack = (1024 if d.sanitized() else 64) * 1024
        check(rss_after < 4 * rss_before + slack,
              f"RSS bounded: {rss_before} KiB before, {rss_after} KiB after")
        check(d.alive(), "daemon still running")
    finally:
        if nuisances:
            nuisances.stop()
        if stream:
            stream.stop()
        code, _ = d.stop(10)
        if not bench:
            check(code == 0, f"clean stop ({code})")
        work.cleanup()


if __name__ == "__main__":
    require_programs(UPSGATED, SIM)
    if len(sys.argv) == 3 and sys.argv[1] == "--bench":
        run(int(sys.argv[2]), True)
        sys.exit(0)
    run(5, False)
    finish()

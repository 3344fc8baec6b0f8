"""auth_login against a real FreeRADIUS server (§15.4, §15.10): accepted
users with the role of auth.radius.users (read-write, disabled, not
listed = read-only), a rejected user falling back to the local accounts,
admin never sent to RADIUS, a primary with a wrong secret failing over
to the secondary, no server answering (gw.radius_failed, then the local
accounts), and a forged Access-Accept (wrong Response Authenticator)
refused: the server requires a Message-Authenticator, so every request
also proves ours."""

import os
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from radius import RadiusServer  # noqa: E402
from ugtest import BUILD, Workdir, check, finish, free_port  # noqa: E402

DRIVER = os.path.join(BUILD, "tests", "integration", "auth-radius")
PORTS = range(21812, 21900)
SECRET = "Sh4red-secret,with spaces"      # radcli must not parse it


def config(work, name, primary, primary_secret, port, secondary="", secondary_secret=""):
    """A config with its own state dir; RADIUS answers in 1 s without retry."""
    state = os.path.join(work.path, name)
    os.makedirs(state, exist_ok=True)
    path = os.path.join(work.path, name + ".conf")
    with open(path, "w") as f:
        f.write(f'state_dir = "{state}";\n'
                'auth = { radius = {\n'
                '  enabled = true;\n'
                f'  port = {port};\n'
                f'  primary = "{primary}"; primary_secret = "{primary_secret}";\n'
                f'  secondary = "{secondary}"; secondary_secret = "{secondary_secret}";\n'
                '  timeout = 1; retries = 0;\n'
                '  users = ( { name = "alice"; access = "read-write"; },\n'
                '            { name = "carol"; access = "disabled"; } );\n'
                '}; };\n')
    return path


def drive(conf, *commands):
    r = subprocess.run([DRIVER, conf, *commands], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        raise RuntimeError(f"auth-radius exited {r.returncode}")
    logins = {}
    events = []
    for line in r.stdout.splitlines():
        words = line.split(" ", 2)
        if words[0] == "login":
            rest = line.split()
            logins.setdefault(rest[1], []).append({"status": rest[2], **dict(
                w.split("=", 1) for w in rest[3:])})
        elif words[0] == "event":
            events.append((words[1], words[2] if len(words) > 2 else ""))
    return logins, events, r.stderr


def has_event(events, code, part=""):
    return any(c == code and part in d for c, d in events)


def forger(port):
    """A UDP responder that answers every request with an Access-Accept
    carrying the right ID and a made-up authenticator; returns a stop()."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    sock.settimeout(0.2)
    running = [True]

    def serve():
        while running[0]:
            try:
                data, addr = sock.recvfrom(4096)
            except socket.timeout:
                continue
            sock.sendto(bytes([2, data[1], 0, 20]) + bytes(16), addr)

    t = threading.Thread(target=serve, daemon=True)
    t.start()

    def stop():
        running[0] = False
        t.join()
        sock.close()
    return stop


def main():
    if not os.access(DRIVER, os.X_OK):
        print(f"missing {DRIVER}: build first")
        sys.exit(99)
    work = Workdir()
    users = {"alice": "AlicePass12!x", "bob": "BobbyPass12!x", "carol": "CarolPass12!x",
             "erin": "ErinRadius12!x", "admin": "RadiusAdmin12!"}
    rad = RadiusServer(work, users, secret=SECRET, port=free_port(PORTS, udp=True),
                       require_message_authenticator=True)
    try:
        conf = config(work, "one", "127.0.0.1", SECRET, rad.port)
        logins, events, _ = drive(
            conf,
            "adduser", "erin", "read-only", "ErinLocal12!x",
            "login", "alice", "AlicePass12!x",
            "login", "bob", "BobbyPass12!x",
            "login", "carol", "CarolPass12!x",
            "login", "erin", "ErinLocal12!x",
            "login", "alice", "Wrong12!pass",
            "login", "admin", "RadiusAdmin12!")
        alice, bob, carol, erin = (logins[n] for n in ("alice", "bob", "carol", "erin"))
        check(alice[0] == {"status": "ok", "role": "read-write", "radius": "1", "must_change": "0"},
              f"alice accepted by RADIUS, read-write as listed: {alice[0]}")
        check(bob[0]["status"] == "ok" and bob[0]["role"] == "read-only" and bob[0]["radius"] == "1",
              f"bob, not listed: read-only: {bob[0]}")
        check(carol[0]["status"] == "bad", f"carol, listed as disabled: refused: {carol[0]}")
        check(has_event(events, "gw.login_failed", "carol from 127.0.0.1 (RADIUS user disabled here)"),
              "carol's refusal logged")
        check(erin[0]["status"] == "ok" and erin[0]["radius"] == "0" and erin[0]["must_change"] == "1",
              f"erin: rejected by RADIUS (other password), accepted locally: {erin[0]}")
        check(rad.requests_for("erin") >= 1, "erin was asked to RADIUS first")
        check(alice[1]["status"] == "bad", "alice with a wrong password: refused")
        check(logins["admin"][0]["status"] == "bad" and rad.requests_for("admin") == 0,
              "admin is never sent to RADIUS: its RADIUS password does not work")
        check(has_event(events, "gw.login", "alice from 127.0.0.1 (RADIUS, read-write)"), "gw.login")
        check(not has_event(events, "gw.radius_failed"), "no gw.radius_failed while the server answers")

        # A primary with a wrong secret: its replies do not verify, the
        # secondary (same server, right secret) answers.
        before = rad.requests_for("alice")
        conf = config(work, "failover", "127.0.0.1", "wrong-secret", rad.port, "localhost", SECRET)
        logins, events, stderr = drive(conf, "login", "alice", "AlicePass12!x")
        check(logins["alice"][0]["status"] == "ok" and logins["alice"][0]["radius"] == "1",
              f"wrong primary secret: the secondary accepts alice: {logins['alice'][0]}")
        check(rad.requests_for("alice") == before + 1 and
              "invalid Message-Authenticator" in rad.logtext(),
              "the primary's request was dropped by the server (its Message-Authenticator"
              " proves the secret), the secondary's was answered")
        check("primary server 127.0.0.1" in stderr and "shared secret" in stderr,
              "the primary's failure is logged with a hint at the secret")

        # A forged Access-Accept is not an answer: refused, and the
        # local accounts decide.
        fake = free_port(PORTS, udp=True)
        stop = forger(fake)
        try:
            conf = config(work, "forged", "127.0.0.1", SECRET, fake)
            logins, events, stderr = drive(conf, "login", "alice", "AlicePass12!x")
        finally:
            stop()
        check(logins["alice"][0]["status"] == "bad" and logins["alice"][0]["radius"] == "0",
              f"a forged Access-Accept does not log alice in: {logins['alice'][0]}")
        check(has_event(events, "gw.radius_failed") and "do not verify" in stderr,
              "and it counts as no server answering")

        # No server answers: gw.radius_failed, then the local accounts.
        rad.stop()
        dead = free_port(PORTS, udp=True)
        conf = config(work, "down", "127.0.0.1", SECRET, dead, "127.0.0.1", SECRET)
        logins, events, _ = drive(
            conf,
            "adduser", "erin", "read-only", "ErinLocal12!x",
            "login", "erin", "ErinLocal12!x",
            "login", "alice", "AlicePass12!x")
        check(logins["erin"][0]["status"] == "ok" and logins["erin"][0]["radius"] == "0",
              f"server down: erin logs in locally: {logins['erin'][0]}")
        check(logins["alice"][0]["status"] == "bad", "server down: alice (RADIUS only) refused")
        check(has_event(events, "gw.radius_failed", "login of erin from 127.0.0.1"),
              "gw.radius_failed for erin")
        check(sum(1 for c, _ in events if c == "gw.radius_failed") == 2,
              "gw.radius_failed once per login")
    finally:
        rad.stop()
        work.cleanup()
    finish()


if __name__ == "__main__":
    main()

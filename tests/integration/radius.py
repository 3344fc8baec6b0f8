"""A real FreeRADIUS server on loopback for the tests: `freeradius -X -d
CONFDIR` with a configuration of its own in a temporary directory (one
client with a shared secret, a users file with clear-text passwords,
PAP), on a free UDP port; stopped by its PID.

    from radius import RadiusServer
    with RadiusServer(workdir, {"alice": "AlicePass12!x"}, secret="s3cret") as rad:
        ... rad.port, rad.secret, rad.requests_for("alice") ...

FreeRADIUS runs in debug mode (-X): single-threaded, in the foreground,
every request written to CONFDIR/radiusd.log, which tests read to prove
what reached the server."""

import os
import shutil
import subprocess
import time

from ugtest import free_port

FREERADIUS = shutil.which("freeradius") or "/usr/sbin/freeradius"

RADIUSD_CONF = """\
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
confdir = {confdir}
logdir = ${{confdir}}
raddbdir = ${{confdir}}
radacctdir = ${{confdir}}
run_dir = ${{confdir}}
db_dir = ${{confdir}}
libdir = /usr/lib/freeradius
pidfile = ${{run_dir}}/radiusd.pid
name = freeradius
max_request_time = 5
cleanup_delay = 1
max_requests = 256
hostname_lookups = no
log {{
	destination = stdout
	auth = yes
}}
security {{
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}}
$INCLUDE clients.conf
modules {{
	pap {{
	}}
	files {{
		filename = ${{confdir}}/users
	}}
}}
server default {{
	listen {{
		type = auth
		ipaddr = {address}
		port = {port}
	}}
	authorize {{
		files
		pap
	}}
	authenticate {{
		Auth-Type PAP {{
			pap
		}}
	}}
}}
"""

CLIENTS_CONF = """\
client test {{
	ipaddr = {address}
	secret = {secret}
	require_message_authenticator = {require_ma}
}}
"""


def _quote(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class RadiusServer:
    def __init__(self, work, users, secret="testing123", port=None, address="127.0.0.1",
                 reply_messages=None, require_message_authenticator=False):
        """[work] is a directory path (or an object with .path); [users]
        maps names to clear-text passwords. With
        [require_message_authenticator] the server drops requests without
        a valid Message-Authenticator (the BlastRADIUS setting)."""
        base = getattr(work, "path", work)
        self.confdir = os.path.join(base, "freeradius")
        self.address = address
        self.secret = secret
        self.port = port or free_port(udp=True, addresses=(address,))
        self.logpath = os.path.join(self.confdir, "radiusd.log")
        os.makedirs(self.confdir, exist_ok=True)
        self._write("radiusd.conf", RADIUSD_CONF.format(confdir=self.confdir, address=address,
                                                        port=self.port))
        self._write("clients.conf", CLIENTS_CONF.format(
            address=address, secret=_quote(secret),
            require_ma="yes" if require_message_authenticator else "no"))
        lines = []
        for name, password in users.items():
            lines.append(f"{name}\tCleartext-Password := {_quote(password)}")
            if reply_messages and name in reply_messages:
                lines.append(f"\tReply-Message = {_quote(reply_messages[name])}")
        self._write("users", "\n".join(lines) + "\n")
        self.proc = None
        self.start()

    def _write(self, name, text):
        path = os.path.join(self.confdir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)

    def start(self, timeout=15):
        self.log = open(self.logpath, "ab")
        self.proc = subprocess.Popen([FREERADIUS, "-X", "-f", "-d", self.confdir],
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if "Ready to process requests" in self.logtext():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"freeradius did not start; see {self.logpath}:\n"
                           + self.logtext()[-2000:])

    def logtext(self):
        with open(self.logpath, errors="replace") as f:
            return f.read()

    def requests_for(self, user):
        """How many Access-Requests for [user] the server has received."""
        return self.logtext().count(f'User-Name = "{user}"')

    def stop(self):
        """Stops the server (by its PID); start() brings it back."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

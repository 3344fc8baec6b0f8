#!/bin/sh
# The generated upsgated.service: systemd accepts it, and it keeps the
# privilege limits the design promises (a dropped line fails here).
set -u
: "${top_builddir:?run from make check}"
unit=$top_builddir/systemd/upsgated.service
[ -f "$unit" ] || { echo "FAIL: $unit not built"; exit 1; }
failed=0

# shellcheck disable=SC2016 # $MAINPID is literal unit text
for line in \
	'Type=notify' 'WatchdogSec=30s' 'Restart=on-failure' \
	'User=upsgate' 'Group=upsgate' 'SupplementaryGroups=dialout' \
	'StateDirectory=upsgate' 'RuntimeDirectory=upsgate' 'ConfigurationDirectory=upsgate' \
	'ExecReload=/bin/kill -HUP $MAINPID' \
	'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' \
	'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' \
	'ProtectControlGroups=yes' \
	'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' \
	'RestrictNamespaces=yes' 'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' \
	'SystemCallFilter=@system-service' \
	'CapabilityBoundingSet=CAP_NET_BIND_SERVICE' 'AmbientCapabilities=CAP_NET_BIND_SERVICE' \
	'DeviceAllow=char-ttyS rw' 'DeviceAllow=char-ttyUSB rw' 'DeviceAllow=char-ttyACM rw'
do
	if ! grep -qxF "$line" "$unit"; then
		echo "FAIL: $unit lacks: $line"
		failed=1
	fi
done
# Settings changed at run time are saved next to the configuration file.
if ! grep -qx 'ReadWritePaths=.*/upsgate' "$unit" || ! grep -qx 'ConfigurationDirectoryMode=0770' "$unit"; then
	echo "FAIL: $unit does not let the daemon rewrite its configuration directory"
	failed=1
fi
if grep -n '@[a-z]*@' "$unit"; then
	echo "FAIL: $unit has unsubstituted placeholders"
	failed=1
fi

# systemd-analyze wants ExecStart= to exist: verify a copy that runs the
# built daemon.
if command -v systemd-analyze >/dev/null; then
	tmp=$(mktemp -d) || exit 1
	trap 'rm -rf "$tmp"' EXIT
	sed "s|^ExecStart=[^ ]*|ExecStart=$top_builddir/upsgated|" "$unit" >"$tmp/upsgated.service"
	# verify also loads the units installed on this machine (FreeRADIUS's
	# warns about MemoryLimit=): only lines about ours count.
	if ! out=$(systemd-analyze verify --man=no "$tmp/upsgated.service" 2>&1); then
		printf 'FAIL: systemd-analyze verify:\n%s\n' "$out"
		failed=1
	elif out=$(printf '%s\n' "$out" | grep -v '^/lib/systemd/\|^/usr/lib/systemd/\|^/etc/systemd/'); [ -n "$out" ]; then
		printf 'FAIL: systemd-analyze verify warns:\n%s\n' "$out"
		failed=1
	fi
else
	echo "note: systemd-analyze not installed, syntax not verified"
fi
[ $failed -eq 0 ] && echo "ok: $unit"
exit $failed

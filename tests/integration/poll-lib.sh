# Sourced by poll-*.sh: start upsgate-sim on a temporary link, run the
# poller test driver (polltest), stop both by their PIDs.
: "${top_builddir:=.}" "${top_srcdir:=.}"
SIM="$top_builddir/upsgate-sim"
POLLTEST="$top_builddir/tests/integration/polltest"
CHECK="/usr/bin/python3 $top_srcdir/tests/integration/pollcheck.py"
# The simulator's defaults (docs/addressing.md).
STRIDES="--per-level --unit-stride 4096 --module-stride 256"

tmp=$(mktemp -d /tmp/upsgate-poll-XXXXXX)
sim_pid=
poll_pid=

cleanup() {
	[ -n "$poll_pid" ] && kill "$poll_pid" 2>/dev/null
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	wait 2>/dev/null
	[ -n "$KEEP_TMP" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.err; do
		[ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
	done
	exit 1
}

for prog in "$SIM" "$POLLTEST"; do
	[ -x "$prog" ] || { echo "SKIP: $prog not built"; exit 77; }
done

# sim_start MAP TOPOLOGY [upsgate-sim options...]
sim_start() {
	_map=$1 _topo=$2
	shift 2
	: >"$tmp/sim.out"
	"$SIM" --map "$_map" --topology "$_topo" --link "$tmp/link" "$@" \
		>"$tmp/sim.out" 2>"$tmp/sim.err" &
	sim_pid=$!
	i=0
	while [ $i -lt 100 ]; do
		grep -q '^READY ' "$tmp/sim.out" && return 0
		kill -0 "$sim_pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	fail "upsgate-sim --map $_map --topology $_topo did not start"
}

sim_stop() {
	kill "$sim_pid" 2>/dev/null
	wait "$sim_pid" 2>/dev/null
	sim_pid=
}

sim_ctl() {
	"$SIM" ctl --link "$tmp/link" "$@" >>"$tmp/ctl.out" 2>>"$tmp/ctl.err" ||
		fail "upsgate-sim ctl $*"
}

# poll_start NAME [polltest options...]: runs in the background,
# snapshots to $tmp/NAME.jsonl, log to $tmp/NAME.err.
poll_start() {
	_name=$1
	shift
	"$POLLTEST" --link "$tmp/link" "$@" >"$tmp/$_name.jsonl" 2>"$tmp/$_name.err" &
	poll_pid=$!
}

# Stops polltest (SIGTERM: it stops the poller cleanly); fails if it
# did not exit 0 (a sanitizer report, a failed trace export).
poll_stop() {
	kill "$poll_pid" 2>/dev/null
	wait "$poll_pid"
	_rc=$?
	poll_pid=
	[ $_rc -eq 0 ] || fail "polltest exited with status $_rc"
}

# wait_for FILE PATTERN SECONDS
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "no '$2' in $1 within $3 s"
}

# Sourced by sim-*.sh: a temporary directory holding the simulator's link,
# the simulator stopped by its PID at exit, and fail() showing the logs
# (every *.err and *.out in the directory).
sim="${top_builddir:-.}/upsgate-sim"
tmp=$(mktemp -d "/tmp/${SIM_TEST_NAME:-sim-test}.XXXXXX")
link="$tmp/ups"
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.err "$tmp"/*.out; do
		[ -s "$f" ] && { echo "--- $f"; cat "$f"; }
	done
	exit 1
}
# start_sim ARGS...: upsgate-sim on $link with ARGS; waits for its READY line.
start_sim() {
	"$sim" "$@" --link "$link" >"$tmp/ready" 2>"$tmp/sim.err" &
	pid=$!
	i=0
	until grep -q '^READY /dev/pts/' "$tmp/ready" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "the simulator did not print READY within 5 s"
		kill -0 "$pid" 2>/dev/null || fail "the simulator exited"
		sleep 0.1
	done
}

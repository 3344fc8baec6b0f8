#!/bin/sh
# Every map and topology is detected: speed, map, topology, units,
# modules, and every present level read at its offset.
. "$top_srcdir/tests/integration/poll-lib.sh"

# map topology sim-baud expected: map topology units modules levels
while read -r map topo baud emap etopo units modules levels; do
	# --emulate-wire: the simulator answers only at its own speed.
	sim_start "$map" "$topo" --baud "$baud" --emulate-wire
	# --count 3: the first snapshots after detection, with every level read.
	"$POLLTEST" --link "$tmp/link" $STRIDES --interval 0.3 --fast 0.15 \
		--count 3 --duration 40 >"$tmp/detect.jsonl" 2>"$tmp/detect.err" ||
		fail "polltest for $map $topo"
	$CHECK detect "$tmp/detect.jsonl" "$emap" "$etopo" "$units" "$modules" "$levels" ||
		fail "$map $topo at $baud baud"
	grep -q "detected $emap at $baud baud" "$tmp/detect.err" ||
		fail "no detection log line for $map $topo"
	sim_stop
done <<'CASES'
jbusp single 9600 JBUSP single 0 0 1
jbusp parallel:3 19200 JBUSP parallel 3 0 4
jbusp modular:4 9600 JBUSP modular-unit 0 4 5
vumap single 9600 VU-MAP single 0 0 1
vumap modular:4 57600 VU-MAP modular-unit 0 4 5
vumap parallel:3 9600 VU-MAP parallel 3 0 4
vumap modular-parallel:2x3 19200 VU-MAP modular-system 2 6 9
sts sts 2400 STS sts 0 0 1
CASES
echo "ok poll-detect"

#!/bin/sh
# 20 % CRC errors, then timeouts, then garbage: with max_failures 3 the
# poller never reports comm lost, and no alarm, status bit, flag or
# measurement ever takes a value the device did not hold.
. "$top_srcdir/tests/integration/poll-lib.sh"

for map in jbusp vumap sts; do
	topo=single
	[ "$map" = sts ] && topo=sts
	sim_start "$map" "$topo" --baud 19200
	poll_start "inject-$map" --baud 19200 --map "$map" --interval 0.2 --fast 0.1 --max-failures 3 \
		--trace 500 --trace-csv "$tmp/trace-$map.csv"
	wait_for "$tmp/inject-$map.jsonl" '"comm":"ok"' 15
	for kind in crc timeout garbage; do
		sim_ctl inject "$kind" 20
		sleep 3
		sim_ctl inject "$kind" 0
	done
	sleep 0.5
	poll_stop
	$CHECK inject "$tmp/inject-$map.jsonl" || fail "$map under injected errors"
	# The trace saw requests, replies and the injected failures.
	head -n 1 "$tmp/trace-$map.csv" | grep -qx 'time,direction,length,bytes,note' ||
		fail "trace CSV header"
	for what in ',tx,8,01 03 ' ',rx,' ',error,0,,"crc error' ',error,0,,"timeout'; do
		grep -q "$what" "$tmp/trace-$map.csv" || fail "no '$what' row in the $map trace"
	done
	sim_stop
done

# A silent line: poller_stop() returns within about one transaction
# timeout (50 ms + 107 ms for 96 registers at 19200), not after retries.
sim_start vumap single --baud 19200
poll_start stop --baud 19200 --map vumap --interval 0.2 --fast 0.1
wait_for "$tmp/stop.jsonl" '"comm":"ok"' 15
sim_ctl inject timeout 100
sleep 1.3
poll_stop
ms=$(sed -n 's/^polltest: poller stopped in \([0-9]*\) ms$/\1/p' "$tmp/stop.err")
[ -n "$ms" ] || fail "polltest did not report its stop"
[ "$ms" -le 500 ] || fail "poller_stop took $ms ms on a silent line"
echo "# poller_stop on a silent line: $ms ms"
echo "ok poll-inject"

#!/bin/sh
# The same configuration applied again and again (what every settings
# change through the web, SNMP or upsgatectl does to the poller) keeps
# every measurement in every snapshot.
. "$top_srcdir/tests/integration/poll-lib.sh"

sim_start vumap single --baud 19200
poll_start reconf --baud 19200 --interval 0.3 --fast 0.1 --reconfigure-every 2 --count 40
wait_for "$tmp/reconf.jsonl" '"comm":"ok"' 15
wait "$poll_pid" || fail "polltest failed"
grep -q 'reconfigure refused' "$tmp/reconf.err" && fail "reconfigure refused"
$CHECK reconfigure "$tmp/reconf.jsonl" || fail "measurements lost on reload"
echo "ok poll-reconfigure"

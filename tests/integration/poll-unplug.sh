#!/bin/sh
# The link disappears for 3 s (the pty is closed, the symlink moves):
# comm is lost after the configured failures, the device is reopened
# with back-off, comm is restored, all in the same poller.
. "$top_srcdir/tests/integration/poll-lib.sh"

sim_start jbusp single --baud 9600
poll_start unplug --baud 9600 --interval 0.3 --fast 0.15 --max-failures 3 --reopen-max 1
wait_for "$tmp/unplug.jsonl" '"comm":"ok"' 15
sim_ctl unplug 3
wait_for "$tmp/unplug.jsonl" '"comm":"lost"' 10
wait_for "$tmp/unplug.err" 'reopened' 15
wait_for "$tmp/unplug.err" 'restored' 5
sleep 1
kill -0 "$poll_pid" 2>/dev/null || fail "polltest exited"
poll_stop
$CHECK unplug "$tmp/unplug.jsonl" || fail "unplug sequence"
grep -q 'gone' "$tmp/unplug.err" || fail "device loss not logged"
grep -q 'lost after 3 failed cycles' "$tmp/unplug.err" || fail "comm loss not logged with the count"
[ "$(grep -c 'communication .* lost' "$tmp/unplug.err")" -eq 1 ] || fail "comm loss logged more than once"
echo "ok poll-unplug"

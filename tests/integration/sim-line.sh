#!/bin/sh
# upsgate-sim on its pty with a real Modbus master (mbpoll, libmodbus):
# exceptions, wire timing and line speed, fault injection, unplug and
# replug behind the same link, bad ctl commands, clean exit.
# Exit 0 pass, 1 fail, 77 skip (mbpoll not installed).
set -u
if ! command -v mbpoll >/dev/null 2>&1; then
	echo "SKIP: mbpoll is not installed"
	exit 77
fi
SIM_TEST_NAME=sim-line
. "$(dirname "$0")/sim-lib.sh"
ctl() { "$sim" ctl --link "$link" "$@"; }
stat() { ctl stats | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
# mbpoll BAUD ADDRESS COUNT: one read of holding registers
mb() { timeout 20 mbpoll -m rtu -b "$1" -P none -a 1 -0 -1 -t 4:hex -o 1 -r "$2" -c "$3" "$link" >"$tmp/mb.out" 2>&1; }

start_sim --map vumap --topology parallel:2 --baud 19200 --emulate-wire --seed 7
echo "ok - READY $(sed 's/READY //' "$tmp/ready")"

mb 19200 0x0001 15 || fail "read of the VU-MAP identity"
grep -q '^\[1\]:.*0x0601' "$tmp/mb.out" || fail "T001 is not 06:01 (parallel)"
echo "ok - identity read, T001 = 0x0601"
mb 19200 0x1001 1 || fail "read of unit 1 at 0x1001"
grep -q '0x0101' "$tmp/mb.out" || fail "unit 1 T001 is not 01:01"
echo "ok - unit 1 at 0x1001"

mb 19200 0x3001 1 && fail "a read of unit 3 (absent) succeeded"
grep -q 'Illegal data address' "$tmp/mb.out" || fail "no exception 02 for an unserved address"
mb 19200 0x0080 20 && fail "a read spanning past 0x008F succeeded"
grep -q 'Illegal data address' "$tmp/mb.out" || fail "no exception 02 for a read spanning out"
echo "ok - exception 02"

# Wire time of a 125-register read at 19200 baud: (8 + 255 + 3.5) * 10 / 19200 = 139 ms
t0=$(date +%s%N)
mb 19200 0x0001 125 || fail "read of 125 registers"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -ge 139 ] || fail "a 125-register read took $ms ms, less than its wire time"
echo "ok - 125 registers in $ms ms (wire time 139 ms)"

before=$(stat baud_mismatch)
mb 9600 0x0001 1 && fail "a master at 9600 baud got an answer from a 19200 baud slave"
after=$(stat baud_mismatch)
[ "$after" -gt "$before" ] || fail "baud_mismatch did not count ($before -> $after)"
echo "ok - no answer at the wrong speed"

ctl inject timeout 100 >/dev/null || fail "ctl inject"
mb 19200 0x0001 1 && fail "an answer with inject timeout 100"
[ "$(stat timeouts_injected)" -ge 1 ] || fail "timeouts_injected did not count"
ctl inject timeout 0 >/dev/null
ctl inject crc 100 >/dev/null
mb 19200 0x0001 1 && fail "an answer with inject crc 100"
[ "$(stat crc_errors_injected)" -ge 1 ] || fail "crc_errors_injected did not count"
ctl inject crc 0 >/dev/null
mb 19200 0x0001 1 || fail "no answer once injection is off"
echo "ok - fault injection"

old=$(readlink "$link")
ctl unplug 1 >/dev/null || fail "ctl unplug"
sleep 0.3
[ ! -e "$link" ] || fail "the link still exists while unplugged"
mb 19200 0x0001 1 && fail "an answer while unplugged"
i=0
until [ -L "$link" ]; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "the link did not come back within 5 s"
	sleep 0.1
done
mb 19200 0x0001 1 || fail "no answer after the replug"
[ "$(stat unplugs)" = 1 ] || fail "unplugs did not count"
echo "ok - unplugged, back on $(readlink "$link") (was $old)"

ctl load 200 2>"$tmp/err" && fail "load 200 accepted"
grep -q 'error: load' "$tmp/err" || fail "no clear error for load 200"
ctl alarm A999 on 2>/dev/null && fail "an unknown acronym accepted"
ctl frobnicate 2>/dev/null && fail "an unknown command accepted"
ctl alarm A001 on >/dev/null || fail "alarm A001 on"
mb 19200 0x0038 1 || fail "read of the alarm word"
grep -q '0x0002' "$tmp/mb.out" || fail "A001 not set"
echo "ok - ctl commands"

kill "$pid"
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || fail "exit status $rc on SIGTERM"
[ ! -e "$link" ] && [ ! -e "$link.ctl" ] || fail "the link or the control socket was left behind"
echo "ok - clean exit"
echo "PASS"
exit 0

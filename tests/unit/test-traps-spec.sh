#!/bin/sh
# The committed src/snmp/tab_traps.c must be what tools/gen-traps makes
# from the spec (../shared/spec, or $UPSGATE_SPEC), hold every trap of
# nv_traps.tsv and sts_traps.tsv, and the generator must refuse
# inconsistent inputs.
. "$(dirname "$0")/spec-lib.sh"
gen="$top_srcdir/tools/gen-traps"
tab="$top_srcdir/src/snmp/tab_traps.c"

check_generated gen-traps src/snmp/tab_traps.c

nv=$(($(wc -l <"$spec/nv_traps.tsv") - 1))
check "every nv_traps row is a trap" "$(grep -c '^	{ TRAP_MIB_NV, ' "$tab")" "$nv"
sts=$(awk -F'\t' 'NR > 1 && $5 != ""' "$spec/sts_traps.tsv" | wc -l)
check "every numbered sts_traps row is a trap" "$(grep -c '^	{ TRAP_MIB_STS, ' "$tab")" "$sts"
check "the four RFC1628 traps" "$(grep -c '^	{ TRAP_MIB_RFC1628, ' "$tab")" 4
# Each v2 OID of the spec appears verbatim in the table.
missing=0
for o in $(awk -F'\t' 'NR > 1 && $9 != "" { print $9 }' "$spec/nv_traps.tsv"); do
	c=$(echo "$o" | sed 's/\./, /g')
	grep -q "{ $c }" "$tab" || missing=$((missing + 1))
done
check "every nv_traps v2 OID is in the table" "$missing" 0

# A copy of the spec with one row broken at a time must be refused.
expect_reject() {
	name=$1 file=$2 sed_expr=$3
	rm -rf "$tmp/spec" && cp -r "$spec" "$tmp/spec"
	sed "$sed_expr" "$spec/$file" >"$tmp/spec/$file"
	if cmp -s "$spec/$file" "$tmp/spec/$file"; then
		not_ok "$name: the test edit changed nothing"
		return
	fi
	if python3 "$gen" "$tmp/spec" "$tmp/bad.c" 2>"$tmp/err"; then
		not_ok "$name: accepted"
	elif grep -q "$file" "$tmp/err"; then
		ok "$name: rejected ($(cat "$tmp/err"))"
	else
		not_ok "$name: rejected without naming $file ($(cat "$tmp/err"))"
	fi
}

expect_reject "v2 OID not enterprise.0.N" nv_traps.tsv 's/1\.3\.6\.1\.4\.1\.4555\.1\.1\.7\.2\.0\.6	/1.3.6.1.4.1.4555.1.1.7.2.0.7	/'
expect_reject "level disagrees with the event list" nv_traps.tsv 's/^6	upsTrapOverload	Warning/6	upsTrapOverload	Critical/'
expect_reject "unknown level" nv_traps.tsv 's/^5	upsTrapImminentStop	Critical/5	upsTrapImminentStop	Severe/'
expect_reject "duplicate trap" nv_traps.tsv '/^7	upsTrapRedundancyLost/p'
expect_reject "missing varbind object" nv_mib.tsv 's/	upsSecondsOnBattery	/	upsSecondsOnBatt	/'
expect_reject "STS v2 OID" sts_traps.tsv 's/1\.3\.6\.1\.4\.1\.4555\.1\.1\.10\.2\.0\.3	/1.3.6.1.4.1.4555.1.1.10.2.0.9	/'
expect_reject "well-known on-battery alarm missing" rfc1628_wellknown_alarms.tsv 's/	upsAlarmOnBattery	/	upsAlarmOnBatt	/'

echo "1..$n"
[ "$failed" -eq 0 ]

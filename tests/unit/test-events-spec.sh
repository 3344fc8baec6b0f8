#!/bin/sh
# The committed src/core/tab_events.c must be what tools/gen-events makes
# from the spec (../shared/spec, or $UPSGATE_SPEC) and the map tables; it
# must hold every nv_events row and every managed alarm bit; and the
# generator must refuse inconsistent inputs.
. "$(dirname "$0")/spec-lib.sh"
gen="$top_srcdir/tools/gen-events"
tab="$top_srcdir/src/core/tab_events.c"
dev="$top_srcdir/src/device"

check_generated gen-events src/core/tab_events.c

rows=$(grep -c '^	{ "' "$tab")
check "rows are unique codes" "$(grep -o '^	{ "[^"]*"' "$tab" | sort -u | wc -l)" "$rows"
nv=$(($(wc -l <"$spec/nv_events.tsv") - 1))
extra=$(grep -c '^    ("gw\.' "$gen")   # gen-events' EXTRA_EVENTS
check "every nv_events row has a gw. event" \
	"$(grep -c '^	{ "gw\.' "$tab")" "$((nv + extra))"
for m in jbusp vumap sts; do
	managed=$(grep -A200 "${m}_alarm_bits\[" "$dev/tab_$m.c" | sed '/^};/q' |
		grep -c 'LEVEL_\(INFO\|WARNING\|CRITICAL\)')
	have=$(grep -c "^	{ \"$m\.A" "$tab")
	check "every managed $m alarm bit has an event" "$have" "$managed"
done
sts=$(($(wc -l <"$spec/sts_events.tsv") - 1))
check "every sts_events row has an event" "$(grep -c '^	{ "sts\.' "$tab")" "$sts"
check "the 10 UPS status events" "$(grep -c '^	{ "ups\.status\.' "$tab")" 10

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
	elif grep -q "$file:[0-9]*:" "$tmp/err" || grep -q "$file" "$tmp/err"; then
		ok "$name: rejected ($(cat "$tmp/err"))"
	else
		not_ok "$name: rejected without naming $file ($(cat "$tmp/err"))"
	fi
}

expect_reject "unknown source bit" ups_events.tsv 's/	A02	A001	/	A02	A201	/'
expect_reject "unknown MIB source bit" nv_mib.tsv 's/	A31	A000	/	A31	A999	/'
expect_reject "nv_events row without a code" nv_events.tsv 's/	Cold boot	/	Colder boot	/'
expect_reject "duplicate code" ups_events.tsv '/	UPS connected	/p'
expect_reject "STS level against the map" sts_events.tsv 's/^2	C	STS Source 1 Critical/2	W	STS Source 1 Critical/'
expect_reject "unknown related trap" nv_events.tsv 's/	UPS communication lost		14	/	UPS communication lost		99	/'
expect_reject "well-known alarm disagreement" ups_events.tsv 's/	3\.2	A02	A001	/	3.3	A02	A001	/'

echo "1..$n"
[ "$failed" -eq 0 ]

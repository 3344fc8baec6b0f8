#!/bin/sh
# The committed src/bacnet/tab_objects.c must be what tools/gen-bacnet
# makes from the spec (../shared/spec, or $UPSGATE_SPEC) and
# src/bacnet/objects.tsv; and the generator must refuse broken inputs.
. "$(dirname "$0")/spec-lib.sh"
gen="$top_srcdir/tools/gen-bacnet"
objects="$top_srcdir/src/bacnet/objects.tsv"

if python3 "$gen" "$spec" "$tmp/tab_objects.c"; then
	ok "gen-bacnet runs on $spec"
else
	not_ok "gen-bacnet runs on $spec"
fi
if diff -u "$top_srcdir/src/bacnet/tab_objects.c" "$tmp/tab_objects.c"; then
	ok "tab_objects.c is current"
else
	not_ok "tab_objects.c differs: run tools/gen-bacnet $spec src/bacnet/tab_objects.c"
fi

# One edit at a time to a copy of objects.tsv (where=objects) or of a spec
# file (where=NAME.tsv) must be refused with a file:line reason.
expect_reject() {
	name=$1 where=$2 sed_expr=$3
	rm -rf "$tmp/spec" && cp -r "$spec" "$tmp/spec"
	cp "$objects" "$tmp/objects.tsv"
	if [ "$where" = objects ]; then
		src="$objects" dst="$tmp/objects.tsv"
	else
		src="$spec/$where" dst="$tmp/spec/$where"
	fi
	sed "$sed_expr" "$src" >"$dst"
	if cmp -s "$src" "$dst"; then
		not_ok "$name: the test edit changed nothing"
		return
	fi
	if python3 "$gen" --objects "$tmp/objects.tsv" "$tmp/spec" "$tmp/bad.c" 2>"$tmp/err"; then
		not_ok "$name: accepted"
	elif grep -q ':[0-9][0-9]*: ' "$tmp/err"; then
		ok "$name: rejected ($(cat "$tmp/err"))"
	else
		not_ok "$name: rejected without file:line ($(cat "$tmp/err"))"
	fi
}

expect_reject "unknown meas key" objects 's/	output\.load	$/	output.loads	/'
expect_reject "unknown flag" objects 's/flag=ENERGY_SAVER/flag=ENERGY_SAVING/'
expect_reject "unknown enum value" objects 's/output_source=BATTERY/output_source=BATTERIES/'
expect_reject "undescribed raw bit" objects 's/alarm=vumap:A054/alarm=vumap:A075/'
expect_reject "state beyond the count" objects 's/^\(default	MV	5	-	\)10/\111/'
expect_reject "level against the spec" objects 's/^object	AV	0	system/object	AV	0	unit/'
expect_reject "object without a row" objects '/^object	AV	87	/d'
expect_reject "MV without a default" objects '/^default	MV	6	/d'
expect_reject "count decision missing" objects '/^count	BSV	1	/d'
expect_reject "units decision missing" objects '/^units	AV	22	/d'
expect_reject "duplicate instance" bacnet_objects.tsv 's/^AV	1	UPS_OUTPUT_kVA/AV	0	UPS_OUTPUT_kVA/'
expect_reject "states not contiguous" bacnet_states.tsv 's/^\(MV	6	RectifierStatus	\)2/\13/'
expect_reject "units code not numeric" bacnet_objects.tsv 's/^\(AV	0	UPS_OUTPUT_Lr	%	\)98/\1pct/'

echo "1..$n"
[ "$failed" -eq 0 ]

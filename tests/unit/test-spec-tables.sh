#!/bin/sh
# The committed src/device/tab_*.c must be what tools/gen-tables makes
# from the spec (../shared/spec, or $UPSGATE_SPEC) and src/device/maps/;
# and the generator must reject maps rows that do not match the spec.
. "$(dirname "$0")/spec-lib.sh"
gen="$top_srcdir/tools/gen-tables"
dev="$top_srcdir/src/device"

mkdir "$tmp/out"
if python3 "$gen" "$spec" "$tmp/out"; then
	ok "gen-tables runs on $spec"
else
	not_ok "gen-tables runs on $spec"
fi
for f in tab_jbusp.c tab_vumap.c tab_sts.c tab_types.c; do
	if diff -u "$dev/$f" "$tmp/out/$f"; then
		ok "$f is current"
	else
		not_ok "$f differs from the spec: run tools/gen-tables $spec src/device"
	fi
done

# A copy of the device dir with one row broken at a time must be refused.
expect_reject() {
	name=$1 file=$2 sed_expr=$3
	rm -rf "$tmp/dev" && mkdir -p "$tmp/dev/maps" "$tmp/bad"
	cp "$dev/meas.h" "$dev/model.h" "$tmp/dev/"
	cp "$dev"/maps/*.tsv "$tmp/dev/maps/"
	sed "$sed_expr" "$dev/maps/$file" >"$tmp/dev/maps/$file"
	if cmp -s "$dev/maps/$file" "$tmp/dev/maps/$file"; then
		not_ok "$name: the test edit changed nothing"
		return
	fi
	if python3 "$gen" --device-dir "$tmp/dev" "$spec" "$tmp/bad" 2>"$tmp/err"; then
		not_ok "$name: accepted"
	else
		ok "$name: rejected ($(cat "$tmp/err"))"
	fi
}

expect_reject "unknown acronym" jbusp.tsv 's/^meas	M03	/meas	M99	/'
expect_reject "blank spec row" jbusp.tsv 's/^meas	M03	/meas	M25	/'
expect_reject "unknown meas id" vumap.tsv 's/	OUTPUT_LOAD	/	OUTPUT_LOADS	/'
expect_reject "unknown flag" sts.tsv 's/	STS_S1_OK	/	STS_S1_FINE	/'
expect_reject "divisor against the spec" jbusp.tsv 's/^meas	M15	OUTPUT_I_L1			/meas	M15	OUTPUT_I_L1			100/'
expect_reject "missing STS divisor" sts.tsv 's/^\(meas	M000	STS_S1_V_L1			\)1/\1/'
expect_reject "block too small for the spec" jbusp.tsv 's/^\(block	status	STATUS	0x1020	\)4/\13/'

echo "1..$n"
[ "$failed" -eq 0 ]

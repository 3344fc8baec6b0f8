#!/bin/sh
# The committed Socomec MIB tables (src/snmp/tab_nvmib.c, tab_stsmib.c) and
# MIB files (share/mibs/) must be what tools/gen-mib makes from the spec
# (../shared/spec, or $UPSGATE_SPEC) and src/snmp/*.tsv, and the generator
# must refuse inconsistent inputs.
. "$(dirname "$0")/spec-lib.sh"
gen="$top_srcdir/tools/gen-mib"
files="src/snmp/tab_nvmib.c src/snmp/tab_stsmib.c share/mibs/SOCOMECUPS7-MIB.txt
share/mibs/SOCOMECUPS-MIB.txt share/mibs/SOCOMECUPSSTS-MIB.txt"

if python3 "$gen" "$spec" "$tmp/out"; then
	ok "gen-mib runs on $spec"
else
	not_ok "gen-mib runs on $spec"
fi
for f in $files; do
	if diff -u "$top_srcdir/$f" "$tmp/out/$f"; then
		ok "$f is current"
	else
		not_ok "$f differs: run tools/gen-mib $spec ."
	fi
done

# Every spec object is served or described: 62 well-known alarms, every
# named object of nv_mib.tsv and sts_mib.tsv in the MIB files.
missing=
for name in $(cut -f4 "$spec/nv_mib.tsv" | tail -n +2 | tr '/' '\n' | grep .); do
	grep -q "^$name " "$top_srcdir/share/mibs/SOCOMECUPS7-MIB.txt" || missing="$missing $name"
done
[ -z "$missing" ] && ok "every nv_mib.tsv name is in SOCOMECUPS7-MIB" ||
	not_ok "nv_mib.tsv names missing from SOCOMECUPS7-MIB:$missing"
missing=
for name in $(cut -f2 "$spec/sts_mib.tsv" | tail -n +2); do
	grep -q "^$name " "$top_srcdir/share/mibs/SOCOMECUPSSTS-MIB.txt" || missing="$missing $name"
done
[ -z "$missing" ] && ok "every sts_mib.tsv name is in SOCOMECUPSSTS-MIB" ||
	not_ok "sts_mib.tsv names missing from SOCOMECUPSSTS-MIB:$missing"

# A spec or a choice broken at a time must be refused, naming the file.
expect_reject() {
	name=$1 file=$2 sed_expr=$3
	rm -rf "$tmp/spec" "$tmp/top" && cp -r "$spec" "$tmp/spec"
	mkdir -p "$tmp/top/tools" "$tmp/top/src" && cp "$gen" "$tmp/top/tools/" &&
		cp -r "$top_srcdir/src/snmp" "$top_srcdir/src/device" "$top_srcdir/src/core" "$tmp/top/src/"
	case $file in
	*/*) target="$tmp/top/$file" ;;
	*) target="$tmp/spec/$file" ;;
	esac
	sed "$sed_expr" "$target" >"$tmp/edit" && mv "$tmp/edit" "$target"
	if python3 "$tmp/top/tools/gen-mib" "$tmp/spec" "$tmp/bad" 2>"$tmp/err"; then
		not_ok "$name: accepted"
	elif grep -q "$(basename "$file")" "$tmp/err"; then
		ok "$name: rejected ($(cat "$tmp/err"))"
	else
		not_ok "$name: rejected without naming $file ($(cat "$tmp/err"))"
	fi
}

expect_reject "object without our row" src/snmp/nvmib.tsv '/^upsBatteryCurrent	/d'
expect_reject "unknown measurement" src/snmp/nvmib.tsv 's/meas battery.charge/meas battery.chrge/'
expect_reject "scale against the spec format" src/snmp/nvmib.tsv 's/^\(upsInputFrequency	int	ro	\)1/\10/'
expect_reject "unknown setting" src/snmp/nvmib.tsv 's/setting system.contact/setting system.contacts/'
expect_reject "writable measurement" src/snmp/nvmib.tsv 's/^upsOutputLoadRate	int	ro/upsOutputLoadRate	int	rw/'
expect_reject "unknown well-known source bit" nv_mib.tsv 's/	A31	A000	/	A31	A999	/'
expect_reject "STS object without our row" src/snmp/stsmib.tsv '/^stsOutputkW	/d'

echo "1..$n"
[ "$failed" -eq 0 ]

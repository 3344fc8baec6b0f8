#!/bin/sh
# The MIB files of share/mibs: each passes smilint (libsmi) at level 3
# without a message, net-snmp's parser loads them without an error, and
# snmptranslate names every instance the NET VISION, legacy and STS
# builders serve (tests/unit/test-snmp-nvmib --list, over JBUSP, VU-MAP
# single and parallel, STS...) as OBJECT.INDEX of one of our modules.
# The IETF base modules they import are written by mib-standins.sh.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/unit/mib-standins.sh"
mibs="$top_srcdir/share/mibs"
list="$top_builddir/tests/unit/test-snmp-nvmib"

for tool in smilint snmptranslate; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: $tool not installed (Debian smitools, snmp)"
		exit 77
	fi
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mib_standins "$tmp"
# net-snmp keeps no state and reads no configuration of the host here.
export SNMP_PERSISTENT_DIR="$tmp/persist" SNMPCONFPATH="$tmp" MIBS= MIBDIRS=
mkdir -p "$tmp/persist/cert_indexes"
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

modules=
for f in "$mibs"/*.txt; do
	name=$(basename "$f" .txt)
	modules="$modules${modules:+:}$name"
	out=$(SMIPATH="$tmp:$mibs" smilint -l 3 -s "$f" 2>&1)
	if [ -z "$out" ]; then ok "smilint -l 3 $name: clean"; else not_ok "smilint $name: $out"; fi
	grep -q "^$name DEFINITIONS ::= BEGIN" "$f" && ok "$name: module named as its file" ||
		not_ok "$name: the file does not define module $name"
	grep -q "MODULE-IDENTITY" "$f" && ok "$name: has a MODULE-IDENTITY" ||
		not_ok "$name: no MODULE-IDENTITY"
done

# A broken file must be caught (the check can fail).
sed 's/^upsBatteryStatus OBJECT-TYPE/upsBatteryStatus OBJECT-TIPE/' \
	"$mibs/SOCOMECUPS7-MIB.txt" >"$tmp/SOCOMECUPS7-MIB.txt"
if [ -n "$(SMIPATH="$tmp" smilint -l 3 "$tmp/SOCOMECUPS7-MIB.txt" 2>&1)" ]; then
	ok "smilint reports a broken module"
else
	not_ok "smilint accepts a broken module"
fi
rm -f "$tmp/SOCOMECUPS7-MIB.txt"

err=$(snmptranslate -M "$tmp:$mibs" -m "$modules" -Pe .1.3.6.1.4.1.4555 2>&1 >/dev/null)
if [ -z "$err" ]; then ok "net-snmp parses every module"; else not_ok "net-snmp: $err"; fi

if ! "$list" --list | sort -u >"$tmp/oids" || [ ! -s "$tmp/oids" ]; then
	not_ok "test-snmp-nvmib --list gives the served OIDs"
else
	total=$(wc -l <"$tmp/oids")
	xargs snmptranslate -M "$tmp:$mibs" -m "$modules" <"$tmp/oids" 2>&1 | grep . >"$tmp/names"
	bad=$(grep -v -E '^SOCOMECUPS(7|STS)?-MIB::[a-zA-Z][A-Za-z0-9]*\.[0-9]+$' "$tmp/names" | head -5)
	named=$(grep -c -E '^SOCOMECUPS(7|STS)?-MIB::[a-zA-Z][A-Za-z0-9]*\.[0-9]+$' "$tmp/names")
	if [ -z "$bad" ] && [ "$named" -eq "$total" ]; then
		ok "snmptranslate names all $total served OIDs"
	else
		not_ok "snmptranslate: $named of $total named; e.g. $bad"
	fi
fi
echo "1..$n"
[ "$failed" -eq 0 ]

# Sourced by the tests that check generated tables against the spec
# (../shared/spec beside the tree, or $UPSGATE_SPEC): finds the spec or
# skips (exit 77), makes $tmp, and counts TAP results with ok / not_ok.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
spec=${UPSGATE_SPEC:-$top_srcdir/../shared/spec}

if [ ! -d "$spec" ]; then
	echo "SKIP: spec directory $spec not found (set UPSGATE_SPEC to check the tables)"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 not found"
	exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
n=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=$((failed + 1))
}

# check WHAT GOT WANT: one TAP line comparing two values.
check() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else not_ok "$1: got $2, want $3"; fi
}

# check_generated TOOL TABLE: tools/TOOL run on the spec makes exactly
# the committed TABLE (a path under the top of the tree).
check_generated() {
	_out="$tmp/$(basename "$2")"
	if python3 "$top_srcdir/tools/$1" "$spec" "$_out"; then
		ok "$1 runs on $spec"
	else
		not_ok "$1 runs on $spec"
	fi
	if diff -u "$top_srcdir/$2" "$_out"; then
		ok "$(basename "$2") is current"
	else
		not_ok "$(basename "$2") differs: run tools/$1 $spec $2"
	fi
}

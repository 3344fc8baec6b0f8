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

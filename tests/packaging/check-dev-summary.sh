#!/bin/bash
# ./dev test's counting: automake's .trs results of every stage add up to
# the closing "N passed, N failed, N skipped" line CI reads.
# make check runs .sh tests with /bin/sh.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
: "${top_srcdir:?run from make check}"
# shellcheck source=/dev/null
source "$top_srcdir/dev" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/a/sub" "$tmp/b"
printf ':test-result: PASS\n' >"$tmp/a/sub/x.trs"
printf ':test-result: FAIL\n' >"$tmp/a/sub/y.trs"
printf 'y went wrong\n' >"$tmp/a/sub/y.log"
printf ':test-result: SKIP\n' >"$tmp/a/z.trs"
printf ':test-result: PASS\n:test-result: XFAIL\n:test-result: XPASS\n:test-result: ERROR\n' >"$tmp/b/tap.trs"

count_results one "$tmp/a"
count_results two "$tmp/b"
record_broken_stage three "$tmp/none.log"
out=$(print_summary)
failed=0
expect() {
	if [ "$1" != "$2" ]; then
		printf 'FAIL: %s: got "%s", want "%s"\n' "$3" "$1" "$2"
		failed=1
	fi
}
expect "$(printf '%s\n' "$out" | tail -n 1)" "3 passed, 4 failed, 1 skipped" "closing line"
# shellcheck disable=SC2154 # set by dev
expect "${#failed_logs[@]}" 3 "failed logs listed once each"
expect "$(printf '%s\n' "$out" | grep -c 'y went wrong')" 1 "log tail of the failed test"
[ $failed -eq 0 ] && echo "ok: summary counts"
exit $failed

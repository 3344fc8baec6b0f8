#!/bin/sh
# The developer and packaging scripts parse (a syntax error in ./dev or
# .ci/run would otherwise show up only in CI).
set -u
: "${top_srcdir:?run from make check}"
failed=0
check() {
	if "$@" 2>&1; then
		echo "ok: $*"
	else
		echo "FAIL: $*"
		failed=1
	fi
}
check bash -n "$top_srcdir/dev"
check bash -n "$top_srcdir/.ci/run"
check bash -n "$top_srcdir/tests/fuzz/run-smoke.sh"
check sh -n "$top_srcdir/debian/upsgate.postinst"
check sh -n "$top_srcdir/debian/upsgate.postrm"
for f in "$top_srcdir/dev" "$top_srcdir/.ci/run" "$top_srcdir/tests/fuzz/run-smoke.sh" \
	"$top_srcdir/debian/rules"; do
	[ -x "$f" ] || { echo "FAIL: $f is not executable"; failed=1; }
done
if command -v shellcheck >/dev/null; then
	check shellcheck -S warning "$top_srcdir/dev" "$top_srcdir/.ci/run" \
		"$top_srcdir"/tests/fuzz/*.sh "$top_srcdir"/tests/packaging/*.sh \
		"$top_srcdir/debian/upsgate.postinst" "$top_srcdir/debian/upsgate.postrm"
fi
exit $failed

#!/bin/sh
# Every manual page formats without a groff warning and names itself
# after its file (NAME.SECTION <-> .TH NAME SECTION).
set -u
: "${top_srcdir:?run from make check}"
command -v groff >/dev/null || { echo "SKIP: groff not installed"; exit 77; }
failed=0
for page in "$top_srcdir"/man/*.[1-8]; do
	[ -e "$page" ] || continue
	base=$(basename "$page")
	name=${base%.*}; section=${base##*.}
	warnings=$(groff -man -ww -z "$page" 2>&1)
	if [ -n "$warnings" ]; then
		printf 'FAIL: %s: groff warnings:\n%s\n' "$base" "$warnings"
		failed=1
	fi
	th=$(sed -n 's/^\.TH[[:space:]]\{1,\}\([^[:space:]]*\)[[:space:]]\{1,\}\([^[:space:]]*\).*/\1 \2/p' "$page" | head -n 1)
	want=$(printf '%s %s' "$name" "$section" | tr '[:lower:]' '[:upper:]')
	if [ "$(printf '%s' "$th" | tr '[:lower:]' '[:upper:]')" != "$want" ]; then
		printf 'FAIL: %s: .TH says "%s", expected "%s"\n' "$base" "$th" "$want"
		failed=1
	fi
	[ $failed -eq 0 ] && printf 'ok: %s\n' "$base"
done
exit $failed

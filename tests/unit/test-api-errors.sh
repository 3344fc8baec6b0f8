#!/bin/sh
# Every error code the web server and the API handlers reply with is in
# docs/api.md's error table, with the same HTTP status.
top=${top_srcdir:-.}
doc="$top/docs/api.md"
fail=0
n=0
codes=$(cat "$top"/src/web/*.c |
	sed -n -e 's/.*web_reply_error(r, \([0-9][0-9]*\), "\([a-z_]*\)".*/\1 \2/p' \
	       -e 's/.*api_reply_rejected(r, \([0-9][0-9]*\), "\([a-z_]*\)".*/\1 \2/p' |
	sort -u)
[ -n "$codes" ] || { echo "not ok: no error code found in $top/src/web"; exit 1; }
# "locked" is built by hand (it carries retry_after).
codes="$codes
423 locked"
while read -r status code; do
	n=$((n + 1))
	if ! grep -q "^| $status | \`$code\` |" "$doc"; then
		echo "not ok: $status $code is not in the error table of $doc"
		fail=1
	fi
done <<EOF2
$codes
EOF2
grep -q '"code", "locked"' "$top"/src/web/api_session.c || {
	echo "not ok: api_session.c no longer replies 'locked'"; fail=1; }
echo "$n error codes checked"
exit $fail

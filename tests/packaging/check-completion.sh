#!/bin/bash
# share/bash-completion/upsgatectl completes what upsgatectl takes:
# commands, log names, and setting keys (from upsgated --settings when no
# daemon runs). Driven the way bash-completion drives it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"     # make check may run it with sh
set -u
: "${top_srcdir:?run from make check}" "${top_builddir:?run from make check}"
lib=/usr/share/bash-completion/bash_completion
if [ ! -r "$lib" ]; then
	echo "SKIP: $lib missing (Debian package bash-completion)"
	exit 77
fi
# shellcheck source=/dev/null
. "$lib"
# shellcheck source=../../share/bash-completion/upsgatectl
. "$top_srcdir/share/bash-completion/upsgatectl"
PATH=$top_builddir:$PATH
failed=0

# complete LINE: the candidates for the last word of LINE.
complete_line() {
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	_upsgatectl
	printf '%s\n' "${COMPREPLY[@]}"
}

expect() {
	local line=$1 out
	shift
	out=$(complete_line "$line")
	for want in "$@"; do
		if ! grep -qxF -- "$want" <<<"$out"; then
			echo "FAIL: '$line' does not offer '$want' (got: $(echo $out))"
			failed=1
		fi
	done
}

expect "upsgatectl " status alarms logs config restart users passwd password backup restore \
	factory-reset
expect "upsgatectl logs " history extended ups gateway
expect "upsgatectl logs gateway --" --since --csv --json
expect "upsgatectl config " get set list
expect "upsgatectl config get serial.po" serial.poll_interval
expect "upsgatectl -s /nonexistent config set auth.radius.pri" auth.radius.primary \
	auth.radius.primary_secret
expect "upsgatectl config get snmp.read_community " --reveal
expect "upsgatectl password " reset
expect "upsgatectl factory-reset " --yes
n=$(complete_line "upsgatectl config set " | wc -l)
keys=$(upsgated --settings | grep -c '^[a-z]')
if [ "$n" -ne "$keys" ]; then
	echo "FAIL: config set offers $n keys, the schema has $keys"
	failed=1
fi
if command -v shellcheck >/dev/null &&
	! shellcheck -S warning -s bash "$top_srcdir/share/bash-completion/upsgatectl"; then
	echo "FAIL: shellcheck share/bash-completion/upsgatectl"
	failed=1
fi
[ $failed -eq 0 ] && echo "ok: upsgatectl completion ($keys keys)"
exit $failed

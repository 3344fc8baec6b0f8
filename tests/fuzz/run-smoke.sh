#!/bin/bash
# Fuzz smoke: build every tests/fuzz/fuzz-*.c with libFuzzer, ASan and UBSan,
# run each for a short while, record one automake-style result per target.
#
#   tests/fuzz/run-smoke.sh [BUILDDIR [OUTDIR]]
#
# BUILDDIR is a configured build tree (for config.h; default ./build);
# OUTDIR receives binaries, corpora, fuzz-NAME.log and fuzz-NAME.trs
# (default ./build-fuzz). FUZZ_SECONDS overrides the run time per target.
#
# A target names what it needs in its opening comment, one line each:
#   fuzz-sources: src/device/rtu.c src/common/log.c
#   fuzz-pkgs: libmodbus            (pkg-config names, optional)
# Seeds, if any, live in tests/fuzz/corpus/NAME/ and are never written to.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=$(cd "${1:-$top/build}" && pwd) || exit 1
outdir=${2:-$top/build-fuzz}
seconds=${FUZZ_SECONDS:-15}
cc=${FUZZ_CC:-clang}

[ -f "$builddir/config.h" ] || { echo "run-smoke: $builddir has no config.h: configure it first" >&2; exit 1; }
command -v "$cc" >/dev/null || { echo "run-smoke: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
mkdir -p "$outdir" || exit 1
# Leaks of third-party libraries we cannot fix (see the file).
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
outdir=$(cd "$outdir" && pwd)

# shellcheck disable=SC2054 # commas belong to -fsanitize=
cflags=(-std=gnu11 -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Wno-unused-parameter
	-include "$builddir/config.h" -I"$top/src" -I"$builddir"
	-DSYSCONFDIR='"/etc"' -DLOCALSTATEDIR='"/var"'
	-DRUNSTATEDIR='"/run"' -DPKGDATADIR='"/usr/share/upsgate"')

# header_field FILE NAME: the words after "NAME:" in FILE's opening comment.
header_field() {
	sed -n "1,30{s|.*$2:[[:space:]]*||p}" "$1" | sed 's|\*/.*||' | tr '\n' ' '
}

# result NAME PASS|FAIL: write the .trs that ./dev and automake's format share.
result() {
	printf ':test-result: %s\n:global-test-result: %s\n:recheck: %s\n:copy-in-global-log: %s\n' \
		"$2" "$2" "$([ "$2" = PASS ] && echo no || echo yes)" \
		"$([ "$2" = PASS ] && echo no || echo yes)" >"$outdir/$1.trs"
	printf '%s: %s\n' "$2" "$1"
}

fuzz_one() {
	local src=$1 name sources pkgs log bin work seeds=()
	name=$(basename "$src" .c)
	log=$outdir/$name.log
	bin=$outdir/$name
	work=$outdir/$name.corpus
	sources=()
	for f in $(header_field "$src" fuzz-sources); do sources+=("$top/$f"); done
	pkgs=$(header_field "$src" fuzz-pkgs)
	: >"$log"
	# shellcheck disable=SC2046,SC2086
	if ! "$cc" "${cflags[@]}" $( [ -n "$pkgs" ] && pkg-config --cflags $pkgs ) \
		-o "$bin" "$src" "${sources[@]}" \
		$( [ -n "$pkgs" ] && pkg-config --libs $pkgs ) -lm >>"$log" 2>&1; then
		echo "build of $name failed" >>"$log"
		result "$name" FAIL
		return
	fi
	rm -rf "$work" && mkdir -p "$work"
	[ -d "$top/tests/fuzz/corpus/$name" ] && seeds=("$top/tests/fuzz/corpus/$name")
	if timeout $((seconds + 60)) "$bin" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$outdir/$name-" "$work" "${seeds[@]}" >>"$log" 2>&1; then
		result "$name" PASS
	else
		echo "$name found a failure; reproduce with: $bin $outdir/$name-<artifact>" >>"$log"
		result "$name" FAIL
	fi
}

targets=("$top"/tests/fuzz/fuzz-*.c)
if [ ! -e "${targets[0]}" ]; then
	echo "run-smoke: no fuzz targets in tests/fuzz"
	exit 0
fi
rm -f "$outdir"/*.trs
failed=0
for src in "${targets[@]}"; do
	fuzz_one "$src"
	grep -q '^:test-result: PASS' "$outdir/$(basename "$src" .c).trs" || failed=1
done
exit $failed

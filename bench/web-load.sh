#!/bin/sh
# bench/web-load.sh [SECONDS]: wrk with 200 connections on GET /api/v1/status
# (30 s by default) next to idle, slow and flooding clients, against
# upsgated --simulate. Prints requests per second, the snapshot rate and
# the poll cycle time under load against before, and the daemon's RSS
# before / during / after, as ratios. Run from the build directory.
# Never a gate: tests/integration/web-load.py checks the functional side.
set -e
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
export top_srcdir top_builddir
exec /usr/bin/python3 "$top_srcdir/tests/integration/web-load.py" --bench "${1:-30}"

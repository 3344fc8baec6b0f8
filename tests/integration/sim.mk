# tests/integration/sim.mk: upsgate-sim with real clients (owner: sim).
TESTS += tests/integration/sim-nut.sh
TESTS += tests/integration/sim-line.sh
EXTRA_DIST += tests/integration/sim-nut.sh tests/integration/sim-line.sh
EXTRA_DIST += tests/integration/sim-lib.sh

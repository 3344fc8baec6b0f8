# tests/integration/daemon.mk: the daemon through its local API.
dist_noinst_DATA += tests/integration/ugtest.py
TESTS += tests/integration/daemon-simulate.py
TESTS += tests/integration/daemon-config.py
TESTS += tests/integration/daemon-unplug.py
TESTS += tests/integration/daemon-inject.py
TESTS += tests/integration/events-acfail.py
TESTS += tests/integration/store-crash.py

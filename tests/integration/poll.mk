# tests/integration/poll.mk: the poller against upsgate-sim (owner: poll).
# polltest runs the poller in-process and prints each snapshot as JSON.
check_PROGRAMS += tests/integration/polltest
tests_integration_polltest_SOURCES = tests/integration/polltest.c
tests_integration_polltest_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(MODBUS_LIBS) $(SYSTEMD_LIBS) -lpthread -lm
EXTRA_DIST += tests/integration/poll-lib.sh tests/integration/pollcheck.py
TESTS += tests/integration/poll-detect.sh
TESTS += tests/integration/poll-unplug.sh
TESTS += tests/integration/poll-inject.sh
TESTS += tests/integration/poll-reconfigure.sh

# tests/unit/poll.mk: read plan, snapshot channel, serial trace (owner: poll)
POLL_TEST_LIBS = src/device/libdevice.a src/common/libcommon.a \
	$(MODBUS_LIBS) $(SYSTEMD_LIBS) -lpthread -lm

check_PROGRAMS += tests/unit/test-plan tests/unit/test-snapshot tests/unit/test-trace
TESTS += tests/unit/test-plan tests/unit/test-snapshot tests/unit/test-trace
tests_unit_test_plan_LDADD = $(POLL_TEST_LIBS)
tests_unit_test_snapshot_LDADD = $(POLL_TEST_LIBS)
tests_unit_test_trace_LDADD = $(POLL_TEST_LIBS)

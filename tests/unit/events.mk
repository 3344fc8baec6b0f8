# tests/unit/events.mk: event catalogue, bus and detector (owner: events).
EVENTS_TEST_LIBS = src/core/libcore.a src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) -lm

check_PROGRAMS += tests/unit/test-evdetect tests/unit/test-evbus
TESTS += tests/unit/test-evdetect tests/unit/test-evbus tests/unit/test-events-spec.sh
dist_check_SCRIPTS += tests/unit/test-events-spec.sh
tests_unit_test_evdetect_SOURCES = tests/unit/test-evdetect.c tests/unit/maps-test.h
tests_unit_test_evdetect_LDADD = $(EVENTS_TEST_LIBS)
tests_unit_test_evbus_SOURCES = tests/unit/test-evbus.c tests/unit/maps-test.h
tests_unit_test_evbus_LDADD = $(EVENTS_TEST_LIBS)

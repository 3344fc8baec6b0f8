# tests/unit/control.mk: the local API (daemon side) and upsgatectl.
check_PROGRAMS += tests/unit/test-control-logs
TESTS += tests/unit/test-control-logs
tests_unit_test_control_logs_SOURCES = tests/unit/test-control-logs.c tests/unit/maps-test.h
tests_unit_test_control_logs_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_control_logs_LDADD = src/store/libstore.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SQLITE_LIBS) $(SYSTEMD_LIBS) $(LIBCONFIG_LIBS) $(MODBUS_LIBS) -lpthread -lm

check_PROGRAMS += tests/unit/test-upsgatectl
TESTS += tests/unit/test-upsgatectl
tests_unit_test_upsgatectl_SOURCES = tests/unit/test-upsgatectl.c tests/unit/maps-test.h \
	src/upsgatectl/request.c

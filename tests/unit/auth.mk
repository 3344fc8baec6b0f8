# tests/unit/auth.mk: the firewall rules.
check_PROGRAMS += tests/unit/test-firewall
TESTS += tests/unit/test-firewall
tests_unit_test_firewall_SOURCES = tests/unit/test-firewall.c tests/unit/maps-test.h
tests_unit_test_firewall_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
tests_unit_test_firewall_LDADD = src/auth/libauth.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) -lpthread -lm

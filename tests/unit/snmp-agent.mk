# tests/unit/snmp-agent.mk: the RFC 1628 and system builders, the agent's
# rate limiter and access rules (owner: snmp).
check_PROGRAMS += tests/unit/test-snmp-rfc1628 tests/unit/test-snmp-access
TESTS += tests/unit/test-snmp-rfc1628 tests/unit/test-snmp-access
tests_unit_test_snmp_rfc1628_SOURCES = tests/unit/test-snmp-rfc1628.c
tests_unit_test_snmp_rfc1628_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_snmp_rfc1628_LDADD = src/snmp/libsnmpagent.a src/core/libcore.a \
	src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) $(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(MODBUS_LIBS) -lpthread -lm
tests_unit_test_snmp_access_SOURCES = tests/unit/test-snmp-access.c
tests_unit_test_snmp_access_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(NETSNMP_CFLAGS)
tests_unit_test_snmp_access_LDADD = src/auth/libauth.a src/core/libcore.a \
	src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) $(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(MODBUS_LIBS) $(NETSNMP_LIBS) -lpthread -lm

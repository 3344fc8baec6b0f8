# tests/unit/snmp-trap.mk: the trap table, rules, filters and repeat (owner: traps).
check_PROGRAMS += tests/unit/test-snmp-trap
TESTS += tests/unit/test-snmp-trap tests/unit/test-traps-spec.sh
dist_check_SCRIPTS += tests/unit/test-traps-spec.sh
tests_unit_test_snmp_trap_SOURCES = tests/unit/test-snmp-trap.c
tests_unit_test_snmp_trap_LDADD = src/core/libcore.a src/device/libdevice.a src/common/libcommon.a \
	$(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(SYSTEMD_LIBS) -lpthread -lm
EXTRA_DIST += tools/gen-traps

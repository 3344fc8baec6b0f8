# tests/unit/snmp-mib.mk: the MIB view and the MIB builders (owner: mibnv).
check_PROGRAMS += tests/unit/test-snmp-mib
TESTS += tests/unit/test-snmp-mib
tests_unit_test_snmp_mib_SOURCES = tests/unit/test-snmp-mib.c tests/unit/maps-test.h
tests_unit_test_snmp_mib_LDADD = src/common/libcommon.a $(SYSTEMD_LIBS) -lpthread -lm

SNMP_MIB_SOURCES = src/snmp/mib_objects.c src/snmp/mib_values.c src/snmp/mib_derived.c \
	src/snmp/mib_host.c src/snmp/mib_set.c src/snmp/mib_netvision.c src/snmp/mib_sts.c \
	src/snmp/tab_nvmib.c src/snmp/tab_stsmib.c
check_PROGRAMS += tests/unit/test-snmp-nvmib
TESTS += tests/unit/test-snmp-nvmib tests/unit/test-mib-spec.sh tests/unit/test-mibs.sh
dist_check_SCRIPTS += tests/unit/test-mib-spec.sh tests/unit/test-mibs.sh
EXTRA_DIST += tests/unit/mib-standins.sh
tests_unit_test_snmp_nvmib_SOURCES = tests/unit/test-snmp-nvmib.c tests/unit/maps-test.h \
	$(SNMP_MIB_SOURCES)
tests_unit_test_snmp_nvmib_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_snmp_nvmib_LDADD = src/store/libstore.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SQLITE_LIBS) $(JANSSON_LIBS) $(LIBCONFIG_LIBS) $(SYSTEMD_LIBS) \
	$(MODBUS_LIBS) -lpthread -lm

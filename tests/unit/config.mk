# tests/unit/config.mk: changing settings at run time (writer, JSON,
# patches) and backups.
CONFIG_TEST_LDADD = src/core/libcore.a src/device/libdevice.a src/common/libcommon.a \
	$(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(SYSTEMD_LIBS) $(MODBUS_LIBS) -lpthread -lm
EXTRA_DIST += tests/unit/settings-gen.h

check_PROGRAMS += tests/unit/test-settings-write
TESTS += tests/unit/test-settings-write
tests_unit_test_settings_write_SOURCES = tests/unit/test-settings-write.c
tests_unit_test_settings_write_LDADD = $(CONFIG_TEST_LDADD)

check_PROGRAMS += tests/unit/test-settings-json
TESTS += tests/unit/test-settings-json
tests_unit_test_settings_json_SOURCES = tests/unit/test-settings-json.c
tests_unit_test_settings_json_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_settings_json_LDADD = $(CONFIG_TEST_LDADD)

check_PROGRAMS += tests/unit/test-backup
TESTS += tests/unit/test-backup
tests_unit_test_backup_SOURCES = tests/unit/test-backup.c
tests_unit_test_backup_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS) $(GNUTLS_CFLAGS)
tests_unit_test_backup_LDADD = src/auth/libauth.a $(CONFIG_TEST_LDADD) $(AUTH_LIBS) $(GNUTLS_LIBS)

# tests/unit/core.mk
check_PROGRAMS += tests/unit/test-settings
TESTS += tests/unit/test-settings
tests_unit_test_settings_SOURCES = tests/unit/test-settings.c
tests_unit_test_settings_LDADD = src/core/libcore.a $(LIBCONFIG_LIBS)

check_PROGRAMS += tests/unit/test-settings-spec
TESTS += tests/unit/test-settings-spec
tests_unit_test_settings_spec_SOURCES = tests/unit/test-settings-spec.c
tests_unit_test_settings_spec_LDADD = src/core/libcore.a $(LIBCONFIG_LIBS)
EXTRA_DIST += tests/unit/check.h
EXTRA_DIST += tests/unit/spec-lib.sh

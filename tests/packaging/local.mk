# tests/packaging: the shipped files (example config, unit, man pages,
# developer scripts) checked against the code they describe.
check_PROGRAMS += tests/packaging/test-conf-example
TESTS += tests/packaging/test-conf-example
tests_packaging_test_conf_example_SOURCES = tests/packaging/test-conf-example.c
tests_packaging_test_conf_example_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS)
tests_packaging_test_conf_example_LDADD = src/core/libcore.a src/common/libcommon.a \
	$(LIBCONFIG_LIBS) $(SYSTEMD_LIBS) -lm

dist_check_SCRIPTS += tests/packaging/check-man.sh tests/packaging/check-unit.sh \
	tests/packaging/check-scripts.sh \
	tests/packaging/check-dev-summary.sh tests/packaging/check-completion.sh
TESTS += tests/packaging/check-man.sh tests/packaging/check-unit.sh \
	tests/packaging/check-scripts.sh \
	tests/packaging/check-dev-summary.sh tests/packaging/check-completion.sh

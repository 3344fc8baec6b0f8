# tests/unit/auth.mk: the firewall rules, and the accounts, logins and
# sessions (tests/unit/auth-test.h drives them through a real loop).
check_PROGRAMS += tests/unit/test-firewall
TESTS += tests/unit/test-firewall
tests_unit_test_firewall_SOURCES = tests/unit/test-firewall.c tests/unit/maps-test.h
tests_unit_test_firewall_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
tests_unit_test_firewall_LDADD = src/auth/libauth.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) $(JANSSON_LIBS) -lpthread -lm

AUTH_TEST_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS) $(CRYPT_CFLAGS)
AUTH_TEST_LDADD = src/auth/libauth.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) $(AUTH_LIBS) \
	-lpthread -lm
EXTRA_DIST += tests/unit/auth-test.h

check_PROGRAMS += tests/unit/test-auth-policy tests/unit/test-auth-lockout \
	tests/unit/test-auth-session tests/unit/test-auth-accounts tests/unit/test-auth-login \
	tests/unit/test-auth-radius
TESTS += tests/unit/test-auth-policy tests/unit/test-auth-lockout \
	tests/unit/test-auth-session tests/unit/test-auth-accounts tests/unit/test-auth-login \
	tests/unit/test-auth-radius
tests_unit_test_auth_policy_SOURCES = tests/unit/test-auth-policy.c
tests_unit_test_auth_policy_CFLAGS = $(AUTH_TEST_CFLAGS)
tests_unit_test_auth_policy_LDADD = $(AUTH_TEST_LDADD)
tests_unit_test_auth_lockout_SOURCES = tests/unit/test-auth-lockout.c
tests_unit_test_auth_lockout_CFLAGS = $(AUTH_TEST_CFLAGS)
tests_unit_test_auth_lockout_LDADD = $(AUTH_TEST_LDADD)
tests_unit_test_auth_session_SOURCES = tests/unit/test-auth-session.c
tests_unit_test_auth_session_CFLAGS = $(AUTH_TEST_CFLAGS)
tests_unit_test_auth_session_LDADD = $(AUTH_TEST_LDADD)
tests_unit_test_auth_accounts_SOURCES = tests/unit/test-auth-accounts.c
tests_unit_test_auth_accounts_CFLAGS = $(AUTH_TEST_CFLAGS)
tests_unit_test_auth_accounts_LDADD = $(AUTH_TEST_LDADD)
tests_unit_test_auth_login_SOURCES = tests/unit/test-auth-login.c
tests_unit_test_auth_login_CFLAGS = $(AUTH_TEST_CFLAGS)
tests_unit_test_auth_login_LDADD = $(AUTH_TEST_LDADD)
tests_unit_test_auth_radius_SOURCES = tests/unit/test-auth-radius.c
tests_unit_test_auth_radius_CFLAGS = $(AUTH_TEST_CFLAGS) $(GNUTLS_CFLAGS)
tests_unit_test_auth_radius_LDADD = $(AUTH_TEST_LDADD)

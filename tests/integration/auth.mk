# tests/integration/auth.mk: logins against a real FreeRADIUS (owner: auth).
# auth-radius drives src/auth in a real loop with the real job pool;
# radius.py is the FreeRADIUS fixture any Python test may use.
check_PROGRAMS += tests/integration/auth-radius
tests_integration_auth_radius_SOURCES = tests/integration/auth-radius.c
tests_integration_auth_radius_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(JANSSON_CFLAGS)
tests_integration_auth_radius_LDADD = src/auth/libauth.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) $(AUTH_LIBS) \
	-lpthread -lm
dist_noinst_DATA += tests/integration/radius.py
TESTS += tests/integration/auth-radius.py

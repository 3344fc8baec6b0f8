# tests/unit/web.mk: the web server's core (own route table, auth stand-in)
# and the TLS key and certificate store.
WEB_TEST_LIBS = src/web/libweb.a src/core/libcore.a src/device/libdevice.a src/common/libcommon.a \
	$(MHD_LIBS) $(JANSSON_LIBS) $(GNUTLS_LIBS) $(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) \
	-lpthread -lm
check_PROGRAMS += tests/unit/test-http tests/unit/test-tls
TESTS += tests/unit/test-http tests/unit/test-tls
tests_unit_test_http_SOURCES = tests/unit/test-http.c tests/unit/check.h
tests_unit_test_http_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_http_LDADD = $(WEB_TEST_LIBS)
tests_unit_test_tls_SOURCES = tests/unit/test-tls.c tests/unit/check.h
tests_unit_test_tls_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_unit_test_tls_LDADD = $(WEB_TEST_LIBS)

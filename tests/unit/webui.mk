# tests/unit/webui.mk: the daemon's pieces for the web interface (the
# language list, the time zone, alarm acknowledgements, web.links). The
# handlers' file pulls in the route table, so it links what the daemon links.
check_PROGRAMS += tests/unit/test-web-ui
TESTS += tests/unit/test-web-ui
tests_unit_test_web_ui_SOURCES = tests/unit/test-web-ui.c tests/unit/check.h
tests_unit_test_web_ui_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_web_ui_LDADD = $(upsgated_LDADD)

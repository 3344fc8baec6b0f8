# The web server (libmicrohttpd in the main loop, HTTPS with GnuTLS) and
# the JSON API's handlers, one library.
noinst_LIBRARIES += src/web/libweb.a
src_web_libweb_a_SOURCES = \
	src/web/http.h src/web/web_priv.h \
	src/web/http.c src/web/http_request.c src/web/http_checks.c src/web/http_reply.c \
	src/web/conn.c src/web/static.c src/web/sse.c \
	src/web/tls.h src/web/tls_pair.h \
	src/web/tls.c src/web/tls_pair.c src/web/tls_gen.c
# api*.c: owner API helper
src_web_libweb_a_SOURCES += src/web/api.h src/web/api.c \
	src/web/api_session.c src/web/api_status.c src/web/api_logs.c \
	src/web/api_settings.c src/web/api_backup.c src/web/api_users.c \
	src/web/api_tls.c src/web/api_trace.c src/web/api_snmp.c src/web/api_events.c \
	src/web/api_ui.c src/web/api_state.c src/web/ack.h src/web/ack.c \
	src/web/lang.h src/web/lang.c
src_web_libweb_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS) $(GNUTLS_CFLAGS)

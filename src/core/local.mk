noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES = \
	src/core/settings.c src/core/settings.h src/core/settings_keys.h \
	src/core/settings_schema.c src/core/settings_priv.h \
	src/core/settings_value.c src/core/settings_write.c src/core/settings_json.c \
	src/core/trapnums.c \
	src/core/devconf.c src/core/devconf.h \
	src/core/snapjson.c src/core/snapjson.h \
	src/core/manager.c src/core/manager.h
src_core_libcore_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(LIBCONFIG_CFLAGS) $(JANSSON_CFLAGS)
include $(srcdir)/src/core/events.mk

# The local API served to upsgatectl.
noinst_LIBRARIES += src/control/libcontrol.a
src_control_libcontrol_a_SOURCES = \
	src/control/control.c src/control/control.h src/control/control_priv.h \
	src/control/control_device.c \
	src/control/control_config.c \
	src/control/control_accounts.c \
	src/control/control_backup.c \
	src/control/control_text.c src/control/control_text.h \
	src/control/control_logs.c src/control/control_logs.h
src_control_libcontrol_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(SQLITE_CFLAGS) $(JANSSON_CFLAGS)

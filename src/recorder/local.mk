# The recorder: events, history and the active set into the store.
noinst_LIBRARIES += src/recorder/librecorder.a
src_recorder_librecorder_a_SOURCES = \
	src/recorder/recorder.c src/recorder/recorder.h
src_recorder_librecorder_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(SQLITE_CFLAGS)

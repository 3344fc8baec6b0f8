noinst_LIBRARIES += src/common/libcommon.a
src_common_libcommon_a_SOURCES = \
	src/common/log.c src/common/log.h \
	src/common/json.c src/common/json.h \
	src/common/listener.c src/common/listener.h \
	src/common/jobs.c src/common/jobs.h \
	src/common/fileio.c src/common/fileio.h
src_common_libcommon_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)

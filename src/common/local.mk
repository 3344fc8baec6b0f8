noinst_LIBRARIES += src/common/libcommon.a
src_common_libcommon_a_SOURCES =

noinst_LIBRARIES += src/core/libcore.a
src_core_libcore_a_SOURCES =

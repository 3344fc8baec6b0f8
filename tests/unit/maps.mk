# tests/unit/maps.mk: decoder and map table tests.
maps_test_ldadd = src/device/libdevice.a src/common/libcommon.a -lm

check_PROGRAMS += tests/unit/test-decode-jbusp tests/unit/test-decode-vumap \
	tests/unit/test-decode-sts tests/unit/test-derive
TESTS += tests/unit/test-decode-jbusp tests/unit/test-decode-vumap \
	tests/unit/test-decode-sts tests/unit/test-derive tests/unit/test-spec-tables.sh
dist_check_SCRIPTS += tests/unit/test-spec-tables.sh
EXTRA_DIST += tests/unit/maps-test.h

tests_unit_test_decode_jbusp_SOURCES = tests/unit/test-decode-jbusp.c tests/unit/maps-test.h
tests_unit_test_decode_jbusp_LDADD = $(maps_test_ldadd)
tests_unit_test_decode_vumap_SOURCES = tests/unit/test-decode-vumap.c tests/unit/maps-test.h
tests_unit_test_decode_vumap_LDADD = $(maps_test_ldadd)
tests_unit_test_decode_sts_SOURCES = tests/unit/test-decode-sts.c tests/unit/maps-test.h
tests_unit_test_decode_sts_LDADD = $(maps_test_ldadd)
tests_unit_test_derive_SOURCES = tests/unit/test-derive.c tests/unit/maps-test.h
tests_unit_test_derive_LDADD = $(maps_test_ldadd)

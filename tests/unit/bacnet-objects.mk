# tests/unit/bacnet-objects.mk: the BACnet object model and its generated table.
check_PROGRAMS += tests/unit/test-bacnet-objects
TESTS += tests/unit/test-bacnet-objects tests/unit/test-bacnet-spec.sh
dist_check_SCRIPTS += tests/unit/test-bacnet-spec.sh
tests_unit_test_bacnet_objects_SOURCES = tests/unit/test-bacnet-objects.c tests/unit/maps-test.h
tests_unit_test_bacnet_objects_LDADD = src/bacnet/libbacnet.a src/device/libdevice.a \
	src/common/libcommon.a -lm

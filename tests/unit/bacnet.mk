# tests/unit/bacnet.mk: the BACnet/IP protocol side (codec, services, COV).
BACNET_TEST_LIBS = src/bacnet/libbacnet.a src/device/libdevice.a src/common/libcommon.a -lm

check_PROGRAMS += tests/unit/test-bacnet-codec tests/unit/test-bacnet-services
TESTS += tests/unit/test-bacnet-codec tests/unit/test-bacnet-services
tests_unit_test_bacnet_codec_SOURCES = tests/unit/test-bacnet-codec.c tests/unit/maps-test.h
tests_unit_test_bacnet_codec_LDADD = $(BACNET_TEST_LIBS)
tests_unit_test_bacnet_services_SOURCES = tests/unit/test-bacnet-services.c tests/unit/maps-test.h
tests_unit_test_bacnet_services_LDADD = $(BACNET_TEST_LIBS)

# tests/unit/modbustcp.mk: the Modbus TCP request handler.
check_PROGRAMS += tests/unit/test-mbtcp-pdu
TESTS += tests/unit/test-mbtcp-pdu
tests_unit_test_mbtcp_pdu_SOURCES = tests/unit/test-mbtcp-pdu.c tests/unit/maps-test.h
tests_unit_test_mbtcp_pdu_LDADD = src/modbustcp/libmodbustcp.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) $(MODBUS_LIBS) -lpthread -lm

# The Modbus TCP server: the UPS's register map, read only.
noinst_LIBRARIES += src/modbustcp/libmodbustcp.a
src_modbustcp_libmodbustcp_a_SOURCES = \
	src/modbustcp/mbtcp.c src/modbustcp/mbtcp.h \
	src/modbustcp/mbtcp_pdu.c src/modbustcp/mbtcp_pdu.h
src_modbustcp_libmodbustcp_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)

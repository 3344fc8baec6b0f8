# libbacnet: the BACnet/IP server. Two owners, two fragments, one library:
# objects.mk (the object model) and the protocol side.
noinst_LIBRARIES += src/bacnet/libbacnet.a
src_bacnet_libbacnet_a_SOURCES =
include $(srcdir)/src/bacnet/objects.mk
# The protocol side: codec, BVLC, NPDU, APDU, services, COV, the server.
src_bacnet_libbacnet_a_SOURCES += \
	src/bacnet/codec.c src/bacnet/codec.h \
	src/bacnet/bvlc.c src/bacnet/bvlc.h \
	src/bacnet/npdu.c src/bacnet/npdu.h \
	src/bacnet/apdu.c src/bacnet/apdu.h \
	src/bacnet/props.c src/bacnet/props.h src/bacnet/device.c \
	src/bacnet/services.c src/bacnet/services.h \
	src/bacnet/cov.c src/bacnet/cov.h \
	src/bacnet/server.c src/bacnet/server.h
src_bacnet_libbacnet_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)

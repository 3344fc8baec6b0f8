sbin_PROGRAMS += upsgated
upsgated_SOURCES = src/upsgated/main.c
upsgated_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
upsgated_LDADD = src/web/libweb.a src/control/libcontrol.a src/snmp/libsnmpagent.a src/modbustcp/libmodbustcp.a src/bacnet/libbacnet.a src/auth/libauth.a src/recorder/librecorder.a src/store/libstore.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a \
	$(SYSTEMD_LIBS) $(MODBUS_LIBS) $(LIBCONFIG_LIBS) $(SQLITE_LIBS) $(NETSNMP_LIBS) $(MHD_LIBS) $(JANSSON_LIBS) $(GNUTLS_LIBS) $(AUTH_LIBS) -lpthread -lm

# bench: benchmarks report ratios and never gate on wall time.
noinst_PROGRAMS += bench/poll
bench_poll_SOURCES = bench/poll.c
bench_poll_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(MODBUS_LIBS) $(SYSTEMD_LIBS) -lpthread -lm

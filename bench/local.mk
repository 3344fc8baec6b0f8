# bench: benchmarks report ratios and never gate on wall time.
noinst_PROGRAMS += bench/poll
bench_poll_SOURCES = bench/poll.c
bench_poll_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(MODBUS_LIBS) $(SYSTEMD_LIBS) -lpthread -lm

# bench/history (owner: store): a year of minute history rows.
noinst_PROGRAMS += bench/history
bench_history_SOURCES = bench/history.c
bench_history_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_history_LDADD = src/store/libstore.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SQLITE_LIBS) $(SYSTEMD_LIBS) -lm

# bench/web-load.sh (owner: web): wrk 200 connections next to the poller.
EXTRA_DIST += bench/web-load.sh

# bench/snmp.py (owner: snmp): walk rate of the SNMP agent against
# net-snmp's snmpd on MIB-II, same machine, same run (needs snmpd).
# Run: top_builddir=. bench/snmp.py [SECONDS]
EXTRA_DIST += bench/snmp.py

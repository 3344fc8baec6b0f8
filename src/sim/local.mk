# src/sim: the upsgate-sim program
bin_PROGRAMS += upsgate-sim
upsgate_sim_SOURCES = src/sim/main.c
upsgate_sim_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) -lpthread -lm
dist_man_MANS += man/upsgate-sim.1
EXTRA_DIST += docs/simulator.md

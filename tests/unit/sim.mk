# tests/unit/sim.mk: RTU codec and simulator physics/image
check_PROGRAMS += tests/unit/test-rtu tests/unit/test-sim-physics
TESTS += tests/unit/test-rtu tests/unit/test-sim-physics
tests_unit_test_rtu_SOURCES = tests/unit/test-rtu.c
tests_unit_test_rtu_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) -lpthread -lm
tests_unit_test_sim_physics_SOURCES = tests/unit/test-sim-physics.c
tests_unit_test_sim_physics_LDADD = src/device/libdevice.a src/common/libcommon.a \
	$(SYSTEMD_LIBS) -lpthread -lm

# src/device/sim.mk: the simulator core and the RTU frame codec
src_device_libdevice_a_SOURCES += \
	src/device/rtu.c src/device/rtu.h \
	src/device/sim.c src/device/sim.h src/device/sim_priv.h \
	src/device/sim_serve.c src/device/sim_ctl.c \
	src/device/sim_physics.c src/device/sim_physics.h \
	src/device/sim_image.c src/device/sim_image.h \
	src/device/sim_link.c src/device/sim_link.h

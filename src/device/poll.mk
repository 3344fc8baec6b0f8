# src/device/poll.mk: the poller thread and the serial link (owner: poll)
src_device_libdevice_a_SOURCES += \
	src/device/snapshot.c \
	src/device/trace.c src/device/trace.h \
	src/device/serial.c src/device/serial.h \
	src/device/plan.c src/device/plan.h \
	src/device/detect.c src/device/detect.h \
	src/device/poll.c

# src/device/poll.mk: sources of this part of libdevice
src_device_libdevice_a_SOURCES +=

# libdevice: serial link, maps, decode, simulator core. Three owners,
# three fragments, one library.
noinst_LIBRARIES += src/device/libdevice.a
src_device_libdevice_a_SOURCES =
include $(srcdir)/src/device/maps.mk
include $(srcdir)/src/device/poll.mk
include $(srcdir)/src/device/sim.mk

# The BACnet object model: the generated object table (tools/gen-bacnet
# from ../shared/spec and objects.tsv) and the values from a snapshot.
src_bacnet_libbacnet_a_SOURCES += \
	src/bacnet/objects.c src/bacnet/objects.h src/bacnet/objects_tab.h \
	src/bacnet/tab_objects.c
EXTRA_DIST += src/bacnet/objects.tsv tools/gen-bacnet

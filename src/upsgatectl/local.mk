bin_PROGRAMS += upsgatectl
upsgatectl_SOURCES = src/upsgatectl/main.c src/upsgatectl/request.c src/upsgatectl/request.h

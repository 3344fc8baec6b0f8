bin_PROGRAMS += upsgatectl
upsgatectl_SOURCES = src/upsgatectl/main.c

# libstore: the SQLite database (history, extended history, event logs).
noinst_LIBRARIES += src/store/libstore.a
src_store_libstore_a_SOURCES = \
	src/store/store.h src/store/store_priv.h \
	src/store/hist_columns.c src/store/hist_columns.h \
	src/store/db.c src/store/schema.c \
	src/store/history.c src/store/extended.c \
	src/store/evlog.c src/store/active.c \
	src/store/query.c src/store/series.c src/store/csv.c \
	src/store/retention.c src/store/timefmt.c
src_store_libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

# tests/unit/store.mk: the SQLite store (owner: store).
# The tests link the real event catalogue and bus from libcore.
STORE_TEST_SOURCES = tests/unit/store-test.h
STORE_TEST_LDADD = src/store/libstore.a src/core/libcore.a src/device/libdevice.a \
	src/common/libcommon.a $(SQLITE_LIBS) $(SYSTEMD_LIBS) $(LIBCONFIG_LIBS) $(MODBUS_LIBS) -lpthread -lm
STORE_TESTS = tests/unit/test-store-retention tests/unit/test-store-series \
	tests/unit/test-store-query tests/unit/test-store-csv tests/unit/test-store-schema \
	tests/unit/test-store-history tests/unit/test-store-crash tests/unit/test-hist-columns
check_PROGRAMS += $(STORE_TESTS)
TESTS += $(STORE_TESTS)

tests_unit_test_store_retention_SOURCES = tests/unit/test-store-retention.c $(STORE_TEST_SOURCES)
tests_unit_test_store_retention_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_series_SOURCES = tests/unit/test-store-series.c $(STORE_TEST_SOURCES)
tests_unit_test_store_series_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_query_SOURCES = tests/unit/test-store-query.c $(STORE_TEST_SOURCES)
tests_unit_test_store_query_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_csv_SOURCES = tests/unit/test-store-csv.c $(STORE_TEST_SOURCES)
tests_unit_test_store_csv_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_schema_SOURCES = tests/unit/test-store-schema.c $(STORE_TEST_SOURCES)
tests_unit_test_store_schema_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_history_SOURCES = tests/unit/test-store-history.c $(STORE_TEST_SOURCES)
tests_unit_test_store_history_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_store_crash_SOURCES = tests/unit/test-store-crash.c $(STORE_TEST_SOURCES)
tests_unit_test_store_crash_LDADD = $(STORE_TEST_LDADD)
tests_unit_test_hist_columns_SOURCES = tests/unit/test-hist-columns.c
tests_unit_test_hist_columns_LDADD = src/store/libstore.a src/device/libdevice.a \
	src/common/libcommon.a $(SYSTEMD_LIBS) -lm

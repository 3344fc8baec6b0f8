# tests/unit/api.mk: docs/api.md agrees with the API's route table and
# error codes. The route table pulls in every handler, so the program
# links what the daemon links.
check_PROGRAMS += tests/unit/test-api-doc
TESTS += tests/unit/test-api-doc
tests_unit_test_api_doc_SOURCES = tests/unit/test-api-doc.c tests/unit/check.h
tests_unit_test_api_doc_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_api_doc_LDADD = $(upsgated_LDADD)
dist_check_SCRIPTS += tests/unit/test-api-errors.sh
TESTS += tests/unit/test-api-errors.sh

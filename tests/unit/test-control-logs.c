/* The "logs" request of the local API: argument checks (times that do
 * not fit in milliseconds) and the CSV reply when the export cannot be
 * mapped. The store export and mmap are replaced by fakes. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store/store.h"

static int fake_export_csv(struct store *st, enum store_log log, int64_t from_ms, int64_t to_ms, int fd);
static void *fake_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
#define store_export_csv fake_export_csv
#define mmap fake_mmap
#include "control/control_logs.c"
#undef mmap
#undef store_export_csv

#include "maps-test.h"

static struct tap t;
static bool mmap_fails;

static int fake_export_csv(struct store *st, enum store_log log, int64_t from_ms, int64_t to_ms, int fd)
{
	static const char csv[] = "Time,Level\r\n1,2\r\n";

	return write(fd, csv, sizeof(csv) - 1) == (ssize_t)(sizeof(csv) - 1) ? 0 : -EIO;
}

static void *fake_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (mmap_fails) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return mmap(addr, len, prot, flags, fd, off);
}

static void check_times(void)
{
	CHECK(&t, control_logs_check("history from=1700000000"), "from in epoch seconds accepted");
	CHECK(&t, control_logs_check("history from=2026-11-22T10:00:00Z"), "from in ISO 8601 accepted");
	/* secs * 1000 would overflow int64_t (undefined, and a wrapped window). */
	CHECK(&t, !control_logs_check("history from=9223372036854775807"), "from=INT64_MAX s refused");
	CHECK(&t, !control_logs_check("history to=99999999999999999999"), "to beyond long long refused");
	CHECK(&t, !control_logs_check("history to=9223372036854776"), "to just above INT64_MAX ms refused");
	CHECK(&t, control_logs_check("history to=9223372036854775"), "to at the int64 ms limit accepted");
}

static void check_csv(void)
{
	size_t len = 0;
	char *r;

	r = control_logs(NULL, "history csv", &len);
	CHECK(&t, r && len == 17 && strcmp(r, "Time,Level\r\n1,2\r\n") == 0, "CSV reply: %s", r ? r : "(null)");
	free(r);
	mmap_fails = true;
	len = 0;
	r = control_logs(NULL, "history csv", &len);
	CHECK(&t, !r || strncmp(r, "error: ", 7) == 0, "mmap failure: no reply or an error, not a crash");
	free(r);
	mmap_fails = false;
}

int main(void)
{
	check_times();
	check_csv();
	return tap_done(&t);
}

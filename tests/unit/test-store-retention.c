/* Retention: row and age limits per log, oldest rows (by time) first,
 * and a file that stays bounded under a steady stream of rows. */
#include "store-test.h"

static void insert_rows(struct store *st, const int64_t *t, size_t n, uint8_t unit)
{
	double vals[HIST_MAX_COLUMNS];

	for (size_t i = 0; i < HIST_MAX_COLUMNS; i++)
		vals[i] = 230.0;
	CHECK(db_exec(st, "BEGIN", "test begin") == 0);
	for (size_t i = 0; i < n; i++)
		CHECK(hist_insert(st, t[i], unit, 0, vals) == 0);
	CHECK(db_exec(st, "COMMIT", "test commit") == 0);
}

static int64_t min_t(struct store *st)
{
	int64_t v = -1;

	CHECK(db_int64(st, "SELECT min(t) FROM history", "test min", &v) == 0);
	return v;
}

/* 250 rows inserted out of time order; a 100-row limit keeps the 100
 * newest by time, not by insertion. */
static void test_row_limit(const char *dir)
{
	struct store_config c = test_config(dir);
	int64_t t[250];
	struct store *st;

	c.keep[STORE_HISTORY].rows = 100;
	st = test_open(&c, NULL);
	for (size_t i = 0; i < 250; i++)
		t[i] = T0 + (int64_t)((i * 97) % 250) * 60000;    /* a permutation */
	insert_rows(st, t, 250, 0);
	CHECK(test_count(st, "history") == 250);
	CHECK(store_prune(st, T0 + 250 * 60000LL) == 0);
	CHECK(test_count(st, "history") == 100);
	CHECK(min_t(st) == T0 + 150 * 60000LL);
	store_close(st);
	printf("ok - row limit keeps the newest rows by time\n");
}

static void test_age_limit(const char *dir)
{
	struct store_config c = test_config(dir);
	int64_t now = T0 + 10LL * 86400000, t[10 * 24];
	struct store *st;

	c.keep[STORE_HISTORY].days = 3;
	st = test_open(&c, NULL);
	CHECK(store_clear(st, STORE_HISTORY, "test") == 0);
	for (size_t i = 0; i < 10 * 24; i++)
		t[i] = T0 + (int64_t)i * 3600000;       /* hourly over 10 days */
	insert_rows(st, t, 10 * 24, 0);
	CHECK(store_prune(st, now) == 0);
	/* Rows at or after now - 3 days stay: 3 * 24 of them. */
	CHECK(min_t(st) == now - 3 * 86400000LL);
	CHECK(test_count(st, "history") == 3 * 24);
	/* Both limits: the stricter wins. */
	c.keep[STORE_HISTORY].rows = 10;
	CHECK(store_reconfigure(st, &c) == 0);
	CHECK(store_prune(st, now) == 0);
	CHECK(test_count(st, "history") == 10);
	CHECK(min_t(st) == T0 + (10 * 24 - 10) * 3600000LL);
	store_close(st);
	printf("ok - age limit, and both limits together\n");
}

static void test_event_limit(const char *dir)
{
	struct store_config c = test_config(dir);
	const struct event_def *def = event_find("gw.cold_boot");
	struct store *st;

	CHECK(def);
	c.keep[STORE_GATEWAY_EVENTS].rows = 5;
	st = test_open(&c, NULL);
	for (int i = 0; i < 20; i++) {
		struct event e = { .def = def, .active = true };

		e.time.tv_sec = T0 / 1000 + i;
		CHECK(store_add_event(st, &e) == 0);
	}
	CHECK(store_prune(st, T0 + 100000) == 0);
	CHECK(test_count(st, "ev_gateway") == 5);
	store_close(st);
	printf("ok - event log row limit\n");
}

static off_t file_size(const char *dir, const char *name)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/* 2048 rows kept (the manual's compatibility mode) while 60,000 arrive:
 * the file stops growing once the limit is reached. */
static void test_size_bounded(const char *dir)
{
	struct store_config c = test_config(dir);
	off_t at_limit = 0, end;
	struct store *st;
	int64_t t[1000];

	c.keep[STORE_HISTORY].rows = 2048;
	st = test_open(&c, NULL);
	CHECK(store_clear(st, STORE_HISTORY, "test") == 0);
	for (int batch = 0; batch < 60; batch++) {
		for (int i = 0; i < 1000; i++)
			t[i] = T0 + (int64_t)(batch * 1000 + i) * 60000;
		insert_rows(st, t, 1000, 0);
		CHECK(store_prune(st, t[999]) == 0);
		CHECK(test_count(st, "history") <= 2048);
		if (batch == 5) {
			CHECK(db_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", "test") == 0);
			at_limit = file_size(dir, "upsgate.db");
		}
		/* The WAL is reset at each checkpoint (1000 pages) and cut
		 * back to journal_size_limit (4 MiB) afterwards. */
		CHECK(file_size(dir, "upsgate.db-wal") <= 8 << 20);
	}
	CHECK(db_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", "test") == 0);
	end = file_size(dir, "upsgate.db");
	printf("# database after 6,000 rows %lld bytes, after 60,000 rows %lld\n",
	       (long long)at_limit, (long long)end);
	CHECK(end <= at_limit + at_limit / 4);
	/* Clearing gives the pages back. */
	CHECK(store_clear(st, STORE_HISTORY, "test") == 0);
	CHECK(test_count(st, "history") == 0);
	{
		int64_t free_pages = -1;

		CHECK(db_int64(st, "PRAGMA freelist_count", "test", &free_pages) == 0);
		CHECK(free_pages < 256);
	}
	store_close(st);
	printf("ok - file size bounded under a steady stream\n");
}

/* The clock set back (a wrong date corrected by NTP): store_tick keeps
 * pruning every 10 minutes of the new time, not from the old date on. */
static void test_prune_after_clock_back(const char *dir)
{
	struct store_config c = test_config(dir);
	int64_t future = T0 + 365LL * 86400000, t[50];
	struct store *st;

	c.keep[STORE_HISTORY].rows = 10;
	st = test_open(&c, NULL);
	CHECK(store_clear(st, STORE_HISTORY, "test") == 0);
	CHECK(store_tick(st, NULL, future) == 0);       /* first tick prunes */
	for (size_t i = 0; i < 50; i++)
		t[i] = T0 + (int64_t)i * 60000;
	insert_rows(st, t, 50, 0);
	CHECK(store_tick(st, NULL, T0) == 0);
	CHECK(store_tick(st, NULL, T0 + STORE_PRUNE_PERIOD_MS + 1000) == 0);
	CHECK(test_count(st, "history") == 10);
	store_close(st);
	printf("ok - pruning goes on after the clock is set back\n");
}

int main(void)
{
	char *dir = test_dir();

	test_row_limit(dir);
	test_age_limit(dir);
	test_event_limit(dir);
	test_size_bounded(dir);
	test_prune_after_clock_back(dir);
	test_dir_remove(dir);
	return 0;
}

/* History rows at the interval (one per logged level, aligned slots, none
 * without a link) and extended min / avg / max over known samples. */
#include "store-test.h"

static int64_t one(struct store *st, const char *sql)
{
	int64_t v = -1;

	CHECK(db_int64(st, sql, "test", &v) == 0);
	return v;
}

static double real(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	double v;

	CHECK(db_prepare(st, sql, "test", &stmt) == 0);
	CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	v = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

static void test_rows(const char *dir)
{
	struct store_config c = test_config(dir);
	struct store *st = test_open(&c, NULL);
	struct snapshot *s = test_snapshot(2, 230);

	/* A module level and an invalid unit are not logged. */
	s->n_levels = 4;
	s->levels[3] = s->levels[2];
	s->levels[3].kind = LEVEL_MODULE;
	s->levels[3].unit = 2;
	s->levels[3].module = 1;
	s->levels[2].valid = false;
	/* Five minutes of ticks every second, starting 5 s into a minute. */
	for (int64_t t = T0 + 5000; t < T0 + 5000 + 300000; t += 1000)
		CHECK(store_tick(st, s, t) == 0);
	CHECK(one(st, "SELECT count(*) FROM history WHERE unit = 0") == 6);
	CHECK(one(st, "SELECT count(*) FROM history WHERE unit = 1") == 6);
	CHECK(one(st, "SELECT count(*) FROM history WHERE unit = 2") == 0);
	CHECK(one(st, "SELECT count(*) FROM history WHERE t % 60000 != 0") == 0);
	CHECK(one(st, "SELECT min(t) FROM history") == T0);
	CHECK(real(st, "SELECT input_voltage_l1 FROM history WHERE unit = 1 LIMIT 1") == 231);
	printf("ok - one row per logged level per interval, aligned\n");

	/* No link, no row; the link back within a slot still logs it. */
	s->comm = COMM_LOST;
	CHECK(store_tick(st, s, T0 + 360000) == 0);
	CHECK(one(st, "SELECT count(*) FROM history WHERE t = " "1795784760000") == 0);
	s->comm = COMM_OK;
	CHECK(store_tick(st, s, T0 + 390000) == 0);
	CHECK(one(st, "SELECT count(*) FROM history WHERE t = 1795784760000") == 2);
	/* A restart within a slot does not log it twice. */
	store_close(st);
	st = test_open(&c, NULL);
	CHECK(store_tick(st, s, T0 + 400000) == 0);
	CHECK(one(st, "SELECT count(*) FROM history WHERE t = 1795784760000") == 2);
	printf("ok - no row without a link, no duplicate after a restart\n");
	free(s);
	store_close(st);
}

static void test_extended(const char *dir)
{
	struct store_config c = test_config(dir);
	struct store *st;
	struct snapshot *s = test_snapshot(1, 0);

	c.extended_interval_s = 600;
	st = test_open(&c, NULL);
	CHECK(store_clear(st, STORE_EXTENDED, "test") == 0);
	/* Window [T0, T0 + 10 min): samples 1..10 plus a gap (NAN). */
	for (int i = 1; i <= 11; i++) {
		s->levels[0].meas[MEAS_OUTPUT_LOAD_L1] = i <= 10 ? i : NAN;
		s->levels[1].meas[MEAS_OUTPUT_LOAD_L1] = 100 - i;
		store_sample(st, s, T0 + 30000 + i * 1000);
	}
	CHECK(store_tick(st, NULL, T0 + 599999) == 0);
	CHECK(one(st, "SELECT count(*) FROM extended") == 0);   /* still open */
	CHECK(store_tick(st, NULL, T0 + 600000) == 0);
	CHECK(one(st, "SELECT count(*) FROM extended") == 2);
	CHECK(real(st, "SELECT output_load_l1_min FROM extended WHERE unit = 0") == 1);
	CHECK(real(st, "SELECT output_load_l1_max FROM extended WHERE unit = 0") == 10);
	CHECK(real(st, "SELECT output_load_l1_avg FROM extended WHERE unit = 0") == 5.5);
	CHECK(real(st, "SELECT output_load_l1_min FROM extended WHERE unit = 1") == 89);
	CHECK(one(st, "SELECT samples FROM extended WHERE unit = 0") == 11);
	/* The first window after a start begins at its first sample. */
	CHECK(one(st, "SELECT t FROM extended WHERE unit = 0") == T0 + 31000);
	CHECK(one(st, "SELECT t_end FROM extended WHERE unit = 0") == T0 + 600000);
	CHECK(isnan(real(st, "SELECT emd_humidity_avg FROM extended WHERE unit = 0")));
	printf("ok - extended min/avg/max over a window of known samples\n");

	/* The next window follows on: it spans its whole aligned interval. */
	store_sample(st, s, T0 + 601000);
	/* A window without samples writes nothing. */
	CHECK(store_tick(st, NULL, T0 + 1200000) == 0);
	CHECK(store_tick(st, NULL, T0 + 1800000) == 0);
	CHECK(one(st, "SELECT count(*) FROM extended") == 4);
	CHECK(one(st, "SELECT min(t) FROM extended WHERE t > 1795784400000 + 31000") ==
	      T0 + 600000);
	/* Stopping writes the open window up to its last sample. */
	store_sample(st, s, T0 + 1805000);
	store_sample(st, s, T0 + 1807000);
	store_close(st);
	st = test_open(&c, NULL);
	CHECK(one(st, "SELECT count(*) FROM extended") == 6);
	CHECK(one(st, "SELECT t_end FROM extended ORDER BY t DESC LIMIT 1") == T0 + 1807000);
	printf("ok - consecutive windows, empty windows, partial window at stop\n");
	free(s);
	store_close(st);
}

/* The clock set back within the open window, before the first sample
 * of a window that began at a start: the rows stay honest (t <= t_end)
 * and no sample is counted twice. */
static void test_extended_clock_back(const char *dir)
{
	struct store_config c = test_config(dir);
	struct store *st;
	struct snapshot *s = test_snapshot(0, 1);

	c.extended_interval_s = 3600;
	st = test_open(&c, NULL);
	CHECK(store_clear(st, STORE_EXTENDED, "test") == 0);
	store_sample(st, s, T0 + 30 * 60000);           /* starts at its first sample */
	store_sample(st, s, T0 + 31 * 60000);
	CHECK(store_tick(st, NULL, T0 + 10 * 60000) == 0);      /* 21 minutes back */
	store_sample(st, s, T0 + 10 * 60000 + 500);
	store_close(st);
	st = test_open(&c, NULL);
	CHECK(one(st, "SELECT count(*) FROM extended WHERE t_end < t") == 0);
	CHECK(one(st, "SELECT sum(samples) FROM extended") == 3);
	printf("ok - extended rows stay honest when the clock goes back\n");
	free(s);
	store_close(st);
}

int main(void)
{
	char *dir = test_dir();

	test_rows(dir);
	test_extended(dir);
	test_extended_clock_back(dir);
	test_dir_remove(dir);
	return 0;
}

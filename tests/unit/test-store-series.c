/* Downsampled series: at most N points, each bucket's min / avg / max
 * exactly those of its rows, empty windows, and [from, to) edges. */
#include "store-test.h"

#define N_ROWS 1000

static double value_at(int i)
{
	return (double)((i * 37) % 101) + 0.25;
}

static void fill(struct store *st)
{
	double vals[HIST_MAX_COLUMNS];
	const struct hist_column *c = hist_column_find("input.voltage.l1");

	CHECK(c);
	CHECK(db_exec(st, "BEGIN", "test") == 0);
	for (int i = 0; i < N_ROWS; i++) {
		for (size_t k = 0; k < HIST_MAX_COLUMNS; k++)
			vals[k] = NAN;
		vals[c - hist_columns] = value_at(i);
		CHECK(hist_insert(st, T0 + i * 60000LL, 0, 0, vals) == 0);
		vals[c - hist_columns] = 1000;      /* unit 1 must not leak in */
		CHECK(hist_insert(st, T0 + i * 60000LL, 1, 0, vals) == 0);
	}
	CHECK(db_exec(st, "COMMIT", "test") == 0);
}

/* Checks every point against the rows of its bucket; returns the count. */
static size_t check_points(const char *text, int64_t from, int64_t to, int64_t bucket)
{
	size_t n = 0;

	for (const char *p = strstr(text, "{\"t\":"); p; p = strstr(p + 1, "{\"t\":"), n++) {
		long long t;
		double mn, av, mx, emin = INFINITY, emax = -INFINITY, sum = 0;
		int cnt = 0;

		CHECK(sscanf(p, "{\"t\":%lld,\"min\":%lf,\"avg\":%lf,\"max\":%lf}", &t, &mn, &av,
			     &mx) == 4);
		CHECK((t - from) % bucket == 0);
		for (int i = 0; i < N_ROWS; i++) {
			int64_t rt = T0 + i * 60000LL;

			if (rt < t || rt >= t + bucket || rt < from || rt >= to)
				continue;
			emin = fmin(emin, value_at(i));
			emax = fmax(emax, value_at(i));
			sum += value_at(i);
			cnt++;
		}
		CHECK(cnt > 0);
		CHECK(mn == emin && mx == emax);
		CHECK(fabs(av - sum / cnt) < 1e-6);
	}
	return n;
}

static void series(struct store *st, int64_t from, int64_t to, unsigned max, struct json *j)
{
	json_free(j);
	CHECK(store_series_json(st, "input.voltage.l1", 0, from, to, max, j) == 0);
}

int main(void)
{
	char *dir = test_dir();
	struct store_config c = test_config(dir);
	struct store *st = test_open(&c, NULL);
	int64_t end = T0 + N_ROWS * 60000LL;
	struct json j;
	size_t n;

	json_init(&j);
	fill(st);

	series(st, T0, end, 10, &j);
	CHECK(test_json_int(test_json(&j), "bucket_ms") == 100 * 60000);
	n = check_points(test_json(&j), T0, end, 100 * 60000);
	CHECK(n == 10);
	printf("ok - 1000 rows into 10 buckets, min/avg/max exact\n");

	series(st, T0, end, 7, &j);
	n = check_points(test_json(&j), T0, end, test_json_int(test_json(&j), "bucket_ms"));
	CHECK(n <= 7 && n >= 6);
	printf("ok - uneven division keeps at most N points (%zu)\n", n);

	series(st, T0, end, 100000, &j);        /* capped at 2000 */
	n = check_points(test_json(&j), T0, end, test_json_int(test_json(&j), "bucket_ms"));
	CHECK(n == N_ROWS);
	printf("ok - more points than rows: one point per row\n");

	/* Edges: from is in, to is out. */
	series(st, T0 + 100 * 60000LL, T0 + 200 * 60000LL, 1, &j);
	n = check_points(test_json(&j), T0 + 100 * 60000LL, T0 + 200 * 60000LL, 100 * 60000);
	CHECK(n == 1);
	series(st, T0 + 100 * 60000LL, T0 + 100 * 60000LL + 1, 5, &j);
	CHECK(test_json_count(test_json(&j), "{\"t\":") == 1);
	CHECK(strstr(test_json(&j), "\"min\":64.25"));     /* value_at(100) */
	printf("ok - window edges [from, to)\n");

	series(st, end + 60000, end + 3600000, 50, &j);
	CHECK(strstr(test_json(&j), "\"points\":[]"));
	series(st, 0, 0, 10, &j);               /* everything */
	CHECK(check_points(test_json(&j), T0, end, test_json_int(test_json(&j), "bucket_ms")) == 10);
	json_free(&j);
	CHECK(store_series_json(st, "input.voltage.l1", 5, 0, 0, 10, &j) == 0);
	CHECK(strstr(test_json(&j), "\"points\":[]"));
	printf("ok - empty window, empty unit, whole range\n");

	/* The widest window the checks accept: no overflow in the width. */
	series(st, 1, INT64_MAX, 10, &j);
	CHECK(test_json_int(test_json(&j), "bucket_ms") > 0);
	CHECK(test_json_count(test_json(&j), "{\"t\":") == 1);
	CHECK(strstr(test_json(&j), "{\"t\":1,"));
	printf("ok - a window up to INT64_MAX\n");

	json_free(&j);
	CHECK(store_series_json(st, "emd.humidity", 0, T0, end, 4, &j) == 0);
	CHECK(test_json_count(test_json(&j), "\"min\":null") == 4);
	printf("ok - a column without values gives null points\n");

	json_free(&j);
	CHECK(store_series_json(st, "no.such.column", 0, T0, end, 10, &j) == -EINVAL);
	CHECK(store_series_json(st, "input.voltage.l1; DROP TABLE history", 0, T0, end, 10, &j) ==
	      -EINVAL);
	CHECK(store_series_json(st, "input.voltage.l1", 0, T0, end, 0, &j) == -EINVAL);
	CHECK(store_series_json(st, "input.voltage.l1", 0, end, T0, 10, &j) == -EINVAL);
	CHECK(store_series_json(st, "input.voltage.l1", -1, T0, end, 10, &j) == -EINVAL);
	printf("ok - bad parameters are refused\n");

	json_free(&j);
	store_close(st);
	test_dir_remove(dir);
	return 0;
}

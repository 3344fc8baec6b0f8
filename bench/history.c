/* bench/history: a year of minute history rows (525,600, system level)
 * in a temporary database, then times the 1-day window query (page 1 of
 * 1000 rows plus the total), the full-year graph (1000 points) and a
 * 2048-row CSV export, with the database size. As a ratio reference the
 * same queries are run through the sqlite3 command-line tool when it is
 * installed (its time includes starting the process). Reports only;
 * never fails on timing. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "store/store_priv.h"

#define ROWS 525600
#define T_START 1767225600000LL         /* 2026-01-01T00:00:00Z */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fill(struct store *st)
{
	double vals[HIST_MAX_COLUMNS];
	int r = db_exec(st, "BEGIN", "bench begin");

	for (int i = 0; r >= 0 && i < ROWS; i++) {
		for (size_t c = 0; c < hist_columns_count; c++)
			vals[c] = hist_columns[c].in[HSET_UPS_HISTORY].pos ?
				  230 + 5 * sin(i / 1440.0 + c) + (i % 7) * 0.1 : NAN;
		r = hist_insert(st, T_START + i * 60000LL, 0, 0, vals);
	}
	return r < 0 ? r : db_exec(st, "COMMIT", "bench commit");
}

static double cli(const char *sqlite3, const char *db, const char *flags, const char *sql)
{
	char cmd[1024];
	double t = now_s();

	snprintf(cmd, sizeof(cmd), "%s %s '%s' \"%s\" >/dev/null", sqlite3, flags, db, sql);
	if (system(cmd) != 0)
		return NAN;
	return now_s() - t;
}

static void report(const char *what, double store_s, double cli_s)
{
	printf("%-34s %9.2f ms", what, store_s * 1e3);
	if (isfinite(cli_s))
		printf("   sqlite3 CLI %9.2f ms   ratio %.2f", cli_s * 1e3, store_s / cli_s);
	printf("\n");
}

int main(void)
{
	char tmpl[] = "/tmp/ugbench-XXXXXX", db[256], sql[512];
	struct store_config cfg = { .history_interval_s = 60, .extended_interval_s = 3600 };
	const char *cli_bin = access("/usr/bin/sqlite3", X_OK) == 0 ? "/usr/bin/sqlite3" : NULL;
	int64_t day_from = T_START + (ROWS - 1440) * 60000LL, end = T_START + ROWS * 60000LL;
	struct store_query q = { .from_ms = day_from, .to_ms = end, .page = 1, .size = 1000,
				 .unit = 0 };
	struct store *st;
	struct json j;
	struct stat sb;
	double t, t_day, t_graph, t_csv;
	int fd;

	log_set_max_priority(LOG_WARNING);
	cfg.dir = mkdtemp(tmpl);
	if (!cfg.dir || store_open(&st, &cfg, NULL) < 0)
		return 1;
	snprintf(db, sizeof(db), "%s/upsgate.db", cfg.dir);
	t = now_s();
	if (fill(st) < 0)
		return 1;
	db_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", "bench checkpoint");
	printf("filled %d minute rows in %.2f s\n", ROWS, now_s() - t);

	json_init(&j);
	t = now_s();
	store_query_json(st, STORE_HISTORY, &q, &j);
	t_day = now_s() - t;
	json_free(&j);
	t = now_s();
	store_series_json(st, "input.voltage.l1", 0, T_START, end, 1000, &j);
	t_graph = now_s() - t;
	json_free(&j);
	fd = open("/dev/null", O_WRONLY);
	t = now_s();
	store_export_csv(st, STORE_HISTORY, end - 2048 * 60000LL, end, fd);
	t_csv = now_s() - t;
	close(fd);
	store_close(st);

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM history WHERE unit = 0 AND t >= %lld AND "
		 "t < %lld; SELECT * FROM history WHERE unit = 0 AND t >= %lld AND t < %lld "
		 "ORDER BY t LIMIT 1000", (long long)day_from, (long long)end,
		 (long long)day_from, (long long)end);
	report("1-day window (page 1, 1000 rows)", t_day, cli_bin ? cli(cli_bin, db, "", sql) : NAN);
	snprintf(sql, sizeof(sql), "SELECT (t - %lld) / %lld AS b, min(input_voltage_l1), "
		 "avg(input_voltage_l1), max(input_voltage_l1) FROM history WHERE unit = 0 AND "
		 "t >= %lld AND t < %lld GROUP BY b", (long long)T_START,
		 (long long)((end - T_START + 999) / 1000), (long long)T_START, (long long)end);
	report("full-year graph (1000 points)", t_graph, cli_bin ? cli(cli_bin, db, "", sql) : NAN);
	snprintf(sql, sizeof(sql), "SELECT * FROM history WHERE t >= %lld ORDER BY t",
		 (long long)(end - 2048 * 60000LL));
	report("CSV export, 2048 rows", t_csv,
	       cli_bin ? cli(cli_bin, db, "-csv -header", sql) : NAN);
	if (stat(db, &sb) == 0)
		printf("database size: %lld bytes (%.1f MiB) for %d rows\n", (long long)sb.st_size,
		       sb.st_size / 1048576.0, ROWS);
	if (!getenv("BENCH_KEEP")) {
		unlink(db);
		rmdir(cfg.dir);
	} else {
		printf("kept %s\n", db);
	}
	return 0;
}

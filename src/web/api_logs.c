/* The logs: paged JSON queries, CSV downloads, clearing, and the
 * downsampled series the graphs draw. Every query parameter is checked
 * before the store is asked anything. */
#include "web/api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/hist_columns.h"

/* A CSV reply is held in memory once: past this, narrow the window. */
#define CSV_MAX (32u << 20)
#define SERIES_DEFAULT_POINTS 300
#define SERIES_MAX_POINTS 2000
#define SERIES_DEFAULT_SPAN_MS (24 * 3600 * 1000LL)

/* Seconds since the epoch, or ISO 8601 UTC "2026-11-22T10:00:00Z". */
static int parse_time_ms(const char *v, int64_t *ms)
{
	struct tm tm = { 0 };
	char *end;
	long long secs = strtoll(v, &end, 10);

	if (*v && *v != '-' && *end == '\0') {
		if (secs > INT64_MAX / 1000)
			return -EINVAL;
		*ms = secs * 1000;
		return 0;
	}
	end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end != '\0' && strcmp(end, "Z") != 0))
		return -EINVAL;
	*ms = (int64_t)timegm(&tm) * 1000;
	return *ms < 0 ? -EINVAL : 0;
}

static int parse_uint(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (!*v || *v == '-' || *v == '+')
		return -EINVAL;
	n = strtoul(v, &end, 10);
	if (*end || n < min || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* from and to: both, one (the other open) or none (everything). */
static int parse_window(struct web_request *r, int64_t *from_ms, int64_t *to_ms)
{
	const char *from = web_query(r, "from"), *to = web_query(r, "to");

	*from_ms = *to_ms = 0;
	if ((from && parse_time_ms(from, from_ms) < 0) || (to && parse_time_ms(to, to_ms) < 0)) {
		web_reply_error(r, 400, "bad_query",
				"from and to are unix seconds or ISO 8601 UTC (2026-11-22T10:00:00Z)");
		return -EINVAL;
	}
	if (*to_ms && *from_ms >= *to_ms) {
		web_reply_error(r, 400, "bad_query", "from must be before to");
		return -EINVAL;
	}
	return 0;
}

static int bad_query(struct web_request *r, const char *what)
{
	web_reply_error(r, 400, "bad_query", "%s", what);
	return -EINVAL;
}

static int parse_query(struct web_request *r, enum store_log log, struct store_query *q)
{
	const char *v;
	unsigned long n;
	bool history = log == STORE_HISTORY || log == STORE_EXTENDED;

	*q = (struct store_query){ .page = 1, .size = 100, .descending = true, .unit = -1 };
	if (parse_window(r, &q->from_ms, &q->to_ms) < 0)
		return -EINVAL;
	if ((v = web_query(r, "page")) && parse_uint(v, 1, 1000000, &n) == 0)
		q->page = (uint32_t)n;
	else if (v)
		return bad_query(r, "page is a number from 1");
	if ((v = web_query(r, "size")) && parse_uint(v, 1, 1000, &n) == 0)
		q->size = (uint32_t)n;
	else if (v)
		return bad_query(r, "size is a number from 1 to 1000");
	if ((v = web_query(r, "sort")) && (strcmp(v, "time") == 0 || strcmp(v, "level") == 0))
		q->sort = v[0] == 't' ? SORT_TIME : SORT_LEVEL;
	else if (v)
		return bad_query(r, "sort is time or level");
	if ((v = web_query(r, "order")) && (strcmp(v, "asc") == 0 || strcmp(v, "desc") == 0))
		q->descending = v[0] == 'd';
	else if (v)
		return bad_query(r, "order is asc or desc");
	if ((v = web_query(r, "level")) && (history || event_level_parse(v, &q->min_level) < 0))
		return bad_query(r, "level is information, warning or critical (event logs only)");
	if ((v = web_query(r, "group")) && (history || event_groups_parse(v, &q->groups) < 0))
		return bad_query(r, "group is a list of ups, sts, gateway, service, emd (event logs only)");
	if ((v = web_query(r, "unit")) && parse_uint(v, 0, MODEL_MAX_UNITS, &n) == 0)
		q->unit = (int)n;
	else if (v)
		return bad_query(r, "unit is 0 (system) or a unit number");
	return 0;
}

/* "history" or "history.csv" after /logs/. */
static int which_log(struct web_request *r, bool *csv)
{
	const char *rest = web_path_rest(r);
	char name[16];
	size_t n = strlen(rest);
	int log;

	*csv = n > 4 && strcmp(rest + n - 4, ".csv") == 0;
	if (*csv)
		n -= 4;
	if (n >= sizeof(name)) {
		web_reply_error(r, 404, "no_such_log", "the logs are history, extended, ups and gateway");
		return -ENOENT;
	}
	memcpy(name, rest, n);
	name[n] = '\0';
	log = store_log_from_name(name);
	if (log < 0)
		web_reply_error(r, 404, "no_such_log", "the logs are history, extended, ups and gateway");
	return log;
}

/* The store writes CSV to an fd: a memfd collects it for the reply. */
/* A memfd that cannot grow past CSV_MAX + 1 bytes: an export that would
 * be too large stops at the cap (the store stops at its first failed
 * write) instead of filling memory first. */
static int csv_memfd(void)
{
	int fd = memfd_create("api-csv", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)CSV_MAX + 1) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_GROW) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

static void reply_csv(struct web_request *r, struct store *st, enum store_log log)
{
	int64_t from_ms, to_ms;
	char filename[64], day[16];
	time_t now = time(NULL);
	struct tm tm;
	off_t len;
	char *data;
	int fd, rc;

	if (parse_window(r, &from_ms, &to_ms) < 0)
		return;
	fd = csv_memfd();
	if (fd < 0) {
		web_reply_error(r, 500, "internal", "the export failed");
		return;
	}
	rc = store_export_csv(st, log, from_ms, to_ms, fd);
	len = lseek(fd, 0, SEEK_CUR);
	if (rc == -EPERM || len > (off_t)CSV_MAX) {
		close(fd);
		web_reply_error(r, 413, "export_too_large", "the export is larger than %u MiB: narrow it with from and to",
				CSV_MAX >> 20);
		return;
	}
	data = rc < 0 || len < 0 ? NULL : malloc((size_t)len + 1);
	if (!data || pread(fd, data, (size_t)len, 0) != len) {
		free(data);
		close(fd);
		web_reply_error(r, 500, "internal", "the export failed");
		return;
	}
	close(fd);
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(filename, sizeof(filename), "upsgate-%s-%s.csv", store_log_name(log), day);
	web_reply_data(r, 200, "text/csv; charset=utf-8", data, (size_t)len, filename);
}

void api_logs_get(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	struct store_query q;
	struct json j;
	bool csv;
	int log = which_log(r, &csv);

	if (log < 0)
		return;
	if (csv) {
		reply_csv(r, d->store, (enum store_log)log);
		return;
	}
	if (parse_query(r, (enum store_log)log, &q) < 0)
		return;
	json_init(&j);
	if (store_query_json(d->store, (enum store_log)log, &q, &j) < 0) {
		json_free(&j);
		web_reply_error(r, 500, "internal", "the query failed");
		return;
	}
	api_reply_writer(r, 200, &j);
}

void api_logs_clear(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	bool csv;
	int log = which_log(r, &csv);

	if (log < 0)
		return;
	if (csv) {
		web_reply_error(r, 404, "no_such_log", "the logs are history, extended, ups and gateway");
		return;
	}
	if (store_clear(d->store, (enum store_log)log, web_who(r)) < 0) {
		web_reply_error(r, 500, "internal", "the log could not be cleared");
		return;
	}
	api_reply(r, 200, json_pack("{s:s}", "cleared", store_log_name((enum store_log)log)));
}

void api_series(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	const char *column = web_query(r, "column"), *v;
	unsigned long unit = 0, points = SERIES_DEFAULT_POINTS;
	int64_t from_ms, to_ms;
	struct json j;

	if (!column || !hist_column_find(column)) {
		web_reply_error(r, 400, "bad_query", "column must be a history column key (output.voltage.l1...)");
		return;
	}
	if ((v = web_query(r, "unit")) && parse_uint(v, 0, MODEL_MAX_UNITS, &unit) < 0) {
		bad_query(r, "unit is 0 (system) or a unit number");
		return;
	}
	if ((v = web_query(r, "points")) && parse_uint(v, 1, SERIES_MAX_POINTS, &points) < 0) {
		bad_query(r, "points is a number from 1 to 2000");
		return;
	}
	if (parse_window(r, &from_ms, &to_ms) < 0)
		return;
	/* The store wants both ends or neither: an open end is now, a
	 * missing start a day before the end. */
	if (from_ms || to_ms) {
		if (!to_ms)
			to_ms = (int64_t)time(NULL) * 1000 + 1;
		if (!web_query(r, "from"))
			from_ms = to_ms > SERIES_DEFAULT_SPAN_MS ? to_ms - SERIES_DEFAULT_SPAN_MS : 0;
		if (from_ms >= to_ms) {
			bad_query(r, "from must be before to");
			return;
		}
	}
	json_init(&j);
	if (store_series_json(d->store, column, (int)unit, from_ms, to_ms, (unsigned)points, &j) < 0) {
		json_free(&j);
		web_reply_error(r, 500, "internal", "the query failed");
		return;
	}
	api_reply_writer(r, 200, &j);
}

/* CSV export, streamed through a fixed buffer (never the whole log in
 * memory). RFC 4180: CRLF line ends, a header row, fields quoted when
 * they hold a comma, a quote, CR or LF (quotes doubled). The file starts
 * with a UTF-8 byte order mark so that spreadsheets read "°C" right.
 * The first columns are the local time ("2026-11-22 14:03:00", what a
 * spreadsheet shows) and ISO 8601 in UTC ("2026-11-22T13:03:00Z", what
 * a program parses). A value the UPS does not give is -1, as in the
 * manual's exports. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

#define CSV_BUF 65536

struct csvw {
	int fd;
	int err;                    /* first write error, -errno */
	bool line_start;
	size_t len;
	char buf[CSV_BUF];
};

static void csv_flush(struct csvw *w)
{
	size_t done = 0;

	while (!w->err && done < w->len) {
		ssize_t n = write(w->fd, w->buf + done, w->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->err = n < 0 ? -errno : -EIO;
			log_warning("store: CSV export: write: %s", strerror(-w->err));
			break;
		}
		done += (size_t)n;
	}
	w->len = 0;
}

static void csv_put(struct csvw *w, const char *s, size_t n)
{
	while (n > 0 && !w->err) {
		size_t room = CSV_BUF - w->len, k = n < room ? n : room;

		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
		if (w->len == CSV_BUF)
			csv_flush(w);
	}
}

static void csv_field(struct csvw *w, const char *s)
{
	if (!w->line_start)
		csv_put(w, ",", 1);
	w->line_start = false;
	if (!s)
		s = "";
	if (!s[strcspn(s, ",\"\r\n")]) {
		csv_put(w, s, strlen(s));
		return;
	}
	csv_put(w, "\"", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		csv_put(w, s, (size_t)(q - s) + 1);
		csv_put(w, "\"", 1);
	}
	csv_put(w, s, strlen(s));
	csv_put(w, "\"", 1);
}

static void csv_fieldf(struct csvw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void csv_fieldf(struct csvw *w, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	csv_field(w, tmp);
}

static void csv_eol(struct csvw *w)
{
	csv_put(w, "\r\n", 2);
	w->line_start = true;
}

static void csv_times(struct csvw *w, int64_t ms)
{
	char buf[TIMEFMT_LEN];

	timefmt_local(ms, buf);
	csv_field(w, buf);
	timefmt_iso(ms, buf);
	csv_field(w, buf);
}

static void csv_value(struct csvw *w, sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		csv_field(w, "-1");
	else
		csv_fieldf(w, "%.10g", sqlite3_column_double(stmt, col));
}

static void csv_level(struct csvw *w, int unit)
{
	if (unit == 0)
		csv_field(w, "System");
	else
		csv_fieldf(w, "Unit %d", unit);
}

struct csv_cols {
	enum hist_set set;
	size_t n;
	const struct hist_column *c[HIST_MAX_COLUMNS];
};

/* The manual's column set of the newest row in the window: a UPS or an
 * STS, plus the EMD columns when a sensor reports. */
static int pick_columns(struct store *st, enum store_log log, int64_t from, int64_t to,
			struct csv_cols *cols)
{
	sqlite3_stmt *stmt;
	char sql[160];
	int src = 0, r;

	snprintf(sql, sizeof(sql), "SELECT src FROM %s WHERE t >= ?1 AND t < ?2 "
		 "ORDER BY t DESC LIMIT 1", store_logs[log].table);
	r = db_prepare(st, sql, "prepare CSV column choice", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		src = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	cols->set = src & HSRC_STS ? HSET_STS_HISTORY :
		    log == STORE_EXTENDED ? HSET_UPS_EXTENDED : HSET_UPS_HISTORY;
	cols->n = hist_set_columns(cols->set, cols->c, HIST_MAX_COLUMNS);
	if (src & HSRC_EMD)
		cols->n += hist_set_columns(HSET_EMD_HISTORY, cols->c + cols->n,
					    HIST_MAX_COLUMNS - cols->n);
	return 0;
}

static const char *title_of(const struct hist_column *c, enum hist_set set)
{
	return c->in[set].pos ? c->in[set].title : c->in[HSET_EMD_HISTORY].title;
}

static void history_header(struct csvw *w, enum store_log log, const struct csv_cols *cols)
{
	static const char *const stats[] = { " Min", " Max", " Avg" };

	csv_field(w, "Local time");
	csv_field(w, "ISO 8601");
	if (log == STORE_EXTENDED) {
		csv_field(w, "End local time");
		csv_field(w, "End ISO 8601");
		csv_field(w, "Samples");
	}
	csv_field(w, "Level");
	for (size_t i = 0; i < cols->n; i++) {
		const char *title = title_of(cols->c[i], cols->set);

		if (log == STORE_HISTORY)
			csv_field(w, title);
		else
			for (int s = 0; s < 3; s++)
				csv_fieldf(w, "%s%s", title, stats[s]);
	}
	csv_eol(w);
}

static void history_line(struct csvw *w, enum store_log log, const struct csv_cols *cols,
			 sqlite3_stmt *stmt)
{
	bool ext = log == STORE_EXTENDED;

	csv_times(w, sqlite3_column_int64(stmt, 1));
	if (ext) {
		csv_times(w, sqlite3_column_int64(stmt, 2));
		csv_fieldf(w, "%lld", (long long)sqlite3_column_int64(stmt, 3));
	}
	csv_level(w, sqlite3_column_int(stmt, ext ? 4 : 2));
	for (size_t i = 0; i < cols->n; i++) {
		int k = (int)(cols->c[i] - hist_columns);

		if (!ext) {
			csv_value(w, stmt, HIST_FIRST_VALUE + k);
			continue;
		}
		/* Stored min, avg, max; the manual prints Min, Max, Avg. */
		csv_value(w, stmt, EXT_FIRST_VALUE + 3 * k);
		csv_value(w, stmt, EXT_FIRST_VALUE + 3 * k + 2);
		csv_value(w, stmt, EXT_FIRST_VALUE + 3 * k + 1);
	}
	csv_eol(w);
}

static void event_header(struct csvw *w)
{
	static const char *const titles[] = { "Local time", "ISO 8601", "Level", "Group", "Code",
		"Event", "State", "Unit", "Module", "Detail" };

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		csv_field(w, titles[i]);
	csv_eol(w);
}

static void event_line(struct csvw *w, sqlite3_stmt *stmt)
{
	int level = sqlite3_column_int(stmt, 4);
	bool active = sqlite3_column_int(stmt, 8);

	csv_times(w, sqlite3_column_int64(stmt, 1));
	csv_field(w, level >= LEVEL_NONE && level <= LEVEL_CRITICAL ? level_name(level) : "");
	csv_field(w, (const char *)sqlite3_column_text(stmt, 5));
	csv_field(w, (const char *)sqlite3_column_text(stmt, 2));
	/* The manual logs a cleared alarm again with "has been removed". */
	csv_fieldf(w, "%s%s", (const char *)sqlite3_column_text(stmt, 3),
		   active ? "" : " has been removed");
	csv_field(w, active ? "active" : "cleared");
	csv_fieldf(w, "%d", sqlite3_column_int(stmt, 6));
	csv_fieldf(w, "%d", sqlite3_column_int(stmt, 7));
	csv_field(w, (const char *)sqlite3_column_text(stmt, 9));
	csv_eol(w);
}

static int export_rows(struct store *st, enum store_log log, int64_t from, int64_t to,
		       const struct csv_cols *cols, struct csvw *w)
{
	sqlite3_stmt *stmt;
	char sql[192];
	int r, rc;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE t >= ?1 AND t < ?2 ORDER BY t, id",
		 store_logs[log].table);
	r = db_prepare(st, sql, "prepare CSV export", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	while (!w->err && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (schema_is_history(log))
			history_line(w, log, cols, stmt);
		else
			event_line(w, stmt);
	}
	if (!w->err && rc != SQLITE_DONE)
		r = db_error(st, "read rows for CSV export", rc);
	sqlite3_finalize(stmt);
	return r;
}

int store_export_csv(struct store *st, enum store_log log, int64_t from_ms, int64_t to_ms, int fd)
{
	static const char bom[] = "\xEF\xBB\xBF";
	struct csv_cols cols = { 0 };
	struct csvw *w;
	int r = 0;

	if (log >= _STORE_LOG_COUNT || fd < 0 || from_ms < 0 || (to_ms && to_ms < from_ms))
		return -EINVAL;
	if (!to_ms)
		to_ms = INT64_MAX;
	if (schema_is_history(log))
		r = pick_columns(st, log, from_ms, to_ms, &cols);
	if (r < 0)
		return r;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->line_start = true;
	csv_put(w, bom, sizeof(bom) - 1);
	if (schema_is_history(log))
		history_header(w, log, &cols);
	else
		event_header(w);
	r = export_rows(st, log, from_ms, to_ms, &cols, w);
	csv_flush(w);
	if (r >= 0 && w->err)
		r = w->err;
	free(w);
	return r;
}

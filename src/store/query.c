/* Paged queries of one log as JSON: a time window, filters, a sort, a
 * page, and the total count of the matching rows. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

#define QUERY_MAX_SIZE 1000

static int check_query(enum store_log log, const struct store_query *q)
{
	uint32_t all_groups = (1u << _EVG_COUNT) - 1;

	if (log >= _STORE_LOG_COUNT || !q || q->page < 1 || q->size < 1 ||
	    q->from_ms < 0 || (q->to_ms && q->to_ms < q->from_ms) ||
	    (q->sort != SORT_TIME && q->sort != SORT_LEVEL) || q->min_level > LEVEL_CRITICAL ||
	    (q->groups & ~all_groups) || q->unit < -1 || q->unit > MODEL_MAX_UNITS)
		return -EINVAL;
	/* Severity and group are facts of events, not of measurements. */
	if (schema_is_history(log) && (q->min_level != LEVEL_NONE || q->groups))
		return -EINVAL;
	return 0;
}

static void where_clause(const struct store_query *q, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, " WHERE t >= :from AND t < :to");

	if (q->unit >= 0)
		n += (size_t)snprintf(buf + n, cap - n, " AND unit = :unit");
	if (q->min_level != LEVEL_NONE)
		n += (size_t)snprintf(buf + n, cap - n, " AND level >= :level");
	if (q->groups) {
		n += (size_t)snprintf(buf + n, cap - n, " AND grp IN (");
		for (int g = 0; g < _EVG_COUNT; g++)
			n += (size_t)snprintf(buf + n, cap - n, "%s:g%d", g ? ", " : "", g);
		snprintf(buf + n, cap - n, ")");
	}
}

static void bind_where(sqlite3_stmt *stmt, const struct store_query *q)
{
	char name[8];
	int i;

	sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt, ":from"), q->from_ms);
	sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt, ":to"),
			   q->to_ms ? q->to_ms : INT64_MAX);
	if ((i = sqlite3_bind_parameter_index(stmt, ":unit")))
		sqlite3_bind_int(stmt, i, q->unit);
	if ((i = sqlite3_bind_parameter_index(stmt, ":level")))
		sqlite3_bind_int(stmt, i, q->min_level);
	/* Unused group slots stay NULL, which matches nothing. */
	for (int g = 0; g < _EVG_COUNT; g++) {
		snprintf(name, sizeof(name), ":g%d", g);
		if ((i = sqlite3_bind_parameter_index(stmt, name)) && (q->groups >> g & 1))
			sqlite3_bind_text(stmt, i, event_group_name(g), -1, SQLITE_STATIC);
	}
}

static void put_time(struct json *j, const char *key_ms, const char *key_iso, int64_t ms)
{
	char iso[TIMEFMT_LEN];

	timefmt_iso(ms, iso);
	json_int(j, key_ms, ms);
	json_str(j, key_iso, iso);
}

static void put_value(struct json *j, const char *key, sqlite3_stmt *stmt, int col)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		json_put_null(j, key);
	else
		json_num(j, key, sqlite3_column_double(stmt, col));
}

static void history_row(struct json *j, sqlite3_stmt *stmt)
{
	put_time(j, "t", "time", sqlite3_column_int64(stmt, 1));
	json_int(j, "unit", sqlite3_column_int(stmt, 2));
	for (size_t i = 0; i < hist_columns_count; i++)
		put_value(j, hist_columns[i].key, stmt, HIST_FIRST_VALUE + (int)i);
}

static void extended_row(struct json *j, sqlite3_stmt *stmt)
{
	put_time(j, "t", "time", sqlite3_column_int64(stmt, 1));
	put_time(j, "t_end", "time_end", sqlite3_column_int64(stmt, 2));
	json_int(j, "samples", sqlite3_column_int64(stmt, 3));
	json_int(j, "unit", sqlite3_column_int(stmt, 4));
	for (size_t i = 0; i < hist_columns_count; i++) {
		int c = EXT_FIRST_VALUE + 3 * (int)i;

		json_obj_open(j, hist_columns[i].key);
		put_value(j, "min", stmt, c);
		put_value(j, "avg", stmt, c + 1);
		put_value(j, "max", stmt, c + 2);
		json_obj_close(j);
	}
}

static void event_row(struct json *j, sqlite3_stmt *stmt)
{
	int level = sqlite3_column_int(stmt, 4);

	put_time(j, "t", "time", sqlite3_column_int64(stmt, 1));
	json_str(j, "code", (const char *)sqlite3_column_text(stmt, 2));
	json_str(j, "text", (const char *)sqlite3_column_text(stmt, 3));
	json_str(j, "level", level >= LEVEL_NONE && level <= LEVEL_CRITICAL ?
		 level_name(level) : "");
	json_str(j, "group", (const char *)sqlite3_column_text(stmt, 5));
	json_int(j, "unit", sqlite3_column_int(stmt, 6));
	json_int(j, "module", sqlite3_column_int(stmt, 7));
	json_bool(j, "active", sqlite3_column_int(stmt, 8));
	json_str(j, "detail", (const char *)sqlite3_column_text(stmt, 9));
}

static int count_matching(struct store *st, const char *table, const char *where,
			  const struct store_query *q, int64_t *total)
{
	sqlite3_stmt *stmt;
	char sql[512];
	int r, rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s%s", table, where);
	r = db_prepare(st, sql, "prepare log count", &stmt);
	if (r < 0)
		return r;
	bind_where(stmt, q);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(stmt, 0);
	else
		r = db_error(st, "count log rows", rc);
	sqlite3_finalize(stmt);
	return r;
}

static int write_rows(struct store *st, enum store_log log, const char *where,
		      const struct store_query *q, uint32_t size, struct json *out)
{
	const char *dir = q->descending ? "DESC" : "ASC";
	const char *key = q->sort == SORT_TIME ? "t" : schema_is_history(log) ? "unit" : "level";
	const char *then = q->sort == SORT_TIME ? "id" : "t";
	sqlite3_stmt *stmt;
	char sql[640];
	int r, rc;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s%s ORDER BY %s %s, %s %s LIMIT :lim "
		 "OFFSET :off", store_logs[log].table, where, key, dir, then, dir);
	r = db_prepare(st, sql, "prepare log query", &stmt);
	if (r < 0)
		return r;
	bind_where(stmt, q);
	sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt, ":lim"), size);
	sqlite3_bind_int64(stmt, sqlite3_bind_parameter_index(stmt, ":off"),
			   (int64_t)(q->page - 1) * size);
	json_arr_open(out, "rows");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_obj_open(out, NULL);
		if (log == STORE_HISTORY)
			history_row(out, stmt);
		else if (log == STORE_EXTENDED)
			extended_row(out, stmt);
		else
			event_row(out, stmt);
		json_obj_close(out);
	}
	json_arr_close(out);
	if (rc != SQLITE_DONE)
		r = db_error(st, "read log rows", rc);
	sqlite3_finalize(stmt);
	return r;
}

int store_query_json(struct store *st, enum store_log log, const struct store_query *q,
		     struct json *out)
{
	uint32_t size;
	char where[256];
	int64_t total = 0;
	int r = check_query(log, q);

	if (r < 0)
		return r;
	size = q->size > QUERY_MAX_SIZE ? QUERY_MAX_SIZE : q->size;
	where_clause(q, where, sizeof(where));
	r = count_matching(st, store_logs[log].table, where, q, &total);
	if (r < 0)
		return r;
	json_obj_open(out, NULL);
	json_str(out, "log", store_logs[log].name);
	json_int(out, "total", total);
	json_uint(out, "page", q->page);
	json_uint(out, "size", size);
	r = write_rows(st, log, where, q, size, out);
	json_obj_close(out);
	if (r >= 0 && json_failed(out)) {
		log_error("store: %s query: out of memory", store_logs[log].name);
		r = -ENOMEM;
	}
	return r;
}

/* Schema and migrations.
 *
 * PRAGMA user_version versions the file's own tables (log_schema,
 * active_events). Each log has its own version in log_schema; a log whose
 * stored version, or whose table definition in sqlite_master, differs
 * from this build's is dropped and re-created alone (the manual's "...
 * log schema changed. Log has been re-created."), the other logs keep
 * their rows. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

#define DDL_MAX 8192

struct sbuf {
	char *p;
	size_t len, cap;
	bool overflow;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len)
		b->overflow = true;
	else
		b->len += (size_t)n;
}

bool schema_is_history(enum store_log log)
{
	return log == STORE_HISTORY || log == STORE_EXTENDED;
}

/* "t" is the time in ms since the epoch (UTC); for the extended log the
 * start of the window, "t_end" its end. "unit" is 0 for the system level. */
static int table_ddl(enum store_log log, char *buf, size_t cap)
{
	struct sbuf b = { buf, 0, cap, false };
	const char *t = store_logs[log].table;

	if (!schema_is_history(log)) {
		sb_add(&b, "CREATE TABLE %s (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, "
		       "code TEXT NOT NULL, text TEXT NOT NULL, level INTEGER NOT NULL, "
		       "grp TEXT NOT NULL, unit INTEGER NOT NULL, module INTEGER NOT NULL, "
		       "active INTEGER NOT NULL, detail TEXT NOT NULL)", t);
		return b.overflow ? -ENOBUFS : 0;
	}
	sb_add(&b, "CREATE TABLE %s (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, ", t);
	if (log == STORE_EXTENDED)
		sb_add(&b, "t_end INTEGER NOT NULL, samples INTEGER NOT NULL, ");
	sb_add(&b, "unit INTEGER NOT NULL, src INTEGER NOT NULL");
	for (size_t i = 0; i < hist_columns_count; i++) {
		const char *c = hist_columns[i].sql;

		if (log == STORE_HISTORY)
			sb_add(&b, ", %s REAL", c);
		else
			sb_add(&b, ", %s_min REAL, %s_avg REAL, %s_max REAL", c, c, c);
	}
	sb_add(&b, ")");
	return b.overflow ? -ENOBUFS : 0;
}

static int create_log(struct store *st, enum store_log log, const char *ddl)
{
	const char *t = store_logs[log].table;
	char sql[256];
	int r = db_exec(st, ddl, "create log table");

	if (r < 0)
		return r;
	if (schema_is_history(log)) {
		/* (unit, t) serves graphs and refuses a second row for one
		 * slot after a restart; (t) serves all-level windows. */
		snprintf(sql, sizeof(sql), "CREATE UNIQUE INDEX %s_unit_t ON %s(unit, t)", t, t);
		r = db_exec(st, sql, "create log index");
		if (r < 0)
			return r;
	}
	snprintf(sql, sizeof(sql), "CREATE INDEX %s_t ON %s(t)", t, t);
	return db_exec(st, sql, "create log index");
}

/* Text of the table in sqlite_master, "" if it does not exist. */
static int stored_ddl(struct store *st, const char *table, char *buf, size_t cap)
{
	sqlite3_stmt *stmt;
	int r = db_prepare(st, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
			   "read log table definition", &stmt);

	if (r < 0)
		return r;
	buf[0] = '\0';
	sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return 0;
}

static int stored_version(struct store *st, const char *name, int64_t *version)
{
	sqlite3_stmt *stmt;
	int r = db_prepare(st, "SELECT version FROM log_schema WHERE name = ?1",
			   "read log schema version", &stmt);

	if (r < 0)
		return r;
	*version = -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*version = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

static int record_version(struct store *st, enum store_log log)
{
	sqlite3_stmt *stmt;
	int r = db_prepare(st, "INSERT OR REPLACE INTO log_schema (name, version) VALUES (?1, ?2)",
			   "record log schema version", &stmt);

	if (r < 0)
		return r;
	sqlite3_bind_text(stmt, 1, store_logs[log].name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_logs[log].version);
	r = db_step_done(st, stmt, "record log schema version");
	sqlite3_finalize(stmt);
	return r;
}

static int migrate_log(struct store *st, enum store_log log, bool *recreated)
{
	char want[DDL_MAX], have[DDL_MAX], sql[128];
	int64_t version;
	int r = table_ddl(log, want, sizeof(want));

	if (r < 0) {
		log_error("store: %s log: table definition too long", store_logs[log].name);
		return r;
	}
	if ((r = stored_ddl(st, store_logs[log].table, have, sizeof(have))) < 0 ||
	    (r = stored_version(st, store_logs[log].name, &version)) < 0)
		return r;
	if (have[0] && version == store_logs[log].version && strcmp(have, want) == 0)
		return 0;
	if (have[0]) {
		if (version == store_logs[log].version)
			log_warning("store: %s log table differs from this build's: re-creating it",
				    store_logs[log].name);
		else
			log_warning("store: %s log schema changed (version %lld, this build %u): "
				    "re-creating it", store_logs[log].name, (long long)version,
				    store_logs[log].version);
		snprintf(sql, sizeof(sql), "DROP TABLE %s", store_logs[log].table);
		if ((r = db_exec(st, sql, "drop log table")) < 0)
			return r;
		*recreated = true;
	}
	if ((r = create_log(st, log, want)) < 0)
		return r;
	return record_version(st, log);
}

static int migrate_file(struct store *st)
{
	int64_t version;
	char sql[64];
	int r = db_int64(st, "PRAGMA user_version", "read file version", &version);

	if (r < 0)
		return r;
	if (version > STORE_FILE_VERSION)
		log_warning("store: database written by a newer upsgate (file version %lld); "
			    "logs with another schema are re-created", (long long)version);
	/* Version 1: the bookkeeping tables. */
	r = db_exec(st, "CREATE TABLE IF NOT EXISTS log_schema (name TEXT PRIMARY KEY, "
		    "version INTEGER NOT NULL)", "create log_schema table");
	if (r >= 0)
		r = db_exec(st, "CREATE TABLE IF NOT EXISTS active_events (code TEXT NOT NULL, "
			    "unit INTEGER NOT NULL, module INTEGER NOT NULL)",
			    "create active_events table");
	if (r >= 0 && version != STORE_FILE_VERSION) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_FILE_VERSION);
		r = db_exec(st, sql, "write file version");
	}
	return r;
}

int schema_migrate(struct store *st, bool recreated[_STORE_LOG_COUNT])
{
	int r = db_exec(st, "BEGIN IMMEDIATE", "begin migration");

	if (r < 0)
		return r;
	r = migrate_file(st);
	for (int i = 0; r >= 0 && i < _STORE_LOG_COUNT; i++)
		r = migrate_log(st, i, &recreated[i]);
	if (r >= 0)
		r = db_exec(st, "COMMIT", "commit migration");
	if (r < 0) {
		db_rollback(st);
		memset(recreated, 0, sizeof(bool) * _STORE_LOG_COUNT);
	}
	return r;
}

static int prepare_history_insert(struct store *st, enum store_log log, sqlite3_stmt **out)
{
	char sql[DDL_MAX];
	struct sbuf b = { sql, 0, sizeof(sql), false };
	unsigned params = log == STORE_HISTORY ? 3 : 5;

	sb_add(&b, "INSERT OR IGNORE INTO %s (t, %sunit, src", store_logs[log].table,
	       log == STORE_EXTENDED ? "t_end, samples, " : "");
	for (size_t i = 0; i < hist_columns_count; i++) {
		const char *c = hist_columns[i].sql;

		if (log == STORE_HISTORY)
			sb_add(&b, ", %s", c);
		else
			sb_add(&b, ", %s_min, %s_avg, %s_max", c, c, c);
	}
	params += (unsigned)hist_columns_count * (log == STORE_HISTORY ? 1 : 3);
	sb_add(&b, ") VALUES (?");
	for (unsigned i = 1; i < params; i++)
		sb_add(&b, ", ?");
	sb_add(&b, ")");
	if (b.overflow) {
		log_error("store: %s insert statement too long", store_logs[log].name);
		return -ENOBUFS;
	}
	return db_prepare(st, sql, "prepare history insert", out);
}

int schema_prepare_inserts(struct store *st)
{
	static const char *const fmt = "INSERT INTO %s (t, code, text, level, grp, unit, module, "
		"active, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	char sql[256];
	int r;

	if ((r = prepare_history_insert(st, STORE_HISTORY, &st->ins_hist)) < 0 ||
	    (r = prepare_history_insert(st, STORE_EXTENDED, &st->ins_ext)) < 0)
		return r;
	for (int i = 0; i < 2; i++) {
		enum store_log log = i ? STORE_GATEWAY_EVENTS : STORE_DEVICE_EVENTS;

		snprintf(sql, sizeof(sql), fmt, store_logs[log].table);
		if ((r = db_prepare(st, sql, "prepare event insert", &st->ins_event[i])) < 0)
			return r;
	}
	return 0;
}

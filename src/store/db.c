/* The database file: opening, pragmas, statement helpers and the log
 * table. Schema and migrations are in schema.c. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/log.h"

/* The event codes are the catalogue's (src/core/tab_events.c) for the
 * nv_events rows "... log cleared" and "... log schema changed. Log has
 * been re-created.". Ceilings: a year of minute rows for the system and
 * ten units is 5.8 million. */
const struct store_logdef store_logs[_STORE_LOG_COUNT] = {
	[STORE_HISTORY] = { "history", "history", 1, 6000000,
		{ "gw.history_log_cleared", "gw.history_schema_recreated" } },
	[STORE_EXTENDED] = { "extended", "extended", 1, 1000000,
		{ "gw.extended_log_cleared", "gw.extended_schema_recreated" } },
	[STORE_DEVICE_EVENTS] = { "ups", "ev_ups", 1, 1000000,
		{ "gw.ups_log_cleared", "gw.ups_log_schema_recreated" } },
	[STORE_GATEWAY_EVENTS] = { "gateway", "ev_gateway", 1, 1000000,
		{ "gw.gateway_log_cleared", "gw.gateway_log_schema_recreated" } },
};

const char *store_log_name(enum store_log log)
{
	return log < _STORE_LOG_COUNT ? store_logs[log].name : NULL;
}

int store_log_from_name(const char *name)
{
	for (int i = 0; name && i < _STORE_LOG_COUNT; i++)
		if (strcmp(store_logs[i].name, name) == 0)
			return i;
	return -ENOENT;
}

int64_t store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int errno_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM: return -ENOMEM;
	case SQLITE_BUSY: case SQLITE_LOCKED: return -EBUSY;
	case SQLITE_FULL: return -ENOSPC;
	case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH: return -EACCES;
	case SQLITE_CANTOPEN: return -ENOENT;
	case SQLITE_CONSTRAINT: case SQLITE_MISMATCH: case SQLITE_RANGE: return -EINVAL;
	default: return -EIO;
	}
}

int db_error(struct store *st, const char *purpose, int rc)
{
	log_error("store: %s: %s (%d)", purpose,
		  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), rc);
	return errno_of(rc);
}

int db_prepare(struct store *st, const char *sql, const char *purpose, sqlite3_stmt **out)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);

	if (rc != SQLITE_OK) {
		*out = NULL;
		return db_error(st, purpose, rc);
	}
	return 0;
}

int db_exec(struct store *st, const char *sql, const char *purpose)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_error(st, purpose, rc);
}

/* Steps a statement that returns no row, then resets it for reuse. */
int db_step_done(struct store *st, sqlite3_stmt *stmt, const char *purpose)
{
	int rc = sqlite3_step(stmt);
	int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(st, purpose, rc);

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return r;
}

/* One integer from a statement without parameters. */
int db_int64(struct store *st, const char *sql, const char *purpose, int64_t *out)
{
	sqlite3_stmt *stmt;
	int r = db_prepare(st, sql, purpose, &stmt);
	int rc;

	if (r < 0)
		return r;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	else
		r = db_error(st, purpose, rc == SQLITE_DONE ? SQLITE_MISMATCH : rc);
	sqlite3_finalize(stmt);
	return r;
}

void db_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int check_config(const struct store_config *cfg)
{
	if (!cfg || !cfg->dir || !*cfg->dir) {
		log_error("store: no state directory");
		return -EINVAL;
	}
	if (cfg->history_interval_s < 1 || cfg->history_interval_s > 86400 ||
	    cfg->extended_interval_s < 10 || cfg->extended_interval_s > 604800) {
		log_error("store: intervals out of range (history %u s, extended %u s)",
			  cfg->history_interval_s, cfg->extended_interval_s);
		return -EINVAL;
	}
	return 0;
}

/* Durability first: WAL with synchronous=FULL makes every commit durable
 * (the WAL is fsynced at each commit) and a kill -9 or power cut at any
 * instant leaves the last committed transaction intact. auto_vacuum must
 * be chosen before the first table exists; it lets retention give freed
 * pages back to the file system. */
static int set_pragmas(struct store *st)
{
	static const char *const pragmas[] = {
		"PRAGMA auto_vacuum = INCREMENTAL",
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA journal_size_limit = 4194304",
	};
	char mode[16] = "";
	sqlite3_stmt *stmt;
	int r;

	sqlite3_busy_timeout(st->db, 1000);
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		r = db_prepare(st, pragmas[i], "set pragma", &stmt);
		if (r < 0)
			return r;
		if (sqlite3_step(stmt) == SQLITE_ROW && i == 1)
			snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
	if (strcmp(mode, "wal") != 0) {
		log_error("store: %s/%s: cannot use WAL journal (got \"%s\")", st->dir,
			  STORE_DB_NAME, mode);
		return -EIO;
	}
	return 0;
}

static int open_file(struct store *st)
{
	char path[4096];
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s", st->dir, STORE_DB_NAME) >= (int)sizeof(path)) {
		log_error("store: state directory path too long");
		return -ENAMETOOLONG;
	}
	if (mkdir(st->dir, 0750) < 0 && errno != EEXIST) {
		log_error("store: cannot create %s: %m", st->dir);
		return -errno;
	}
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log_error("store: cannot open %s: %s", path,
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		sqlite3_close(st->db);
		st->db = NULL;
		return errno_of(rc);
	}
	sqlite3_extended_result_codes(st->db, 1);
	return 0;
}

static void apply_config(struct store *st, const struct store_config *cfg)
{
	st->cfg = *cfg;
	st->cfg.dir = st->dir;
	for (int i = 0; i < _STORE_LOG_COUNT; i++)
		if (!cfg->keep[i].days && !cfg->keep[i].rows)
			log_notice("store: %s log: no retention set, kept up to %u rows",
				   store_logs[i].name, store_logs[i].ceiling);
}

int store_open(struct store **out, const struct store_config *cfg, struct event_bus *bus)
{
	bool recreated[_STORE_LOG_COUNT] = { false };
	struct store *st;
	int r;

	*out = NULL;
	r = check_config(cfg);
	if (r < 0)
		return r;
	st = calloc(1, sizeof(*st));
	if (!st || !(st->dir = strdup(cfg->dir))) {
		free(st);
		log_error("store: out of memory");
		return -ENOMEM;
	}
	st->bus = bus;
	st->hist_slot = -1;
	apply_config(st, cfg);
	ext_init(&st->ext, cfg->extended_interval_s);
	r = open_file(st);
	if (r >= 0)
		r = set_pragmas(st);
	if (r >= 0)
		r = schema_migrate(st, recreated);
	if (r >= 0)
		r = schema_prepare_inserts(st);
	if (r < 0) {
		store_close(st);
		return r;
	}
	/* Tables exist now, so the gateway log can hold these events. */
	for (int i = 0; i < _STORE_LOG_COUNT; i++)
		if (recreated[i])
			evlog_emit_own(st, i, OWN_RECREATED, "");
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->db) {
		ext_roll(st, 0, true);
		sqlite3_finalize(st->ins_hist);
		sqlite3_finalize(st->ins_ext);
		sqlite3_finalize(st->ins_event[0]);
		sqlite3_finalize(st->ins_event[1]);
		/* The last connection checkpoints and removes the WAL. */
		sqlite3_close(st->db);
	}
	free(st->dir);
	free(st);
}

int store_reconfigure(struct store *st, const struct store_config *cfg)
{
	int r = check_config(cfg);

	if (r < 0)
		return r;
	if (strcmp(cfg->dir, st->dir) != 0)
		log_warning("store: state directory change needs a restart");
	if (cfg->extended_interval_s != st->cfg.extended_interval_s) {
		ext_roll(st, 0, true);      /* the open window ends now */
		ext_init(&st->ext, cfg->extended_interval_s);
	}
	if (cfg->history_interval_s != st->cfg.history_interval_s)
		st->hist_slot = -1;
	apply_config(st, cfg);
	st->next_prune_ms = 0;          /* new limits apply at the next tick */
	return 0;
}

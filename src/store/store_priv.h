/* Internals shared by the files of src/store (not part of its API). */
#pragma once

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "device/model.h"
#include "store/hist_columns.h"
#include "store/store.h"

#define STORE_DB_NAME      "upsgate.db"
#define STORE_FILE_VERSION 1            /* PRAGMA user_version: the file's own tables */
#define STORE_PRUNE_PERIOD_MS (10 * 60 * 1000)
#define STORE_MAX_LEVELS   (1 + MODEL_MAX_UNITS)   /* system + units are logged */

/* Row flags of the history logs ("src" column). */
#define HSRC_STS 1u                     /* the STS column set applies */
#define HSRC_EMD 2u                     /* EMD columns carry values */

enum store_own_event {                  /* events the store raises itself */
	OWN_CLEARED = 0,
	OWN_RECREATED,
	_OWN_COUNT,
};

struct store_logdef {
	const char *name;                   /* API and CSV name */
	const char *table;
	unsigned version;                   /* bump when the table's columns change */
	unsigned ceiling;                   /* rows kept at most, whatever the settings */
	const char *own_code[_OWN_COUNT];   /* catalogue codes (src/core/tab_events.c) */
};

extern const struct store_logdef store_logs[_STORE_LOG_COUNT];

struct ext_acc {
	double min, max, sum;
	uint32_t n;
};

struct ext_level {
	uint32_t samples;                   /* snapshots seen; 0 = level absent */
	uint8_t src;
	struct ext_acc acc[HIST_MAX_COLUMNS];
};

struct ext_window {
	int64_t win_ms;                     /* aligned start of the open window; -1 none */
	int64_t len_ms;
	int64_t start_ms, last_ms;          /* span of the samples it covers */
	bool continued;                     /* the previous window closed on time */
	struct ext_level lv[STORE_MAX_LEVELS];      /* by unit number, 0 = system */
};

struct store {
	sqlite3 *db;
	struct event_bus *bus;
	char *dir;
	struct store_config cfg;            /* cfg.dir points at [dir] */
	int64_t hist_slot;                  /* last history slot written; -1 none */
	int64_t next_prune_ms;
	struct ext_window ext;
	sqlite3_stmt *ins_hist, *ins_ext, *ins_event[2];
	/* Events the store published itself (already recorded): the one
	 * being delivered, and the bus seq of the last few, for a bus that
	 * queues events published during a delivery. */
	const struct event *own_event;
	uint64_t own_seq[4];
	unsigned own_next;
	uint32_t warned;                    /* bit per own event already reported missing */
};

/* db.c: errors and statements. Each sqlite error is logged here, once,
 * with the purpose of the statement; callers only pass -errno on. */
int db_error(struct store *st, const char *purpose, int rc);
int db_prepare(struct store *st, const char *sql, const char *purpose, sqlite3_stmt **out);
int db_exec(struct store *st, const char *sql, const char *purpose);
int db_step_done(struct store *st, sqlite3_stmt *stmt, const char *purpose);
int db_int64(struct store *st, const char *sql, const char *purpose, int64_t *out);
void db_rollback(struct store *st);
int64_t store_now_ms(void);

/* schema.c. Tables start with fixed columns, then one (history) or three
 * (extended: min, avg, max) per hist_columns[] entry:
 *   history:  id, t, unit, src, ...
 *   extended: id, t, t_end, samples, unit, src, ...
 *   events:   id, t, code, text, level, grp, unit, module, active, detail */
#define HIST_FIRST_VALUE 4
#define EXT_FIRST_VALUE  6
int schema_migrate(struct store *st, bool recreated[_STORE_LOG_COUNT]);
int schema_prepare_inserts(struct store *st);
bool schema_is_history(enum store_log log);

/* history.c */
bool hist_level_logged(const struct level_data *l);
uint8_t hist_src(const struct snapshot *s);
int hist_insert(struct store *st, int64_t t_ms, uint8_t unit, uint8_t src, const double *vals);

/* extended.c */
void ext_init(struct ext_window *w, unsigned interval_s);
int ext_roll(struct store *st, int64_t now_ms, bool force);

/* evlog.c */
int evlog_emit_own(struct store *st, enum store_log log, enum store_own_event what,
		   const char *detail);

/* timefmt.c: "2026-11-22 14:03:00" (local) and "2026-11-22T13:03:00Z". */
#define TIMEFMT_LEN 32
void timefmt_local(int64_t ms, char buf[TIMEFMT_LEN]);
void timefmt_iso(int64_t ms, char buf[TIMEFMT_LEN]);

/* retention.c */
int retention_apply(struct store *st, enum store_log log, int64_t now_ms, int64_t *deleted);
int retention_shrink(struct store *st);

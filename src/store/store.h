/* The gateway's memory: one SQLite database in the state directory
 * (WAL, synchronous=FULL, schema versioned with PRAGMA user_version)
 * holding the history log, the extended (min/avg/max) history, the UPS
 * (or STS) event log and the gateway event log.
 *
 * Runs in the main loop: every write is one short transaction. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "common/json.h"
#include "core/event.h"
#include "device/snapshot.h"

enum store_log {
	STORE_HISTORY = 0,
	STORE_EXTENDED,
	STORE_DEVICE_EVENTS,        /* "ups" (or STS) event log */
	STORE_GATEWAY_EVENTS,       /* "gateway" event log */
	_STORE_LOG_COUNT,
};

struct store_retention {
	unsigned days;              /* 0 = no age limit */
	unsigned rows;              /* 0 = no count limit */
};

struct store_config {
	const char *dir;                                /* state_dir */
	unsigned history_interval_s;                    /* "History Log Interval" */
	unsigned extended_interval_s;                   /* "Extend Log Interval" */
	struct store_retention keep[_STORE_LOG_COUNT];
};

struct store;

/* Opens or creates <dir>/upsgate.db. A log whose schema version differs
 * is re-created and the manual's "... log schema changed. Log has been
 * re-created." event is emitted on [bus]. */
int store_open(struct store **out, const struct store_config *cfg, struct event_bus *bus);
void store_close(struct store *st);                     /* accepts NULL */
int store_reconfigure(struct store *st, const struct store_config *cfg);

const char *store_log_name(enum store_log log);         /* history, extended, ups, gateway */
int store_log_from_name(const char *name);              /* log or -ENOENT */

/* Event logs: an event bus consumer (routes by e->def->log). */
int store_add_event(struct store *st, const struct event *e);

/* Every published snapshot: feeds the extended min/avg/max aggregation. */
void store_sample(struct store *st, const struct snapshot *s, int64_t now_ms);
/* Writes the history rows (every level of [s]) and closes extended
 * windows when their time has come; call at least once a second. */
int store_tick(struct store *st, const struct snapshot *s, int64_t now_ms);

/* Active alarm/status events, kept so that a restart does not replay them. */
int store_save_active(struct store *st, const struct active_event *a, size_t n);
int store_load_active(struct store *st, struct active_event *a, size_t max, size_t *n);

enum store_sort { SORT_TIME = 0, SORT_LEVEL };

struct store_query {
	int64_t from_ms, to_ms;     /* [from, to); 0/0 = everything */
	uint32_t page;              /* 1-based */
	uint32_t size;              /* rows per page, capped at 1000 */
	enum store_sort sort;
	bool descending;
	enum level min_level;       /* event logs: LEVEL_NONE = all */
	uint32_t groups;            /* event logs: bit (1 << enum event_group); 0 = all */
	int unit;                   /* history: -1 = all levels, 0 = system, N = unit N */
};

/* {"log":..,"total":N,"page":P,"size":S,"rows":[{...}]} */
int store_query_json(struct store *st, enum store_log log, const struct store_query *q,
		     struct json *out);
/* A downsampled series of one history column for graphs: at most
 * [max_points] buckets over [from, to), each {t, min, avg, max}. */
int store_series_json(struct store *st, const char *column, int unit, int64_t from_ms,
		      int64_t to_ms, unsigned max_points, struct json *out);
/* RFC 4180 CSV with a header row, local time and ISO 8601 columns;
 * streamed to [fd]. */
int store_export_csv(struct store *st, enum store_log log, int64_t from_ms, int64_t to_ms, int fd);
/* Empties one log and records "<log> cleared" (by [who]) in the gateway log. */
int store_clear(struct store *st, enum store_log log, const char *who);
/* Applies the retention limits now (also done by store_tick hourly). */
int store_prune(struct store *st, int64_t now_ms);

/* The event logs: the UPS (or STS) event log and the gateway event log.
 * Each event is committed before store_add_event returns. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

static int evlog_insert(struct store *st, const struct event *e)
{
	int i = e->def->log == EVLOG_GATEWAY;
	sqlite3_stmt *stmt = st->ins_event[i];
	int64_t t = (int64_t)e->time.tv_sec * 1000 + e->time.tv_nsec / 1000000;
	const char *grp = event_group_name(e->def->group);

	sqlite3_bind_int64(stmt, 1, t);
	sqlite3_bind_text(stmt, 2, e->def->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, e->def->text ? e->def->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, e->def->level);
	sqlite3_bind_text(stmt, 5, grp ? grp : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 6, e->unit);
	sqlite3_bind_int(stmt, 7, e->module);
	sqlite3_bind_int(stmt, 8, e->active);
	sqlite3_bind_text(stmt, 9, e->detail, (int)strnlen(e->detail, sizeof(e->detail)),
			  SQLITE_STATIC);
	return db_step_done(st, stmt, i ? "insert gateway event" : "insert device event");
}

int store_add_event(struct store *st, const struct event *e)
{
	if (!st || !e || !e->def || !e->def->code)
		return -EINVAL;
	/* The store's own events reach it again through the bus: they are
	 * already recorded. */
	if (e == st->own_event)
		return 0;
	for (size_t i = 0; i < sizeof(st->own_seq) / sizeof(st->own_seq[0]); i++)
		if (e->seq && e->seq == st->own_seq[i])
			return 0;
	return evlog_insert(st, e);
}

/* Records one of the store's own events in its log, then hands it to
 * the other consumers on the bus. A code missing from the catalogue is
 * reported once and otherwise ignored. */
int evlog_emit_own(struct store *st, enum store_log log, enum store_own_event what,
		   const char *detail)
{
	const char *code = store_logs[log].own_code[what];
	uint32_t bit = 1u << (log * _OWN_COUNT + what);
	struct event e = { .active = true };
	int r;

	e.def = event_find(code);
	if (!e.def) {
		if (!(st->warned & bit))
			log_warning("store: event %s is not in the catalogue; not logged", code);
		st->warned |= bit;
		return -ENOENT;
	}
	clock_gettime(CLOCK_REALTIME, &e.time);
	snprintf(e.detail, sizeof(e.detail), "%s", detail ? detail : "");
	r = evlog_insert(st, &e);
	if (st->bus) {
		st->own_event = &e;
		evbus_publish(st->bus, &e);
		st->own_event = NULL;
		st->own_seq[st->own_next++ % (sizeof(st->own_seq) / sizeof(st->own_seq[0]))] = e.seq;
	}
	return r;
}

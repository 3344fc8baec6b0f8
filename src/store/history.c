/* The history log: one row per logged level every history interval,
 * at slots aligned to multiples of the interval in wall-clock time.
 * store_tick also drives the extended windows and retention. */
#include "store/store_priv.h"

#include "common/log.h"

bool hist_level_logged(const struct level_data *l)
{
	return l->present && l->valid && (l->kind == LEVEL_SYSTEM || l->kind == LEVEL_UNIT) &&
	       l->unit < STORE_MAX_LEVELS;
}

uint8_t hist_src(const struct snapshot *s)
{
	uint8_t src = s->id.map == MAP_STS ? HSRC_STS : 0;

	for (size_t i = 0; i < hist_columns_count; i++)
		if (hist_columns[i].in[HSET_EMD_HISTORY].pos && hist_columns[i].meas >= 0 &&
		    meas_available(s->levels[0].meas[hist_columns[i].meas]))
			src |= HSRC_EMD;
	return src;
}

/* [vals] has one value per hist_columns[] entry; NAN is stored as NULL. */
int hist_insert(struct store *st, int64_t t_ms, uint8_t unit, uint8_t src, const double *vals)
{
	sqlite3_stmt *stmt = st->ins_hist;
	int p = 1;

	sqlite3_bind_int64(stmt, p++, t_ms);
	sqlite3_bind_int(stmt, p++, unit);
	sqlite3_bind_int(stmt, p++, src);
	for (size_t i = 0; i < hist_columns_count; i++, p++)
		if (meas_available(vals[i]))
			sqlite3_bind_double(stmt, p, vals[i]);
		else
			sqlite3_bind_null(stmt, p);
	return db_step_done(st, stmt, "insert history row");
}

static void level_values(const struct level_data *l, double *vals)
{
	for (size_t i = 0; i < hist_columns_count; i++) {
		int m = hist_columns[i].meas;

		vals[i] = m >= 0 ? l->meas[m] : NAN;
	}
}

/* All levels of one slot in one transaction: a slot is logged whole or
 * not at all. */
static int hist_write(struct store *st, const struct snapshot *s, int64_t t_ms)
{
	double vals[HIST_MAX_COLUMNS];
	uint8_t src = hist_src(s);
	int r = db_exec(st, "BEGIN IMMEDIATE", "begin history rows");

	for (size_t i = 0; r >= 0 && i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];

		if (!hist_level_logged(l))
			continue;
		level_values(l, vals);
		r = hist_insert(st, t_ms, l->unit, src, vals);
	}
	if (r >= 0)
		r = db_exec(st, "COMMIT", "commit history rows");
	if (r < 0)
		db_rollback(st);
	return r;
}

int store_tick(struct store *st, const struct snapshot *s, int64_t now_ms)
{
	int64_t period = (int64_t)st->cfg.history_interval_s * 1000;
	int64_t slot = now_ms / period;
	int r = ext_roll(st, now_ms, false);
	int r2;

	/* A slot is taken by its first snapshot with a working link, so one
	 * that arrives late in the slot (start-up, link back) still logs it;
	 * a failed write is not retried within the slot (one error each). */
	if (slot != st->hist_slot && s && s->comm == COMM_OK) {
		st->hist_slot = slot;
		r2 = hist_write(st, s, slot * period);
		if (r >= 0)
			r = r2;
	}
	/* A clock set back must not postpone pruning until the old date. */
	if (now_ms >= st->next_prune_ms || now_ms < st->next_prune_ms - STORE_PRUNE_PERIOD_MS) {
		st->next_prune_ms = now_ms + STORE_PRUNE_PERIOD_MS;
		r2 = store_prune(st, now_ms);
		if (r >= 0)
			r = r2;
	}
	return r;
}

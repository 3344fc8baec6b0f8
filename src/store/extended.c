/* The extended history: min / average / max of every history column over
 * each "Extend Log Interval", from every snapshot (not only the history
 * rows). Windows are aligned to multiples of the interval in wall-clock
 * time (UTC) and a row normally spans its whole window; a window cut by
 * a start or a stop of the daemon (or a change of interval) starts at
 * its first sample or ends at the stop, so a restart in mid-window
 * yields two honest rows. A window without samples writes nothing. */
#include "store/store_priv.h"

#include <string.h>

#include "common/log.h"

void ext_init(struct ext_window *w, unsigned interval_s)
{
	memset(w, 0, sizeof(*w));
	w->win_ms = -1;
	w->len_ms = (int64_t)interval_s * 1000;
}

static void acc_add(struct ext_acc *a, double v)
{
	if (!meas_available(v))
		return;
	if (a->n == 0 || v < a->min)
		a->min = v;
	if (a->n == 0 || v > a->max)
		a->max = v;
	a->sum += v;
	a->n++;
}

static void bind_acc(sqlite3_stmt *stmt, int p, const struct ext_acc *a)
{
	if (a->n == 0) {
		sqlite3_bind_null(stmt, p);
		sqlite3_bind_null(stmt, p + 1);
		sqlite3_bind_null(stmt, p + 2);
		return;
	}
	sqlite3_bind_double(stmt, p, a->min);
	sqlite3_bind_double(stmt, p + 1, a->sum / a->n);
	sqlite3_bind_double(stmt, p + 2, a->max);
}

static int ext_insert(struct store *st, int64_t start, int64_t end, uint8_t unit,
		      const struct ext_level *lv)
{
	sqlite3_stmt *stmt = st->ins_ext;
	int p = 1;

	sqlite3_bind_int64(stmt, p++, start);
	sqlite3_bind_int64(stmt, p++, end);
	sqlite3_bind_int(stmt, p++, (int)lv->samples);
	sqlite3_bind_int(stmt, p++, unit);
	sqlite3_bind_int(stmt, p++, lv->src);
	for (size_t i = 0; i < hist_columns_count; i++, p += 3)
		bind_acc(stmt, p, &lv->acc[i]);
	return db_step_done(st, stmt, "insert extended history row");
}

static int ext_write(struct store *st, const struct ext_window *w, int64_t end_ms)
{
	bool any = false;
	int r;

	for (size_t u = 0; u < STORE_MAX_LEVELS; u++)
		any |= w->lv[u].samples > 0;
	if (!any)
		return 0;
	r = db_exec(st, "BEGIN IMMEDIATE", "begin extended history rows");
	for (size_t u = 0; r >= 0 && u < STORE_MAX_LEVELS; u++)
		if (w->lv[u].samples)
			r = ext_insert(st, w->start_ms, end_ms, (uint8_t)u, &w->lv[u]);
	if (r >= 0)
		r = db_exec(st, "COMMIT", "commit extended history rows");
	if (r < 0)
		db_rollback(st);
	return r;
}

/* Closes the open window when [now_ms] is past it (or before its last
 * sample: the clock went back), or at once with [force]. */
int ext_roll(struct store *st, int64_t now_ms, bool force)
{
	struct ext_window *w = &st->ext;
	int64_t end = w->win_ms + w->len_ms;
	bool on_time;
	int r;

	if (w->win_ms < 0)
		return 0;
	on_time = now_ms >= end;
	/* Back before the last sample, even within the window: going on
	 * would end a row before its start, or before samples it holds. */
	if (!force && !on_time && now_ms >= w->last_ms)
		return 0;
	if (force || !on_time)
		end = w->last_ms;           /* stopped, or the clock went back */
	r = ext_write(st, w, end);
	ext_init(w, (unsigned)(w->len_ms / 1000));
	/* Only a window closed at its end lets the next one start at its own
	 * aligned start: sampling went on across the boundary. */
	w->continued = on_time && !force && now_ms < end + w->len_ms;
	return r;
}

void store_sample(struct store *st, const struct snapshot *s, int64_t now_ms)
{
	struct ext_window *w = &st->ext;
	uint8_t src;

	ext_roll(st, now_ms, false);
	if (!s || s->comm != COMM_OK)
		return;
	if (w->win_ms < 0) {
		w->win_ms = now_ms - now_ms % w->len_ms;
		w->start_ms = w->continued ? w->win_ms : now_ms;
	}
	w->last_ms = now_ms;
	src = hist_src(s);
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];
		struct ext_level *lv;

		if (!hist_level_logged(l))
			continue;
		lv = &w->lv[l->unit];
		lv->samples++;
		lv->src = src;
		for (size_t c = 0; c < hist_columns_count; c++)
			if (hist_columns[c].meas >= 0)
				acc_add(&lv->acc[c], l->meas[hist_columns[c].meas]);
	}
}

/* Retention: per log, an age limit and/or a row limit (and a fixed
 * ceiling, so that a log without limits cannot fill the disk). Oldest
 * rows (by time) go first, in batches so that one transaction and the
 * WAL stay small. Freed pages are reused by new rows; after large
 * deletions they are given back to the file system (incremental vacuum)
 * and the WAL is truncated, so the file size stays bounded. */
#include "store/store_priv.h"

#include <errno.h>
#include <stdio.h>

#include "common/log.h"

#define PRUNE_BATCH 10000
#define SHRINK_MIN_FREE_PAGES 256       /* 1 MiB of 4 KiB pages */

/* Deletes up to PRUNE_BATCH rows older than [cutoff], or the [excess]
 * oldest rows when [excess] > 0. */
static int delete_batch(struct store *st, enum store_log log, int64_t cutoff, int64_t excess,
			int64_t *n)
{
	const char *t = store_logs[log].table;
	sqlite3_stmt *stmt;
	char sql[256];
	int r;

	if (excess > 0)
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id IN (SELECT id FROM %s "
			 "ORDER BY t, id LIMIT ?1)", t, t);
	else
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id IN (SELECT id FROM %s "
			 "WHERE t < ?2 ORDER BY t, id LIMIT ?1)", t, t);
	r = db_prepare(st, sql, "prepare retention delete", &stmt);
	if (r < 0)
		return r;
	sqlite3_bind_int64(stmt, 1, excess > 0 && excess < PRUNE_BATCH ? excess : PRUNE_BATCH);
	if (excess <= 0)
		sqlite3_bind_int64(stmt, 2, cutoff);
	r = db_step_done(st, stmt, "delete old rows");
	*n = r < 0 ? 0 : sqlite3_changes(st->db);
	sqlite3_finalize(stmt);
	return r;
}

static int count_rows(struct store *st, enum store_log log, int64_t *n)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", store_logs[log].table);
	return db_int64(st, sql, "count log rows", n);
}

int retention_apply(struct store *st, enum store_log log, int64_t now_ms, int64_t *deleted)
{
	const struct store_retention *k = &st->cfg.keep[log];
	int64_t limit = store_logs[log].ceiling, rows, n;
	int r = 0;

	*deleted = 0;
	if (k->rows && k->rows < limit)
		limit = k->rows;
	if (k->days) {
		int64_t cutoff = now_ms - (int64_t)k->days * 86400 * 1000;

		do {
			r = delete_batch(st, log, cutoff, 0, &n);
			*deleted += n;
		} while (r >= 0 && n == PRUNE_BATCH);
	}
	if (r >= 0)
		r = count_rows(st, log, &rows);
	while (r >= 0 && rows > limit) {
		r = delete_batch(st, log, 0, rows - limit, &n);
		if (n == 0)
			break;
		rows -= n;
		*deleted += n;
	}
	return r;
}

int retention_shrink(struct store *st)
{
	int64_t free_pages;
	int r = db_int64(st, "PRAGMA freelist_count", "read free pages", &free_pages);

	if (r < 0 || free_pages < SHRINK_MIN_FREE_PAGES)
		return r;
	r = db_exec(st, "PRAGMA incremental_vacuum", "give free pages back");
	if (r >= 0)
		r = db_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", "truncate the WAL");
	return r;
}

int store_prune(struct store *st, int64_t now_ms)
{
	int64_t deleted, total = 0;
	int r = 0, r2;

	for (int i = 0; i < _STORE_LOG_COUNT; i++) {
		r2 = retention_apply(st, i, now_ms, &deleted);
		total += deleted;
		if (r2 < 0 && r >= 0)
			r = r2;
	}
	if (total > 0) {
		log_debug("store: retention removed %lld rows", (long long)total);
		r2 = retention_shrink(st);
		if (r >= 0)
			r = r2;
	}
	return r;
}

int store_clear(struct store *st, enum store_log log, const char *who)
{
	char sql[96], detail[sizeof(((struct event *)0)->detail)] = "";
	int r;

	if (log >= _STORE_LOG_COUNT)
		return -EINVAL;
	if (log == STORE_EXTENDED)
		ext_init(&st->ext, st->cfg.extended_interval_s);
	snprintf(sql, sizeof(sql), "DELETE FROM %s", store_logs[log].table);
	r = db_exec(st, sql, "clear log");
	if (r < 0)
		return r;
	log_notice("store: %s log cleared by %s", store_logs[log].name, who && *who ? who : "?");
	retention_shrink(st);
	if (who && *who)
		snprintf(detail, sizeof(detail), "by %s", who);
	evlog_emit_own(st, log, OWN_CLEARED, detail);
	return 0;
}

/* The active alarm/status set, kept so that a restart does not replay
 * it: replaced whole in one transaction. */
#include "store/store_priv.h"

#include <errno.h>
#include <string.h>

#include "common/log.h"

int store_save_active(struct store *st, const struct active_event *a, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	int r = db_exec(st, "BEGIN IMMEDIATE", "begin saving active events");

	if (r >= 0)
		r = db_exec(st, "DELETE FROM active_events", "empty active events");
	if (r >= 0)
		r = db_prepare(st, "INSERT INTO active_events (code, unit, module) "
			       "VALUES (?1, ?2, ?3)", "prepare active event insert", &stmt);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		sqlite3_bind_text(stmt, 1, a[i].code, (int)strnlen(a[i].code, sizeof(a[i].code)),
				  SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, a[i].unit);
		sqlite3_bind_int(stmt, 3, a[i].module);
		r = db_step_done(st, stmt, "insert active event");
	}
	sqlite3_finalize(stmt);
	if (r >= 0)
		r = db_exec(st, "COMMIT", "commit active events");
	if (r < 0)
		db_rollback(st);
	return r;
}

int store_load_active(struct store *st, struct active_event *a, size_t max, size_t *n)
{
	sqlite3_stmt *stmt;
	int r = db_prepare(st, "SELECT code, unit, module FROM active_events ORDER BY rowid",
			   "read active events", &stmt);
	int rc;

	*n = 0;
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && *n < max) {
		const char *code = (const char *)sqlite3_column_text(stmt, 0);
		int unit = sqlite3_column_int(stmt, 1), module = sqlite3_column_int(stmt, 2);

		/* The file is input too: skip what cannot be an event key. */
		if (!code || strlen(code) >= sizeof(a->code) || unit < 0 || unit > 255 ||
		    module < 0 || module > 255) {
			log_warning("store: skipping a malformed saved active event");
			continue;
		}
		memset(&a[*n], 0, sizeof(a[*n]));
		memcpy(a[*n].code, code, strlen(code));
		a[*n].unit = (uint8_t)unit;
		a[*n].module = (uint8_t)module;
		(*n)++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = db_error(st, "read active events", rc);
	sqlite3_finalize(stmt);
	return r;
}

/* Backup, restore and factory reset (admin only). A restore is checked
 * completely (backup_check) before anything is applied; its report names
 * every rejected part. Restore and reset replace the accounts, which
 * closes every session, this one included. */
#include "web/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/backup.h"

void api_backup(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	char *doc = backup_make(d->m->settings, d->auth);
	char filename[48], day[16];
	time_t now = time(NULL);
	struct tm tm;

	if (!doc) {
		web_reply_error(r, 500, "internal", "the backup could not be made");
		return;
	}
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(filename, sizeof(filename), "upsgate-backup-%s.json", day);
	web_add_header(r, "Cache-Control", "no-store");
	web_reply_data(r, 200, "application/json", doc, strlen(doc), filename);
}

void api_restore(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);
	json_t *errors = json_array(), *accounts = NULL, *changed = json_array(),
	       *restart = json_array();
	struct settings *fresh = NULL;
	char message[96];
	size_t len;
	const char *data = web_body(r, &len);

	if (!errors || !changed || !restart) {
		web_reply_error(r, 500, "internal", "out of memory");
		goto out;
	}
	if (!data || !len) {
		web_reply_error(r, 400, "bad_request", "the body must be a backup document");
		goto out;
	}
	if (backup_check(data, len, errors, &fresh, &accounts) < 0) {
		snprintf(message, sizeof(message), "the backup was rejected (%zu problem(s)); nothing was changed",
			 json_array_size(errors));
		api_reply_rejected(r, 422, "backup_rejected", message, "rejected", errors);
		errors = NULL;
		goto out;
	}
	api_diff_keys(d->m->settings, fresh, changed, restart);
	if (backup_restore(d->m, d->auth, fresh, accounts, "web", web_who(r)) < 0) {
		web_reply_error(r, 500, "restore_failed", "the backup could not be applied");
		goto out;
	}
	web_set_session_cookie(r, NULL);
	api_reply(r, 200, json_pack("{s:b,s:O,s:b,s:O,s:b}", "restored", 1, "applied", changed,
				     "restart_required", json_array_size(restart) > 0,
				     "restart_keys", restart, "login_required", 1));
out:
	json_decref(errors);
	json_decref(accounts);
	json_decref(changed);
	json_decref(restart);
}

void api_factory_reset(struct web_request *r)
{
	const struct web_deps *d = web_deps(r);

	if (backup_factory_reset(d->m, d->auth, "web", web_who(r)) < 0) {
		web_reply_error(r, 500, "reset_failed", "the factory reset failed");
		return;
	}
	web_set_session_cookie(r, NULL);
	api_reply(r, 200, json_pack("{s:b,s:b}", "reset", 1, "login_required", 1));
}

/* Local API: backup, restore and factory reset (src/auth/backup.c). A
 * restore is checked whole first; any rejection changes nothing and is
 * reported part by part. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/backup.h"
#include "control/control_priv.h"

#define VIA "upsgatectl"

char *ctl_backup(struct ctl_request *rq, size_t *len)
{
	char *doc, *r;

	if (!rq->auth)
		return ctl_printf(len, "error: accounts are not available: no backup\n");
	doc = backup_make(rq->m->settings, rq->auth);
	if (!doc)
		return NULL;
	r = ctl_printf(len, "%s\n", doc);
	free(doc);
	return r;
}

static char *rejection(const json_t *errors, size_t *len)
{
	char *text = NULL;
	size_t used = 0, i;
	FILE *f = open_memstream(&text, &used);
	json_t *e;

	if (!f)
		return NULL;
	fprintf(f, "error: backup refused, nothing changed (%zu problem%s):\n",
		json_array_size(errors), json_array_size(errors) == 1 ? "" : "s");
	json_array_foreach(errors, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));

		fprintf(f, "  %s%s%s\n", key && *key ? key : "", key && *key ? ": " : "",
			json_string_value(json_object_get(e, "reason")));
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	*len = used;
	return text;
}

static bool needs_restart(const struct settings *a, const struct settings *b)
{
	for (int id = 0; id < _SET_COUNT; id++)
		if ((settings_schema[id].flags & SF_RESTART) && !settings_equal(a, b, id))
			return true;
	return false;
}

char *ctl_restore(struct ctl_request *rq, size_t *len)
{
	json_t *errors = json_array(), *accounts = NULL;
	struct settings *s = NULL;
	bool restart;
	char *r;
	int e;

	if (!rq->auth)
		return ctl_printf(len, "error: accounts are not available: nothing restored\n");
	if (!errors)
		return NULL;
	if (backup_check(rq->body, rq->body_len, errors, &s, &accounts) < 0) {
		evbus_emit(rq->m->bus, "gw.config_upload_errors", 0, 0,
			   "Upload configuration with %zu error(s) via " VIA " by %s",
			   json_array_size(errors), rq->who);
		r = rejection(errors, len);
		json_decref(errors);
		return r;
	}
	json_decref(errors);
	restart = needs_restart(rq->m->settings, s);
	e = backup_restore(rq->m, rq->auth, s, accounts, VIA, rq->who);
	json_decref(accounts);
	if (e == -EROFS)
		return ctl_printf(len, "error: nothing restored: upsgated runs without a configuration "
				  "file (start it with -c FILE)\n");
	if (e < 0)
		return ctl_printf(len, "error: restore failed: %s (see the journal)\n", strerror(-e));
	return ctl_printf(len, "backup restored: settings and accounts%s\n",
			  restart ? "; some settings take effect at the next restart (upsgatectl restart)" : "");
}

char *ctl_factory_reset(struct ctl_request *rq, size_t *len)
{
	int e;

	if (!rq->auth)
		return ctl_printf(len, "error: accounts are not available: nothing reset\n");
	e = backup_factory_reset(rq->m, rq->auth, VIA, rq->who);
	if (e == -EROFS)
		return ctl_printf(len, "error: nothing reset: upsgated runs without a configuration "
				  "file (start it with -c FILE)\n");
	if (e < 0)
		return ctl_printf(len, "error: factory reset failed: %s (see the journal)\n", strerror(-e));
	return ctl_printf(len, "settings back to their defaults (state_dir and control.socket kept), "
			  "admin back to the initial password; restart (upsgatectl restart) to apply "
			  "the listener settings\n");
}

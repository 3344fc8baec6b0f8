/* The configuration through the one settings schema: read (secrets
 * masked), validate (a dry run), change (saved, then applied, each
 * change logged by manager_apply_settings with who and from where), the
 * schema itself for forms, and the restart a changed key may need. */
#include "web/api.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

/* Long enough for the reply to leave before the loop exits. */
#define RESTART_DELAY_USEC 300000

void api_settings_get(struct web_request *r)
{
	json_t *body = settings_to_json(web_deps(r)->m->settings, false);

	if (!body) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	web_reply_json(r, 200, body);
}

void api_settings_schema(struct web_request *r)
{
	json_t *body = settings_schema_json();

	if (!body) {
		web_reply_error(r, 500, "internal", "out of memory");
		return;
	}
	web_reply_json(r, 200, body);
}

/* The patched copy of the running settings, or NULL after a 422 reply
 * naming every refused key. */
static struct settings *patched(struct web_request *r, json_t *patch)
{
	const struct settings *cur = web_deps(r)->m->settings;
	json_t *errors = json_array();
	struct settings *fresh = NULL;
	char message[80];

	if (!errors) {
		web_reply_error(r, 500, "internal", "out of memory");
		return NULL;
	}
	if (settings_patch(cur, patch, errors, &fresh) == 0) {
		json_decref(errors);
		return fresh;
	}
	snprintf(message, sizeof(message), "%zu setting(s) refused; nothing was changed",
		 json_array_size(errors));
	api_reply_rejected(r, 422, "invalid_settings", message, "errors", errors);
	return NULL;
}

void api_settings_validate(struct web_request *r)
{
	const struct settings *cur = web_deps(r)->m->settings;
	json_t *patch = web_body_json(r), *errors, *changed, *restart;
	struct settings *fresh = NULL;

	if (!patch)
		return;
	errors = json_array();
	changed = json_array();
	restart = json_array();
	if (errors && settings_patch(cur, patch, errors, &fresh) == 0)
		api_diff_keys(cur, fresh, changed, restart);
	settings_free(fresh);
	api_reply(r, 200, json_pack("{s:b,s:o,s:o,s:o}", "valid", json_array_size(errors) == 0,
					 "errors", errors, "changes", changed,
					 "restart_keys", restart));
}

void api_settings_put(struct web_request *r)
{
	struct manager *m = web_deps(r)->m;
	json_t *patch = web_body_json(r), *changed, *restart;
	struct settings *fresh;
	bool need_restart = false;
	int rc;

	if (!patch || !(fresh = patched(r, patch)))
		return;
	changed = json_array();
	restart = json_array();
	api_diff_keys(m->settings, fresh, changed, restart);
	if (json_array_size(changed) == 0) {
		settings_free(fresh);
	} else {
		rc = manager_apply_settings(m, fresh, "web", web_who(r), &need_restart);
		if (rc < 0) {
			json_decref(changed);
			json_decref(restart);
			if (rc == -EROFS)
				web_reply_error(r, 409, "no_config_file",
						"the daemon runs without a configuration file: nothing to save");
			else
				web_reply_error(r, 500, "save_failed", "the configuration could not be saved: %s",
						strerror(-rc));
			return;
		}
	}
	api_reply(r, 200, json_pack("{s:o,s:b,s:o}", "applied", changed, "restart_required",
					 need_restart || json_array_size(restart) > 0,
					 "restart_keys", restart));
}

static int on_restart_due(sd_event_source *src, uint64_t usec, void *userdata)
{
	manager_request_restart(userdata);
	return 0;
}

void api_restart(struct web_request *r)
{
	struct manager *m = web_deps(r)->m;

	/* A floating source: the loop owns it and frees it with itself. */
	if (sd_event_add_time_relative(m->event, NULL, CLOCK_MONOTONIC, RESTART_DELAY_USEC, 0,
				       on_restart_due, m) < 0) {
		web_reply_error(r, 500, "internal", "the restart could not be scheduled");
		return;
	}
	log_notice("restart requested via web by %s", web_who(r));
	api_reply(r, 202, json_pack("{s:b}", "restarting", 1));
}

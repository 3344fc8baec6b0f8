/* Local API: the settings (list, get, set) and restarting the daemon.
 * A change goes through the one schema (settings_patch) and the one way
 * of applying settings (manager_apply_settings): saved, then applied,
 * then logged as "KEY has been changed via upsgatectl by uid N (user)". */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "control/control_priv.h"

#define VIA "upsgatectl"

/* "get KEY", "get KEY reveal", "list", "list json"; an unknown KEY is
 * the handler's to name. */
bool ctl_check_config(const char *args)
{
	const char *sp;

	if (strcmp(args, "list") == 0 || strcmp(args, "list json") == 0)
		return true;
	if (strncmp(args, "get ", 4) != 0 || args[4] == '\0' || args[4] == ' ')
		return false;
	sp = strchr(args + 4, ' ');
	return !sp || strcmp(sp, " reveal") == 0;
}

bool ctl_check_config_set(const char *args)
{
	return args[0] && !strchr(args, ' ');
}

static char *unknown_key(const char *key, size_t *len)
{
	return ctl_printf(len, "error: %.128s: unknown setting (upsgatectl config list shows them)\n", key);
}

static char *json_line(const json_t *j, size_t *len, bool raw_string)
{
	char *text;
	char *r;

	if (raw_string && json_is_string(j))
		return ctl_printf(len, "%s\n", json_string_value(j));
	text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!text)
		return NULL;
	r = ctl_printf(len, "%s\n", text);
	free(text);
	return r;
}

static char *config_list(struct ctl_request *rq, bool as_json, size_t *len)
{
	json_t *all = settings_to_json(rq->m->settings, false);
	char *text = NULL, *r = NULL;
	size_t used = 0;
	FILE *f;

	if (!all)
		return NULL;
	if (as_json) {
		r = json_line(all, len, false);
		json_decref(all);
		return r;
	}
	f = open_memstream(&text, &used);
	for (int i = 0; f && i < _SET_COUNT; i++) {
		char *v = json_dumps(json_object_get(all, settings_schema[i].key), JSON_COMPACT | JSON_ENCODE_ANY);

		fprintf(f, "%s = %s\n", settings_schema[i].key, v ? v : "?");
		free(v);
	}
	if (f && fclose(f) == 0) {
		r = text;
		*len = used;
	} else
		free(text);
	json_decref(all);
	return r;
}

char *ctl_config(struct ctl_request *rq, size_t *len)
{
	const char *args = rq->args;
	bool reveal = strstr(args, " reveal") != NULL;
	char key[128];
	json_t *all;
	char *r;

	if (strncmp(args, "list", 4) == 0)
		return config_list(rq, strcmp(args, "list json") == 0, len);
	if (strcspn(args + 4, " ") >= sizeof(key))
		return unknown_key(args + 4, len);
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(args + 4, " "), args + 4);
	if (settings_find(key) < 0)
		return unknown_key(key, len);
	if (reveal && rq->uid != 0)
		return ctl_printf(len, "error: --reveal shows secrets to root only\n");
	all = settings_to_json(rq->m->settings, reveal);
	if (!all)
		return NULL;
	r = json_line(json_object_get(all, key), len, true);
	json_decref(all);
	return r;
}

/* A value from the command line: JSON when it parses as JSON, else the
 * text itself as a string; a string setting takes the text as it is
 * unless it is a quoted JSON string. */
static json_t *value_from_body(const struct setting_def *d, const char *text, size_t len)
{
	json_t *j = NULL;

	if (d->type != ST_STRING || text[0] == '"')
		j = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (j && d->type == ST_STRING && !json_is_string(j)) {
		json_decref(j);
		j = NULL;
	}
	return j ? j : json_stringn(text, len);
}

static char *errors_reply(const json_t *errors, size_t *len)
{
	char *text = NULL;
	size_t used = 0, i;
	FILE *f = open_memstream(&text, &used);
	json_t *e;

	if (!f)
		return NULL;
	fputs("error: ", f);
	json_array_foreach(errors, i, e)
		fprintf(f, "%s: %s\n", json_string_value(json_object_get(e, "key")),
			json_string_value(json_object_get(e, "reason")));
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	*len = used;
	return text;
}

char *ctl_config_set(struct ctl_request *rq, size_t *len)
{
	int id = settings_find(rq->args);
	json_t *value, *patch, *errors;
	struct settings *fresh = NULL;
	bool restart = false;
	char *r = NULL;
	int e;

	if (id < 0)
		return unknown_key(rq->args, len);
	value = value_from_body(&settings_schema[id], rq->body, rq->body_len);
	patch = json_object();
	errors = json_array();
	if (!value) {
		r = ctl_printf(len, "error: %s: not valid UTF-8 text\n", rq->args);
		goto out;
	}
	if (!patch || !errors || json_object_set(patch, rq->args, value) < 0)
		goto out;
	if (settings_patch(rq->m->settings, patch, errors, &fresh) < 0) {
		r = errors_reply(errors, len);
		goto out;
	}
	if (settings_equal(rq->m->settings, fresh, id)) {
		settings_free(fresh);
		r = ctl_printf(len, "%s unchanged\n", rq->args);
		goto out;
	}
	e = manager_apply_settings(rq->m, fresh, VIA, rq->who, &restart);
	if (e == -EROFS)
		r = ctl_printf(len, "error: not changed: upsgated runs without a configuration file "
			       "to save it to (start it with -c FILE)\n");
	else if (e < 0)
		r = ctl_printf(len, "error: not changed: cannot save the configuration: %s\n", strerror(-e));
	else
		r = ctl_printf(len, "%s changed%s\n", rq->args,
			       restart ? "; it takes effect at the next restart (upsgatectl restart)" : "");
out:
	json_decref(value);
	json_decref(patch);
	json_decref(errors);
	return r;
}

char *ctl_restart(struct ctl_request *rq, size_t *len)
{
	log_notice("restart requested via " VIA " by %s", rq->who);
	manager_request_restart(rq->m);
	return ctl_printf(len, "restarting\n");
}

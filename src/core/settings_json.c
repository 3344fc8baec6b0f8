/* The settings as JSON (jansson) for the web API and upsgatectl: values,
 * the schema for forms, and patches checked key by key against the same
 * schema and the same checks as the file loader. */
#include "core/settings.h"
#include "core/settings_priv.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MASK "********"
#define KEY_MAX 160

static const char *const type_names[] = {
	[ST_BOOL] = "boolean", [ST_INT] = "integer", [ST_DOUBLE] = "number",
	[ST_STRING] = "string", [ST_ENUM] = "enum", [ST_LIST] = "list",
};

static json_t *value_json(const struct setting_def *d, const union setting_value *v, bool reveal)
{
	json_t *arr, *entry;

	if ((d->flags & SF_SECRET) && !reveal)
		return json_string(MASK);
	switch (d->type) {
	case ST_BOOL:
		return json_boolean(v->b);
	case ST_INT:
		return json_integer(v->i);
	case ST_DOUBLE:
		return json_real(v->d);
	case ST_STRING:
	case ST_ENUM:
		return json_string(v->s);
	case ST_LIST:
		arr = json_array();
		for (size_t n = 0; arr && n < v->list.n; n++) {
			entry = json_object();
			for (size_t k = 0; entry && k < d->n_item; k++)
				if (json_object_set_new(entry, d->item[k].key,
							value_json(&d->item[k], &v->list.v[n * d->n_item + k],
								   reveal)) < 0) {
					json_decref(entry);
					entry = NULL;
				}
			if (json_array_append_new(arr, entry) < 0) {
				json_decref(arr);
				return NULL;
			}
		}
		return arr;
	}
	return NULL;
}

json_t *settings_to_json(const struct settings *s, bool reveal)
{
	json_t *o = json_object();

	for (int i = 0; o && i < _SET_COUNT; i++)
		if (json_object_set_new(o, settings_schema[i].key,
					value_json(&settings_schema[i], &s->v[i], reveal)) < 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

/* The default as typed JSON; a secret's default is not a secret. */
static json_t *default_json(const struct setting_def *d)
{
	union setting_value v = { 0 };
	json_t *j;

	if (d->type == ST_LIST)
		return json_array();
	if (settings_value_from_text(d, d->def, &v) < 0)
		return NULL;
	j = value_json(d, &v, true);
	settings_value_free(d, &v);
	return j;
}

static json_t *def_json(const struct setting_def *d)
{
	json_t *o = json_pack("{s:s, s:s, s:o*, s:b, s:b, s:s}",
			      "key", d->key, "type", type_names[d->type],
			      "default", default_json(d),
			      "secret", (d->flags & SF_SECRET) != 0,
			      "restart", (d->flags & SF_RESTART) != 0, "help", d->help);
	json_t *extra = NULL;

	if (!o)
		return NULL;
	switch (d->type) {
	case ST_INT:
	case ST_DOUBLE:
		extra = json_pack("{s:f, s:f}", "min", d->min, "max", d->max);
		break;
	case ST_STRING:
		extra = json_pack("{s:f, s:f}", "min_length", d->min, "max_length", d->max);
		break;
	case ST_ENUM:
		extra = json_pack("{s:[]}", "choices");
		for (size_t c = 0; extra && d->choices[c]; c++)
			json_array_append_new(json_object_get(extra, "choices"), json_string(d->choices[c]));
		break;
	case ST_LIST:
		extra = json_pack("{s:f, s:[]}", "max_entries", d->max, "items");
		for (size_t k = 0; extra && k < d->n_item; k++)
			json_array_append_new(json_object_get(extra, "items"), def_json(&d->item[k]));
		break;
	case ST_BOOL:
		return o;
	}
	if (!extra || json_object_update(o, extra) < 0) {
		json_decref(extra);
		json_decref(o);
		return NULL;
	}
	json_decref(extra);
	return o;
}

json_t *settings_schema_json(void)
{
	json_t *arr = json_array();

	for (int i = 0; arr && i < _SET_COUNT; i++)
		if (json_array_append_new(arr, def_json(&settings_schema[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* --- Patches -------------------------------------------------------- */

static void add_error(json_t *errors, const char *key, const char *reason)
{
	if (errors)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "key", key, "reason", reason));
}

/* One JSON value to a typed, checked value; the reason on error. */
static const char *typed_from_json(const struct setting_def *d, const json_t *j,
				   union setting_value *v, char *buf, size_t len)
{
	union setting_value typed = { 0 };
	char num[32];

	switch (d->type) {
	case ST_BOOL:
		if (!json_is_boolean(j))
			return "must be true or false";
		typed.b = json_is_true(j);
		break;
	case ST_INT:
		if (!json_is_integer(j))
			return "must be an integer";
		typed.i = json_integer_value(j);
		break;
	case ST_DOUBLE:
		if (!json_is_number(j))
			return "must be a number";
		typed.d = json_number_value(j);
		break;
	case ST_STRING:
	case ST_ENUM:
		if (d->type == ST_ENUM && json_is_integer(j)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(j));
			typed.s = num;
		} else if (!json_is_string(j))
			return d->type == ST_ENUM ? "must be one of the listed values" : "must be a string";
		else if (strlen(json_string_value(j)) != json_string_length(j))
			return "must not contain a NUL character";
		else
			typed.s = (char *)json_string_value(j);
		break;
	case ST_LIST:
		return "must be a list";
	}
	if (settings_value_check(d, &typed, buf, len))
		return buf;
	if (d->type != ST_STRING && d->type != ST_ENUM) {
		*v = typed;
		return NULL;
	}
	return settings_value_from_text(d, typed.s, v) < 0 ? "out of memory" : NULL;
}

/* The entry of [cur] a masked secret of new entry [n] refers to: the one
 * at the same place with the same first field, else the first with the
 * same first field. */
static const union setting_value *same_entry(const struct setting_def *d, const union setting_value *cur,
					     size_t n, const char *name)
{
	if (!name)
		return n < cur->list.n ? &cur->list.v[n * d->n_item] : NULL;
	if (n < cur->list.n && strcmp(cur->list.v[n * d->n_item].s, name) == 0)
		return &cur->list.v[n * d->n_item];
	for (size_t k = 0; k < cur->list.n; k++)
		if (strcmp(cur->list.v[k * d->n_item].s, name) == 0)
			return &cur->list.v[k * d->n_item];
	return NULL;
}

static bool is_mask(const json_t *j)
{
	return json_is_string(j) && strcmp(json_string_value(j), MASK) == 0;
}

/* Entry [n] of a list: every field typed and checked, masked secrets
 * taken from the current entry, then the checks across fields. */
static int patch_entry(const struct setting_def *d, const char *key, size_t n, const json_t *obj,
		       const union setting_value *cur, union setting_value *fields, json_t *errors)
{
	char sub[KEY_MAX], buf[200];
	const char *name, *why;
	json_t *j;
	int r = 0;

	snprintf(sub, sizeof(sub), "%s[%zu]", key, n);
	if (!json_is_object(obj)) {
		add_error(errors, sub, "must be an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)obj, name, j) {
		size_t k;

		for (k = 0; k < d->n_item && strcmp(d->item[k].key, name) != 0; k++)
			;
		if (k == d->n_item) {
			snprintf(sub, sizeof(sub), "%s[%zu].%.60s", key, n, name);
			add_error(errors, sub, "unknown setting");
			r = -EINVAL;
		}
	}
	for (size_t k = 0; k < d->n_item; k++) {
		const struct setting_def *fd = &d->item[k];
		const union setting_value *old;

		j = json_object_get(obj, fd->key);
		snprintf(sub, sizeof(sub), "%s[%zu].%s", key, n, fd->key);
		if (j && (fd->flags & SF_SECRET) && is_mask(j)) {
			if (r < 0)
				continue;       /* rejected already; fields stay zero */
			/* Fields before k are typed: the first names the entry. */
			old = same_entry(d, cur, n, k > 0 && d->item[0].type == ST_STRING ? fields[0].s : NULL);
			if (!old) {
				add_error(errors, sub, "no current value to keep: send the secret itself");
				r = -EINVAL;
			} else if (settings_value_copy(fd, &old[k], &fields[k]) < 0)
				return -ENOMEM;
			continue;
		}
		if (!j) {
			if (settings_value_from_text(fd, fd->def, &fields[k]) < 0)
				return -ENOMEM;
			continue;
		}
		why = typed_from_json(fd, j, &fields[k], buf, sizeof(buf));
		if (why) {
			add_error(errors, sub, why);
			r = -EINVAL;
			/* Keep every field valid for the free that follows. */
			if (settings_value_from_text(fd, fd->def, &fields[k]) < 0)
				return -ENOMEM;
		}
	}
	if (r == 0 && (why = settings_item_check(d, fields, buf, sizeof(buf)))) {
		snprintf(sub, sizeof(sub), "%s[%zu]", key, n);
		add_error(errors, sub, why);
		r = -EINVAL;
	}
	return r;
}

static int patch_list(const struct setting_def *d, const char *key, const json_t *arr,
		      const union setting_value *cur, union setting_value *v, json_t *errors)
{
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	char buf[64];
	int r = 0;

	if (!json_is_array(arr)) {
		add_error(errors, key, "must be a list (a JSON array of objects)");
		return -EINVAL;
	}
	if (n > d->max) {
		snprintf(buf, sizeof(buf), "at most %.0f entries", d->max);
		add_error(errors, key, buf);
		return -EINVAL;
	}
	v->list.n = 0;
	v->list.v = calloc(n ? n * d->n_item : 1, sizeof(*v->list.v));
	if (!v->list.v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int e = patch_entry(d, key, i, json_array_get(arr, i), cur,
				    &v->list.v[i * d->n_item], errors);

		/* Fields of entry i are allocated even when it fails. */
		v->list.n++;
		if (e == -ENOMEM)
			return e;
		if (e < 0)
			r = e;
	}
	return r;
}

static int patch_key(struct settings *s, const char *key, const json_t *j, json_t *errors)
{
	int id = settings_find(key);
	const struct setting_def *d;
	union setting_value v = { 0 };
	const char *why;
	char buf[200];
	int r;

	if (id < 0) {
		add_error(errors, key, "unknown setting");
		return -EINVAL;
	}
	d = &settings_schema[id];
	if ((d->flags & SF_SECRET) && is_mask(j))
		return 0;               /* the current secret stays */
	if (d->type == ST_LIST) {
		r = patch_list(d, key, j, &s->v[id], &v, errors);
		if (r < 0) {
			settings_value_free(d, &v);
			return r;
		}
	} else if ((why = typed_from_json(d, j, &v, buf, sizeof(buf)))) {
		add_error(errors, key, why);
		return -EINVAL;
	}
	settings_value_free(d, &s->v[id]);
	s->v[id] = v;
	return 0;
}

int settings_patch(const struct settings *base, const json_t *patch, json_t *errors,
		   struct settings **out)
{
	struct settings *s;
	const char *key;
	json_t *j;
	int r = 0;

	*out = NULL;
	if (!json_is_object(patch)) {
		add_error(errors, "", "a patch must be a JSON object {\"key\": value, ...}");
		return -EINVAL;
	}
	r = settings_dup(base, &s);
	if (r < 0)
		return r;
	json_object_foreach((json_t *)patch, key, j) {
		int e = patch_key(s, key, j, errors);

		if (e == -ENOMEM) {
			r = e;
			break;
		}
		if (e < 0)
			r = e;
	}
	if (r < 0) {
		settings_free(s);
		return r;
	}
	*out = s;
	return 0;
}

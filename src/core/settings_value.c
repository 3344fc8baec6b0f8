/* Typed setting values: from text, checked, copied, compared, freed.
 * The file loader (settings.c), the writer and the JSON patches
 * (settings_write.c, settings_json.c) all go through these, so a value
 * is held to the same rules wherever it comes from. */
#include "core/settings.h"
#include "core/settings_priv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool settings_choice_ok(const struct setting_def *d, const char *text)
{
	for (size_t i = 0; d->choices && d->choices[i]; i++)
		if (strcmp(d->choices[i], text) == 0)
			return true;
	return false;
}

static void choices_text(const struct setting_def *d, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; d->choices && d->choices[i] && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", d->choices[i]);
}

/* Text to value, for defaults and for ENUM integers. */
int settings_value_from_text(const struct setting_def *d, const char *text, union setting_value *v)
{
	char *end;

	switch (d->type) {
	case ST_BOOL:
		v->b = strcmp(text, "true") == 0;
		return 0;
	case ST_INT:
		v->i = strtoll(text, &end, 0);
		return *end ? -EINVAL : 0;
	case ST_DOUBLE:
		v->d = strtod(text, &end);
		return *end ? -EINVAL : 0;
	case ST_STRING:
	case ST_ENUM:
		v->s = strdup(text);
		return v->s ? 0 : -ENOMEM;
	case ST_LIST:
		v->list.n = 0;
		v->list.v = NULL;
		return 0;
	}
	return -EINVAL;
}

void settings_value_free(const struct setting_def *d, union setting_value *v)
{
	if (d->type == ST_STRING || d->type == ST_ENUM) {
		free(v->s);
		v->s = NULL;
	} else if (d->type == ST_LIST) {
		for (size_t n = 0; n < v->list.n; n++)
			for (size_t f = 0; f < d->n_item; f++)
				settings_value_free(&d->item[f], &v->list.v[n * d->n_item + f]);
		free(v->list.v);
		v->list.v = NULL;
		v->list.n = 0;
	}
}

const char *settings_value_check(const struct setting_def *d, const union setting_value *v,
				 char *buf, size_t len)
{
	const char *reason;

	switch (d->type) {
	case ST_INT:
		if (v->i < d->min || v->i > d->max)
			break;
		return NULL;
	case ST_DOUBLE:
		if (!isfinite(v->d) || v->d < d->min || v->d > d->max) {
			snprintf(buf, len, "%g is out of range (%g to %g)", v->d, d->min, d->max);
			return buf;
		}
		return NULL;
	case ST_STRING:
		if (strlen(v->s) < d->min || strlen(v->s) > d->max) {
			snprintf(buf, len, "length must be %.0f to %.0f characters", d->min, d->max);
			return buf;
		}
		if (d->syntax && (reason = d->syntax(v->s))) {
			snprintf(buf, len, "must be %s", reason);
			return buf;
		}
		return NULL;
	case ST_ENUM:
		if (!settings_choice_ok(d, v->s)) {
			char list[200];

			choices_text(d, list, sizeof(list));
			snprintf(buf, len, "must be one of: %s", list);
			return buf;
		}
		return NULL;
	case ST_BOOL:
	case ST_LIST:
		return NULL;
	}
	snprintf(buf, len, "%lld is out of range (%.0f to %.0f)", v->i, d->min, d->max);
	return buf;
}

const char *settings_item_check(const struct setting_def *d, const union setting_value *fields,
				char *buf, size_t len)
{
	/* The first field of an item names it and has no usable default. */
	if (d->item[0].type == ST_STRING && fields[0].s[0] == '\0') {
		snprintf(buf, len, "%s is required", d->item[0].key);
		return buf;
	}
	return d->item_check ? d->item_check(fields) : NULL;
}

bool settings_bool(const struct settings *s, enum setting_id id)
{
	return s->v[id].b;
}

long long settings_int(const struct settings *s, enum setting_id id)
{
	return s->v[id].i;
}

double settings_double(const struct settings *s, enum setting_id id)
{
	return s->v[id].d;
}

const char *settings_str(const struct settings *s, enum setting_id id)
{
	return s->v[id].s;
}

const struct setting_list *settings_list(const struct settings *s, enum setting_id id)
{
	return &s->v[id].list;
}

const union setting_value *settings_item(const struct settings *s, enum setting_id id,
					 size_t n, size_t field)
{
	const struct setting_def *d = &settings_schema[id];

	if (d->type != ST_LIST || n >= s->v[id].list.n || field >= d->n_item)
		return NULL;
	return &s->v[id].list.v[n * d->n_item + field];
}

int settings_format(const struct settings *s, enum setting_id id, bool reveal, char *buf, size_t len)
{
	const struct setting_def *d = &settings_schema[id];
	const union setting_value *v = &s->v[id];

	if ((d->flags & SF_SECRET) && !reveal)
		return snprintf(buf, len, "\"********\"");
	switch (d->type) {
	case ST_BOOL:
		return snprintf(buf, len, "%s", v->b ? "true" : "false");
	case ST_INT:
		return snprintf(buf, len, "%lld", v->i);
	case ST_DOUBLE:
		return snprintf(buf, len, "%g", v->d);
	case ST_STRING:
	case ST_ENUM:
		return snprintf(buf, len, "\"%s\"", v->s);
	case ST_LIST:
		return snprintf(buf, len, "%zu entries", v->list.n);
	}
	return -EINVAL;
}

static bool value_equal(const struct setting_def *d, const union setting_value *a,
			const union setting_value *b)
{
	switch (d->type) {
	case ST_BOOL:
		return a->b == b->b;
	case ST_INT:
		return a->i == b->i;
	case ST_DOUBLE:
		return a->d == b->d;
	case ST_STRING:
	case ST_ENUM:
		return strcmp(a->s, b->s) == 0;
	case ST_LIST:
		if (a->list.n != b->list.n)
			return false;
		for (size_t n = 0; n < a->list.n * d->n_item; n++)
			if (!value_equal(&d->item[n % d->n_item], &a->list.v[n], &b->list.v[n]))
				return false;
		return true;
	}
	return false;
}

bool settings_equal(const struct settings *a, const struct settings *b, enum setting_id id)
{
	return value_equal(&settings_schema[id], &a->v[id], &b->v[id]);
}

int settings_value_copy(const struct setting_def *d, const union setting_value *from,
			union setting_value *to)
{
	size_t n;

	switch (d->type) {
	case ST_STRING:
	case ST_ENUM:
		to->s = strdup(from->s);
		return to->s ? 0 : -ENOMEM;
	case ST_LIST:
		n = from->list.n * d->n_item;
		to->list.n = 0;
		to->list.v = calloc(n ? n : 1, sizeof(*to->list.v));
		if (!to->list.v)
			return -ENOMEM;
		to->list.n = from->list.n;
		for (size_t k = 0; k < n; k++)
			if (settings_value_copy(&d->item[k % d->n_item], &from->list.v[k],
						&to->list.v[k]) < 0) {
				/* Fields not copied yet are zero: free takes them. */
				settings_value_free(d, to);
				return -ENOMEM;
			}
		return 0;
	default:
		*to = *from;
		return 0;
	}
}

/* Test helper: settings where one key (or every key) holds a valid value
 * other than its default, made from the schema alone, so that a key
 * added later is covered without touching the tests. Strings carry the
 * characters a writer must escape. */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "core/settings.h"
#include "core/settings_priv.h"

/* Quotes, backslashes, a newline, a tab, a control character, UTF-8 and
 * text that looks like libconfig syntax. */
#define GEN_NASTY "a\"b\\c\nd\te\x01 \xc3\xa9 @include \"x\"; } = ( #"

static const char *const gen_syntax_candidates[] = {
	"2001:db8::1", "192.0.2.7", "3, 4,15", "1", "example.org", NULL,
};

static char *gen_string(const struct setting_def *d)
{
	size_t max = (size_t)d->max, min = (size_t)d->min;
	char buf[1100];

	if (d->syntax) {
		for (size_t i = 0; gen_syntax_candidates[i]; i++)
			if (!d->syntax(gen_syntax_candidates[i]) && strlen(gen_syntax_candidates[i]) <= max)
				return strdup(gen_syntax_candidates[i]);
		return strdup(d->def);
	}
	snprintf(buf, sizeof(buf), "%s", GEN_NASTY);
	while (strlen(buf) < min && strlen(buf) + 1 < sizeof(buf))
		strcat(buf, "x");
	if (strlen(buf) > max)
		buf[max] = '\0';
	/* Cut inside the UTF-8 pair would leave invalid text: keep it whole. */
	if (max && (unsigned char)buf[strlen(buf) - 1] == 0xc3)
		buf[strlen(buf) - 1] = 'y';
	return strdup(buf);
}

/* A valid value of [d] that is not its default (where one exists). */
static int gen_value(const struct setting_def *d, union setting_value *v, size_t entries);

static int gen_list(const struct setting_def *d, union setting_value *v, size_t entries)
{
	v->list.n = entries;
	v->list.v = calloc(entries ? entries * d->n_item : 1, sizeof(*v->list.v));
	if (!v->list.v)
		return -1;
	for (size_t n = 0; n < entries; n++)
		for (size_t k = 0; k < d->n_item; k++)
			if (gen_value(&d->item[k], &v->list.v[n * d->n_item + k], 0) < 0)
				return -1;
	/* Entries must pass the checks across fields: fall back to the
	 * defaults field by field until they do. */
	for (size_t n = 0; n < entries; n++) {
		union setting_value *f = &v->list.v[n * d->n_item];
		char why[128];

		for (size_t k = 1; k < d->n_item && settings_item_check(d, f, why, sizeof(why)); k++) {
			settings_value_free(&d->item[k], &f[k]);
			settings_value_from_text(&d->item[k], d->item[k].def, &f[k]);
		}
	}
	return 0;
}

static int gen_value(const struct setting_def *d, union setting_value *v, size_t entries)
{
	size_t n = 0;

	switch (d->type) {
	case ST_BOOL:
		v->b = strcmp(d->def, "true") != 0;
		return 0;
	case ST_INT:
		v->i = (long long)d->max;
		if (v->i == strtoll(d->def, NULL, 0))
			v->i = (long long)d->min;
		return 0;
	case ST_DOUBLE:
		/* Digits that do not fit a short decimal. */
		v->d = d->min + (d->max - d->min) / 3.0;
		return 0;
	case ST_STRING:
		v->s = gen_string(d);
		return v->s ? 0 : -1;
	case ST_ENUM:
		while (d->choices[n + 1])
			n++;
		v->s = strdup(strcmp(d->choices[n], d->def) ? d->choices[n] : d->choices[0]);
		return v->s ? 0 : -1;
	case ST_LIST:
		return gen_list(d, v, entries);
	}
	return -1;
}

/* Defaults, with key [id] (or every key when id < 0) changed; lists get
 * [entries] entries (capped at their maximum). */
static struct settings *gen_settings(int id, size_t entries)
{
	struct settings *s;

	if (settings_new_defaults(&s) < 0)
		return NULL;
	for (int i = 0; i < _SET_COUNT; i++) {
		const struct setting_def *d = &settings_schema[i];

		if (id >= 0 && i != id)
			continue;
		settings_value_free(d, &s->v[i]);
		if (gen_value(d, &s->v[i], entries < d->max ? entries : (size_t)d->max) < 0) {
			settings_free(s);
			return NULL;
		}
	}
	return s;
}

static bool gen_all_equal(const struct settings *a, const struct settings *b, int *which)
{
	for (int i = 0; i < _SET_COUNT; i++)
		if (!settings_equal(a, b, i)) {
			*which = i;
			return false;
		}
	return true;
}

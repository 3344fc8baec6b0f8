/* Strict configuration loading: every key must be in the schema, typed
 * and in range; all problems are reported as file:line: key: reason and
 * none of the file is taken unless all of it is valid. */
#include "core/settings.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY_MAX 128

struct load_ctx {
	const char *path;
	FILE *errors;
	unsigned n_errors;
	struct settings *s;
	bool seen[_SET_COUNT];
};

static bool choice_ok(const struct setting_def *d, const char *text)
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
static int value_from_text(const struct setting_def *d, const char *text, union setting_value *v)
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

static void value_free(const struct setting_def *d, union setting_value *v)
{
	if (d->type == ST_STRING || d->type == ST_ENUM) {
		free(v->s);
		v->s = NULL;
	} else if (d->type == ST_LIST) {
		for (size_t n = 0; n < v->list.n; n++)
			for (size_t f = 0; f < d->n_item; f++)
				value_free(&d->item[f], &v->list.v[n * d->n_item + f]);
		free(v->list.v);
		v->list.v = NULL;
		v->list.n = 0;
	}
}

static void report(struct load_ctx *c, const config_setting_t *cs, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void report(struct load_ctx *c, const config_setting_t *cs, const char *key,
		   const char *fmt, ...)
{
	va_list ap;

	const char *file = cs ? config_setting_source_file(cs) : NULL;
	unsigned line = cs ? config_setting_source_line(cs) : 0;

	c->n_errors++;
	if (!c->errors)
		return;
	fprintf(c->errors, "%s:%u: %s: ", file ? file : c->path, line, key);
	va_start(ap, fmt);
	vfprintf(c->errors, fmt, ap);
	va_end(ap);
	fputc('\n', c->errors);
}

static int parse_list(struct load_ctx *c, const struct setting_def *d, const char *key,
		      const config_setting_t *cs, union setting_value *v);

/* One typed, range-checked value; on error reports and returns -EINVAL. */
static int parse_value(struct load_ctx *c, const struct setting_def *d, const char *key,
		       const config_setting_t *cs, union setting_value *v)
{
	int type = config_setting_type(cs);
	const char *reason;
	char buf[256];

	switch (d->type) {
	case ST_BOOL:
		if (type != CONFIG_TYPE_BOOL)
			goto wrong_type;
		v->b = config_setting_get_bool(cs);
		return 0;
	case ST_INT:
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			goto wrong_type;
		v->i = config_setting_get_int64(cs);
		if (v->i < d->min || v->i > d->max) {
			snprintf(buf, sizeof(buf), "%lld is out of range (%.0f to %.0f)", v->i, d->min, d->max);
			goto bad;
		}
		return 0;
	case ST_DOUBLE:
		if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
			v->d = (double)config_setting_get_int64(cs);
		else if (type == CONFIG_TYPE_FLOAT)
			v->d = config_setting_get_float(cs);
		else
			goto wrong_type;
		if (!isfinite(v->d) || v->d < d->min || v->d > d->max) {
			snprintf(buf, sizeof(buf), "%g is out of range (%g to %g)", v->d, d->min, d->max);
			goto bad;
		}
		return 0;
	case ST_STRING:
		if (type != CONFIG_TYPE_STRING)
			goto wrong_type;
		if (strlen(config_setting_get_string(cs)) < d->min ||
		    strlen(config_setting_get_string(cs)) > d->max) {
			snprintf(buf, sizeof(buf), "length must be %.0f to %.0f characters", d->min, d->max);
			goto bad;
		}
		if (d->syntax && (reason = d->syntax(config_setting_get_string(cs)))) {
			snprintf(buf, sizeof(buf), "must be %s", reason);
			goto bad;
		}
		return value_from_text(d, config_setting_get_string(cs), v);
	case ST_ENUM:
		if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
			snprintf(buf, sizeof(buf), "%lld", (long long)config_setting_get_int64(cs));
		else if (type == CONFIG_TYPE_STRING)
			snprintf(buf, sizeof(buf), "%s", config_setting_get_string(cs));
		else
			goto wrong_type;
		if (!choice_ok(d, buf)) {
			char list[200];

			choices_text(d, list, sizeof(list));
			snprintf(buf, sizeof(buf), "must be one of: %s", list);
			goto bad;
		}
		return value_from_text(d, buf, v);
	case ST_LIST:
		return parse_list(c, d, key, cs, v);
	}
wrong_type:
	{
		static const char *const names[] = {
			[ST_BOOL] = "true or false", [ST_INT] = "an integer",
			[ST_DOUBLE] = "a number", [ST_STRING] = "a quoted string",
			[ST_ENUM] = "one of the listed values", [ST_LIST] = "a list ( { ... }, ... )",
		};
		report(c, cs, key, "must be %s", names[d->type]);
		return -EINVAL;
	}
bad:
	report(c, cs, key, "%s", buf);
	return -EINVAL;
}

static const struct setting_def *item_find(const struct setting_def *d, const char *name, size_t *idx)
{
	for (size_t f = 0; f < d->n_item; f++)
		if (strcmp(d->item[f].key, name) == 0) {
			*idx = f;
			return &d->item[f];
		}
	return NULL;
}

static int parse_item(struct load_ctx *c, const struct setting_def *d, const char *key,
		      const config_setting_t *entry, union setting_value *fields)
{
	char sub[KEY_MAX];
	int r = 0;

	for (size_t f = 0; f < d->n_item; f++)
		if (value_from_text(&d->item[f], d->item[f].def, &fields[f]) < 0)
			return -ENOMEM;
	for (int m = 0; m < config_setting_length(entry); m++) {
		const config_setting_t *cs = config_setting_get_elem(entry, m);
		const struct setting_def *fd;
		size_t f;

		if (snprintf(sub, sizeof(sub), "%s.%s", key, config_setting_name(cs)) >= (int)sizeof(sub)) {
			report(c, cs, key, "setting name too long");
			r = -EINVAL;
			continue;
		}
		fd = item_find(d, config_setting_name(cs), &f);
		if (!fd) {
			report(c, cs, sub, "%s", "unknown setting");
			r = -EINVAL;
			continue;
		}
		value_free(fd, &fields[f]);
		if (parse_value(c, fd, sub, cs, &fields[f]) < 0) {
			value_from_text(fd, fd->def, &fields[f]);
			r = -EINVAL;
		}
	}
	/* The first field of an item names it and has no usable default. */
	if (r == 0 && d->item[0].type == ST_STRING && fields[0].s[0] == '\0') {
		report(c, entry, key, "%s is required", d->item[0].key);
		r = -EINVAL;
	}
	if (r == 0 && d->item_check) {
		const char *why = d->item_check(fields);

		if (why) {
			report(c, entry, key, "%s", why);
			r = -EINVAL;
		}
	}
	return r;
}

static int parse_list(struct load_ctx *c, const struct setting_def *d, const char *key,
		      const config_setting_t *cs, union setting_value *v)
{
	int n = config_setting_length(cs);
	char sub[KEY_MAX];
	int r = 0;

	if (config_setting_type(cs) != CONFIG_TYPE_LIST) {
		report(c, cs, key, "%s", "must be a list ( { ... }, ... )");
		return -EINVAL;
	}
	if (n > d->max) {
		snprintf(sub, sizeof(sub), "at most %.0f entries", d->max);
		report(c, cs, key, "%s", sub);
		return -EINVAL;
	}
	v->list.n = 0;
	v->list.v = calloc(n ? n * d->n_item : 1, sizeof(*v->list.v));
	if (!v->list.v)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		const config_setting_t *entry = config_setting_get_elem(cs, i);

		snprintf(sub, sizeof(sub), "%s[%d]", key, i);
		if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
			report(c, entry, sub, "%s", "must be a group { ... }");
			r = -EINVAL;
			continue;
		}
		if (parse_item(c, d, sub, entry, &v->list.v[v->list.n++ * d->n_item]) < 0)
			r = -EINVAL;
	}
	return r;
}

int settings_find(const char *key)
{
	for (int i = 0; i < _SET_COUNT; i++)
		if (strcmp(settings_schema[i].key, key) == 0)
			return i;
	return -ENOENT;
}

static bool is_group_prefix(const char *key)
{
	size_t len = strlen(key);

	for (int i = 0; i < _SET_COUNT; i++)
		if (strncmp(settings_schema[i].key, key, len) == 0 && settings_schema[i].key[len] == '.')
			return true;
	return false;
}

static void load_group(struct load_ctx *c, const config_setting_t *group, const char *prefix)
{
	for (int m = 0; m < config_setting_length(group); m++) {
		const config_setting_t *cs = config_setting_get_elem(group, m);
		char key[KEY_MAX];
		int id;

		if (snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "",
			     config_setting_name(cs)) >= (int)sizeof(key)) {
			report(c, cs, prefix, "setting name too long");
			continue;
		}
		id = settings_find(key);
		if (id < 0 && config_setting_type(cs) == CONFIG_TYPE_GROUP && is_group_prefix(key)) {
			load_group(c, cs, key);
			continue;
		}
		if (id < 0) {
			report(c, cs, key, "%s", "unknown setting");
			continue;
		}
		if (parse_value(c, &settings_schema[id], key, cs, &c->s->v[id]) < 0)
			continue;
		c->seen[id] = true;
	}
}

static void settings_clear(struct settings *s)
{
	for (int i = 0; i < _SET_COUNT; i++)
		value_free(&settings_schema[i], &s->v[i]);
}

void settings_free(struct settings *s)
{
	if (!s)
		return;
	settings_clear(s);
	free(s->path);
	free(s);
}

int settings_new_defaults(struct settings **out)
{
	struct settings *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (int i = 0; i < _SET_COUNT; i++)
		if (value_from_text(&settings_schema[i], settings_schema[i].def, &s->v[i]) < 0) {
			settings_free(s);
			return -ENOMEM;
		}
	*out = s;
	return 0;
}

int settings_load(const char *path, FILE *errors, struct settings **out)
{
	struct load_ctx c = { .path = path, .errors = errors };
	config_t cfg;
	int r;

	*out = NULL;
	if (access(path, R_OK) < 0) {
		r = -errno;
		if (errors)
			fprintf(errors, "%s: %s\n", path, strerror(errno));
		return r;
	}
	r = settings_new_defaults(&c.s);
	if (r < 0)
		return r;
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		if (errors)
			fprintf(errors, "%s:%d: syntax error: %s\n",
				config_error_file(&cfg) ? config_error_file(&cfg) : path,
				config_error_line(&cfg), config_error_text(&cfg));
		r = -EINVAL;
		goto fail;
	}
	/* Parsed values replace defaults only where seen; free defaults first. */
	for (int i = 0; i < _SET_COUNT; i++)
		value_free(&settings_schema[i], &c.s->v[i]);
	load_group(&c, config_root_setting(&cfg), "");
	for (int i = 0; i < _SET_COUNT; i++) {
		if (c.seen[i])
			continue;
		value_free(&settings_schema[i], &c.s->v[i]);
		if (value_from_text(&settings_schema[i], settings_schema[i].def, &c.s->v[i]) < 0) {
			r = -ENOMEM;
			goto fail;
		}
	}
	if (c.n_errors) {
		r = -EINVAL;
		goto fail;
	}
	c.s->path = strdup(path);
	config_destroy(&cfg);
	*out = c.s;
	return 0;
fail:
	config_destroy(&cfg);
	settings_free(c.s);
	return r;
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

/* Strict configuration loading: every key must be in the schema, typed
 * and in range; all problems are reported as file:line: key: reason and
 * none of the file is taken unless all of it is valid. */
#include "core/settings.h"
#include "core/settings_priv.h"

#include <errno.h>
#include <libconfig.h>
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
	union setting_value typed = { 0 };
	char buf[256];

	switch (d->type) {
	case ST_BOOL:
		if (type != CONFIG_TYPE_BOOL)
			goto wrong_type;
		typed.b = config_setting_get_bool(cs);
		break;
	case ST_INT:
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			goto wrong_type;
		typed.i = config_setting_get_int64(cs);
		break;
	case ST_DOUBLE:
		if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
			typed.d = (double)config_setting_get_int64(cs);
		else if (type == CONFIG_TYPE_FLOAT)
			typed.d = config_setting_get_float(cs);
		else
			goto wrong_type;
		break;
	case ST_STRING:
		if (type != CONFIG_TYPE_STRING)
			goto wrong_type;
		typed.s = (char *)config_setting_get_string(cs);
		break;
	case ST_ENUM:
		if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
			snprintf(buf, sizeof(buf), "%lld", (long long)config_setting_get_int64(cs));
		else if (type == CONFIG_TYPE_STRING)
			snprintf(buf, sizeof(buf), "%s", config_setting_get_string(cs));
		else
			goto wrong_type;
		typed.s = buf;
		break;
	case ST_LIST:
		return parse_list(c, d, key, cs, v);
	}
	{
		char why[256];

		/* Strings are checked while still borrowed from libconfig. */
		if (settings_value_check(d, &typed, why, sizeof(why))) {
			report(c, cs, key, "%s", why);
			return -EINVAL;
		}
	}
	if (d->type != ST_STRING && d->type != ST_ENUM) {
		*v = typed;
		return 0;
	}
	return settings_value_from_text(d, typed.s, v);
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
		if (settings_value_from_text(&d->item[f], d->item[f].def, &fields[f]) < 0)
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
		settings_value_free(fd, &fields[f]);
		if (parse_value(c, fd, sub, cs, &fields[f]) < 0) {
			settings_value_from_text(fd, fd->def, &fields[f]);
			r = -EINVAL;
		}
	}
	if (r == 0) {
		char buf[128];
		const char *why = settings_item_check(d, fields, buf, sizeof(buf));

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
		settings_value_free(&settings_schema[i], &s->v[i]);
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
		if (settings_value_from_text(&settings_schema[i], settings_schema[i].def, &s->v[i]) < 0) {
			settings_free(s);
			return -ENOMEM;
		}
	*out = s;
	return 0;
}

/* The read configuration [cfg] to settings; [name] for errors. */
static int load_config(const config_t *cfg, const char *name, FILE *errors, struct settings **out)
{
	struct load_ctx c = { .path = name, .errors = errors };
	int r = settings_new_defaults(&c.s);

	if (r < 0)
		return r;
	/* Parsed values replace defaults only where seen; free defaults first. */
	for (int i = 0; i < _SET_COUNT; i++)
		settings_value_free(&settings_schema[i], &c.s->v[i]);
	load_group(&c, config_root_setting(cfg), "");
	for (int i = 0; i < _SET_COUNT; i++) {
		if (c.seen[i])
			continue;
		settings_value_free(&settings_schema[i], &c.s->v[i]);
		if (settings_value_from_text(&settings_schema[i], settings_schema[i].def, &c.s->v[i]) < 0) {
			settings_free(c.s);
			return -ENOMEM;
		}
	}
	if (c.n_errors) {
		settings_free(c.s);
		return -EINVAL;
	}
	*out = c.s;
	return 0;
}

static void syntax_error(const config_t *cfg, const char *name, FILE *errors)
{
	if (errors)
		fprintf(errors, "%s:%d: syntax error: %s\n",
			config_error_file(cfg) ? config_error_file(cfg) : name,
			config_error_line(cfg), config_error_text(cfg));
}

int settings_load(const char *path, FILE *errors, struct settings **out)
{
	config_t cfg;
	int r;

	*out = NULL;
	if (access(path, R_OK) < 0) {
		r = -errno;
		if (errors)
			fprintf(errors, "%s: %s\n", path, strerror(errno));
		return r;
	}
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		syntax_error(&cfg, path, errors);
		config_destroy(&cfg);
		return -EINVAL;
	}
	r = load_config(&cfg, path, errors, out);
	config_destroy(&cfg);
	if (r == 0 && !((*out)->path = strdup(path))) {
		settings_free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return r;
}

/* Text from outside (a backup, a test) may not pull in other files:
 * "@include" starts a line (libconfig's rule) and settings_to_text never
 * writes one. */
static int find_include(const char *text)
{
	int line = 1;

	for (const char *p = text; *p; line++) {
		p += strspn(p, " \t");
		if (strncmp(p, "@include", 8) == 0)
			return line;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return 0;
}

int settings_load_text(const char *text, size_t len, const char *name, FILE *errors,
		       struct settings **out)
{
	config_t cfg;
	char *copy;
	int r, line;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		if (errors)
			fprintf(errors, "%s: contains a NUL byte\n", name);
		return -EINVAL;
	}
	copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	line = find_include(copy);
	if (line) {
		if (errors)
			fprintf(errors, "%s:%d: @include is not allowed here\n", name, line);
		free(copy);
		return -EINVAL;
	}
	config_init(&cfg);
	if (!config_read_string(&cfg, copy)) {
		syntax_error(&cfg, name, errors);
		r = -EINVAL;
	} else
		r = load_config(&cfg, name, errors, out);
	config_destroy(&cfg);
	free(copy);
	return r;
}

/* Settings back to a libconfig file: the whole configuration, every key,
 * grouped as DESIGN.md shows, written atomically. The file is rewritten
 * whole, so comments and @include lines of a hand-written file are not
 * kept (docs/configuration.md says so). */
#include "core/settings.h"

#include "common/fileio.h"
#include "core/settings_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAVE_MODE 0640

int settings_dup(const struct settings *s, struct settings **out)
{
	struct settings *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	if (s->path && !(c->path = strdup(s->path)))
		goto fail;
	for (int i = 0; i < _SET_COUNT; i++)
		if (settings_value_copy(&settings_schema[i], &s->v[i], &c->v[i]) < 0)
			goto fail;
	*out = c;
	return 0;
fail:
	settings_free(c);
	return -ENOMEM;
}

/* libconfig's string escapes: \" \\ \n \r \t \f and \xNN. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\x%02x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* The shortest text that reads back as the same double, always with a
 * '.' or an exponent so that libconfig types it as a float; plain
 * decimals ("30.0", "0.2") in the range people write. */
static void put_double(FILE *f, double d)
{
	char buf[64];
	bool plain = fabs(d) >= 1e-4 && fabs(d) < 1e15;

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), plain ? "%.*f" : "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	fputs(buf, f);
}

static void put_indent(FILE *f, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", f);
}

static void put_value(FILE *f, const struct setting_def *d, const union setting_value *v, int depth);

static void put_list(FILE *f, const struct setting_def *d, const union setting_value *v, int depth)
{
	if (v->list.n == 0) {
		fputs("( )", f);
		return;
	}
	fputs("(\n", f);
	for (size_t n = 0; n < v->list.n; n++) {
		put_indent(f, depth + 1);
		fputs("{ ", f);
		for (size_t k = 0; k < d->n_item; k++) {
			fprintf(f, "%s = ", d->item[k].key);
			put_value(f, &d->item[k], &v->list.v[n * d->n_item + k], depth + 1);
			fputs("; ", f);
		}
		fprintf(f, "}%s\n", n + 1 < v->list.n ? "," : "");
	}
	put_indent(f, depth);
	fputc(')', f);
}

static void put_value(FILE *f, const struct setting_def *d, const union setting_value *v, int depth)
{
	switch (d->type) {
	case ST_BOOL:
		fputs(v->b ? "true" : "false", f);
		break;
	case ST_INT:
		fprintf(f, "%lld%s", v->i, v->i < INT32_MIN || v->i > INT32_MAX ? "L" : "");
		break;
	case ST_DOUBLE:
		put_double(f, v->d);
		break;
	case ST_STRING:
	case ST_ENUM:
		put_string(f, v->s);
		break;
	case ST_LIST:
		put_list(f, d, v, depth);
		break;
	}
}

static bool has_prefix(const char *key, const char *prefix, size_t plen)
{
	return plen == 0 || (strncmp(key, prefix, plen) == 0 && key[plen] == '.');
}

/* The keys under [prefix] (plen bytes; "" for the top), in schema order;
 * a subgroup is written where its first key comes. */
static void put_group(FILE *f, const struct settings *s, const char *prefix, size_t plen, int depth)
{
	for (int i = 0; i < _SET_COUNT; i++) {
		const char *key = settings_schema[i].key;
		const char *rest, *dot;
		size_t glen;
		bool seen = false;

		if (!has_prefix(key, prefix, plen))
			continue;
		rest = key + plen + (plen ? 1 : 0);
		dot = strchr(rest, '.');
		if (!dot) {
			put_indent(f, depth);
			fprintf(f, "%s = ", rest);
			put_value(f, &settings_schema[i], &s->v[i], depth);
			fputs(";\n", f);
			continue;
		}
		glen = (size_t)(dot - key);
		for (int j = 0; j < i && !seen; j++)
			seen = has_prefix(settings_schema[j].key, key, glen);
		if (seen)
			continue;       /* already written with its group */
		put_indent(f, depth);
		fprintf(f, "%.*s = {\n", (int)(dot - rest), rest);
		put_group(f, s, key, glen, depth + 1);
		put_indent(f, depth);
		fputs("};\n", f);
	}
}

char *settings_to_text(const struct settings *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fputs("# upsgate configuration (libconfig), written by upsgated.\n"
	      "# Every key is listed; `upsgated --settings` describes them.\n"
	      "# upsgated rewrites this file whole when a setting is changed at run time:\n"
	      "# comments and @include lines are not kept.\n\n", f);
	put_group(f, s, "", 0, 0);
	if (ferror(f)) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int settings_save(const struct settings *s, const char *path)
{
	char *text = settings_to_text(s);
	int r;

	if (!text)
		return -ENOMEM;
	r = file_write_atomic(path, text, strlen(text), SAVE_MODE);
	free(text);
	return r;
}

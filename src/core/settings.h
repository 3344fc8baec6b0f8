/* The one settings schema: every configuration key with its type,
 * default, bounds and flags. Config loading, validation, --check, the
 * web/SNMP config APIs and backup/restore all read this table; no setting
 * is described twice. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum setting_type {
	ST_BOOL = 0,
	ST_INT,
	ST_DOUBLE,
	ST_STRING,
	ST_ENUM,        /* a string from a fixed list; integers accepted if listed */
	ST_LIST,        /* a list of groups, each checked against an item schema */
};

enum setting_flag {
	SF_SECRET  = 1 << 0,    /* never shown in clear */
	SF_RESTART = 1 << 1,    /* a change takes effect at the next start */
};

union setting_value;

struct setting_def {
	const char *key;                /* "serial.device"; item keys are relative */
	enum setting_type type;
	const char *def;                /* default, as text */
	double min, max;                /* INT/DOUBLE bounds; STRING max length */
	const char *const *choices;     /* ENUM: NULL-terminated */
	unsigned flags;
	const char *help;
	const struct setting_def *item; /* LIST: item schema */
	size_t n_item;
	/* STRING: a syntax check beyond the length; returns what the value
	 * must be ("an IPv4 or IPv6 address") or NULL when it is valid. */
	const char *(*syntax)(const char *value);
	/* LIST: a check across the fields of one entry; returns the reason
	 * or NULL when the entry is valid. */
	const char *(*item_check)(const union setting_value *fields);
};

#include "core/settings_keys.h"

union setting_value {
	bool b;
	long long i;
	double d;
	char *s;                        /* STRING and ENUM; owned */
	struct setting_list {
		size_t n;
		union setting_value *v; /* n * def->n_item values */
	} list;
};

struct settings {
	char *path;                     /* the file it came from, or NULL */
	union setting_value v[_SET_COUNT];
};

extern const struct setting_def settings_schema[_SET_COUNT];

/* Defaults only. */
int settings_new_defaults(struct settings **out);
/* Parse and validate [path]. On any error returns -EINVAL and writes
 * one "file:line: key: reason" line per problem to [errors]; *out is
 * left NULL. A missing file is -ENOENT. */
int settings_load(const char *path, FILE *errors, struct settings **out);
void settings_free(struct settings *s);        /* accepts NULL */

bool settings_bool(const struct settings *s, enum setting_id id);
long long settings_int(const struct settings *s, enum setting_id id);
double settings_double(const struct settings *s, enum setting_id id);
const char *settings_str(const struct settings *s, enum setting_id id);
const struct setting_list *settings_list(const struct settings *s, enum setting_id id);
/* Value of item field [field] (index in def->item) of list entry [n]. */
const union setting_value *settings_item(const struct settings *s, enum setting_id id,
					 size_t n, size_t field);

int settings_find(const char *key);            /* id or -ENOENT */
/* Current value as config-file text (secrets as "********" unless
 * reveal); for lists, the item count. */
int settings_format(const struct settings *s, enum setting_id id, bool reveal,
		    char *buf, size_t len);
bool settings_equal(const struct settings *a, const struct settings *b, enum setting_id id);

/* --- Changing settings (settings.c, settings_write.c, settings_json.c) */

/* Like settings_load, from text in memory; [name] is used in errors. */
int settings_load_text(const char *text, size_t len, const char *name, FILE *errors,
		       struct settings **out);
int settings_dup(const struct settings *s, struct settings **out);
/* The whole configuration as a libconfig file that settings_load takes
 * back unchanged: every key, secrets in clear (the file is the
 * secret's home), grouped as DESIGN.md shows. Returns a malloc'd string. */
char *settings_to_text(const struct settings *s);
/* Writes settings_to_text to [path] atomically (temp file in the same
 * directory, fsync, rename, fsync of the directory), mode 0640. */
int settings_save(const struct settings *s, const char *path);

/* JSON forms (jansson). A patch is an object {"key": value, ...} with
 * the dotted keys of the schema; lists are arrays of objects with the
 * item keys. Secret values read back as "********"; a patch that sends
 * "********" for a secret keeps the current one. */
struct json_t;
struct json_t *settings_to_json(const struct settings *s, bool reveal);
/* The schema itself, for forms: [{key, type, default, min, max,
 * choices, secret, restart, help, items}]. */
struct json_t *settings_schema_json(void);
/* Applies [patch] to a copy of [base]. Every problem is appended to
 * [errors] (a JSON array) as {"key", "reason"}; on any problem nothing
 * is returned (-EINVAL) and *out stays NULL. */
int settings_patch(const struct settings *base, const struct json_t *patch,
		   struct json_t *errors, struct settings **out);

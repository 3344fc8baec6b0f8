/* Helpers for the store's unit tests: a temporary state directory, a
 * default configuration, snapshots with known values, and a few JSON
 * peeks. Header-only: each test is one program. */
#pragma once

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "store/store.h"
#include "store/store_priv.h"

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "not ok: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		exit(1); \
	} \
} while (0)

#define T0 1795784400000LL      /* 2026-11-27T13:00:00Z, a multiple of an hour */

static inline char *test_dir(void)
{
	char tmpl[] = "/tmp/ugstore-XXXXXX";
	char *d = mkdtemp(tmpl);

	log_set_max_priority(LOG_WARNING);
	CHECK(d);
	return strdup(d);
}

static inline void test_dir_remove(char *dir)
{
	static const char *const names[] = { "upsgate.db", "upsgate.db-wal", "upsgate.db-shm" };
	char path[512];

	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

static inline struct store_config test_config(const char *dir)
{
	struct store_config c = { .dir = dir, .history_interval_s = 60,
				  .extended_interval_s = 3600 };
	return c;
}

static inline struct store *test_open(const struct store_config *c, struct event_bus *bus)
{
	struct store *st = NULL;

	CHECK(store_open(&st, c, bus) == 0);
	CHECK(st);
	return st;
}

static inline int64_t test_count(struct store *st, const char *table)
{
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	CHECK(db_int64(st, sql, "test count", &n) == 0);
	return n;
}

/* A snapshot with a working link: the system level and [units] units,
 * every history measurement set to [v] (+ unit number). */
static inline struct snapshot *test_snapshot(unsigned units, double v)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	CHECK(s);
	s->comm = COMM_OK;
	s->id.map = MAP_VUMAP;
	s->n_levels = (uint8_t)(1 + units);
	for (unsigned i = 0; i <= units; i++) {
		struct level_data *l = &s->levels[i];

		l->kind = i ? LEVEL_UNIT : LEVEL_SYSTEM;
		l->unit = (uint8_t)i;
		l->present = l->valid = true;
		for (int m = 0; m < _MEAS_COUNT; m++)
			l->meas[m] = v + i;
	}
	return s;
}

/* The text of the JSON writer (NUL-terminated). */
static inline const char *test_json(struct json *j)
{
	CHECK(!json_failed(j) && j->buf);
	return j->buf;
}

static inline long long test_json_int(const char *text, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(text, pat);
	CHECK(p);
	return strtoll(p + strlen(pat), NULL, 10);
}

static inline size_t test_json_count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

#include "common/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
	j->first[0] = true;
}

void json_free(struct json *j)
{
	free(j->buf);
	json_init(j);
}

bool json_failed(const struct json *j)
{
	return j->failed;
}

char *json_steal(struct json *j, size_t *len)
{
	char *b = j->failed ? NULL : j->buf;

	if (len)
		*len = b ? j->len : 0;
	if (!b)
		free(j->buf);
	json_init(j);
	return b;
}

static bool reserve(struct json *j, size_t more)
{
	size_t cap;
	char *b;

	if (j->failed)
		return false;
	if (j->len + more + 1 <= j->cap)
		return true;
	cap = j->cap ? j->cap : 256;
	while (cap < j->len + more + 1)
		cap *= 2;
	b = realloc(j->buf, cap);
	if (!b) {
		j->failed = true;
		return false;
	}
	j->buf = b;
	j->cap = cap;
	return true;
}

static void put(struct json *j, const char *s, size_t n)
{
	if (!reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void putf(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct json *j, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(j, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void put_string(struct json *j, const char *s)
{
	put(j, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char e[2] = { '\\', (char)*p };
			put(j, e, 2);
		} else if (*p < 0x20) {
			putf(j, "\\u%04x", *p);
		} else {
			put(j, (const char *)p, 1);
		}
	}
	put(j, "\"", 1);
}

/* Separator and key for the next value. */
static void member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		put(j, ",", 1);
	j->first[j->depth] = false;
	if (key) {
		put_string(j, key);
		put(j, ":", 1);
	}
}

static void open_(struct json *j, const char *key, char c)
{
	member(j, key);
	put(j, &c, 1);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	j->first[++j->depth] = true;
}

static void close_(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	put(j, &c, 1);
}

void json_obj_open(struct json *j, const char *key) { open_(j, key, '{'); }
void json_obj_close(struct json *j) { close_(j, '}'); }
void json_arr_open(struct json *j, const char *key) { open_(j, key, '['); }
void json_arr_close(struct json *j) { close_(j, ']'); }

void json_str(struct json *j, const char *key, const char *value)
{
	member(j, key);
	put_string(j, value ? value : "");
}

void json_num(struct json *j, const char *key, double value)
{
	member(j, key);
	if (!isfinite(value))
		put(j, "null", 4);
	else
		putf(j, "%.10g", value);
}

void json_int(struct json *j, const char *key, long long value)
{
	member(j, key);
	putf(j, "%lld", value);
}

void json_uint(struct json *j, const char *key, unsigned long long value)
{
	member(j, key);
	putf(j, "%llu", value);
}

void json_bool(struct json *j, const char *key, bool value)
{
	member(j, key);
	put(j, value ? "true" : "false", value ? 4 : 5);
}

void json_put_null(struct json *j, const char *key)
{
	member(j, key);
	put(j, "null", 4);
}

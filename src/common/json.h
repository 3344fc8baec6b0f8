/* A small streaming JSON writer into a growable buffer. Keys are given
 * inside objects and NULL inside arrays. NAN and infinities become null.
 * Allocation failure sticks (json_failed) instead of being checked at
 * every call. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH 32

struct json {
	char *buf;
	size_t len, cap;
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool failed;
};

void json_init(struct json *j);
void json_free(struct json *j);
bool json_failed(const struct json *j);
/* Hands over the NUL-terminated text; the writer is reset. */
char *json_steal(struct json *j, size_t *len);

void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *value);
void json_num(struct json *j, const char *key, double value);
void json_int(struct json *j, const char *key, long long value);
void json_uint(struct json *j, const char *key, unsigned long long value);
void json_bool(struct json *j, const char *key, bool value);
/* Named apart from jansson's json_null(): the web API includes both. */
void json_put_null(struct json *j, const char *key);

#include "control/control_logs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ARGS_MAX 16
#define CSV_REPLY_MAX (256u << 20)

enum logs_mode { MODE_JSON = 0, MODE_CSV, MODE_CLEAR };

struct logs_request {
	enum store_log log;
	enum logs_mode mode;
	struct store_query q;
};

/* Seconds since the epoch, or ISO 8601 UTC "2026-11-22T10:00:00Z". */
static int parse_time_ms(const char *v, int64_t *ms)
{
	struct tm tm = { 0 };
	char *end;
	long long secs = strtoll(v, &end, 10);

	if (*v && *end == '\0' && secs >= 0) {
		if (secs > INT64_MAX / 1000)
			return -EINVAL;
		*ms = secs * 1000;
		return 0;
	}
	end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end != '\0' && strcmp(end, "Z") != 0))
		return -EINVAL;
	*ms = (int64_t)timegm(&tm) * 1000;
	return 0;
}

static int parse_uint(const char *v, unsigned max, uint32_t *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || n > max || v[0] == '-')
		return -EINVAL;
	*out = (uint32_t)n;
	return 0;
}

static int parse_option(struct logs_request *r, const char *key, const char *v)
{
	uint32_t n;

	if (strcmp(key, "from") == 0)
		return parse_time_ms(v, &r->q.from_ms);
	if (strcmp(key, "to") == 0)
		return parse_time_ms(v, &r->q.to_ms);
	if (strcmp(key, "page") == 0)
		return parse_uint(v, 1000000, &r->q.page) < 0 || r->q.page == 0 ? -EINVAL : 0;
	if (strcmp(key, "size") == 0)
		return parse_uint(v, 1000, &r->q.size) < 0 || r->q.size == 0 ? -EINVAL : 0;
	if (strcmp(key, "sort") == 0 && (strcmp(v, "time") == 0 || strcmp(v, "level") == 0)) {
		r->q.sort = v[0] == 't' ? SORT_TIME : SORT_LEVEL;
		return 0;
	}
	if (strcmp(key, "order") == 0 && (strcmp(v, "asc") == 0 || strcmp(v, "desc") == 0)) {
		r->q.descending = v[0] == 'd';
		return 0;
	}
	if (strcmp(key, "level") == 0)
		return event_level_parse(v, &r->q.min_level);
	if (strcmp(key, "group") == 0)
		return event_groups_parse(v, &r->q.groups);
	if (strcmp(key, "unit") == 0) {
		if (parse_uint(v, MODEL_MAX_UNITS, &n) < 0)
			return -EINVAL;
		r->q.unit = (int)n;
		return 0;
	}
	return -EINVAL;
}

/* Whole request, validated before anything runs. */
static int parse_request(const char *args, struct logs_request *r)
{
	char buf[1024], *words[ARGS_MAX], *p, *save = NULL;
	int n = 0, log;

	if (strlen(args) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, args);
	for (p = strtok_r(buf, " ", &save); p && n < ARGS_MAX; p = strtok_r(NULL, " ", &save))
		words[n++] = p;
	if (n == 0 || p)
		return -EINVAL;
	log = store_log_from_name(words[0]);
	if (log < 0)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->log = (enum store_log)log;
	r->q = (struct store_query) { .page = 1, .size = 100, .descending = true, .unit = -1 };
	for (int i = 1; i < n; i++) {
		char *eq = strchr(words[i], '=');

		if (i == 1 && !eq) {
			if (strcmp(words[i], "json") == 0)
				r->mode = MODE_JSON;
			else if (strcmp(words[i], "csv") == 0)
				r->mode = MODE_CSV;
			else if (strcmp(words[i], "clear") == 0 && n == 2)
				r->mode = MODE_CLEAR;
			else
				return -EINVAL;
			continue;
		}
		if (!eq)
			return -EINVAL;
		*eq = '\0';
		if (parse_option(r, words[i], eq + 1) < 0)
			return -EINVAL;
	}
	if (r->q.from_ms && r->q.to_ms && r->q.from_ms >= r->q.to_ms)
		return -EINVAL;
	return 0;
}

bool control_logs_check(const char *args)
{
	struct logs_request r;

	return parse_request(args, &r) == 0;
}

static char *text_reply(const char *text, size_t *len)
{
	char *r = strdup(text);

	*len = r ? strlen(r) : 0;
	return r;
}

/* The store streams CSV to an fd; a memfd collects it for the reply. */
static char *csv_reply(struct store *st, const struct logs_request *r, size_t *len)
{
	int fd = memfd_create("logs-csv", MFD_CLOEXEC);
	struct stat sb;
	char *reply = NULL;
	void *map;

	if (fd < 0)
		return NULL;
	if (store_export_csv(st, r->log, r->q.from_ms, r->q.to_ms, fd) < 0 || fstat(fd, &sb) < 0) {
		close(fd);
		return text_reply("error: export failed\n", len);
	}
	if ((size_t)sb.st_size > CSV_REPLY_MAX) {
		close(fd);
		return text_reply("error: export too large for the local API: narrow it with from= and to=\n", len);
	}
	reply = malloc((size_t)sb.st_size + 1);
	map = sb.st_size ? mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	if (map == MAP_FAILED)
		map = NULL;
	if (reply && (map || !sb.st_size)) {
		if (map)
			memcpy(reply, map, (size_t)sb.st_size);
		reply[sb.st_size] = '\0';
		*len = (size_t)sb.st_size;
	} else {
		free(reply);
		reply = NULL;
	}
	if (map)
		munmap(map, (size_t)sb.st_size);
	close(fd);
	return reply;
}

char *control_logs(struct store *st, const char *args, size_t *len)
{
	struct logs_request r;
	struct json j;
	char *out;

	if (parse_request(args, &r) < 0)
		return text_reply("error: bad logs request\n", len);
	if (r.mode == MODE_CLEAR)
		return store_clear(st, r.log, "local API") < 0 ? text_reply("error: clear failed\n", len)
							       : text_reply("ok\n", len);
	if (r.mode == MODE_CSV)
		return csv_reply(st, &r, len);
	json_init(&j);
	if (store_query_json(st, r.log, &r.q, &j) < 0 || json_failed(&j)) {
		json_free(&j);
		return text_reply("error: query failed\n", len);
	}
	out = json_steal(&j, len);
	if (out) {
		char *nl = realloc(out, *len + 2);

		if (!nl) {
			free(out);
			return NULL;
		}
		nl[(*len)++] = '\n';
		nl[*len] = '\0';
		out = nl;
	}
	return out;
}

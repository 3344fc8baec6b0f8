/* Paged queries: total count, pages, sort by time or level, filters by
 * level, group, unit and window, and refusal of bad parameters. */
#include "store-test.h"

#define N_EVENTS 30

/* A device-log event definition of [level] and a gateway one. */
static const struct event_def *def_of(enum level level, enum event_log log)
{
	for (size_t i = 0; i < event_catalogue_size; i++)
		if (event_catalogue[i].level == level && event_catalogue[i].log == log)
			return &event_catalogue[i];
	return NULL;
}

static const struct event_def *defs[3];

static void fill(struct store *st)
{
	defs[0] = def_of(LEVEL_INFO, EVLOG_DEVICE);
	defs[1] = def_of(LEVEL_WARNING, EVLOG_DEVICE);
	defs[2] = def_of(LEVEL_CRITICAL, EVLOG_DEVICE);
	CHECK(defs[0] && defs[1] && defs[2]);
	for (int i = 0; i < N_EVENTS; i++) {
		struct event e = { .def = defs[i % 3], .active = i % 2, .unit = (uint8_t)(i % 4) };

		e.time.tv_sec = T0 / 1000 + i;
		snprintf(e.detail, sizeof(e.detail), "n%d", i);
		CHECK(store_add_event(st, &e) == 0);
	}
}

static char *query(struct store *st, const struct store_query *q)
{
	struct json j;

	json_init(&j);
	CHECK(store_query_json(st, STORE_DEVICE_EVENTS, q, &j) == 0);
	return json_steal(&j, NULL);
}

static int query_rc(struct store *st, enum store_log log, const struct store_query *q)
{
	struct json j;
	int r;

	json_init(&j);
	r = store_query_json(st, log, q, &j);
	json_free(&j);
	return r;
}

int main(void)
{
	char *dir = test_dir();
	struct store_config c = test_config(dir);
	struct store *st = test_open(&c, NULL);
	struct store_query q = { .page = 1, .size = 10, .unit = -1 };
	char *t;

	fill(st);
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == N_EVENTS);
	CHECK(test_json_count(t, "\"code\":") == 10);
	CHECK(test_json_int(t, "t") == T0);                 /* oldest first */
	free(t);
	q.page = 3;
	t = query(st, &q);
	CHECK(test_json_count(t, "\"code\":") == 10);
	CHECK(strstr(t, "\"detail\":\"n20\""));
	free(t);
	q.page = 4;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == N_EVENTS && strstr(t, "\"rows\":[]"));
	free(t);
	printf("ok - paging and total\n");

	q.page = 1;
	q.descending = true;
	t = query(st, &q);
	CHECK(test_json_int(t, "t") == T0 + (N_EVENTS - 1) * 1000);
	free(t);
	q.sort = SORT_LEVEL;
	q.size = N_EVENTS / 3;
	t = query(st, &q);
	CHECK(test_json_count(t, "\"level\":\"critical\"") == N_EVENTS / 3);
	/* Within a level, newest first. */
	CHECK(test_json_int(t, "t") == T0 + (N_EVENTS - 1) * 1000);
	free(t);
	q.descending = false;
	t = query(st, &q);
	CHECK(test_json_count(t, "\"level\":\"information\"") == N_EVENTS / 3);
	free(t);
	printf("ok - sort by time and by level, both directions\n");

	q.sort = SORT_TIME;
	q.size = 1000;
	q.min_level = LEVEL_WARNING;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == 2 * N_EVENTS / 3);
	CHECK(!strstr(t, "\"level\":\"information\""));
	free(t);
	q.min_level = LEVEL_NONE;
	q.groups = 1u << EVG_GATEWAY;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == 0);
	free(t);
	q.groups = 1u << defs[0]->group;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") >= N_EVENTS / 3);
	free(t);
	q.groups = 0;
	q.unit = 2;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == 7);      /* i % 4 == 2 for i < 30 */
	free(t);
	q.unit = -1;
	q.from_ms = T0 + 5000;
	q.to_ms = T0 + 15000;
	t = query(st, &q);
	CHECK(test_json_int(t, "total") == 10);
	CHECK(test_json_int(t, "t") == T0 + 5000);
	free(t);
	printf("ok - filters: level, group, unit, window [from, to)\n");

	q = (struct store_query){ .page = 1, .size = 50000, .unit = -1 };
	t = query(st, &q);
	CHECK(test_json_int(t, "size") == 1000);
	free(t);
	q.size = 0;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	q.size = 10;
	q.page = 0;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	q.page = 1;
	q.from_ms = 10;
	q.to_ms = 5;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	q.from_ms = q.to_ms = 0;
	q.sort = (enum store_sort)7;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	q.sort = SORT_TIME;
	q.min_level = LEVEL_WARNING;
	CHECK(query_rc(st, STORE_HISTORY, &q) == -EINVAL);
	q.min_level = LEVEL_NONE;
	q.groups = 1u << 20;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	q.groups = 0;
	q.unit = -2;
	CHECK(query_rc(st, STORE_DEVICE_EVENTS, &q) == -EINVAL);
	CHECK(query_rc(st, (enum store_log)9, &q) == -EINVAL);
	printf("ok - size capped at 1000, bad parameters refused\n");

	/* A history query: level sort means system before units. */
	{
		struct snapshot *s = test_snapshot(2, 230);

		CHECK(store_tick(st, s, T0 + 1000) == 0);
		free(s);
		q = (struct store_query){ .page = 1, .size = 10, .unit = -1, .sort = SORT_LEVEL,
					  .descending = true };
		{
			struct json j;

			json_init(&j);
			CHECK(store_query_json(st, STORE_HISTORY, &q, &j) == 0);
			CHECK(test_json_int(test_json(&j), "total") == 3);
			CHECK(test_json_int(test_json(&j), "unit") == 2);
			CHECK(strstr(test_json(&j), "\"input.voltage.l1\":232"));
			CHECK(strstr(test_json(&j), "\"emd.humidity\":null"));
			json_free(&j);
		}
	}
	printf("ok - history query by level\n");

	store_close(st);
	test_dir_remove(dir);
	return 0;
}

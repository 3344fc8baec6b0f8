/* Schema versions: a log whose version or table definition differs is
 * re-created alone, with the manual's event; the others keep their rows;
 * an unchanged file re-creates nothing. The active set survives too. */
#include "store-test.h"

struct recorder {
	char codes[8][48];
	size_t n;
};

static void record(const struct event *e, void *userdata)
{
	struct recorder *r = userdata;

	if (r->n < 8)
		snprintf(r->codes[r->n++], sizeof(r->codes[0]), "%s", e->def->code);
}

static void consume(const struct event *e, void *userdata)
{
	CHECK(store_add_event(userdata, e) == 0);
}

static void fill(struct store *st)
{
	struct snapshot *s = test_snapshot(0, 230);
	struct event e = { .def = event_find("jbusp.A01"), .active = true };
	struct event g = { .def = event_find("gw.cold_boot"), .active = true };
	struct active_event a[2] = { { "jbusp.A01", 0, 0 }, { "jbusp.A02", 1, 2 } };

	CHECK(e.def && g.def);
	CHECK(store_tick(st, s, T0) == 0);
	store_sample(st, s, T0 + 1000);
	CHECK(store_tick(st, s, T0 + 3600000) == 0);    /* closes the window */
	CHECK(store_add_event(st, &e) == 0);
	CHECK(store_add_event(st, &g) == 0);
	CHECK(store_save_active(st, a, 2) == 0);
	free(s);
}

static void raw_sql(const char *dir, const char *sql)
{
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/upsgate.db", dir);
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

static struct store *reopen(const char *dir, struct event_bus *bus, struct recorder *rec)
{
	struct store_config c = test_config(dir);

	memset(rec, 0, sizeof(*rec));
	return test_open(&c, bus);
}

int main(void)
{
	char *dir = test_dir();
	struct store_config c = test_config(dir);
	struct event_bus *bus;
	struct recorder rec = { 0 };
	struct active_event a[4];
	struct event_sub *sub;
	struct store *st;
	int64_t v = -1;
	size_t n;

	CHECK(evbus_new(&bus) == 0);
	CHECK(evbus_subscribe(bus, NULL, record, &rec, NULL) == 0);
	st = test_open(&c, bus);
	CHECK(rec.n == 0);              /* a new file is created, not re-created */
	CHECK(db_int64(st, "PRAGMA user_version", "test", &v) == 0 && v == STORE_FILE_VERSION);
	fill(st);
	store_close(st);

	st = reopen(dir, bus, &rec);
	CHECK(rec.n == 0);
	CHECK(test_count(st, "history") == 2 && test_count(st, "extended") == 1);
	store_close(st);
	printf("ok - an unchanged file keeps everything, no event\n");

	raw_sql(dir, "UPDATE log_schema SET version = 0 WHERE name = 'history'");
	st = reopen(dir, bus, &rec);
	CHECK(rec.n == 1 && strcmp(rec.codes[0], "gw.history_schema_recreated") == 0);
	CHECK(test_count(st, "history") == 0);
	CHECK(test_count(st, "extended") == 1 && test_count(st, "ev_ups") == 1);
	CHECK(test_count(st, "ev_gateway") == 2);       /* cold boot + re-created */
	CHECK(db_int64(st, "SELECT count(*) FROM ev_gateway WHERE code = "
		       "'gw.history_schema_recreated'", "test", &v) == 0 && v == 1);
	store_close(st);
	printf("ok - history version change: re-created, event logged, others kept\n");

	/* A table changed behind the store's back (a forgotten version
	 * bump) is caught by its definition. */
	raw_sql(dir, "ALTER TABLE ev_ups ADD COLUMN extra TEXT");
	st = reopen(dir, bus, &rec);
	CHECK(rec.n == 1 && strcmp(rec.codes[0], "gw.ups_log_schema_recreated") == 0);
	CHECK(test_count(st, "ev_ups") == 0 && test_count(st, "extended") == 1);
	CHECK(test_count(st, "ev_gateway") == 3);
	printf("ok - definition change: re-created, event logged\n");

	CHECK(store_load_active(st, a, 4, &n) == 0 && n == 2);
	CHECK(strcmp(a[1].code, "jbusp.A02") == 0 && a[1].unit == 1 && a[1].module == 2);
	CHECK(store_save_active(st, a, 1) == 0);
	CHECK(store_load_active(st, a, 4, &n) == 0 && n == 1);
	store_close(st);
	printf("ok - the active set survives and is replaced whole\n");

	/* The gateway log itself: its event lands in the new table. */
	raw_sql(dir, "UPDATE log_schema SET version = 99 WHERE name = 'gateway'");
	st = reopen(dir, bus, &rec);
	CHECK(rec.n == 1 && strcmp(rec.codes[0], "gw.gateway_log_schema_recreated") == 0);
	CHECK(test_count(st, "ev_gateway") == 1);
	printf("ok - gateway log re-created holds its own event\n");

	/* Clearing logs one event, also when the store is a bus consumer. */
	CHECK(evbus_subscribe(bus, NULL, consume, st, &sub) == 0);
	CHECK(store_clear(st, STORE_HISTORY, "admin via web") == 0);
	CHECK(db_int64(st, "SELECT count(*) FROM ev_gateway WHERE code = 'gw.history_log_cleared' "
		       "AND detail = 'by admin via web'", "test", &v) == 0 && v == 1);
	CHECK(rec.n == 2 && strcmp(rec.codes[1], "gw.history_log_cleared") == 0);
	CHECK(store_clear(st, STORE_GATEWAY_EVENTS, "admin") == 0);
	CHECK(test_count(st, "ev_gateway") == 1);
	evbus_unsubscribe(bus, sub);
	store_close(st);
	printf("ok - clearing a log records one event\n");

	evbus_free(bus);
	test_dir_remove(dir);
	return 0;
}

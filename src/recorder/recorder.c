#include "recorder/recorder.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"

#define ACTIVE_MAX 2048
#define COMPAT_ROWS 2048        /* the NET VISION card's log size */
#define DAY_S 86400

struct recorder {
	struct manager *m;
	struct store *store;
	struct event_sub *sub;
	struct active_event saved[ACTIVE_MAX];  /* as last written */
	size_t n_saved;
	struct active_event scratch[ACTIVE_MAX];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void recorder_store_config(const struct settings *s, struct store_config *c)
{
	bool compat = settings_bool(s, SET_HISTORY_COMPAT_2048);
	struct store_retention events = {
		(unsigned)settings_int(s, SET_EVENTS_RETENTION_DAYS),
		(unsigned)settings_int(s, SET_EVENTS_MAX_ROWS),
	};

	memset(c, 0, sizeof(*c));
	c->dir = settings_str(s, SET_STATE_DIR);
	c->history_interval_s = (unsigned)settings_int(s, SET_HISTORY_INTERVAL);
	c->extended_interval_s = (unsigned)settings_int(s, SET_HISTORY_EXTENDED_INTERVAL);
	c->keep[STORE_HISTORY] = (struct store_retention) {
		(unsigned)settings_int(s, SET_HISTORY_RETENTION_DAYS),
		(unsigned)settings_int(s, SET_HISTORY_MAX_ROWS),
	};
	c->keep[STORE_EXTENDED] = (struct store_retention) {
		(unsigned)settings_int(s, SET_HISTORY_EXTENDED_RETENTION_DAYS), 0,
	};
	c->keep[STORE_DEVICE_EVENTS] = events;
	c->keep[STORE_GATEWAY_EVENTS] = events;
	if (compat)
		for (int i = 0; i < _STORE_LOG_COUNT; i++)
			c->keep[i] = (struct store_retention) { 0, COMPAT_ROWS };
}

/* Written right after every change so that a crash at any moment
 * replays at most the events of the last snapshot. */
static void save_active(struct recorder *r)
{
	size_t n;

	if (!r->m->detector)
		return;
	n = evdetect_active(r->m->detector, r->scratch, ACTIVE_MAX);
	if (n == r->n_saved && memcmp(r->scratch, r->saved, n * sizeof(r->saved[0])) == 0)
		return;
	if (store_save_active(r->store, r->scratch, n) < 0)
		return;
	memcpy(r->saved, r->scratch, n * sizeof(r->saved[0]));
	r->n_saved = n;
}

static void on_event(const struct event *e, void *userdata)
{
	struct recorder *r = userdata;

	store_add_event(r->store, e);
}

static void on_snapshot(void *userdata, const struct snapshot *s)
{
	struct recorder *r = userdata;

	store_sample(r->store, s, now_ms());
	save_active(r);
}

static void on_tick(void *userdata, const struct snapshot *latest)
{
	struct recorder *r = userdata;

	store_tick(r->store, latest, now_ms());
	save_active(r);
}

static void on_reload(void *userdata, const struct settings *fresh)
{
	struct recorder *r = userdata;
	struct store_config c;

	recorder_store_config(fresh, &c);
	if (store_reconfigure(r->store, &c) < 0)
		log_error("the logs keep their previous intervals and retention");
}

int recorder_start(struct recorder **out, struct manager *m)
{
	struct recorder *r = calloc(1, sizeof(*r));
	struct store_config c;
	int ret;

	if (!r)
		return -ENOMEM;
	r->m = m;
	recorder_store_config(m->settings, &c);
	ret = store_open(&r->store, &c, m->bus);
	if (ret < 0) {
		log_error("cannot open the logs in %s: %s", c.dir, strerror(-ret));
		goto fail;
	}
	ret = store_load_active(r->store, r->saved, ACTIVE_MAX, &r->n_saved);
	if (ret < 0)
		r->n_saved = 0;
	ret = manager_start_events(m, r->saved, r->n_saved);
	if (ret < 0)
		goto fail;
	ret = evbus_subscribe(m->bus, &(struct event_filter) { .include_cleared = true }, on_event, r, &r->sub);
	if (ret < 0)
		goto fail;
	ret = manager_add_listener(m, &(struct manager_listener) {
		.snapshot = on_snapshot, .tick = on_tick, .reload = on_reload, .userdata = r });
	if (ret < 0)
		goto fail;
	*out = r;
	return 0;
fail:
	recorder_stop(r);
	return ret;
}

struct store *recorder_store(struct recorder *r)
{
	return r->store;
}

void recorder_stop(struct recorder *r)
{
	if (!r)
		return;
	if (r->store)
		save_active(r);
	evbus_unsubscribe(r->m->bus, r->sub);
	store_close(r->store);
	free(r);
}

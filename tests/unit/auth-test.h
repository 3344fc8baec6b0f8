/* Shared by the accounts tests: a manager with what src/auth uses (its
 * settings from config text, an event bus, a real sd-event loop and the
 * real job pool), clocks the tests move by hand, and an event recorder. */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth_priv.h"
#include "check.h"
#include "common/log.h"
#include "core/event.h"

struct fake_clock {
	int64_t real;
	uint64_t mono;
};

/* One test clock at a time: the auth clock has no userdata. */
static struct fake_clock test_clock = { 1700000000, 1000000 };

static int64_t test_realtime(void)
{
	return test_clock.real;
}

static uint64_t test_monotonic(void)
{
	return test_clock.mono;
}

static inline void advance(int64_t seconds)
{
	test_clock.real += seconds;
	test_clock.mono += (uint64_t)seconds * 1000000u;
}

struct recorded {
	char code[32];
	char detail[160];
};

struct harness {
	char dir[64];
	struct manager m;
	struct event_sub *sub;
	struct recorded events[64];
	size_t n_events;
};

static void record_event(const struct event *e, void *userdata)
{
	struct harness *h = userdata;

	if (h->n_events < sizeof(h->events) / sizeof(h->events[0])) {
		snprintf(h->events[h->n_events].code, sizeof(h->events[0].code), "%s", e->def->code);
		snprintf(h->events[h->n_events].detail, sizeof(h->events[0].detail), "%s", e->detail);
		h->n_events++;
	}
}

/* The last event with [code] whose detail contains [part], or NULL. */
static inline const struct recorded *find_event(const struct harness *h, const char *code,
						const char *part)
{
	for (size_t i = h->n_events; i-- > 0;)
		if (strcmp(h->events[i].code, code) == 0 &&
		    (!part || strstr(h->events[i].detail, part)))
			return &h->events[i];
	return NULL;
}

static inline size_t count_events(const struct harness *h, const char *code)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n_events; i++)
		n += strcmp(h->events[i].code, code) == 0;
	return n;
}

/* Settings from [extra] config text with state_dir in the test's own
 * temporary directory. */
static inline struct settings *harness_settings(struct harness *h, const char *extra)
{
	struct settings *s = NULL;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.conf", h->dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "state_dir = \"%s/state\";\n%s\n", h->dir, extra ? extra : "");
	fclose(f);
	if (settings_load(path, stderr, &s) < 0) {
		fprintf(stderr, "bad test settings: %s\n", extra ? extra : "(none)");
		exit(1);
	}
	return s;
}

static inline void harness_init(struct harness *h, const char *extra)
{
	static const struct event_filter all = { 0 };

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "/tmp/test-auth.XXXXXX");
	if (!mkdtemp(h->dir)) {
		perror("mkdtemp");
		exit(1);
	}
	h->m.settings = harness_settings(h, extra);
	if (sd_event_new(&h->m.event) < 0 || evbus_new(&h->m.bus) < 0 ||
	    jobs_new(&h->m.jobs, h->m.event, MANAGER_JOB_THREADS) < 0 ||
	    evbus_subscribe(h->m.bus, &all, record_event, h, &h->sub) < 0) {
		fprintf(stderr, "cannot set up the test manager\n");
		exit(1);
	}
}

/* A new configuration, as a reload does. */
static inline void harness_reload(struct harness *h, const char *extra)
{
	settings_free(h->m.settings);
	h->m.settings = harness_settings(h, extra);
	for (size_t i = 0; i < h->m.n_listeners; i++)
		if (h->m.listeners[i].reload)
			h->m.listeners[i].reload(h->m.listeners[i].userdata, h->m.settings);
}

static inline int harness_start(struct harness *h, struct auth **a)
{
	int r;

	h->m.n_listeners = 0;
	r = auth_start(a, &h->m);
	if (r == 0) {
		(*a)->clock.realtime = test_realtime;
		(*a)->clock.monotonic = test_monotonic;
	}
	return r;
}

/* Runs the loop until *flag is set (the job pool answers through it). */
static inline void run_until(struct harness *h, const bool *flag)
{
	for (int i = 0; i < 6000 && !*flag; i++)
		sd_event_run(h->m.event, 10000);
	if (!*flag) {
		fprintf(stderr, "timed out waiting for a callback\n");
		exit(1);
	}
}

static inline void harness_fini(struct harness *h)
{
	char cmd[128];

	manager_drain_jobs(&h->m);
	evbus_unsubscribe(h->m.bus, h->sub);
	evbus_free(h->m.bus);
	sd_event_unref(h->m.event);
	settings_free(h->m.settings);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", h->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", h->dir);
}

/* --- Synchronous wrappers over the callbacks ------------------------- */

struct login_wait {
	bool done;
	struct login_result res;
};

static void login_cb(void *userdata, const struct login_result *res)
{
	struct login_wait *w = userdata;

	w->res = *res;
	w->done = true;
}

static inline struct login_result login(struct harness *h, struct auth *a, const char *user,
					const char *password)
{
	struct login_wait w = { 0 };
	int r = auth_login(a, user, password, "192.0.2.7", login_cb, &w);

	if (r < 0) {
		fprintf(stderr, "auth_login: %s\n", strerror(-r));
		exit(1);
	}
	run_until(h, &w.done);
	return w.res;
}

struct done_wait {
	bool done;
	int result;
	char reason[160];
};

static void done_cb(void *userdata, int result, const char *reason)
{
	struct done_wait *w = userdata;

	w->result = result;
	snprintf(w->reason, sizeof(w->reason), "%s", reason ? reason : "");
	w->done = true;
}

static inline struct done_wait change_password(struct harness *h, struct auth *a, const char *user,
					       const char *old, const char *fresh)
{
	struct done_wait w = { 0 };

	if (auth_change_password(a, user, old, fresh, "web", user, done_cb, &w) < 0)
		exit(1);
	run_until(h, &w.done);
	return w;
}

static inline struct done_wait set_user(struct harness *h, struct auth *a, const char *user,
					enum role role, const char *password)
{
	struct done_wait w = { 0 };

	if (auth_set_user(a, user, role, password, "web", "admin", done_cb, &w) < 0)
		exit(1);
	run_until(h, &w.done);
	return w;
}

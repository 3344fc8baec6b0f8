/* A driver for the accounts module in a real sd-event loop with the real
 * job pool, for tests against a real RADIUS server:
 *
 *   auth-radius CONFIG COMMAND...
 *     login USER PASSWORD      -> "login USER STATUS role=R radius=0|1 must_change=0|1"
 *     adduser USER ROLE PASSWORD -> "adduser USER RESULT"
 *     passwd USER NEW          -> "passwd USER RESULT" (as upsgatectl: no old password)
 *
 * then one "event CODE DETAIL" line per event on the bus. CONFIG is an
 * upsgated configuration (state_dir, auth.radius...). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "common/log.h"

struct driver {
	struct manager m;
	bool done;
	int result;
	struct login_result res;
	FILE *events;
};

static void on_event(const struct event *e, void *userdata)
{
	struct driver *d = userdata;

	fprintf(d->events, "event %s %s\n", e->def->code, e->detail);
}

static void on_login(void *userdata, const struct login_result *res)
{
	struct driver *d = userdata;

	d->res = *res;
	d->done = true;
}

static void on_done(void *userdata, int result, const char *reason)
{
	struct driver *d = userdata;

	d->result = result;
	if (reason)
		fprintf(stderr, "reason: %s\n", reason);
	d->done = true;
}

static int wait_done(struct driver *d, int submitted)
{
	if (submitted < 0) {
		fprintf(stderr, "submit: %s\n", strerror(-submitted));
		return submitted;
	}
	while (!d->done)
		if (sd_event_run(d->m.event, UINT64_MAX) < 0)
			return -EIO;
	d->done = false;
	return 0;
}

static const char *status_name(enum login_status s)
{
	static const char *const names[] = { "ok", "bad", "locked", "expired", "unavailable" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static int run(struct driver *d, struct auth *a, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "login") == 0 && i + 2 < argc) {
			if (wait_done(d, auth_login(a, argv[i + 1], argv[i + 2], "127.0.0.1", on_login, d)) < 0)
				return 1;
			printf("login %s %s role=%s radius=%d must_change=%d\n", argv[i + 1],
			       status_name(d->res.status), role_name(d->res.role), d->res.radius,
			       d->res.must_change);
			i += 2;
		} else if (strcmp(argv[i], "adduser") == 0 && i + 3 < argc) {
			int role = role_from_name(argv[i + 2]);

			if (wait_done(d, auth_set_user(a, argv[i + 1], role < 0 ? ROLE_NONE : (enum role)role,
						       argv[i + 3], "test", "driver", on_done, d)) < 0)
				return 1;
			printf("adduser %s %d\n", argv[i + 1], d->result);
			i += 3;
		} else if (strcmp(argv[i], "passwd") == 0 && i + 2 < argc) {
			if (wait_done(d, auth_change_password(a, argv[i + 1], NULL, argv[i + 2], "test",
							      "driver", on_done, d)) < 0)
				return 1;
			printf("passwd %s %d\n", argv[i + 1], d->result);
			i += 2;
		} else {
			fprintf(stderr, "bad command at %s\n", argv[i]);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct event_filter all = { 0 };
	struct driver d = { 0 };
	struct event_sub *sub = NULL;
	struct auth *a = NULL;
	char *events = NULL;
	size_t events_len = 0;
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: auth-radius CONFIG COMMAND...\n");
		return 2;
	}
	log_setup("auth-radius", LOG_DEBUG);
	d.events = open_memstream(&events, &events_len);
	if (!d.events || settings_load(argv[1], stderr, &d.m.settings) < 0 ||
	    sd_event_new(&d.m.event) < 0 || evbus_new(&d.m.bus) < 0 ||
	    jobs_new(&d.m.jobs, d.m.event, MANAGER_JOB_THREADS) < 0 ||
	    evbus_subscribe(d.m.bus, &all, on_event, &d, &sub) < 0 || auth_start(&a, &d.m) < 0)
		return 1;
	r = run(&d, a, argc - 2, argv + 2);
	manager_drain_jobs(&d.m);
	auth_stop(a);
	evbus_unsubscribe(d.m.bus, sub);
	evbus_free(d.m.bus);
	sd_event_unref(d.m.event);
	settings_free(d.m.settings);
	fclose(d.events);
	fputs(events ? events : "", stdout);
	free(events);
	return r;
}

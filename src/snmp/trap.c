/* The trap sender: events from the bus go through the rules
 * (trap_rules.c) and each receiver's filter to the receivers' sessions
 * (trap_net.c), with varbind values from the agent's view. Host names
 * are resolved in the job pool, never on the loop; the result is kept
 * until the next reload resolves again. */
#include "snmp/agent_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jobs.h"
#include "common/log.h"
#include "snmp/trap.h"
#include "snmp/trap_net.h"

struct trap_sender {
	struct manager *m;
	struct snmp_agent *agent;
	struct event_sub *sub;
	sd_event_source *repeat;        /* the on-battery minute */
	struct trap_state st;
	struct trap_target targets[TRAP_MAX_RECEIVERS];
	size_t n_targets;
	unsigned generation;            /* reloads: late DNS answers are dropped */
	bool alarm_filter;              /* snmp.alarm_trap_filter */
	/* DNS jobs hold [t]: after trap_stop, the last one to finish frees it. */
	unsigned jobs_pending;
	bool stopped;
};

struct resolve_job {
	struct trap_sender *t;
	unsigned generation;
	size_t slot;
	char host[256];
	unsigned port;
	char peer[TRAP_PEER_MAX];
	int err;                        /* getaddrinfo's */
};

static uint64_t now_usec(const struct trap_sender *t)
{
	uint64_t now = 0;

	sd_event_now(t->m->event, CLOCK_MONOTONIC, &now);
	return now;
}

/* ---- the view --------------------------------------------------------------- */

static const struct mib_value *view_get(void *ctx, const mib_oid *name, size_t len)
{
	return ctx ? mib_view_get(ctx, name, len, NULL) : NULL;
}

static const struct mib_value *view_next(void *ctx, const mib_oid *name, size_t len,
					 const struct mib_name *root, struct mib_name *next)
{
	return ctx ? mib_view_next(ctx, name, len, root, next) : NULL;
}

/* ---- sending ------------------------------------------------------------------ */

static uint32_t note_alarm_id(struct trap_sender *t, const struct trap_note *n,
			      const struct mib_view *view)
{
	bool added = n->def->number == NVTRAP_ALARM_ADDED;

	if (n->def->mib == TRAP_MIB_STS || !n->alarm)
		return 0;
	return trap_alarm_id(&t->st, n->def->mib, n->alarm, added,
			     added ? trap_view_alarm_id(n->def->mib, n->alarm, view_next,
							(void *)view) : 0);
}

static void send_to(struct trap_target *tg, const struct trap_note *n,
		    const struct trap_varbind *vb, size_t n_vb, uint64_t uptime)
{
	if (trap_net_send(tg, n->def, vb, n_vb, uptime) == 0)
		log_info("snmp: %s %u (%s) sent to receiver %u (%s)",
			 n->def->mib == TRAP_MIB_STS ? "STS trap" :
			 n->def->mib == TRAP_MIB_RFC1628 ? "RFC1628 trap" : "trap",
			 n->def->number, n->def->name, tg->cfg.index, tg->peer);
}

/* [only]: a receiver number for the test trap (filters do not apply),
 * 0 for the notifications of events. Returns how many were sent. */
static size_t deliver(struct trap_sender *t, const struct trap_note *notes, size_t n,
		      unsigned only)
{
	const struct mib_view *view = agent_view(t->agent);
	uint64_t uptime = agent_uptime_cs(t->agent);
	struct trap_varbind vb[TRAP_MAX_VARBINDS];
	size_t sent = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t id = note_alarm_id(t, &notes[i], view);
		size_t n_vb = trap_varbinds(&notes[i], id, view_get, (void *)view, vb,
					    TRAP_MAX_VARBINDS);

		for (size_t k = 0; k < t->n_targets; k++) {
			struct trap_target *tg = &t->targets[k];

			if (!tg->ss || tg->cfg.type == TRAP_TYPE_NONE)
				continue;
			if (only ? tg->cfg.index != only :
			    !trap_filter_pass(&tg->cfg, &notes[i], t->alarm_filter))
				continue;
			send_to(tg, &notes[i], vb, n_vb, uptime);
			sent++;
		}
	}
	agent_io_refresh(t->agent);     /* informs arm net-snmp's retry timer */
	return sent;
}

static void repeat_arm(struct trap_sender *t)
{
	uint64_t now = now_usec(t), wait = trap_repeat_wait(&t->st, now);

	if (wait == UINT64_MAX) {
		sd_event_source_set_enabled(t->repeat, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(t->repeat, now + wait);
	sd_event_source_set_enabled(t->repeat, SD_EVENT_ONESHOT);
}

static int on_repeat(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct trap_sender *t = userdata;
	struct trap_note notes[TRAP_MAX_NOTES];
	size_t n = trap_repeat_due(&t->st, now_usec(t), notes, TRAP_MAX_NOTES);

	deliver(t, notes, n, 0);
	repeat_arm(t);
	return 0;
}

/* A raised alarm's row id, even when no AlarmEntryAdded says it (on
 * battery): the AlarmEntryRemoved that follows carries the same. */
static void remember_alarm(struct trap_sender *t, const struct event *e)
{
	const uint8_t index[_TRAP_MIB_COUNT] = {
		[TRAP_MIB_NV] = e->def->wellknown, [TRAP_MIB_RFC1628] = e->def->rfc1628,
	};
	const struct mib_view *view;

	if (!e->active || e->unit || e->module || (!index[TRAP_MIB_NV] && !index[TRAP_MIB_RFC1628]))
		return;
	view = agent_view(t->agent);
	for (int mib = 0; mib < _TRAP_MIB_COUNT; mib++)
		if (index[mib])
			trap_alarm_id(&t->st, mib, index[mib], true,
				      trap_view_alarm_id(mib, index[mib], view_next, (void *)view));
}

static void on_event(const struct event *e, void *userdata)
{
	struct trap_sender *t = userdata;
	const struct snapshot *latest = manager_latest(t->m);
	struct trap_note notes[TRAP_MAX_NOTES];
	size_t n;

	if (!e->def)
		return;
	remember_alarm(t, e);
	n = trap_rules(&t->st, e, latest && latest->id.map == MAP_STS, now_usec(t), notes,
		       TRAP_MAX_NOTES);

	if (n)
		deliver(t, notes, n, 0);
	repeat_arm(t);
}

/* The loop stops watching the socket before it is closed (agent_io_forget). */
static void target_close(struct trap_sender *t, struct trap_target *tg)
{
	agent_io_forget(t->agent, trap_net_fd(tg));
	trap_net_close(tg);
}

/* ---- receivers ------------------------------------------------------------------ */

static void target_open(struct trap_sender *t, struct trap_target *tg)
{
	static const char *const types[] = { "none", "RFC1628", "NET VISION" };
	static const char *const versions[] = { "v1", "v2c", "v3" };

	if (trap_net_open(tg, t->m->settings) < 0)
		return;
	log_info("snmp: trap receiver %u: %s, %s %s%s", tg->cfg.index, tg->peer,
		 types[tg->cfg.type], versions[tg->cfg.version], tg->cfg.inform ? " informs" : "");
}

static bool peer_text(char *out, size_t len, int family, const void *addr, unsigned port)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, text, sizeof(text)))
		return false;
	if (family == AF_INET6)
		snprintf(out, len, "udp6:[%s]:%u", text, port);
	else
		snprintf(out, len, "udp:%s:%u", text, port);
	return true;
}

static bool peer_numeric(char *out, size_t len, const char *host, unsigned port)
{
	struct in6_addr a;

	if (inet_pton(AF_INET, host, &a) == 1)
		return peer_text(out, len, AF_INET, &a, port);
	if (inet_pton(AF_INET6, host, &a) == 1)
		return peer_text(out, len, AF_INET6, &a, port);
	return false;
}

static void resolve_work(void *arg)
{
	struct resolve_job *j = arg;
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL;

	j->err = getaddrinfo(j->host, NULL, &hints, &res);
	if (j->err)
		return;
	for (struct addrinfo *ai = res; ai && !j->peer[0]; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			peer_text(j->peer, sizeof(j->peer), AF_INET,
				  &((struct sockaddr_in *)ai->ai_addr)->sin_addr, j->port);
		else if (ai->ai_family == AF_INET6)
			peer_text(j->peer, sizeof(j->peer), AF_INET6,
				  &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, j->port);
	}
	freeaddrinfo(res);
}

static void resolve_done(void *arg)
{
	struct resolve_job *j = arg;
	struct trap_sender *t = j->t;

	t->jobs_pending--;
	if (t->stopped) {
		if (t->jobs_pending == 0)
			free(t);
		free(j);
		return;
	}
	if (j->generation == t->generation && j->slot < t->n_targets) {
		struct trap_target *tg = &t->targets[j->slot];

		if (j->peer[0]) {
			snprintf(tg->peer, sizeof(tg->peer), "%s", j->peer);
			target_open(t, tg);
			agent_io_refresh(t->agent);
		} else {
			log_warning("snmp.receivers[%u]: cannot resolve %s: %s; no traps to it until "
				    "the next reload", tg->cfg.index, j->host,
				    j->err ? gai_strerror(j->err) : "no IPv4 or IPv6 address");
		}
	}
	free(j);
}

static void resolve(struct trap_sender *t, size_t slot)
{
	struct trap_target *tg = &t->targets[slot];
	struct resolve_job *j = calloc(1, sizeof(*j));

	if (!j || !t->m->jobs) {
		free(j);
		log_error("snmp.receivers[%u]: cannot resolve %s now", tg->cfg.index, tg->cfg.address);
		return;
	}
	j->t = t;
	j->generation = t->generation;
	j->slot = slot;
	j->port = tg->cfg.port;
	snprintf(j->host, sizeof(j->host), "%s", tg->cfg.address);
	if (jobs_submit(t->m->jobs, resolve_work, resolve_done, j) < 0) {
		log_error("snmp.receivers[%u]: cannot resolve %s: job queue full", tg->cfg.index,
			  tg->cfg.address);
		free(j);
		return;
	}
	t->jobs_pending++;
}

static void targets_load(struct trap_sender *t, const struct settings *s)
{
	struct trap_receiver cfg[TRAP_MAX_RECEIVERS];
	size_t n = trap_receivers_load(s, cfg, TRAP_MAX_RECEIVERS);

	for (size_t i = 0; i < t->n_targets; i++)
		target_close(t, &t->targets[i]);
	memset(t->targets, 0, sizeof(t->targets));
	t->generation++;
	t->n_targets = n;
	t->alarm_filter = settings_bool(s, SET_SNMP_ALARM_TRAP_FILTER);
	for (size_t i = 0; i < n; i++) {
		struct trap_target *tg = &t->targets[i];

		tg->cfg = cfg[i];
		if (tg->cfg.type == TRAP_TYPE_NONE)
			continue;
		if (peer_numeric(tg->peer, sizeof(tg->peer), tg->cfg.address, tg->cfg.port))
			target_open(t, tg);
		else
			resolve(t, i);
	}
	agent_io_refresh(t->agent);
}

static void on_reload(void *userdata, const struct settings *fresh)
{
	targets_load(userdata, fresh);
}

/* ---- the test trap ------------------------------------------------------------------ */

static int test_target(struct trap_sender *t, unsigned index, char *reply, size_t len)
{
	for (size_t k = 0; k < t->n_targets; k++) {
		const struct trap_target *tg = &t->targets[k];

		if (tg->cfg.index != index)
			continue;
		if (tg->cfg.type == TRAP_TYPE_NONE) {
			snprintf(reply, len, "receiver %u has trap type none", index);
			return -EINVAL;
		}
		if (!tg->ss) {
			snprintf(reply, len, "receiver %u (%s) is not usable: see the log", index,
				 tg->cfg.address);
			return -EAGAIN;
		}
		return 0;
	}
	snprintf(reply, len, "no receiver %u", index);
	return -ENOENT;
}

/* NET VISION trap 40 "TRAP TEST", whatever the receiver's filter (it is
 * asked for); the STS and RFC1628 MIBs define no test trap. */
static int on_test_trap(void *userdata, const char *arg, char *reply, size_t len)
{
	struct trap_sender *t = userdata;
	struct trap_note note = { .def = trap_def_find(TRAP_MIB_NV, NVTRAP_TEST) };
	unsigned index = 0;
	size_t sent = 0;

	if (arg && *arg) {
		char *end;
		unsigned long v = strtoul(arg, &end, 10);

		if (*end || v < 1 || v > TRAP_MAX_RECEIVERS || arg[0] < '0' || arg[0] > '9') {
			snprintf(reply, len, "receiver must be a number from 1 to %d", TRAP_MAX_RECEIVERS);
			return -EINVAL;
		}
		index = (unsigned)v;
		int r = test_target(t, index, reply, len);
		if (r < 0)
			return r;
		sent = deliver(t, &note, 1, index);
	} else {
		for (size_t k = 0; k < t->n_targets; k++)
			if (t->targets[k].ss && t->targets[k].cfg.type != TRAP_TYPE_NONE)
				sent += deliver(t, &note, 1, t->targets[k].cfg.index);
	}
	if (!sent) {
		snprintf(reply, len, "no receiver to send a test trap to");
		return -ENOENT;
	}
	snprintf(reply, len, "test trap sent to %zu receiver(s)", sent);
	return 0;
}

/* ---- start / stop ----------------------------------------------------------------------- */

int trap_start(struct trap_sender **out, struct manager *m, struct snmp_agent *agent)
{
	struct event_filter all = { .include_cleared = true };
	struct manager_listener l = { .reload = on_reload };
	struct trap_sender *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->m = m;
	t->agent = agent;
	trap_state_init(&t->st);
	r = sd_event_add_time(m->event, &t->repeat, CLOCK_MONOTONIC, 0, 0, on_repeat, t);
	if (r == 0)
		r = sd_event_source_set_enabled(t->repeat, SD_EVENT_OFF);
	if (r == 0) {
		targets_load(t, m->settings);
		r = evbus_subscribe(m->bus, &all, on_event, t, &t->sub);
	}
	if (r == 0)
		r = manager_add_action(m, "snmp.test_trap", on_test_trap, t);
	if (r == 0) {                   /* last: a listener cannot be removed */
		l.userdata = t;
		r = manager_add_listener(m, &l);
	}
	if (r < 0) {
		/* Only the listener can fail after the action is added: the
		 * daemon then stops (main.c) without running the loop, so the
		 * action is never called with [t] gone. */
		log_error("snmp: traps not started: %s", strerror(-r));
		trap_stop(t);
		return r;
	}
	log_info("snmp: %zu trap receiver(s)", t->n_targets);
	*out = t;
	return 0;
}

void trap_stop(struct trap_sender *t)
{
	if (!t)
		return;
	evbus_unsubscribe(t->m->bus, t->sub);
	sd_event_source_disable_unref(t->repeat);
	for (size_t i = 0; i < t->n_targets; i++)
		target_close(t, &t->targets[i]);
	t->n_targets = 0;
	t->stopped = true;
	if (t->jobs_pending == 0)
		free(t);
}

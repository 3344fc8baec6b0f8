/* The SNMP agent: net-snmp's agent library embedded in the main loop.
 *
 * net-snmp is set up as a master agent that reads no configuration file
 * (a private, empty configuration directory) and keeps its persistent
 * state (engine ID, engineBoots) in <state_dir>/snmp. None of its own MIB
 * modules are loaded: the MIB view (mib.h) answers under mib_roots[], and
 * agent_engine.c serves the few SNMP-framework objects managers expect.
 * The listening sessions are opened here, not by init_master_agent(), so
 * that every packet goes through agent_pre_parse (firewall, rate limit)
 * before net-snmp parses it. Everything runs on the main thread. */
#include "snmp/agent_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/log.h"

uint64_t agent_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* net-snmp's messages into our log, one level down: they are about the
 * library, not about the UPS. While it starts they are debug only: it
 * reports every MIB text module it cannot find, and we load none. */
static int on_netsnmp_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *msg = serverarg;
	const struct snmp_agent *a = clientarg;
	char line[512];
	size_t n;

	if (!msg || !msg->msg)
		return 0;
	snprintf(line, sizeof(line), "%s", msg->msg);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n > 0)
		log_msg(msg->priority <= LOG_ERR && a->netsnmp_up ? LOG_WARNING : LOG_DEBUG,
			"net-snmp: %s", line);
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		int r = -errno;

		log_error("snmp: cannot create %s: %m", path);
		return r;
	}
	return 0;
}

/* Before init_agent(): where net-snmp keeps state and what it must not read. */
static int netsnmp_configure(struct snmp_agent *a)
{
	char conf_dir[sizeof(a->persist_dir) + 8];
	int r;

	snprintf(a->persist_dir, sizeof(a->persist_dir), "%s/snmp",
		 settings_str(a->m->settings, SET_STATE_DIR));
	snprintf(conf_dir, sizeof(conf_dir), "%s/conf", a->persist_dir);
	r = make_dir(a->persist_dir);
	if (r == 0)
		r = make_dir(conf_dir);
	if (r < 0)
		return r;

	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_netsnmp_log, a);
	snmp_enable_calllog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0 /* master */);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_NO_ROOT_ACCESS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_MASTER, 0);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_PORTS, "none");
	/* The configuration directory is ours and empty: no snmpd.conf,
	 * snmp.conf or ~/.snmp file of the host changes the agent. */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, conf_dir);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, a->persist_dir);
	/* No MIB text: numeric OIDs only. */
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, conf_dir);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_NO_TOKEN_WARNINGS, 1);
	return 0;
}

/* One agent session per transport, with our hooks around net-snmp's.
 * A transport that cannot be opened is logged at [level] (with bind's
 * reason when net-snmp leaves it in errno). */
static int open_session(struct snmp_agent *a, const char *spec, int level)
{
	netsnmp_transport *t;
	netsnmp_session s, *sp;

	if (a->n_sessions >= AGENT_MAX_SESSIONS)
		return -ENOSPC;
	errno = 0;
	t = netsnmp_transport_open_server(AGENT_APP, spec);
	if (!t) {
		int r = errno > 0 ? -errno : -EADDRNOTAVAIL;

		log_msg(level, "snmp: cannot listen on %s: %s", spec, strerror(-r));
		return r;
	}
	snmp_sess_init(&s);
	s.version = SNMP_DEFAULT_VERSION;
	s.callback = handle_snmp_packet;
	s.authenticator = NULL;
	s.flags = netsnmp_ds_get_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_FLAGS);
	s.isAuthoritative = SNMP_SESS_AUTHORITATIVE;
	s.myvoid = a;
	/* snmp_add() frees the transport when it fails. */
	sp = snmp_add(&s, t, agent_pre_parse, netsnmp_agent_check_parse);
	if (!sp) {
		log_error("snmp: cannot set up a session on %s", spec);
		return -ENOMEM;
	}
	a->sessions[a->n_sessions++] = sp;
	return 0;
}

/* IPv4 is required: with its port taken (another agent) the agent does
 * not start, rather than answer on IPv6 alone while another program
 * answers on IPv4. IPv6 is served when the host has it. */
static int open_sessions(struct snmp_agent *a)
{
	long long port = settings_int(a->m->settings, SET_SNMP_PORT);
	char v4[32], v6[32];
	int r;

	snprintf(v4, sizeof(v4), "udp:0.0.0.0:%lld", port);
	snprintf(v6, sizeof(v6), "udp6:[::]:%lld", port);
	r = open_session(a, v4, LOG_ERR);
	if (r < 0)
		return r;
	r = open_session(a, v6, LOG_WARNING);
	if (r < 0)
		log_notice("snmp: serving IPv4 only");
	return 0;
}

/* ---- what the builders read besides the snapshot ----------------------- */

static bool alarm_is(const struct event *e, const struct active_event *ae)
{
	return e->unit == ae->unit && e->module == ae->module && strcmp(e->def->code, ae->code) == 0;
}

/* Field by field: the rows the builders make from them (memcmp would
 * read the structs' padding). */
static bool alarms_same(const struct event *x, size_t nx, const struct event *y, size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (x[i].def != y[i].def || x[i].unit != y[i].unit || x[i].module != y[i].module ||
		    x[i].seq != y[i].seq || x[i].time.tv_sec != y[i].time.tv_sec ||
		    x[i].time.tv_nsec != y[i].time.tv_nsec)
			return false;
	return true;
}

/* Follows the detector's active set: alarms keep their id and time while
 * they stay; new ones take [raised] as their time. */
static void alarms_sync(struct snmp_agent *a, const struct event *raised)
{
	struct active_event now[AGENT_MAX_ALARMS];
	struct event kept[AGENT_MAX_ALARMS];
	size_t n = a->m->detector ? evdetect_active(a->m->detector, now, AGENT_MAX_ALARMS) : 0;
	size_t k = 0;

	for (size_t i = 0; i < a->n_alarms; i++)
		for (size_t j = 0; j < n; j++)
			if (alarm_is(&a->alarms[i], &now[j])) {
				kept[k++] = a->alarms[i];
				break;
			}
	for (size_t j = 0; j < n && k < AGENT_MAX_ALARMS; j++) {
		bool known = false;
		struct event *e;

		for (size_t i = 0; i < k && !known; i++)
			known = alarm_is(&kept[i], &now[j]);
		if (known || !event_find(now[j].code))
			continue;
		e = &kept[k++];
		memset(e, 0, sizeof(*e));
		e->def = event_find(now[j].code);
		e->active = true;
		e->unit = now[j].unit;
		e->module = now[j].module;
		e->seq = ++a->next_alarm_id;
		if (raised && alarm_is(raised, &now[j]))
			e->time = raised->time;
		else if (raised)
			clock_gettime(CLOCK_REALTIME, &e->time);
		else
			e->time = a->started;   /* active before the agent started */
	}
	if (!alarms_same(kept, k, a->alarms, a->n_alarms))
		a->view_stale = true;
	memcpy(a->alarms, kept, k * sizeof(kept[0]));
	a->n_alarms = k;
}

static void on_event(const struct event *e, void *userdata)
{
	struct snmp_agent *a = userdata;

	if (e->def && e->def->level != LEVEL_NONE)
		alarms_sync(a, e);
}

/* upsSecondsOnBattery and upsInputLineBads follow the system level. */
static void on_snapshot(void *userdata, const struct snapshot *s)
{
	struct snmp_agent *a = userdata;
	bool on_battery = s->comm == COMM_OK && s->n_levels > 0 &&
			  model_flag(&s->levels[0], FLAG_ON_BATTERY);

	if (on_battery && !a->was_on_battery) {
		a->on_battery_since = s->taken.tv_sec;
		a->input_line_bads++;
	} else if (!on_battery && s->comm == COMM_OK) {
		a->on_battery_since = 0;
	}
	if (s->comm == COMM_OK)
		a->was_on_battery = on_battery;
}

/* Communities, users and the view follow the settings at once; the v3
 * users are rebuilt outside net-snmp's own processing (a SET of
 * sysContact reloads the settings from inside a request). */
static int on_users_defer(sd_event_source *src, void *userdata)
{
	struct snmp_agent *a = userdata;

	agent_usm_load(a->m->settings);
	return 0;
}

static void on_reload(void *userdata, const struct settings *fresh)
{
	struct snmp_agent *a = userdata;

	agent_rules_load(&a->rules, fresh);
	a->view_stale = true;
	if (sd_event_source_set_enabled(a->users_defer, SD_EVENT_ONESHOT) < 0)
		agent_usm_load(fresh);
}

/* ---- start / stop -------------------------------------------------------- */

static int netsnmp_start(struct snmp_agent *a)
{
	int r;

	r = netsnmp_configure(a);
	if (r < 0)
		return r;
	if (init_agent(AGENT_APP) != 0) {
		log_error("snmp: net-snmp's agent did not initialise");
		return -EIO;
	}
	init_snmp(AGENT_APP);
	a->netsnmp_up = true;
	/* engineBoots was just incremented: on disk before any request. */
	snmp_store(AGENT_APP);
	r = open_sessions(a);
	if (r < 0)
		return r;
	r = agent_handlers_register(a);
	if (r == 0)
		r = agent_engine_register(a);
	if (r == 0)
		r = agent_access_start(a);
	if (r == 0)
		agent_usm_load(a->m->settings);  /* a refused user is logged, not fatal */
	return r;
}

int snmp_start(struct snmp_agent **out, struct manager *m, struct store *store,
	       struct firewall *fw)
{
	struct manager_listener l = { .snapshot = on_snapshot, .reload = on_reload };
	struct event_filter all = { .include_cleared = true };
	struct snmp_agent *a = calloc(1, sizeof(*a));
	int r;

	if (!a)
		return -ENOMEM;
	a->m = m;
	a->store = store;
	a->fw = fw;
	a->ctx.m = m;
	a->ctx.store = store;
	a->start_usec = agent_now_usec();
	clock_gettime(CLOCK_REALTIME, &a->started);
	agent_rules_load(&a->rules, m->settings);
	alarms_sync(a, NULL);

	r = netsnmp_start(a);
	if (r == 0)
		r = agent_io_start(a);
	if (r == 0)
		r = sd_event_add_defer(m->event, &a->users_defer, on_users_defer, a);
	if (r == 0)
		r = sd_event_source_set_enabled(a->users_defer, SD_EVENT_OFF);
	if (r == 0)
		r = evbus_subscribe(m->bus, &all, on_event, a, &a->sub);
	if (r == 0) {                   /* last: a listener cannot be removed */
		l.userdata = a;
		r = manager_add_listener(m, &l);
	}
	if (r < 0) {
		log_error("snmp: agent not started: %s", strerror(-r));
		snmp_stop(a);
		return r;
	}
	log_info("snmp: agent listening on UDP port %lld (engineBoots %lu)",
		 settings_int(m->settings, SET_SNMP_PORT), snmpv3_local_snmpEngineBoots());
	*out = a;
	return 0;
}

/* Undoes netsnmp_start() from whatever stage it reached, in the order
 * net-snmp needs: our callbacks out before snmp_shutdown() (its
 * clear_callback() would free their client data, [a], a second time),
 * handlers unregistered and sessions closed while the library still
 * exists, snmp_shutdown() then shutdown_agent() as snmpd does. The
 * trap sender's sessions are gone already (trap_stop comes first). */
static void netsnmp_stop(struct snmp_agent *a)
{
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_netsnmp_log, a, 1);
	if (!a->netsnmp_up)
		return;
	agent_access_stop(a);
	agent_handlers_unregister(a);
	for (size_t i = 0; i < a->n_sessions; i++)
		snmp_close(a->sessions[i]);
	a->n_sessions = 0;
	agent_usm_clear();
	snmp_store(AGENT_APP);
	snmp_shutdown(AGENT_APP);
	shutdown_agent();
	a->netsnmp_up = false;
}

void snmp_stop(struct snmp_agent *a)
{
	if (!a)
		return;
	evbus_unsubscribe(a->m->bus, a->sub);
	a->sub = NULL;
	a->users_defer = sd_event_source_disable_unref(a->users_defer);
	agent_io_stop(a);
	netsnmp_stop(a);
	mib_view_free(a->view);
	free(a);
}

#include "core/manager.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "common/log.h"
#include "core/devconf.h"

static int log_priority_from_setting(const char *v)
{
	static const struct { const char *name; int prio; } levels[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
		{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(levels[i].name, v) == 0)
			return levels[i].prio;
	return LOG_INFO;
}

static void notify_status(struct manager *m)
{
	const struct snapshot *s = m->latest;
	char line[sizeof(m->status_line)];

	if (!s)
		snprintf(line, sizeof(line), "%s: detecting", m->device_override ? m->device_override
			 : settings_str(m->settings, SET_SERIAL_DEVICE));
	else if (s->comm == COMM_OK)
		snprintf(line, sizeof(line), "%s: %s %s, comm ok, %s", s->device, map_name(s->id.map),
			 s->id.range, ups_status_text(s->levels[0].d.ups_status));
	else
		snprintf(line, sizeof(line), "%s: %s, comm %s", s->device,
			 s->id.map ? map_name(s->id.map) : "no map", comm_state_name(s->comm));
	if (strcmp(line, m->status_line) == 0)
		return;
	snprintf(m->status_line, sizeof(m->status_line), "%s", line);
	sd_notifyf(false, "STATUS=%s", line);
}

/* One line per change a person running the box cares about; the poller
 * logs detection, comm and device events itself. */
static void log_state_changes(const struct snapshot *prev, const struct snapshot *cur)
{
	const struct derived *a = prev ? &prev->levels[0].d : NULL;
	const struct derived *b = &cur->levels[0].d;

	if (cur->comm != COMM_OK || cur->n_levels == 0)
		return;
	if (a && prev->comm == COMM_OK && prev->n_levels &&
	    a->ups_status == b->ups_status && a->output_source == b->output_source &&
	    a->battery_status == b->battery_status && a->worst_alarm == b->worst_alarm &&
	    a->n_alarms == b->n_alarms)
		return;
	log_info("UPS status: %s; output: %s; battery: %s; alarms: %u (worst %s)",
		 ups_status_text(b->ups_status), output_source_text(b->output_source),
		 battery_status_text(b->battery_status), b->n_alarms, level_name(b->worst_alarm));
}

static double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int on_snapshot(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct manager *m = userdata;
	struct snapshot *s = snapchan_take(poller_channel(m->poller));

	if (!s)
		return 0;
	log_state_changes(m->latest, s);
	snapshot_unref(m->latest);
	m->latest = s;
	notify_status(m);
	if (m->detector)
		evdetect_feed(m->detector, s, monotonic_s());
	for (size_t i = 0; i < m->n_listeners; i++)
		if (m->listeners[i].snapshot)
			m->listeners[i].snapshot(m->listeners[i].userdata, s);
	return 0;
}

static int on_tick(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct manager *m = userdata;

	if (m->detector)
		evdetect_tick(m->detector, monotonic_s());
	for (size_t i = 0; i < m->n_listeners; i++)
		if (m->listeners[i].tick)
			m->listeners[i].tick(m->listeners[i].userdata, m->latest);
	sd_event_source_set_time_relative(src, MANAGER_TICK_USEC);
	return 0;
}

/* Every event goes to the journal with its code, level and place as
 * fields, so `journalctl UPSGATE_LEVEL=critical` finds them. */
static void journal_event(const struct event *e, void *userdata)
{
	static const int priorities[] = {
		[LEVEL_NONE] = LOG_INFO, [LEVEL_INFO] = LOG_INFO,
		[LEVEL_WARNING] = LOG_WARNING, [LEVEL_CRITICAL] = LOG_CRIT,
	};
	char code[48], level[32], unit[32], where[40] = "";
	const char *const fields[] = { code, level, unit, NULL };

	snprintf(code, sizeof(code), "UPSGATE_EVENT=%s", e->def->code);
	snprintf(level, sizeof(level), "UPSGATE_LEVEL=%s", level_name(e->def->level));
	snprintf(unit, sizeof(unit), "UPSGATE_UNIT=%u.%u", e->unit, e->module);
	if (e->module)
		snprintf(where, sizeof(where), " (unit %u, module %u)", e->unit, e->module);
	else if (e->unit)
		snprintf(where, sizeof(where), " (unit %u)", e->unit);
	log_struct(e->active ? priorities[e->def->level] : LOG_INFO, fields, "event: %s%s%s%s%s",
		   e->def->text, e->active ? "" : " has been removed", where,
		   e->detail[0] ? ": " : "", e->detail);
}

/* "X has been changed via Y by Z" (§18.5), plus the manual's own events
 * for the two log intervals. */
static void config_change_event(struct manager *m, const struct settings *fresh, int id,
				const char *via, const char *who)
{
	if (id == SET_HISTORY_INTERVAL)
		evbus_emit(m->bus, "gw.history_interval_changed", 0, 0, "%lld s",
			   settings_int(fresh, id));
	else if (id == SET_HISTORY_EXTENDED_INTERVAL)
		evbus_emit(m->bus, "gw.extended_interval_changed", 0, 0, "%lld s",
			   settings_int(fresh, id));
	evbus_emit(m->bus, "gw.config_changed", 0, 0, "%s has been changed via %s by %s",
		   settings_schema[id].key, via, who);
}

/* The one way settings change at run time (SIGHUP, upsgatectl, the web):
 * takes [fresh], logs and reports each changed key, then tells the
 * poller, the detector and the listeners. Returns whether a changed key
 * takes effect only at the next start. */
static bool swap_settings(struct manager *m, struct settings *fresh, const char *via, const char *who)
{
	struct poll_config pc;
	bool restart = false;

	for (int id = 0; id < _SET_COUNT; id++) {
		if (settings_equal(m->settings, fresh, id))
			continue;
		if (settings_schema[id].flags & SF_RESTART) {
			log_notice("%s changed: takes effect at the next restart", settings_schema[id].key);
			restart = true;
		} else
			log_info("%s changed", settings_schema[id].key);
		config_change_event(m, fresh, id, via, who);
	}
	settings_free(m->settings);
	m->settings = fresh;
	log_set_max_priority(log_priority_from_setting(settings_str(fresh, SET_LOG_LEVEL)));
	devconf_from_settings(fresh, &pc);
	if (m->device_override)
		snprintf(pc.device, sizeof(pc.device), "%s", m->device_override);
	if (m->poller && poller_reconfigure(m->poller, &pc) < 0)
		log_error("poller did not take the new serial settings");
	if (m->detector)
		evdetect_set_debounce(m->detector, settings_double(fresh, SET_EVENTS_DEBOUNCE));
	for (size_t i = 0; i < m->n_listeners; i++)
		if (m->listeners[i].reload)
			m->listeners[i].reload(m->listeners[i].userdata, fresh);
	return restart;
}

static void reload_settings(struct manager *m)
{
	struct settings *fresh = NULL;
	char *errors = NULL;
	size_t errors_len = 0;
	FILE *ef;
	int r;

	if (!m->config_path) {
		log_notice("SIGHUP: no configuration file to re-read");
		return;
	}
	ef = open_memstream(&errors, &errors_len);
	r = settings_load(m->config_path, ef, &fresh);
	if (ef)
		fclose(ef);
	if (r < 0) {
		char *save = NULL;

		for (char *line = errors ? strtok_r(errors, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save))
			log_error("%s", line);
		log_error("configuration %s not reloaded: keeping the running one", m->config_path);
		free(errors);
		return;
	}
	free(errors);
	swap_settings(m, fresh, "configuration file", "SIGHUP");
	log_info("configuration %s reloaded", m->config_path);
}

int manager_apply_settings(struct manager *m, struct settings *fresh, const char *via,
			   const char *who, bool *restart)
{
	bool need_restart;
	int r;

	if (restart)
		*restart = false;
	if (!m->config_path) {
		log_error("settings changed via %s by %s not applied: the daemon runs without a "
			  "configuration file to save them to (start it with -c FILE)", via, who);
		settings_free(fresh);
		return -EROFS;
	}
	/* Saved first: a change that cannot be kept is not made. */
	r = settings_save(fresh, m->config_path);
	if (r < 0) {
		log_error("cannot save the configuration to %s: %s; settings not changed",
			  m->config_path, strerror(-r));
		settings_free(fresh);
		return r;
	}
	need_restart = swap_settings(m, fresh, via, who);
	log_info("configuration saved to %s (changed via %s by %s)", m->config_path, via, who);
	if (restart)
		*restart = need_restart;
	return 0;
}

void manager_request_restart(struct manager *m)
{
	log_notice("restart requested: stopping, then starting again");
	m->restart_requested = true;
	/* The PID stays (exec): systemd sees a reload, then READY=1 again. */
	sd_notify(false, "RELOADING=1");
	sd_event_exit(m->event, 0);
}

static int on_sighup(sd_event_source *src, const struct signalfd_siginfo *si, void *userdata)
{
	struct manager *m = userdata;

	sd_notify(false, "RELOADING=1");
	reload_settings(m);
	sd_notify(false, "READY=1");
	return 0;
}

static int on_sigterm(sd_event_source *src, const struct signalfd_siginfo *si, void *userdata)
{
	struct manager *m = userdata;

	log_info("%s received, stopping", strsignal((int)si->ssi_signo));
	sd_notify(false, "STOPPING=1");
	return sd_event_exit(m->event, 0);
}

int manager_block_signals(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGPIPE);
	return pthread_sigmask(SIG_BLOCK, &mask, NULL) == 0 ? 0 : -errno;
}

int manager_new(struct manager **out, struct settings *settings, const char *config_path)
{
	struct manager *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->settings = settings;
	if (config_path && !(m->config_path = strdup(config_path))) {
		r = -ENOMEM;
		goto fail;
	}
	r = sd_event_default(&m->event);
	if (r < 0)
		goto fail;
	if ((r = sd_event_add_signal(m->event, NULL, SIGTERM, on_sigterm, m)) < 0 ||
	    (r = sd_event_add_signal(m->event, NULL, SIGINT, on_sigterm, m)) < 0 ||
	    (r = sd_event_add_signal(m->event, NULL, SIGHUP, on_sighup, m)) < 0)
		goto fail;
	r = evbus_new(&m->bus);
	if (r < 0)
		goto fail;
	r = jobs_new(&m->jobs, m->event, MANAGER_JOB_THREADS);
	if (r < 0)
		goto fail;
	r = evbus_subscribe(m->bus, &(struct event_filter) { .include_cleared = true },
			    journal_event, m, &m->journal_sub);
	if (r < 0)
		goto fail;
	r = sd_event_add_time_relative(m->event, &m->tick_source, CLOCK_MONOTONIC, MANAGER_TICK_USEC, 0, on_tick, m);
	if (r < 0)
		goto fail;
	r = sd_event_source_set_enabled(m->tick_source, SD_EVENT_ON);
	if (r < 0)
		goto fail;
	/* Pings WATCHDOG=1 at half of WATCHDOG_USEC when systemd asks for it. */
	r = sd_event_set_watchdog(m->event, true);
	if (r < 0)
		goto fail;
	log_set_max_priority(log_priority_from_setting(settings_str(settings, SET_LOG_LEVEL)));
	*out = m;
	return 0;
fail:
	m->settings = NULL;     /* still the caller's on failure */
	manager_free(m);
	return r;
}

int manager_start_events(struct manager *m, const struct active_event *active, size_t n_active)
{
	struct detector_config dc = { .debounce_s = settings_double(m->settings, SET_EVENTS_DEBOUNCE) };
	int r = evdetect_new(&m->detector, m->bus, &dc, active, n_active);

	if (r < 0)
		log_error("cannot create the event detector: %s", strerror(-r));
	return r;
}

int manager_add_listener(struct manager *m, const struct manager_listener *l)
{
	if (m->n_listeners >= MANAGER_MAX_LISTENERS)
		return -ENOSPC;
	m->listeners[m->n_listeners++] = *l;
	return 0;
}

int manager_add_action(struct manager *m, const char *name, manager_action_fn fn, void *userdata)
{
	if (m->n_actions >= MANAGER_MAX_ACTIONS)
		return -ENOSPC;
	m->actions[m->n_actions++] = (struct manager_action){ name, fn, userdata };
	return 0;
}

int manager_action(struct manager *m, const char *name, const char *arg, char *reply, size_t len)
{
	for (size_t i = 0; i < m->n_actions; i++)
		if (strcmp(m->actions[i].name, name) == 0)
			return m->actions[i].fn(m->actions[i].userdata, arg, reply, len);
	snprintf(reply, len, "%s is not available", name);
	return -ENOENT;
}

int manager_start_poller(struct manager *m, const char *device)
{
	struct poll_config pc;
	int r;

	devconf_from_settings(m->settings, &pc);
	if (device) {
		m->device_override = strdup(device);
		if (!m->device_override)
			return -ENOMEM;
		snprintf(pc.device, sizeof(pc.device), "%s", device);
	}
	r = poller_start(&m->poller, &pc);
	if (r < 0) {
		log_error("cannot start the poller: %s", strerror(-r));
		return r;
	}
	r = sd_event_add_io(m->event, &m->snap_source, snapchan_fd(poller_channel(m->poller)),
			    EPOLLIN, on_snapshot, m);
	if (r < 0)
		log_error("cannot watch the poller: %s", strerror(-r));
	return r;
}

int manager_run(struct manager *m)
{
	evbus_emit(m->bus, "gw.agent_restart", 0, 0, "upsgated %s", PACKAGE_VERSION);
	notify_status(m);
	sd_notify(false, "READY=1");
	return sd_event_loop(m->event);
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	manager_drain_jobs(m);
	sd_event_source_unref(m->snap_source);
	sd_event_source_unref(m->tick_source);
	poller_stop(m->poller);
	evdetect_free(m->detector);
	evbus_unsubscribe(m->bus, m->journal_sub);
	evbus_free(m->bus);
	snapshot_unref(m->latest);
	sd_event_unref(m->event);
	settings_free(m->settings);
	free(m->config_path);
	free(m->device_override);
	free(m);
}

void manager_drain_jobs(struct manager *m)
{
	jobs_free(m->jobs);
	m->jobs = NULL;
}

const struct snapshot *manager_latest(const struct manager *m)
{
	return m->latest;
}

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
	return 0;
}

static void reload_settings(struct manager *m)
{
	struct settings *fresh = NULL;
	struct poll_config pc;
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
		for (char *line = strtok(errors ? errors : "", "\n"); line; line = strtok(NULL, "\n"))
			log_error("%s", line);
		log_error("configuration %s not reloaded: keeping the running one", m->config_path);
		free(errors);
		return;
	}
	free(errors);
	for (int id = 0; id < _SET_COUNT; id++) {
		if (settings_equal(m->settings, fresh, id))
			continue;
		if (settings_schema[id].flags & SF_RESTART)
			log_notice("%s changed: takes effect at the next restart", settings_schema[id].key);
		else
			log_info("%s changed", settings_schema[id].key);
	}
	settings_free(m->settings);
	m->settings = fresh;
	log_set_max_priority(log_priority_from_setting(settings_str(fresh, SET_LOG_LEVEL)));
	devconf_from_settings(fresh, &pc);
	if (m->device_override)
		snprintf(pc.device, sizeof(pc.device), "%s", m->device_override);
	if (m->poller && poller_reconfigure(m->poller, &pc) < 0)
		log_error("poller did not take the new serial settings");
	log_info("configuration %s reloaded", m->config_path);
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
	notify_status(m);
	sd_notify(false, "READY=1");
	return sd_event_loop(m->event);
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	sd_event_source_unref(m->snap_source);
	poller_stop(m->poller);
	snapshot_unref(m->latest);
	sd_event_unref(m->event);
	settings_free(m->settings);
	free(m->config_path);
	free(m->device_override);
	free(m);
}

const struct snapshot *manager_latest(const struct manager *m)
{
	return m->latest;
}

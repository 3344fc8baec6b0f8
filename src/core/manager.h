/* The manager owns the main loop (sd-event) and all daemon state: the
 * settings, the poller, the latest snapshot. Services read the latest
 * snapshot through it and never block the loop. */
#pragma once

#include <systemd/sd-event.h>

#include "common/jobs.h"
#include "core/event.h"
#include "core/settings.h"
#include "device/poll.h"
#include "device/snapshot.h"

/* A service that follows the loop: every new snapshot, a tick (4 Hz), and
 * each accepted reload. Any callback may be NULL. */
struct manager_listener {
	void (*snapshot)(void *userdata, const struct snapshot *s);
	void (*tick)(void *userdata, const struct snapshot *latest);
	void (*reload)(void *userdata, const struct settings *fresh);
	void *userdata;
};

#define MANAGER_MAX_LISTENERS 8

/* A named action a service offers to the others, so that no service
 * includes another ("snmp.test_trap" for the web's and upsgatectl's
 * "send test trap"). [arg] may be NULL; [reply] gets a short text for
 * people. Returns 0 or -errno. */
typedef int (*manager_action_fn)(void *userdata, const char *arg, char *reply, size_t len);
#define MANAGER_MAX_ACTIONS 16
struct manager_action {
	const char *name;
	manager_action_fn fn;
	void *userdata;
};
/* Fast enough that a 1 s history interval never misses a slot. */
#define MANAGER_TICK_USEC 250000
/* Password hashing and RADIUS are the slow jobs; two keep one login
 * from waiting behind another on this 2-core class of machine. */
#define MANAGER_JOB_THREADS 2

struct manager {
	sd_event *event;
	struct settings *settings;
	char *config_path;              /* NULL: defaults, nothing to reload */
	char *device_override;          /* --simulate: the simulator's pty link */
	struct poller *poller;
	sd_event_source *snap_source;
	struct snapshot *latest;        /* owned ref; NULL until the first */
	char status_line[256];          /* last STATUS= sent to systemd */
	struct event_bus *bus;
	struct jobs *jobs;              /* blocking work off the loop; NULL once drained */
	struct event_sub *journal_sub;  /* every event, to the journal */
	struct event_detector *detector;
	sd_event_source *tick_source;
	bool restart_requested;         /* main() re-executes after the loop */
	struct manager_listener listeners[MANAGER_MAX_LISTENERS];
	size_t n_listeners;
	struct manager_action actions[MANAGER_MAX_ACTIONS];
	size_t n_actions;
};

/* Blocks the signals the loop handles; call before any thread starts so
 * that no thread takes them with the default action. */
int manager_block_signals(void);
int manager_new(struct manager **out, struct settings *settings, const char *config_path);
/* Creates the event detector, given the active set of the last run. */
int manager_start_events(struct manager *m, const struct active_event *active, size_t n_active);
int manager_add_listener(struct manager *m, const struct manager_listener *l);
/* [name] must outlive the manager (a string literal). */
int manager_add_action(struct manager *m, const char *name, manager_action_fn fn, void *userdata);
/* -ENOENT when no service offers [name] (disabled or not built). */
int manager_action(struct manager *m, const char *name, const char *arg, char *reply, size_t len);
/* Starts the poller on the configured device, or on [device] if set. */
int manager_start_poller(struct manager *m, const char *device);
int manager_run(struct manager *m);             /* until SIGTERM/SIGINT */
void manager_free(struct manager *m);           /* accepts NULL */
/* Finishes every job (running their [done] callbacks) while the services
 * that submitted them still exist: the first step of shutting down. */
void manager_drain_jobs(struct manager *m);

const struct snapshot *manager_latest(const struct manager *m);

/* Makes [fresh] the running configuration: saves it to the config file
 * (atomically) first, then swaps it in, logs "KEY has been changed via
 * [via] by [who]" in the gateway log for every changed key and tells the
 * listeners, as SIGHUP does. Takes [fresh] in every case. On error
 * (-EROFS without a config file, a write error) nothing changes.
 * *restart (may be NULL) says whether a changed key needs a restart. */
int manager_apply_settings(struct manager *m, struct settings *fresh, const char *via,
			   const char *who, bool *restart);
/* Asks the loop to exit; main() then shuts down cleanly and executes the
 * daemon again with the same arguments (upsAgent restart, the web's
 * "Restart"), under systemd or not. */
void manager_request_restart(struct manager *m);

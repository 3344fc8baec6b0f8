/* The manager owns the main loop (sd-event) and all daemon state: the
 * settings, the poller, the latest snapshot. Services read the latest
 * snapshot through it and never block the loop. */
#pragma once

#include <systemd/sd-event.h>

#include "core/settings.h"
#include "device/poll.h"
#include "device/snapshot.h"

struct manager {
	sd_event *event;
	struct settings *settings;
	char *config_path;              /* NULL: defaults, nothing to reload */
	char *device_override;          /* --simulate: the simulator's pty link */
	struct poller *poller;
	sd_event_source *snap_source;
	struct snapshot *latest;        /* owned ref; NULL until the first */
	char status_line[256];          /* last STATUS= sent to systemd */
};

/* Blocks the signals the loop handles; call before any thread starts so
 * that no thread takes them with the default action. */
int manager_block_signals(void);
int manager_new(struct manager **out, struct settings *settings, const char *config_path);
/* Starts the poller on the configured device, or on [device] if set. */
int manager_start_poller(struct manager *m, const char *device);
int manager_run(struct manager *m);             /* until SIGTERM/SIGINT */
void manager_free(struct manager *m);           /* accepts NULL */

const struct snapshot *manager_latest(const struct manager *m);

/* The poller thread: owns the serial port, detects the map and topology,
 * polls with the fewest transactions, publishes snapshots. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "device/decode.h"
#include "device/model.h"
#include "device/snapshot.h"

struct poll_config {
	char device[256];
	unsigned baud;              /* 0 = auto-detect */
	int slave;                  /* 1..247 */
	double interval;            /* s, measurements cadence */
	double fast_interval;       /* s, status+alarms cadence; 0 = same as interval */
	unsigned extra_timeout_ms;  /* 0 = default by speed (20/50/100 ms) */
	unsigned max_failures;      /* consecutive failed cycles before "comm lost" */
	enum ups_map map;           /* MAP_NONE = auto-detect */
	struct addressing addr;
	bool per_level;             /* poll units/modules, not only the system */
	double reopen_max_s;        /* back-off ceiling when the device is gone */
	unsigned trace_frames;      /* trace ring size; 0 = off */
};

void poll_config_defaults(struct poll_config *c);

struct poller;

/* Starts the thread. Snapshots arrive on snapchan_fd(poller_channel()). */
int poller_start(struct poller **out, const struct poll_config *cfg);
struct snap_channel *poller_channel(struct poller *p);
/* Applies a new config at the next cycle boundary (SIGHUP). */
int poller_reconfigure(struct poller *p, const struct poll_config *cfg);
/* Stops and joins within one transaction timeout; accepts NULL. */
void poller_stop(struct poller *p);

/* Serial trace ring: frames in/out with timestamps (debug page, CSV). */
void poller_trace_enable(struct poller *p, unsigned frames);  /* 0 = stop, frames kept */
unsigned poller_trace_frames(struct poller *p);              /* ring size; 0 = not recording */
int poller_trace_csv(struct poller *p, int fd);               /* 0 or -errno */

/* Detection: which speed, which map (JBUSP, VU-MAP, STS), which
 * topology. A configured speed or map skips that part of the search. */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>

#include "device/model.h"
#include "device/poll.h"
#include "device/serial.h"

#define DETECT_MAX_RAW 16

struct detect_result {
	const struct map_def *map;
	unsigned baud;
	struct identity id;
	struct topology_info topo;
	size_t n_raw;               /* identity/config blocks as read */
	struct raw_block raw[DETECT_MAX_RAW];
};

/* Speeds tried in order when none is configured. */
extern const unsigned detect_speeds[4];

/* Opens cfg->device at each candidate speed and probes each candidate
 * map's identity blocks until decode_identity() accepts one. On success
 * *link is open at the detected speed. 0, -ENODEV (device missing or
 * gone), -ENOMSG (nothing answered like a known map), -ECANCELED (stop
 * was set), or another -errno from opening the port. */
int detect_run(struct serial_link **link, const struct poll_config *cfg, struct link_stats *stats,
	       struct trace *trace, const atomic_bool *stop, struct detect_result *res);
/* Re-reads identity, config and topology of a known map on an open link
 * (after a reconnect or a suspected change). 0, -EINVAL (the device no
 * longer looks like that map), or the link error. */
int detect_identity(struct serial_link *l, const struct map_def *map, const struct poll_config *cfg,
		    const atomic_bool *stop, struct detect_result *res);
/* One line for the log: "VU-MAP at 9600 baud: MASTERYS GP4, serial X,
 * topology parallel (3 units, distributed bypass)". */
void detect_describe(const struct detect_result *res, char *buf, size_t len);

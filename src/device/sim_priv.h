/* Inside the simulator: struct sim, shared by sim.c (thread, line,
 * control socket), sim_serve.c (Modbus requests) and sim_ctl.c (ctl
 * commands). Not part of the public face (sim.h). */
#pragma once

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "device/maptab.h"
#include "device/rtu.h"
#include "device/sim.h"
#include "device/sim_image.h"
#include "device/sim_link.h"
#include "device/sim_physics.h"

#define SIM_CTL_CONNS 4
#define SIM_CTL_LINE 256
#define SIM_CTL_REPLY 8192

enum sim_inject { INJECT_CRC = 0, INJECT_TIMEOUT, INJECT_GARBAGE, _INJECT_COUNT };

struct sim_stats {
	uint64_t transactions;      /* well-formed requests for our slave id */
	uint64_t bytes_rx, bytes_tx;
	uint64_t injected[_INJECT_COUNT];
	uint64_t bad_frames;        /* bad CRC or length: dropped, no reply */
	uint64_t exceptions;
	uint64_t reads, writes;     /* answered without exception */
	uint64_t other_slave;       /* frames for another slave id */
	uint64_t baud_mismatch;     /* dropped: master's line speed differs */
	uint64_t unplugs;
};

struct sim_ctl_conn {
	int fd;                     /* -1: free */
	size_t len;
	struct timespec since;
	char buf[SIM_CTL_LINE];
};

struct sim {
	struct sim_options opt;     /* link and serial_device point at our copies */
	const struct map_def *map;
	char *link, *device, *ctl_path;

	/* Owned by the thread (and by sim_start/sim_stop around it). */
	pthread_t thread;
	bool started;
	int wake_fd;                /* eventfd: stop request or ctl wake-up */
	int ctl_fd;                 /* listening control socket, -1 if none */
	struct sim_ctl_conn conns[SIM_CTL_CONNS];
	struct sim_link line;
	uint8_t rx[RTU_MAX_FRAME];
	size_t rx_len;
	bool rx_overflow;
	struct timespec rx_last;
	struct timespec replug_at;
	bool plugged;

	/* The only lock: guards everything below, taken by the thread for each
	 * request and physics step and by sim_ctl() from any thread. */
	pthread_mutex_t lock;
	bool stopping;
	struct sim_physics phys;
	struct timespec last_step;
	struct sim_bits force_on[SIM_MAX_LEVELS], force_off[SIM_MAX_LEVELS];
	struct sim_stats stats;
	unsigned inject_pct[_INJECT_COUNT];
	uint64_t inject_rng;
	double line_quiet_at;       /* s, monotonic: the wire is silent again (emulation) */
	double unplug_request;      /* s; > 0: the thread unplugs for that long */
	long clock_offset;          /* s added to the host clock (VU-MAP clock writes) */
	char pty[64];
};

double sim_now(void);                                  /* CLOCK_MONOTONIC, s */
void sim_wake(struct sim *s);

/* Answers one whole frame; returns the reply length, 0 for no reply.
 * Called with the lock held. */
size_t sim_serve_frame(struct sim *s, const uint8_t *frame, size_t len,
		       uint8_t *reply, size_t cap);
/* Effective bits of a level: physics, then ctl overrides. Lock held. */
void sim_level_bits(const struct sim *s, size_t level, struct sim_bits *out);
/* sim_ctl() body, lock held. */
int sim_ctl_locked(struct sim *s, char *line, char *reply, size_t len);

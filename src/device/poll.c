/* The poller thread: owns the serial link, detects the device, reads it
 * at two cadences with the fewest transactions, publishes snapshots.
 * docs/polling.md describes the rules implemented here. */
#include "device/poll.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "device/detect.h"
#include "device/plan.h"
#include "device/serial.h"
#include "device/trace.h"

#define POLL_ATTEMPTS      3      /* tries per read before the cycle fails */
#define POLL_REOPEN_MIN_S  0.5    /* first reopen delay, doubled each time */
#define POLL_MAX_IMAGE     MODEL_MAX_RAW_BLOCKS

struct poller {
	pthread_t thread;
	atomic_bool stop;
	int wake_fd;                    /* eventfd: stop, reconfigure */
	struct snap_channel *chan;
	struct trace *trace;

	pthread_mutex_t cfg_lock;       /* guards pending, has_pending */
	struct poll_config pending;
	bool has_pending;

	/* Owned by the thread from here on. */
	struct poll_config cfg;
	struct serial_link *link;
	struct detect_result det;
	bool detected;                  /* det holds a device seen before */
	struct link_stats stats;
	struct snapshot *last;          /* our ref to the last published */
	uint64_t seq;
	enum comm_state comm;
	unsigned failures;              /* consecutive failed cycles */
	bool gone;                      /* device disappeared, reopening */
	unsigned reopen_attempts;
	double backoff_s, gone_since;
	bool identity_stale;
	size_t n_levels;
	struct level_data levels[MODEL_MAX_LEVELS];  /* kind, unit, module */
	bool polled[MODEL_MAX_LEVELS];
	uint32_t offset[MODEL_MAX_LEVELS];
	struct plan fast, full;
	size_t n_image;                 /* register image of the device */
	struct raw_block image[POLL_MAX_IMAGE];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The same defaults as the settings schema (serial.*) and
 * docs/addressing.md. */
void poll_config_defaults(struct poll_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->device, sizeof(c->device), "/dev/ttyUSB0");
	c->baud = 0;
	c->slave = 1;
	c->interval = 2.0;
	c->fast_interval = 0.5;
	c->extra_timeout_ms = 0;
	c->max_failures = 3;
	c->map = MAP_NONE;
	c->addr.unit_stride = 0x1000;
	c->addr.module_stride = 0x0100;
	c->per_level = true;
	c->reopen_max_s = 30.0;
	c->trace_frames = 0;
}

static int poll_config_check(const struct poll_config *c)
{
	if (!c->device[0] || memchr(c->device, 0, sizeof(c->device)) == NULL)
		return -EINVAL;
	if (c->slave < 1 || c->slave > 247 || c->max_failures < 1)
		return -EINVAL;
	if (!(c->interval >= 0.05 && c->interval <= 3600))
		return -EINVAL;
	if (c->fast_interval != 0 && !(c->fast_interval >= 0.05 && c->fast_interval <= c->interval))
		return -EINVAL;
	if (!(c->reopen_max_s >= POLL_REOPEN_MIN_S && c->reopen_max_s <= 3600))
		return -EINVAL;
	if (c->extra_timeout_ms > 10000 || c->map >= _MAP_COUNT)
		return -EINVAL;
	return 0;
}

/* Sleeps until the deadline or a wake-up (stop, reconfigure). */
static void poller_sleep_until(struct poller *p, double deadline)
{
	struct pollfd pfd = { .fd = p->wake_fd, .events = POLLIN };
	double left = deadline - now_s();

	if (left <= 0 || atomic_load(&p->stop))
		return;
	if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0) {
		uint64_t n;

		if (read(p->wake_fd, &n, sizeof(n)) < 0) {
			/* EAGAIN: another reader drained it; nothing lost */
		}
	}
}

/* ---- register image ---------------------------------------------------- */

static bool block_contains(const struct raw_block *outer, const struct raw_block *in)
{
	return outer->slave == in->slave && outer->address <= in->address &&
		outer->address + outer->count >= in->address + in->count;
}

/* Stores a read: overlapping words of older blocks are refreshed, blocks
 * the new one covers are dropped, so every address has one value. */
static void image_store(struct poller *p, const struct raw_block *b)
{
	bool covered = false;
	size_t out = 0;

	for (size_t i = 0; i < p->n_image; i++) {
		struct raw_block *o = &p->image[i];
		uint32_t lo = o->address > b->address ? o->address : b->address;
		uint32_t hi = o->address + o->count < (uint32_t)b->address + b->count ?
			o->address + o->count : (uint32_t)b->address + b->count;

		if (o->slave == b->slave)
			for (uint32_t a = lo; a < hi; a++)
				o->regs[a - o->address] = b->regs[a - b->address];
		if (block_contains(o, b))
			covered = true;
		if (!covered && block_contains(b, o))
			continue;
		p->image[out++] = *o;
	}
	p->n_image = out;
	if (!covered && p->n_image < POLL_MAX_IMAGE)
		p->image[p->n_image++] = *b;
}

static void image_reset(struct poller *p)
{
	p->n_image = 0;
	for (size_t i = 0; i < p->det.n_raw; i++)
		image_store(p, &p->det.raw[i]);
}

/* ---- levels and plans ---------------------------------------------------- */

static void level_clear(struct level_data *l)
{
	struct level_data keep = *l;

	memset(l, 0, sizeof(*l));
	l->kind = keep.kind;
	l->unit = keep.unit;
	l->module = keep.module;
	l->present = keep.present;
	for (size_t m = 0; m < _MEAS_COUNT; m++)
		l->meas[m] = NAN;
}

/* A level is polled at its own offset when per-level polling is on and
 * the stride for its kind is set; the system is always polled. */
static void poller_layout(struct poller *p)
{
	const struct addressing *a = &p->cfg.addr;

	memset(p->levels, 0, sizeof(p->levels));
	p->n_levels = topology_levels(&p->det.topo, p->levels, MODEL_MAX_LEVELS);
	if (p->n_levels == 0) {
		p->levels[0].kind = LEVEL_SYSTEM;
		p->levels[0].present = true;
		p->n_levels = 1;
	}
	for (size_t i = 0; i < p->n_levels; i++) {
		const struct level_data *l = &p->levels[i];
		uint16_t stride = l->module ? a->module_stride : a->unit_stride;

		p->offset[i] = i == 0 ? 0 : level_offset(a, l->unit, l->module);
		/* level_offset() is beyond 16 bits when a stride is missing. */
		p->polled[i] = i == 0 || (p->cfg.per_level && l->present && stride != 0 &&
					  p->offset[i] <= 0xFFFF);
	}
}

static int poller_plans(struct poller *p)
{
	uint32_t offsets[MODEL_MAX_LEVELS] = { 0 };
	size_t n = 0;
	int r;

	for (size_t i = 0; i < p->n_levels; i++)
		if (p->polled[i])
			offsets[n++] = p->offset[i];
	r = plan_build(&p->fast, p->det.map, PLAN_ROLES_FAST, offsets, n, p->det.baud,
		       p->cfg.extra_timeout_ms);
	if (r == 0)
		r = plan_build(&p->full, p->det.map, PLAN_ROLES_FULL, offsets, n, p->det.baud,
			       p->cfg.extra_timeout_ms);
	if (r < 0 && n > 1) {
		log_error("per-level read plan for %zu levels failed (%s); polling the system level only",
			  n, strerror(-r));
		for (size_t i = 1; i < p->n_levels; i++)
			p->polled[i] = false;
		return poller_plans(p);
	}
	return r;
}

static void poller_fill_levels(struct poller *p, struct snapshot *s, bool lost)
{
	s->n_levels = (uint8_t)p->n_levels;
	for (size_t i = 0; i < MODEL_MAX_LEVELS; i++) {
		struct level_data *l = &s->levels[i];
		struct regview v = { p->image, p->n_image, p->offset[i] };

		*l = i < p->n_levels ? p->levels[i] : (struct level_data){ 0 };
		level_clear(l);
		if (lost || i >= p->n_levels || !p->polled[i])
			continue;
		decode_level(p->det.map, &p->det.id, &v, l);
		derive_level(p->det.map, l);
	}
}

/* ---- publication ---------------------------------------------------------- */

static void poller_publish(struct poller *p, bool read_now)
{
	struct snapshot *s = p->last ? snapshot_dup(p->last) : snapshot_new();
	bool lost = p->comm != COMM_OK;

	if (!s) {
		log_error("cannot allocate a snapshot: %s", strerror(ENOMEM));
		return;
	}
	s->seq = ++p->seq;
	if (read_now)
		clock_gettime(CLOCK_REALTIME, &s->taken);
	s->comm = p->comm;
	snprintf(s->device, sizeof(s->device), "%.*s", (int)sizeof(s->device) - 1, p->cfg.device);
	s->baud = p->detected ? p->det.baud : 0;
	if (p->detected) {
		s->id = p->det.id;
		s->topo = p->det.topo;
		poller_fill_levels(p, s, lost);
	}
	s->n_raw = (uint8_t)p->n_image;
	memcpy(s->raw, p->image, p->n_image * sizeof(p->image[0]));
	s->stats = p->stats;
	snapshot_unref(p->last);
	p->last = snapshot_ref(s);
	snapchan_publish(p->chan, s);
}

/* ---- link and detection ---------------------------------------------------- */

static void poller_close(struct poller *p)
{
	serial_close(p->link);
	p->link = NULL;
}

static void poller_log_topology(const struct topology_info *old, const struct detect_result *d)
{
	char line[256];

	if (memcmp(old, &d->topo, sizeof(*old)) == 0)
		return;
	detect_describe(d, line, sizeof(line));
	log_notice("topology changed: %s", line);
}

/* Opens the device; re-detects (the last map and speed first, then the
 * full search if they were not configured). */
static int poller_connect(struct poller *p)
{
	struct poll_config quick = p->cfg;
	struct detect_result d;
	char line[256];
	int r = -ENOMSG;

	if (p->detected) {
		quick.baud = p->det.baud;
		quick.map = p->det.map->id;
		r = detect_run(&p->link, &quick, &p->stats, p->trace, &p->stop, &d);
	}
	if (r == -ENOMSG && (!p->detected || !p->cfg.baud || p->cfg.map == MAP_NONE))
		r = detect_run(&p->link, &p->cfg, &p->stats, p->trace, &p->stop, &d);
	if (r < 0)
		return r;
	if (!p->detected || d.map != p->det.map || d.baud != p->det.baud ||
	    strcmp(d.id.serial, p->det.id.serial) != 0) {
		detect_describe(&d, line, sizeof(line));
		log_info("detected %s", line);
	} else {
		poller_log_topology(&p->det.topo, &d);
	}
	p->det = d;
	p->detected = true;
	p->identity_stale = false;
	image_reset(p);
	poller_layout(p);
	return poller_plans(p);
}

/* After a suspected change: identity again on the open link. */
static int poller_reread_identity(struct poller *p)
{
	struct detect_result d;
	int r = detect_identity(p->link, p->det.map, &p->cfg, &p->stop, &d);

	if (r < 0)
		return r;
	poller_log_topology(&p->det.topo, &d);
	p->det = d;
	p->identity_stale = false;
	image_reset(p);
	poller_layout(p);
	return poller_plans(p);
}

/* ---- cycles ------------------------------------------------------------------ */

static int poller_read(struct poller *p, const struct plan_read *rd, struct raw_block *b)
{
	int r = -EIO;

	memset(b, 0, sizeof(*b));
	b->slave = (uint8_t)p->cfg.slave;
	b->address = rd->address;
	b->count = rd->count;
	/* A CRC error or a timeout is often a one-off on a noisy line; a
	 * retry is cheaper than a missed cycle. An exception or a vanished
	 * device will not change on retry. */
	for (int i = 0; i < POLL_ATTEMPTS; i++) {
		if (atomic_load(&p->stop))
			return -ECANCELED;
		r = serial_read(p->link, b->address, b->count, b->regs);
		if (r == 0 || r == -EREMOTEIO || serial_error_is_gone(r))
			break;
	}
	return r;
}

/* Reads a plan; the image is updated only if every read succeeded, so a
 * snapshot never mixes a failed cycle's leftovers. */
static int poller_cycle(struct poller *p, const struct plan *plan, bool full)
{
	struct raw_block *got;
	double t0 = now_s();
	uint64_t tx0 = p->stats.transactions;
	uint64_t bytes0 = p->stats.bytes_tx + p->stats.bytes_rx;
	int r = 0;

	got = calloc(plan->n, sizeof(*got));
	if (!got)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n && r == 0; i++)
		r = poller_read(p, &plan->reads[i], &got[i]);
	if (r == 0) {
		for (size_t i = 0; i < plan->n; i++)
			image_store(p, &got[i]);
		if (full) {
			p->stats.last_cycle_ms = (now_s() - t0) * 1000.0;
			p->stats.last_cycle_transactions = (uint32_t)(p->stats.transactions - tx0);
			p->stats.last_cycle_bytes =
				(uint32_t)(p->stats.bytes_tx + p->stats.bytes_rx - bytes0);
		}
	}
	free(got);
	return r;
}

/* The fast data suggests a change when the topology the status bits
 * give (JBUSP parallel units) differs from the one we poll by. */
static void poller_check_change(struct poller *p)
{
	struct level_data sys = p->levels[0];
	struct regview v = { p->image, p->n_image, 0 };
	struct topology_info t = p->det.topo;

	level_clear(&sys);
	decode_level(p->det.map, &p->det.id, &v, &sys);
	decode_topology_status(p->det.map, &sys, &t);
	if (memcmp(&t, &p->det.topo, sizeof(t)) != 0)
		p->identity_stale = true;
}

static void poller_cycle_ok(struct poller *p)
{
	if (p->comm == COMM_LOST)
		log_notice("communication with %s restored", p->cfg.device);
	p->comm = COMM_OK;
	p->failures = 0;
	poller_check_change(p);
	poller_publish(p, true);
}

/* One failed cycle (or reopen attempt). Comm is lost after max_failures
 * in a row; a vanished device is closed so the path is reopened. */
static void poller_cycle_failed(struct poller *p, int err, bool gone)
{
	if (gone && !p->gone) {
		log_warning("serial device %s gone (%s); reopening with back-off up to %.0f s",
			    p->cfg.device, strerror(-err), p->cfg.reopen_max_s);
		p->gone = true;
		p->gone_since = now_s();
		p->reopen_attempts = 0;
	}
	if (gone)
		poller_close(p);
	if (p->failures < UINT32_MAX)
		p->failures++;
	if (p->failures >= p->cfg.max_failures && p->comm != COMM_LOST) {
		log_warning("communication with %s lost after %u failed cycles (%s)",
			    p->cfg.device, p->failures, strerror(-err));
		p->comm = COMM_LOST;
		poller_publish(p, false);
	}
	/* A by-id symlink may now point at another tty: reopen the path. */
	if (p->comm == COMM_LOST)
		poller_close(p);
}

/* ---- configuration -------------------------------------------------------- */

static void poller_apply_pending(struct poller *p)
{
	struct poll_config c;
	bool link_changed, levels_changed;

	pthread_mutex_lock(&p->cfg_lock);
	if (!p->has_pending) {
		pthread_mutex_unlock(&p->cfg_lock);
		return;
	}
	c = p->pending;
	p->has_pending = false;
	pthread_mutex_unlock(&p->cfg_lock);

	link_changed = strcmp(c.device, p->cfg.device) != 0 || c.baud != p->cfg.baud ||
		c.slave != p->cfg.slave || c.map != p->cfg.map ||
		c.extra_timeout_ms != p->cfg.extra_timeout_ms;
	levels_changed = c.per_level != p->cfg.per_level ||
		c.addr.unit_stride != p->cfg.addr.unit_stride ||
		c.addr.module_stride != p->cfg.addr.module_stride;
	if (c.trace_frames != p->cfg.trace_frames && trace_set_size(p->trace, c.trace_frames) < 0)
		log_error("cannot allocate a serial trace of %u frames", c.trace_frames);
	p->cfg = c;
	if (link_changed) {
		poller_close(p);
		p->detected = false;
	} else if (p->detected && levels_changed) {
		/* Levels and strides decide which identity blocks are read
		 * (modules of a modular system): re-read before polling. Any
		 * other reload (every web or SNMP settings change) must not
		 * blank the measurements for a cycle. */
		p->identity_stale = true;
	}
}

/* ---- the thread ------------------------------------------------------------- */

static int poller_reconnect(struct poller *p)
{
	int r = poller_connect(p);

	if (r == 0) {
		if (p->gone) {
			p->stats.reopens++;
			log_notice("serial device %s reopened after %u attempts (%.1f s)",
				   p->cfg.device, p->reopen_attempts + 1, now_s() - p->gone_since);
		}
		p->gone = false;
		p->backoff_s = POLL_REOPEN_MIN_S;
		return 0;
	}
	if (r != -ECANCELED) {
		/* Any error other than "nothing answered" means the port
		 * itself is missing or unusable: reopen it with back-off. */
		poller_cycle_failed(p, r, r != -ENOMSG && r != -EINVAL && r != -ETIMEDOUT &&
				    r != -EBADMSG && r != -EPROTO && r != -EREMOTEIO);
		p->reopen_attempts++;
	}
	return r;
}

static void poller_run(struct poller *p)
{
	double next_full = 0, next_fast = 0, next_open = 0;

	while (!atomic_load(&p->stop)) {
		double now, fast_iv;
		int r;

		poller_apply_pending(p);
		fast_iv = p->cfg.fast_interval > 0 ? p->cfg.fast_interval : p->cfg.interval;
		if (!p->link) {
			if (now_s() < next_open) {
				/* Woken early: apply a new config first. */
				poller_sleep_until(p, next_open);
				continue;
			}
			if (poller_reconnect(p) < 0) {
				next_open = now_s() + p->backoff_s;
				p->backoff_s *= 2;
				if (p->backoff_s > p->cfg.reopen_max_s)
					p->backoff_s = p->cfg.reopen_max_s;
				continue;
			}
			next_full = next_fast = now_s();
		}
		now = now_s();
		if (now >= next_full) {
			r = p->identity_stale ? poller_reread_identity(p) : 0;
			if (r == 0)
				r = poller_cycle(p, &p->full, true);
			next_full = next_full + p->cfg.interval > now ? next_full + p->cfg.interval :
				now + p->cfg.interval;
			next_fast = now + fast_iv;
		} else if (now >= next_fast) {
			r = p->identity_stale ? poller_reread_identity(p) : 0;
			if (r == 0)
				r = poller_cycle(p, &p->fast, false);
			next_fast = next_fast + fast_iv > now ? next_fast + fast_iv : now + fast_iv;
		} else {
			poller_sleep_until(p, next_fast < next_full ? next_fast : next_full);
			continue;
		}
		if (r == 0)
			poller_cycle_ok(p);
		else if (r != -ECANCELED)
			poller_cycle_failed(p, r, serial_error_is_gone(r));
		if (!p->link)
			next_open = now_s();
	}
}

static void *poller_main(void *arg)
{
	struct poller *p = arg;

	poller_run(p);
	poller_close(p);
	return NULL;
}

/* ---- public face -------------------------------------------------------------- */

static void poller_free(struct poller *p)
{
	if (!p)
		return;
	snapshot_unref(p->last);
	snapchan_free(p->chan);
	trace_free(p->trace);
	if (p->wake_fd >= 0)
		close(p->wake_fd);
	pthread_mutex_destroy(&p->cfg_lock);
	free(p);
}

int poller_start(struct poller **out, const struct poll_config *cfg)
{
	struct poller *p;
	int r;

	if (poll_config_check(cfg) < 0)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->cfg_lock, NULL);
	p->cfg = *cfg;
	p->comm = COMM_STARTING;
	p->backoff_s = POLL_REOPEN_MIN_S;
	p->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->wake_fd < 0) {
		r = -errno;
		goto fail;
	}
	r = snapchan_new(&p->chan);
	if (r == 0)
		r = trace_new(&p->trace);
	if (r == 0 && cfg->trace_frames)
		r = trace_set_size(p->trace, cfg->trace_frames);
	if (r < 0)
		goto fail;
	r = -pthread_create(&p->thread, NULL, poller_main, p);
	if (r < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	poller_free(p);
	return r;
}

struct snap_channel *poller_channel(struct poller *p)
{
	return p->chan;
}

static void poller_wake(struct poller *p)
{
	uint64_t one = 1;

	if (write(p->wake_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: a wake-up is already pending */
	}
}

int poller_reconfigure(struct poller *p, const struct poll_config *cfg)
{
	if (poll_config_check(cfg) < 0)
		return -EINVAL;
	pthread_mutex_lock(&p->cfg_lock);
	p->pending = *cfg;
	p->has_pending = true;
	pthread_mutex_unlock(&p->cfg_lock);
	poller_wake(p);
	return 0;
}

void poller_stop(struct poller *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	poller_wake(p);
	pthread_join(p->thread, NULL);
	poller_free(p);
}

void poller_trace_enable(struct poller *p, unsigned frames)
{
	if (trace_set_size(p->trace, frames) < 0)
		log_error("cannot allocate a serial trace of %u frames", frames);
}

unsigned poller_trace_frames(struct poller *p)
{
	return trace_size(p->trace);
}

int poller_trace_csv(struct poller *p, int fd)
{
	return trace_csv(p->trace, fd);
}

/* Simulator core (see sim.h): one thread serves the line (pty or serial
 * port) and the control socket; the simulated state sits behind one
 * mutex in struct sim so sim_ctl() may be called from any thread. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "device/sim_priv.h"

#define TICK_S 1.0                  /* physics step */
#define MIN_GAP_S 0.020             /* end-of-frame silence on a pty */
#define CTL_TIMEOUT_S 5.0
#define REPLUG_RETRY_S 1.0

void sim_options_defaults(struct sim_options *o)
{
	memset(o, 0, sizeof(*o));
	o->map = MAP_JBUSP;
	o->topo = TOPO_SINGLE;
	o->baud = 9600;
	o->slave = 1;
	o->unit_stride = 0x1000;
	o->module_stride = 0x0100;
	o->seed = 1;
}

/* A whole decimal number in [lo, hi] at *p, advancing p. */
static int parse_uint(const char **p, unsigned lo, unsigned hi, unsigned *out)
{
	unsigned long v = 0;
	const char *q = *p;

	if (*q < '0' || *q > '9')
		return -EINVAL;
	while (*q >= '0' && *q <= '9') {
		v = v * 10 + (unsigned long)(*q++ - '0');
		if (v > hi)
			return -EINVAL;
	}
	if (v < lo)
		return -EINVAL;
	*out = (unsigned)v;
	*p = q;
	return 0;
}

int sim_parse_topology(struct sim_options *o, const char *spec)
{
	unsigned units = 0, modules = 0;
	enum topology topo;
	const char *p;

	if (strcmp(spec, "single") == 0) {
		topo = TOPO_SINGLE;
	} else if (strcmp(spec, "sts") == 0) {
		topo = TOPO_STS;
	} else if (strncmp(spec, "modular:", 8) == 0) {
		p = spec + 8;
		if (parse_uint(&p, 1, 99, &modules) < 0 || *p)
			return -EINVAL;
		topo = TOPO_MODULAR_UNIT;
	} else if (strncmp(spec, "parallel:", 9) == 0) {
		p = spec + 9;
		if (parse_uint(&p, 1, 99, &units) < 0 || *p)
			return -EINVAL;
		topo = TOPO_PARALLEL;
	} else if (strncmp(spec, "modular-parallel:", 17) == 0) {
		p = spec + 17;
		if (parse_uint(&p, 1, 99, &units) < 0 || *p++ != 'x' ||
		    parse_uint(&p, 1, 99, &modules) < 0 || *p)
			return -EINVAL;
		topo = TOPO_MODULAR_SYSTEM;
	} else {
		return -EINVAL;
	}
	o->topo = topo;
	o->units = units;
	o->modules = modules;
	return 0;
}

double sim_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double ts_s(const struct timespec *ts)
{
	return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

static void ts_set(struct timespec *ts, double s)
{
	ts->tv_sec = (time_t)s;
	ts->tv_nsec = (long)((s - (double)ts->tv_sec) * 1e9);
}

void sim_wake(struct sim *s)
{
	uint64_t one = 1;

	if (write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warning("sim: cannot wake the simulator thread: %m");
}

/* ---- control socket ---- */

static int ctl_listen(struct sim *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->ctl_path) >= (int)sizeof(sa.sun_path)) {
		log_error("sim: control socket path too long: %s", s->ctl_path);
		return -ENAMETOOLONG;
	}
	if (lstat(s->ctl_path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(s->ctl_path);      /* left over by a killed simulator */
	s->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->ctl_fd < 0)
		goto fail;
	if (bind(s->ctl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s->ctl_fd, 8) < 0)
		goto fail;
	return 0;
fail:;
	int r = -errno;
	log_error("sim: cannot listen on %s: %s", s->ctl_path, strerror(errno));
	if (s->ctl_fd >= 0)
		close(s->ctl_fd);
	s->ctl_fd = -1;
	return r;
}

static void ctl_close(struct sim_ctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

static void ctl_accept(struct sim *s)
{
	int fd = accept4(s->ctl_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (size_t i = 0; i < SIM_CTL_CONNS; i++) {
		if (s->conns[i].fd < 0) {
			s->conns[i].fd = fd;
			s->conns[i].len = 0;
			clock_gettime(CLOCK_MONOTONIC, &s->conns[i].since);
			return;
		}
	}
	static const char busy[] = "error: busy\n";
	(void)!write(fd, busy, sizeof(busy) - 1);
	close(fd);
}

static void ctl_answer(struct sim *s, struct sim_ctl_conn *c)
{
	char reply[SIM_CTL_REPLY];

	c->buf[c->len] = '\0';
	c->buf[strcspn(c->buf, "\r\n")] = '\0';
	(void)sim_ctl(s, c->buf, reply, sizeof(reply) - 1);
	size_t n = strlen(reply);
	reply[n++] = '\n';
	/* the peer waits for this one line: a short blocking write is fine */
	int flags = fcntl(c->fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(c->fd, F_SETFL, flags & ~O_NONBLOCK);
	struct timeval tv = { .tv_sec = 1 };
	(void)setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	(void)!write(c->fd, reply, n);
	ctl_close(c);
}

static void ctl_read(struct sim *s, struct sim_ctl_conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			ctl_close(c);
		return;
	}
	if (n == 0) {
		if (c->len)
			ctl_answer(s, c);
		else
			ctl_close(c);
		return;
	}
	c->len += (size_t)n;
	if (memchr(c->buf, '\n', c->len)) {
		ctl_answer(s, c);
	} else if (c->len >= sizeof(c->buf) - 1) {
		static const char too_long[] = "error: command line too long\n";
		(void)!write(c->fd, too_long, sizeof(too_long) - 1);
		ctl_close(c);
	}
}

/* ---- serial line ---- */

static double char_time(const struct sim *s)
{
	return 10.0 / s->opt.baud;      /* 8N1: start + 8 data + stop */
}

static void line_write(struct sim *s, const uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(s->line.fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = s->line.fd, .events = POLLOUT };
			if (poll(&pfd, 1, 100) <= 0)
				break;          /* nobody reads: drop like a real line */
			continue;
		}
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	pthread_mutex_lock(&s->lock);
	s->stats.bytes_tx += done;
	pthread_mutex_unlock(&s->lock);
}

static void sleep_s(double seconds)
{
	struct timespec d;

	if (seconds <= 0)
		return;
	ts_set(&d, seconds);
	while (nanosleep(&d, &d) < 0 && errno == EINTR)
		;
}

/* A real line: a request cannot start before the 3.5-character silence
 * that ends the previous reply; it then takes its own time on the wire,
 * the slave answers after another silence, and the reply takes its time.
 * On a pty all of that is instant, so the time is slept here. */
static void wire_wait(struct sim *s, size_t request_len, size_t reply_len)
{
	sleep_s(s->line_quiet_at - sim_now());
	sleep_s((double)(request_len + 3.5 + reply_len) * char_time(s));
}

static void serve(struct sim *s, const uint8_t *frame, size_t len)
{
	uint8_t reply[RTU_MAX_FRAME];
	size_t n;

	if (s->opt.emulate_wire && !s->line.device && sim_link_speed_matches(&s->line) == 0) {
		/* a real slave at another speed sees noise, not a frame */
		pthread_mutex_lock(&s->lock);
		s->stats.baud_mismatch++;
		pthread_mutex_unlock(&s->lock);
		return;
	}
	pthread_mutex_lock(&s->lock);
	n = sim_serve_frame(s, frame, len, reply, sizeof(reply));
	pthread_mutex_unlock(&s->lock);
	if (!n)
		return;
	if (s->opt.emulate_wire)
		wire_wait(s, len, n);
	line_write(s, reply, n);
	if (s->opt.emulate_wire)
		s->line_quiet_at = sim_now() + 3.5 * char_time(s);
}

static double frame_gap(const struct sim *s)
{
	double gap = 3.5 * char_time(s);
	return gap < MIN_GAP_S ? MIN_GAP_S : gap;
}

/* Serves every whole request at the start of rx. A frame whose length
 * cannot be told (unknown function) or whose CRC is bad waits for the
 * end-of-frame silence (rx_silence). */
static void rx_frames(struct sim *s)
{
	while (s->rx_len > 0 && !s->rx_overflow) {
		int need = rtu_request_size(s->rx, s->rx_len);
		if (need <= 0 || s->rx_len < (size_t)need || need > RTU_MAX_FRAME)
			return;
		if (!rtu_crc_ok(s->rx, (size_t)need))
			return;
		serve(s, s->rx, (size_t)need);
		memmove(s->rx, s->rx + need, s->rx_len - (size_t)need);
		s->rx_len -= (size_t)need;
	}
}

static void rx_silence(struct sim *s)
{
	if (!s->rx_overflow && rtu_crc_ok(s->rx, s->rx_len)) {
		serve(s, s->rx, s->rx_len);
	} else {
		pthread_mutex_lock(&s->lock);
		s->stats.bad_frames++;
		pthread_mutex_unlock(&s->lock);
	}
	s->rx_len = 0;
	s->rx_overflow = false;
}

static void rx_read(struct sim *s)
{
	uint8_t buf[512];
	ssize_t n;
	size_t total = 0;

	while ((n = read(s->line.fd, buf, sizeof(buf))) > 0) {
		total += (size_t)n;
		size_t room = sizeof(s->rx) - s->rx_len;
		if ((size_t)n > room) {
			s->rx_overflow = true;  /* longer than any frame: dropped at the silence */
			n = (ssize_t)room;
		}
		memcpy(s->rx + s->rx_len, buf, (size_t)n);
		s->rx_len += (size_t)n;
	}
	if (total) {
		clock_gettime(CLOCK_MONOTONIC, &s->rx_last);
		pthread_mutex_lock(&s->lock);
		s->stats.bytes_rx += total;
		pthread_mutex_unlock(&s->lock);
		rx_frames(s);
	}
}

static void set_pty(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	snprintf(s->pty, sizeof(s->pty), "%s", s->line.device ? s->line.device : s->line.pty);
	pthread_mutex_unlock(&s->lock);
}

static void unplug(struct sim *s, double seconds)
{
	log_info("sim: unplugged for %.1f s", seconds);
	sim_link_close(&s->line, true);
	s->plugged = false;
	s->rx_len = 0;
	s->rx_overflow = false;
	ts_set(&s->replug_at, sim_now() + seconds);
}

static void replug(struct sim *s)
{
	if (sim_link_open(&s->line, s->link, s->device, s->opt.baud) < 0) {
		ts_set(&s->replug_at, sim_now() + REPLUG_RETRY_S);
		return;
	}
	s->plugged = true;
	set_pty(s);
	pthread_mutex_lock(&s->lock);
	s->unplug_request = 0;
	s->stats.unplugs++;
	pthread_mutex_unlock(&s->lock);
	log_info("sim: plugged in again on %s", s->line.device ? s->line.device : s->line.pty);
}

/* ---- the thread ---- */

/* Physics step and pending unplug; returns false once stopping. */
static bool housekeeping(struct sim *s)
{
	double now = sim_now(), unplug_s = 0;
	bool stopping;

	pthread_mutex_lock(&s->lock);
	stopping = s->stopping;
	double dt = now - ts_s(&s->last_step);
	if (dt >= TICK_S) {
		sim_physics_step(&s->phys, dt);
		ts_set(&s->last_step, now);
	}
	if (s->plugged && s->unplug_request > 0)
		unplug_s = s->unplug_request;
	pthread_mutex_unlock(&s->lock);

	if (unplug_s > 0)
		unplug(s, unplug_s);
	if (!s->plugged && now >= ts_s(&s->replug_at))
		replug(s);
	for (size_t i = 0; i < SIM_CTL_CONNS; i++)
		if (s->conns[i].fd >= 0 && now - ts_s(&s->conns[i].since) > CTL_TIMEOUT_S)
			ctl_close(&s->conns[i]);
	return !stopping;
}

static int poll_timeout_ms(const struct sim *s)
{
	double now = sim_now();
	double wait = ts_s(&s->last_step) + TICK_S - now;

	if (s->rx_len > 0) {
		double w = ts_s(&s->rx_last) + frame_gap(s) - now;
		if (w < wait)
			wait = w;
	}
	if (!s->plugged) {
		double w = ts_s(&s->replug_at) - now;
		if (w < wait)
			wait = w;
	}
	return wait <= 0 ? 0 : (int)(wait * 1000) + 1;
}

static void *sim_thread(void *arg)
{
	struct sim *s = arg;
	struct pollfd pfd[3 + SIM_CTL_CONNS];

	while (housekeeping(s)) {
		size_t n = 0, line_i = SIZE_MAX, ctl_i = SIZE_MAX;
		pfd[n++] = (struct pollfd){ .fd = s->wake_fd, .events = POLLIN };
		if (s->plugged) {
			line_i = n;
			pfd[n++] = (struct pollfd){ .fd = s->line.fd, .events = POLLIN };
		}
		if (s->ctl_fd >= 0) {
			ctl_i = n;
			pfd[n++] = (struct pollfd){ .fd = s->ctl_fd, .events = POLLIN };
		}
		size_t conn_i = n;
		for (size_t i = 0; i < SIM_CTL_CONNS; i++)
			pfd[n++] = (struct pollfd){ .fd = s->conns[i].fd, .events = POLLIN };

		int r = poll(pfd, n, poll_timeout_ms(s));
		if (r < 0 && errno != EINTR) {
			log_error("sim: poll: %m");
			break;
		}
		if (r <= 0) {
			if (s->rx_len > 0 && sim_now() - ts_s(&s->rx_last) >= frame_gap(s))
				rx_silence(s);
			continue;
		}
		if (pfd[0].revents & POLLIN) {
			uint64_t v;
			(void)!read(s->wake_fd, &v, sizeof(v));
		}
		if (line_i != SIZE_MAX && pfd[line_i].revents)
			rx_read(s);
		if (ctl_i != SIZE_MAX && (pfd[ctl_i].revents & POLLIN))
			ctl_accept(s);
		for (size_t i = 0; i < SIM_CTL_CONNS; i++)
			if (s->conns[i].fd >= 0 && pfd[conn_i + i].fd == s->conns[i].fd &&
			    pfd[conn_i + i].revents)
				ctl_read(s, &s->conns[i]);
		if (s->rx_len > 0 && sim_now() - ts_s(&s->rx_last) >= frame_gap(s))
			rx_silence(s);
	}
	return NULL;
}

/* ---- public face ---- */

static void sim_free(struct sim *s)
{
	if (!s)
		return;
	sim_link_close(&s->line, s->link != NULL);
	for (size_t i = 0; i < SIM_CTL_CONNS; i++)
		ctl_close(&s->conns[i]);
	if (s->ctl_fd >= 0) {
		close(s->ctl_fd);
		(void)unlink(s->ctl_path);
	}
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	pthread_mutex_destroy(&s->lock);
	free(s->link);
	free(s->device);
	free(s->ctl_path);
	free(s);
}

static int sim_check_options(const struct sim_options *o, const struct map_def **map)
{
	char why[128];

	*map = map_get(o->map);
	if (!*map) {
		log_error("sim: unknown map");
		return -EINVAL;
	}
	if (sim_topology_check(o->map, o->topo, o->units, o->modules, why, sizeof(why)) < 0) {
		log_error("sim: %s", why);
		return -EINVAL;
	}
	if (!sim_link_speed(o->baud)) {
		log_error("sim: unsupported baud rate %u", o->baud);
		return -EINVAL;
	}
	if (o->slave < 1 || o->slave > 247) {
		log_error("sim: slave id %d out of 1..247", o->slave);
		return -EINVAL;
	}
	if (o->unit_stride > 0xF000 || o->module_stride > 0xF000) {
		log_error("sim: strides must be at most 0xF000");
		return -EINVAL;
	}
	if (!o->link && !o->serial_device) {
		log_error("sim: needs a link path or a serial device");
		return -EINVAL;
	}
	return sim_image_check(*map);
}

int sim_start(struct sim **out, const struct sim_options *o)
{
	const struct map_def *map;
	struct sim *s;
	int r;

	r = sim_check_options(o, &map);
	if (r < 0)
		return r;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->opt = *o;
	s->map = map;
	s->wake_fd = s->ctl_fd = -1;
	s->line.fd = s->line.hold = -1;
	for (size_t i = 0; i < SIM_CTL_CONNS; i++)
		s->conns[i].fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	if ((o->link && !(s->link = strdup(o->link))) ||
	    (o->serial_device && !(s->device = strdup(o->serial_device))) ||
	    (o->link && asprintf(&s->ctl_path, "%s.ctl", o->link) < 0)) {
		s->ctl_path = NULL;
		r = -ENOMEM;
		goto fail;
	}
	s->opt.link = s->link;
	s->opt.serial_device = s->device;
	r = sim_physics_init(&s->phys, o->map, o->topo, o->units, o->modules, o->seed, !o->no_noise);
	if (r < 0)
		goto fail;
	s->inject_rng = 0xD1B54A32D192ED03ULL ^ ((uint64_t)o->seed << 1 | 1);
	ts_set(&s->last_step, sim_now());

	s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wake_fd < 0) {
		r = -errno;
		goto fail;
	}
	if (s->ctl_path && (r = ctl_listen(s)) < 0)
		goto fail;
	r = sim_link_open(&s->line, s->link, s->device, o->baud);
	if (r < 0)
		goto fail;
	s->plugged = true;
	set_pty(s);
	r = -pthread_create(&s->thread, NULL, sim_thread, s);
	if (r < 0) {
		log_error("sim: cannot start the thread: %s", strerror(-r));
		goto fail;
	}
	s->started = true;
	log_info("sim: %s %s on %s", map->name, o->link ? o->link : "", s->pty);
	*out = s;
	return 0;
fail:
	sim_free(s);
	return r;
}

const char *sim_pty(const struct sim *s)
{
	return s->pty;
}

int sim_ctl(struct sim *s, const char *line, char *reply, size_t len)
{
	char copy[SIM_CTL_LINE];
	int r;

	if (!len)
		return -EINVAL;
	if (snprintf(copy, sizeof(copy), "%s", line) >= (int)sizeof(copy)) {
		snprintf(reply, len, "error: command line too long");
		return -EINVAL;
	}
	pthread_mutex_lock(&s->lock);
	r = sim_ctl_locked(s, copy, reply, len);
	pthread_mutex_unlock(&s->lock);
	return r;
}

void sim_stop(struct sim *s)
{
	if (!s)
		return;
	if (s->started) {
		pthread_mutex_lock(&s->lock);
		s->stopping = true;
		pthread_mutex_unlock(&s->lock);
		sim_wake(s);
		pthread_join(s->thread, NULL);
	}
	sim_free(s);
}

/* Test driver: runs the poller in-process against a device (usually
 * upsgate-sim's pty) and prints each published snapshot as one JSON line
 * on stdout; the poller's log goes to stderr. Used by poll-*.sh until
 * the daemon carries these tests.
 *
 * polltest --link PATH [--baud B] [--map jbusp|vumap|sts] [--slave N]
 *          [--interval S] [--fast S] [--max-failures N] [--reopen-max S]
 *          [--per-level --unit-stride N --module-stride N]
 *          [--duration S] [--count N] [--trace FRAMES --trace-csv FILE]
 *          [--reconfigure-every N] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/json.h"
#include "common/log.h"
#include "device/maptab.h"
#include "device/poll.h"

struct options {
	struct poll_config cfg;
	double duration;            /* s; 0 = until --count or a signal */
	unsigned long count;        /* exit after this many snapshots; 0 = no limit */
	const char *trace_csv;      /* write the serial trace here at the end */
	unsigned long reconfigure;  /* re-apply the same config every N snapshots (a reload) */
};

/* Set by SIGTERM/SIGINT: the run ends through poller_stop(), so the
 * tests can time how long a stop takes. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	stop_requested = 1;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end || !(*out >= lo && *out <= hi) ? -EINVAL : 0;
}

static int parse_map(const char *s, enum ups_map *m)
{
	if (!strcmp(s, "jbusp"))
		*m = MAP_JBUSP;
	else if (!strcmp(s, "vumap"))
		*m = MAP_VUMAP;
	else if (!strcmp(s, "sts"))
		*m = MAP_STS;
	else if (!strcmp(s, "auto"))
		*m = MAP_NONE;
	else
		return -EINVAL;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "baud", required_argument, NULL, 'b' },
		{ "map", required_argument, NULL, 'm' },
		{ "slave", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "fast", required_argument, NULL, 'f' },
		{ "max-failures", required_argument, NULL, 'F' },
		{ "reopen-max", required_argument, NULL, 'R' },
		{ "per-level", no_argument, NULL, 'P' },
		{ "unit-stride", required_argument, NULL, 'U' },
		{ "module-stride", required_argument, NULL, 'M' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "trace", required_argument, NULL, 't' },
		{ "trace-csv", required_argument, NULL, 'T' },
		{ "reconfigure-every", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	double v;
	int c;

	poll_config_defaults(&o->cfg);
	o->cfg.interval = 0.5;
	o->cfg.fast_interval = 0.25;
	o->duration = 0;
	o->count = 0;
	o->trace_csv = NULL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		int r = 0;

		switch (c) {
		case 'l':
			if (strlen(optarg) >= sizeof(o->cfg.device))
				r = -EINVAL;
			else
				snprintf(o->cfg.device, sizeof(o->cfg.device), "%s", optarg);
			break;
		case 'b':
			r = parse_double(optarg, 0, 115200, &v);
			o->cfg.baud = (unsigned)v;
			break;
		case 'm':
			r = parse_map(optarg, &o->cfg.map);
			break;
		case 's':
			r = parse_double(optarg, 1, 247, &v);
			o->cfg.slave = (int)v;
			break;
		case 'i':
			r = parse_double(optarg, 0.05, 3600, &o->cfg.interval);
			break;
		case 'f':
			r = parse_double(optarg, 0, 3600, &o->cfg.fast_interval);
			break;
		case 'F':
			r = parse_double(optarg, 1, 1000, &v);
			o->cfg.max_failures = (unsigned)v;
			break;
		case 'R':
			r = parse_double(optarg, 0.5, 3600, &o->cfg.reopen_max_s);
			break;
		case 'P':
			o->cfg.per_level = true;
			break;
		case 'U':
			r = parse_double(optarg, 0, 0xFFFF, &v);
			o->cfg.addr.unit_stride = (uint16_t)v;
			break;
		case 'M':
			r = parse_double(optarg, 0, 0xFFFF, &v);
			o->cfg.addr.module_stride = (uint16_t)v;
			break;
		case 'd':
			r = parse_double(optarg, 0, 86400, &o->duration);
			break;
		case 'c':
			r = parse_double(optarg, 0, 1e9, &v);
			o->count = (unsigned long)v;
			break;
		case 't':
			r = parse_double(optarg, 0, 100000, &v);
			o->cfg.trace_frames = (unsigned)v;
			break;
		case 'T':
			o->trace_csv = optarg;
			break;
		case 'r':
			r = parse_double(optarg, 1, 1e6, &v);
			o->reconfigure = (unsigned long)v;
			break;
		default:
			return -EINVAL;
		}
		if (r < 0) {
			fprintf(stderr, "polltest: bad option value: %s\n", optarg);
			return r;
		}
	}
	if (optind != argc || !strcmp(o->cfg.device, "/dev/ttyUSB0")) {
		fprintf(stderr, "usage: polltest --link PATH [options] (see the source header)\n");
		return -EINVAL;
	}
	if (o->cfg.fast_interval > o->cfg.interval)
		o->cfg.fast_interval = o->cfg.interval;
	return 0;
}

static void bits_json(struct json *j, const char *key, const struct bit_def *defs, size_t n,
		      uint16_t base, const uint16_t *words, size_t n_words)
{
	json_arr_open(j, key);
	for (size_t i = 0; i < n; i++) {
		const struct bit_def *b = &defs[i];
		unsigned w = b->word - base;

		if (b->acronym && w < n_words && (words[w] >> b->bit) & 1)
			json_str(j, NULL, b->acronym);
	}
	json_arr_close(j);
}

static void level_json(struct json *j, const struct map_def *map, const struct level_data *l)
{
	const struct block_def *st = map ? map_block(map, ROLE_STATUS) : NULL;
	const struct block_def *al = map ? map_block(map, ROLE_ALARMS) : NULL;

	json_obj_open(j, NULL);
	json_str(j, "kind", l->kind == LEVEL_SYSTEM ? "system" : l->kind == LEVEL_UNIT ? "unit" : "module");
	json_uint(j, "unit", l->unit);
	json_uint(j, "module", l->module);
	json_bool(j, "present", l->present);
	json_bool(j, "valid", l->valid);
	if (st)
		bits_json(j, "status", map->status_bits, map->n_status_bits, st->address,
			  l->status, MODEL_STATUS_WORDS);
	if (al)
		bits_json(j, "alarms", map->alarm_bits, map->n_alarm_bits, al->address,
			  l->alarms, MODEL_ALARM_WORDS);
	json_arr_open(j, "flags");
	for (int f = 0; f < _FLAG_COUNT; f++)
		if (model_flag(l, (enum ups_flag)f))
			json_str(j, NULL, flag_name((enum ups_flag)f));
	json_arr_close(j);
	json_str(j, "ups_status", ups_status_text(l->d.ups_status));
	json_obj_open(j, "meas");
	for (int m = 0; m < _MEAS_COUNT; m++)
		if (meas_available(l->meas[m]))
			json_num(j, meas_defs[m].key, l->meas[m]);
	json_obj_close(j);
	json_obj_close(j);
}

static void snapshot_json(const struct snapshot *s)
{
	const struct map_def *map = map_get(s->id.map);
	struct json j;
	char *text;

	json_init(&j);
	json_obj_open(&j, NULL);
	json_uint(&j, "seq", s->seq);
	json_str(&j, "comm", comm_state_name(s->comm));
	json_str(&j, "map", map ? map->name : "");
	json_uint(&j, "baud", s->baud);
	json_str(&j, "range", s->id.range);
	json_str(&j, "serial", s->id.serial);
	json_str(&j, "topology", topology_name(s->topo.kind));
	json_str(&j, "bypass", bypass_name(s->topo.bypass));
	json_uint(&j, "n_units", s->topo.n_units);
	json_uint(&j, "n_modules", s->topo.n_modules);
	json_uint(&j, "n_levels", s->n_levels);
	json_obj_open(&j, "stats");
	json_uint(&j, "transactions", s->stats.transactions);
	json_uint(&j, "crc_errors", s->stats.crc_errors);
	json_uint(&j, "timeouts", s->stats.timeouts);
	json_uint(&j, "exceptions", s->stats.exceptions);
	json_uint(&j, "other_errors", s->stats.other_errors);
	json_num(&j, "last_cycle_ms", s->stats.last_cycle_ms);
	json_uint(&j, "last_cycle_transactions", s->stats.last_cycle_transactions);
	json_uint(&j, "last_cycle_bytes", s->stats.last_cycle_bytes);
	json_obj_close(&j);
	json_arr_open(&j, "levels");
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++)
		level_json(&j, map, &s->levels[i]);
	json_arr_close(&j);
	json_obj_close(&j);
	text = json_steal(&j, NULL);
	if (text)
		printf("%s\n", text);
	fflush(stdout);
	free(text);
	json_free(&j);
}

static int write_trace(struct poller *p, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r;

	if (fd < 0) {
		fprintf(stderr, "polltest: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	r = poller_trace_csv(p, fd);
	close(fd);
	if (r < 0)
		fprintf(stderr, "polltest: trace export: %s\n", strerror(-r));
	return r;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct options o;
	struct poller *p = NULL;
	struct pollfd pfd;
	unsigned long seen = 0;
	double end, stopped;
	sigset_t mask;
	int r;

	log_setup("polltest", LOG_DEBUG);
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	/* A closed stdout must end the run with an error, not a signal. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGPIPE);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_stop_signal }, NULL);
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_stop_signal }, NULL);
	r = poller_start(&p, &o.cfg);
	if (r < 0) {
		fprintf(stderr, "polltest: cannot start the poller: %s\n", strerror(-r));
		return 1;
	}
	pfd = (struct pollfd){ .fd = snapchan_fd(poller_channel(p)), .events = POLLIN };
	end = o.duration > 0 ? now_s() + o.duration : 0;
	while ((!o.count || seen < o.count) && !stop_requested) {
		int timeout = end ? (int)((end - now_s()) * 1000) : 1000;
		struct snapshot *s;

		if (end && timeout <= 0)
			break;
		if (poll(&pfd, 1, timeout) <= 0)
			continue;
		s = snapchan_take(poller_channel(p));
		if (!s)
			continue;
		snapshot_json(s);
		snapshot_unref(s);
		seen++;
		if (o.reconfigure && seen % o.reconfigure == 0 && poller_reconfigure(p, &o.cfg) < 0)
			fprintf(stderr, "polltest: reconfigure refused\n");
	}
	if (o.trace_csv && write_trace(p, o.trace_csv) < 0)
		r = 1;
	stopped = now_s();
	poller_stop(p);
	fprintf(stderr, "polltest: poller stopped in %.0f ms\n", (now_s() - stopped) * 1000);
	return r ? 1 : 0;
}

/* upsgate-sim: a Socomec UPS or STS as a Modbus RTU slave on a pty (or
 * a real serial port), and `upsgate-sim ctl` to drive a running one. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "device/sim.h"

#define CTL_REPLY_MAX 65536

static void usage(FILE *f)
{
	fprintf(f,
		"usage: upsgate-sim --map jbusp|vumap|sts [--topology single|modular:M|parallel:N|\n"
		"                   modular-parallel:NxM|sts] --link PATH [--baud B] [--emulate-wire]\n"
		"                   [--slave N] [--device /dev/ttyS0] [--seed N] [--no-noise]\n"
		"                   [--unit-stride N] [--module-stride N] [--verbose]\n"
		"       upsgate-sim ctl --link PATH COMMAND...\n"
		"commands: ac-fail, ac-restore, load PERCENT, battery PERCENT,\n"
		"          [unit N] alarm|status ACRONYM on|off|auto, unplug SECONDS,\n"
		"          inject crc|timeout|garbage PERCENT, stats, [unit N] values, help\n");
}

/* A whole number in [lo, hi]; decimal, or hex with 0x. */
static int parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_map(const char *s, enum ups_map *m)
{
	if (strcmp(s, "jbusp") == 0)
		*m = MAP_JBUSP;
	else if (strcmp(s, "vumap") == 0)
		*m = MAP_VUMAP;
	else if (strcmp(s, "sts") == 0)
		*m = MAP_STS;
	else
		return -EINVAL;
	return 0;
}

static int bad(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "upsgate-sim: %s: invalid value '%s' (%s)\n", opt, val, want);
	return 2;
}

static int run_ctl(int argc, char **argv)
{
	const char *link = NULL;
	char line[512] = "", reply[CTL_REPLY_MAX];
	size_t pos = 0;
	int i = 1;

	for (; i < argc; i++) {
		if ((strcmp(argv[i], "--link") == 0 || strcmp(argv[i], "-l") == 0) && i + 1 < argc)
			link = argv[++i];
		else if (strncmp(argv[i], "--link=", 7) == 0)
			link = argv[i] + 7;
		else
			break;
	}
	if (!link || i >= argc) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++) {
		int n = snprintf(line + pos, sizeof(line) - pos, "%s%s", pos ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - pos - 1) {
			fprintf(stderr, "upsgate-sim ctl: command too long\n");
			return 2;
		}
		pos += (size_t)n;
	}
	line[pos++] = '\n';

	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.ctl", link) >= (int)sizeof(sa.sun_path)) {
		fprintf(stderr, "upsgate-sim ctl: path too long: %s.ctl\n", link);
		return 2;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "upsgate-sim ctl: cannot connect to %s: %s\n", sa.sun_path, strerror(errno));
		return 1;
	}
	struct timeval tv = { .tv_sec = 10 };
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(fd, line, pos) != (ssize_t)pos) {
		fprintf(stderr, "upsgate-sim ctl: cannot send: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	size_t got = 0;
	ssize_t n;
	while (got < sizeof(reply) - 1 && (n = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	reply[got] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	if (strncmp(reply, "ok", 2) == 0 || reply[0] == '{') {
		printf("%s\n", reply);
		return 0;
	}
	fprintf(stderr, "upsgate-sim ctl: %s\n", got ? reply : "no reply");
	return 1;
}

enum { OPT_NO_NOISE = 256, OPT_UNIT_STRIDE, OPT_MODULE_STRIDE, OPT_EMULATE_WIRE };

static int parse_args(int argc, char **argv, struct sim_options *o, int *verbose)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "topology", required_argument, NULL, 't' },
		{ "link", required_argument, NULL, 'l' },
		{ "baud", required_argument, NULL, 'b' },
		{ "emulate-wire", no_argument, NULL, OPT_EMULATE_WIRE },
		{ "slave", required_argument, NULL, 's' },
		{ "device", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "no-noise", no_argument, NULL, OPT_NO_NOISE },
		{ "unit-stride", required_argument, NULL, OPT_UNIT_STRIDE },
		{ "module-stride", required_argument, NULL, OPT_MODULE_STRIDE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *topo = NULL;
	bool have_map = false;
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "m:t:l:b:s:d:S:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_map(optarg, &o->map) < 0)
				return bad("--map", optarg, "jbusp, vumap or sts");
			have_map = true;
			break;
		case 't': topo = optarg; break;
		case 'l': o->link = optarg; break;
		case 'b':
			if (parse_ulong(optarg, 1200, 115200, &v) < 0)
				return bad("--baud", optarg, "1200..115200");
			o->baud = (unsigned)v;
			break;
		case OPT_EMULATE_WIRE: o->emulate_wire = true; break;
		case 's':
			if (parse_ulong(optarg, 1, 247, &v) < 0)
				return bad("--slave", optarg, "1..247");
			o->slave = (int)v;
			break;
		case 'd': o->serial_device = optarg; break;
		case 'S':
			if (parse_ulong(optarg, 0, 0xFFFFFFFFul, &v) < 0)
				return bad("--seed", optarg, "0..4294967295");
			o->seed = (unsigned)v;
			break;
		case OPT_NO_NOISE: o->no_noise = true; break;
		case OPT_UNIT_STRIDE:
		case OPT_MODULE_STRIDE:
			if (parse_ulong(optarg, 0, 0xF000, &v) < 0)
				return bad(c == OPT_UNIT_STRIDE ? "--unit-stride" : "--module-stride",
					   optarg, "0..0xF000");
			if (c == OPT_UNIT_STRIDE)
				o->unit_stride = (unsigned)v;
			else
				o->module_stride = (unsigned)v;
			break;
		case 'v': *verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "upsgate-sim: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!have_map) {
		fprintf(stderr, "upsgate-sim: --map is required\n");
		return 2;
	}
	if (!o->link && !o->serial_device) {
		fprintf(stderr, "upsgate-sim: --link (or --device) is required\n");
		return 2;
	}
	if (!topo)
		topo = o->map == MAP_STS ? "sts" : "single";
	else if (o->map == MAP_STS && strcmp(topo, "single") == 0)
		topo = "sts";
	if (sim_parse_topology(o, topo) < 0)
		return bad("--topology", topo, "single, modular:M, parallel:N, modular-parallel:NxM or sts");
	return 0;
}

int main(int argc, char **argv)
{
	struct sim_options o;
	struct sim *s = NULL;
	sigset_t mask;
	int verbose = 0, sig, r;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return run_ctl(argc - 1, argv + 1);

	sim_options_defaults(&o);
	r = parse_args(argc, argv, &o, &verbose);
	if (r)
		return r;
	log_setup("upsgate-sim", verbose ? LOG_DEBUG : LOG_NOTICE);

	/* Signals are taken by sigwait() below, not by the serving thread. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	r = sim_start(&s, &o);
	if (r < 0) {
		fprintf(stderr, "upsgate-sim: cannot start: %s (see the message above)\n", strerror(-r));
		return 1;
	}
	printf("READY %s\n", sim_pty(s));
	fflush(stdout);

	do {
		if (sigwait(&mask, &sig) != 0)
			break;
	} while (sig == SIGHUP);
	sim_stop(s);
	return 0;
}

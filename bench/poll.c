/* Poller benchmark: for each map and topology, upsgate-sim with
 * --emulate-wire at 9600 baud on a temporary pty, the poller in-process
 * for N full cycles; prints transactions and bytes per cycle, the
 * measured cycle time, the wire-time lower bound of those exchanges and
 * their ratio. Reports only: it never fails on timing.
 *
 * bench/poll [--sim PATH_TO_upsgate-sim] [--cycles N] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "device/poll.h"
#include "device/serial.h"
#include "device/sim.h"

#define BENCH_BAUD 9600
#define BENCH_TIMEOUT_S 60.0

struct bench_case {
	const char *map;            /* upsgate-sim --map */
	const char *topology;       /* upsgate-sim --topology */
	enum ups_map id;
};

static const struct bench_case cases[] = {
	{ "jbusp", "single", MAP_JBUSP },
	{ "jbusp", "parallel:3", MAP_JBUSP },
	{ "vumap", "single", MAP_VUMAP },
	{ "vumap", "modular:4", MAP_VUMAP },
	{ "vumap", "parallel:4", MAP_VUMAP },
	{ "vumap", "modular-parallel:2x3", MAP_VUMAP },
	{ "sts", "sts", MAP_STS },
};

struct sim_proc {
	pid_t pid;
	char dir[64];
	char link[96];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sim_kill(struct sim_proc *sp)
{
	if (sp->pid > 0) {
		kill(sp->pid, SIGTERM);
		waitpid(sp->pid, NULL, 0);
		sp->pid = 0;
	}
	unlink(sp->link);
	rmdir(sp->dir);
}

/* Waits for "READY <pty>" on the simulator's stdout. */
static int sim_wait_ready(int fd)
{
	char buf[256];
	size_t len = 0;
	double end = now_s() + 10;

	while (now_s() < end && len < sizeof(buf) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return -EIO;
		len += (size_t)n;
		buf[len] = 0;
		if (strstr(buf, "READY ") && strchr(buf, '\n'))
			return 0;
	}
	return -ETIMEDOUT;
}

static int sim_spawn(struct sim_proc *sp, const char *sim, const struct bench_case *c)
{
	int pipefd[2], r;

	snprintf(sp->dir, sizeof(sp->dir), "/tmp/upsgate-bench-XXXXXX");
	if (!mkdtemp(sp->dir))
		return -errno;
	snprintf(sp->link, sizeof(sp->link), "%s/link", sp->dir);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	sp->pid = fork();
	if (sp->pid < 0) {
		r = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return r;
	}
	if (sp->pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execl(sim, sim, "--map", c->map, "--topology", c->topology, "--link", sp->link,
		      "--baud", "9600", "--emulate-wire", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	r = sim_wait_ready(pipefd[0]);
	close(pipefd[0]);
	return r;
}

struct result {
	unsigned cycles;
	double ms_sum;
	unsigned transactions, bytes;
};

/* Runs the poller until it has published [cycles] full cycles after
 * detection; every publication with comm OK after the first is one. */
static int run_poller(const struct sim_proc *sp, const struct bench_case *c, unsigned cycles,
		      struct result *res)
{
	struct poll_config cfg;
	struct sim_options so;
	struct poller *p = NULL;
	struct pollfd pfd;
	double end = now_s() + BENCH_TIMEOUT_S;
	bool first = true;
	int r;

	poll_config_defaults(&cfg);
	sim_options_defaults(&so);
	snprintf(cfg.device, sizeof(cfg.device), "%s", sp->link);
	cfg.baud = BENCH_BAUD;
	cfg.map = c->id;
	cfg.interval = 0.05;        /* back to back: the wire is the limit */
	cfg.fast_interval = 0;
	cfg.per_level = true;
	cfg.addr.unit_stride = (uint16_t)so.unit_stride;
	cfg.addr.module_stride = (uint16_t)so.module_stride;
	r = poller_start(&p, &cfg);
	if (r < 0)
		return r;
	pfd = (struct pollfd){ .fd = snapchan_fd(poller_channel(p)), .events = POLLIN };
	memset(res, 0, sizeof(*res));
	while (res->cycles < cycles && now_s() < end) {
		struct snapshot *s;

		if (poll(&pfd, 1, 500) <= 0)
			continue;
		s = snapchan_take(poller_channel(p));
		if (!s)
			continue;
		/* The first one carries detection in its cycle's counters. */
		if (s->comm == COMM_OK && !first) {
			res->cycles++;
			res->ms_sum += s->stats.last_cycle_ms;
			res->transactions = s->stats.last_cycle_transactions;
			res->bytes = s->stats.last_cycle_bytes;
		}
		if (s->comm == COMM_OK)
			first = false;
		snapshot_unref(s);
	}
	poller_stop(p);
	return res->cycles ? 0 : -ETIMEDOUT;
}

static void report(const struct bench_case *c, const struct result *res)
{
	/* Every byte at 10 bits plus 2 x 3.5 chars of silence per exchange:
	 * the time the plan's reads take on the wire at the very least. */
	double bound_ms = (serial_wire_us(BENCH_BAUD, res->bytes) +
			   res->transactions * 7 * serial_wire_us(BENCH_BAUD, 1)) / 1000.0;
	double ms = res->ms_sum / res->cycles;

	printf("%-6s %-22s %3u transactions/cycle %5u bytes/cycle  cycle %7.1f ms  "
	       "wire bound %7.1f ms  ratio %.2f\n", c->map, c->topology, res->transactions,
	       res->bytes, ms, bound_ms, bound_ms > 0 ? ms / bound_ms : 0.0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sim", required_argument, NULL, 's' },
		{ "cycles", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sim = "./upsgate-sim";
	unsigned long cycles = 10;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's':
			sim = optarg;
			break;
		case 'c':
			cycles = strtoul(optarg, &end, 10);
			if (*end || cycles < 1 || cycles > 100000) {
				fprintf(stderr, "bench/poll: --cycles takes 1..100000\n");
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: bench/poll [--sim PATH] [--cycles N]\n");
			return 2;
		}
	}
	log_setup("bench-poll", LOG_WARNING);
	printf("# %lu full cycles per topology at %u baud, simulator %s\n", cycles, BENCH_BAUD, sim);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_proc sp = { 0 };
		struct result res;
		int r = sim_spawn(&sp, sim, &cases[i]);

		if (r == 0)
			r = run_poller(&sp, &cases[i], (unsigned)cycles, &res);
		sim_kill(&sp);
		if (r < 0)
			printf("%-6s %-22s no result: %s\n", cases[i].map, cases[i].topology,
			       strerror(-r));
		else
			report(&cases[i], &res);
		fflush(stdout);
	}
	return 0;
}

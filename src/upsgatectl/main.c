/* upsgatectl: the command-line client of upsgated's local API. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/upsgate/upsgated.sock"
/* Above the daemon's largest reply, a CSV export of up to 256 MiB
 * (control_logs.c), with room for the NUL the buffer doubles to keep. */
#define REPLY_MAX (512u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: upsgatectl [-s SOCKET] COMMAND\n"
		"  status [--json]   identity, state and main measurements of the UPS\n"
		"  alarms [--json]   active alarms of every level\n"
		"  trace on [FRAMES] record serial frames in a ring (default 1000)\n"
		"  trace off         stop recording\n"
		"  trace csv         the recorded frames as CSV\n"
		"  logs NAME [OPTIONS] a log (history, extended, ups, gateway) as CSV\n"
		"      --json          one page as JSON instead (--page N, --size N <= 1000)\n"
		"      --clear         empty the log (recorded in the gateway log)\n"
		"      --from T --to T window: seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ\n"
		"      --sort time|level --asc|--desc --level L --group G,... --unit N  (with --json)\n"
		"  ping              check that the daemon answers\n"
		"  -s, --socket PATH control socket (default " DEFAULT_SOCKET ")\n");
}

/* "trace on [N]" / "trace off" / "trace csv": passed through; the daemon
 * checks the arguments. */
static int build_trace_request(int argc, char **argv, char *req, size_t len)
{
	if (argc == 2 && (strcmp(argv[1], "off") == 0 || strcmp(argv[1], "csv") == 0 ||
			  strcmp(argv[1], "on") == 0))
		return snprintf(req, len, "trace %s\n", argv[1]) < (int)len ? 0 : -EINVAL;
	if (argc == 3 && strcmp(argv[1], "on") == 0 && strspn(argv[2], "0123456789") == strlen(argv[2]))
		return snprintf(req, len, "trace on %s\n", argv[2]) < (int)len ? 0 : -EINVAL;
	return -EINVAL;
}

/* "logs NAME [--json|--clear] [--from T] ...": options become key=value
 * words; the daemon validates them. */
static int build_logs_request(int argc, char **argv, char *req, size_t len)
{
	static const struct { const char *opt, *key; } with_value[] = {
		{ "--from", "from" }, { "--to", "to" }, { "--page", "page" }, { "--size", "size" },
		{ "--sort", "sort" }, { "--level", "level" }, { "--unit", "unit" },
		{ "--group", "group" },
	};
	const char *mode = "csv";
	size_t used;

	if (argc < 2 || strchr(argv[1], ' '))
		return -EINVAL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			mode = "json";
		else if (strcmp(argv[i], "--clear") == 0)
			mode = "clear";
	}
	used = (size_t)snprintf(req, len, "logs %s %s", argv[1], mode);
	for (int i = 2; i < argc && used < len; i++) {
		size_t k;

		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--clear") == 0)
			continue;
		if (strcmp(argv[i], "--asc") == 0 || strcmp(argv[i], "--desc") == 0) {
			used += (size_t)snprintf(req + used, len - used, " order=%s", argv[i] + 2);
			continue;
		}
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			if (strcmp(argv[i], with_value[k].opt) == 0)
				break;
		if (k == sizeof(with_value) / sizeof(with_value[0]) || i + 1 >= argc ||
		    strchr(argv[i + 1], ' '))
			return -EINVAL;
		used += (size_t)snprintf(req + used, len - used, " %s=%s", with_value[k].key, argv[++i]);
	}
	if (used + 2 > len)
		return -EINVAL;
	strcat(req, "\n");
	return 0;
}

/* Command line -> one request line of the local API. */
static int build_request(int argc, char **argv, char *req, size_t len)
{
	static const struct {
		const char *cmd;
		const char *plain, *json;       /* request for each form */
	} table[] = {
		{ "status", "status text", "status" },
		{ "alarms", "alarms text", "alarms" },
		{ "ping", "ping", NULL },
	};
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;

	if (argc >= 1 && strcmp(argv[0], "trace") == 0)
		return build_trace_request(argc, argv, req, len);
	if (argc >= 1 && strcmp(argv[0], "logs") == 0)
		return build_logs_request(argc, argv, req, len);
	if (argc < 1 || argc > 2 || (argc == 2 && !json))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].cmd, argv[0]) != 0)
			continue;
		if (json && !table[i].json)
			return -EINVAL;
		snprintf(req, len, "%s\n", json ? table[i].json : table[i].plain);
		return 0;
	}
	return -EINVAL;
}

static int connect_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

static int exchange(int fd, const char *req, char **reply, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		goto fail;
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			char *nb = cap * 2 <= REPLY_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb)
				goto fail;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*reply = buf;
	*len = used;
	return 0;
fail:
	free(buf);
	return -EIO;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *path = DEFAULT_SOCKET;
	char req[1024], *reply = NULL;
	size_t len;
	int c, fd, r;

	while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
		if (c == 's')
			path = optarg;
		else if (c == 'h') {
			usage(stdout);
			return EXIT_SUCCESS;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (build_request(argc - optind, argv + optind, req, sizeof(req)) < 0) {
		usage(stderr);
		return 2;
	}
	/* A daemon that closes early is a failed write, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	fd = connect_socket(path);
	if (fd < 0) {
		fprintf(stderr, "upsgatectl: cannot connect to %s: %s (is upsgated running?)\n",
			path, strerror(-fd));
		return EXIT_FAILURE;
	}
	r = exchange(fd, req, &reply, &len);
	close(fd);
	/* Every reply has at least a line: none means the request was dropped. */
	if (r < 0 || len == 0) {
		if (r == 0)
			free(reply);
		fprintf(stderr, "upsgatectl: no reply from %s\n", path);
		return EXIT_FAILURE;
	}
	if (strncmp(reply, "error: ", 7) == 0) {
		fprintf(stderr, "upsgatectl: %s", reply + 7);
		free(reply);
		return EXIT_FAILURE;
	}
	fwrite(reply, 1, len, stdout);
	free(reply);
	return EXIT_SUCCESS;
}

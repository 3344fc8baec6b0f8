/* upsgatectl: the command-line client of upsgated's local API. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>

#include "upsgatectl/request.h"

#define DEFAULT_SOCKET "/run/upsgate/upsgated.sock"
/* Above the daemon's largest reply, a CSV export of up to 256 MiB
 * (control_logs.c), with room for the NUL the buffer doubles to keep. */
#define REPLY_MAX (512u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: upsgatectl [-s SOCKET] COMMAND\n"
		"  status [--json]          identity, state and main measurements of the UPS\n"
		"  alarms [--json]          active alarms of every level\n"
		"  logs NAME [OPTIONS]      a log (history, extended, ups, gateway) as CSV\n"
		"      --since T              from T: 30m, 2h, 7d, 1w ago, epoch seconds or\n"
		"                             YYYY-MM-DDTHH:MM:SSZ (--from T --to T: a window)\n"
		"      --csv                  CSV (the default); --json: one page as JSON instead\n"
		"                             (--page N, --size N <= 1000)\n"
		"      --clear                empty the log (recorded in the gateway log)\n"
		"      --sort time|level --asc|--desc --level L --group G,... --unit N  (with --json)\n"
		"  config list [--json]     every setting (secrets as ********)\n"
		"  config get KEY [--reveal] one setting; --reveal shows a secret (root only)\n"
		"  config set KEY VALUE     change, save and apply a setting (VALUE as JSON when it\n"
		"                           parses, else as text; - reads it from standard input)\n"
		"  restart                  stop and start the daemon again (same PID)\n"
		"  users [--json]           accounts of the web interface\n"
		"  passwd USER              set USER's password, read from standard input\n"
		"  password reset admin     admin back to the initial password (to be changed)\n"
		"  backup [FILE]            the whole configuration and accounts, to FILE (0600)\n"
		"  restore FILE             check a backup whole, then apply it\n"
		"  factory-reset --yes      every setting to its default, admin to the initial password\n"
		"  trace on [FRAMES]        record serial frames in a ring (default 1000)\n"
		"  trace off | csv          stop recording | the recorded frames as CSV\n"
		"  ping                     check that the daemon answers\n"
		"  -s, --socket PATH        control socket (default " DEFAULT_SOCKET ")\n");
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
	/* A daemon that refuses a request may close before reading a body:
	 * its reply is still there to read. */
	for (size_t sent = 0, total = strlen(req); sent < total;) {
		ssize_t n = write(fd, req + sent, total - sent);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
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

/* A backup holds secrets: its file is the owner's only. */
static int save_reply(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int r = 0;

	if (fd < 0 || fchmod(fd, 0600) < 0 || write(fd, data, len) != (ssize_t)len)
		r = -errno;
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		fprintf(stderr, "upsgatectl: %s: %s\n", path, strerror(-r));
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *path = DEFAULT_SOCKET;
	struct ctl_req req;
	char *text, *reply = NULL;
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
	r = req_build(argc - optind, argv + optind, &req);
	if (r == -EIO)
		return EXIT_FAILURE;
	if (r < 0) {
		usage(stderr);
		return 2;
	}
	text = req_text(&req);
	req_clear(&req);
	if (!text)
		return EXIT_FAILURE;
	/* A daemon that closes early is a failed write, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	fd = connect_socket(path);
	if (fd < 0) {
		fprintf(stderr, "upsgatectl: cannot connect to %s: %s (is upsgated running?)\n",
			path, strerror(-fd));
		explicit_bzero(text, strlen(text));
		free(text);
		return EXIT_FAILURE;
	}
	r = exchange(fd, text, &reply, &len);
	close(fd);
	explicit_bzero(text, strlen(text));
	free(text);
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
	if (req.save_to)
		r = save_reply(req.save_to, reply, len);
	else
		fwrite(reply, 1, len, stdout);
	free(reply);
	return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

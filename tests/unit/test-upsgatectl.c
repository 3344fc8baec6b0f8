/* upsgatectl against a fake daemon on a unix socket: a reply above 8 MiB
 * (a CSV export may be up to 256 MiB) arrives whole, and a request the
 * daemon dropped (closed without a reply) is a failure, not a silent
 * success. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

int upsgatectl_main(int argc, char **argv);
#define main upsgatectl_main
#include "upsgatectl/main.c"
#undef main

#include "maps-test.h"

static struct tap t;

/* Child: answers one request on [sv] with [len] bytes of 'x', then exits. */
static pid_t serve(int sv, size_t len)
{
	pid_t pid = fork();

	if (pid == 0) {
		char req[1024], chunk[65536];

		if (read(sv, req, sizeof(req)) <= 0)
			_exit(1);
		memset(chunk, 'x', sizeof(chunk));
		while (len > 0) {
			size_t n = len < sizeof(chunk) ? len : sizeof(chunk);
			ssize_t w = write(sv, chunk, n);

			if (w <= 0)
				_exit(1);
			len -= (size_t)w;
		}
		_exit(0);
	}
	return pid;
}

static void check_big_reply(size_t want)
{
	int sv[2];
	char *reply = NULL;
	size_t len = 0;
	pid_t pid;
	int r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("socketpair");
		exit(1);
	}
	pid = serve(sv[1], want);
	close(sv[1]);
	r = exchange(sv[0], "logs history csv\n", &reply, &len);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	CHECK(&t, r == 0 && len == want, "a %zu-byte reply is read whole (r=%d, got %zu)", want, r, len);
	free(reply);
}

/* The daemon accepts and closes at once (e.g. its 16 clients are busy). */
static void check_dropped(void)
{
	char dir[] = "/tmp/test-upsgatectl.XXXXXX", path[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *argv[] = { "upsgatectl", "-s", path, "logs", "history", "--clear", NULL };
	int lfd, r;
	pid_t pid;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/s", dir);
	strcpy(sa.sun_path, path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror(path);
		exit(1);
	}
	pid = fork();
	if (pid == 0) {
		char req[1024];
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0 && read(fd, req, sizeof(req)) > 0)
			close(fd);
		_exit(0);
	}
	close(lfd);
	optind = 1;
	r = upsgatectl_main(6, argv);
	waitpid(pid, NULL, 0);
	CHECK(&t, r != EXIT_SUCCESS, "a request closed without a reply fails (exit %d)", r);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	check_big_reply(5);
	check_big_reply((8u << 20) + 1);
	check_dropped();
	return tap_done(&t);
}

#include "control/control.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/json.h"
#include "common/listener.h"
#include "common/log.h"
#include "control/control_logs.h"
#include "control/control_text.h"
#include "core/snapjson.h"
#include "device/trace.h"

#define REQUEST_MAX 1024
/* A client that neither sends nor reads for this long loses its slot. */
#define CLIENT_IDLE_USEC (10 * 1000000ULL)
#define CLIENTS_MAX 16
#define TRACE_DEFAULT_FRAMES 1000

struct control {
	struct manager *m;
	struct store *store;
	char *path;
	int fd;
	sd_event_source *accept_source;
	unsigned n_clients;
	struct client *clients;         /* owned; freed at stop */
};

struct client {
	struct control *ctl;
	struct client *next, *prev;
	int fd;
	sd_event_source *source;
	sd_event_source *idle;
	char request[REQUEST_MAX];
	size_t request_len;
	char *reply;
	size_t reply_len, reply_sent;
};

typedef char *(*ctl_handler)(struct control *c, const char *args, size_t *len);

static char *json_reply(struct json *j, size_t *len)
{
	char *r;

	if (json_failed(j)) {
		json_free(j);
		return NULL;
	}
	r = json_steal(j, len);
	if (r) {
		/* The reply is one line. */
		char *nl = realloc(r, *len + 2);

		if (!nl) {
			free(r);
			return NULL;
		}
		nl[(*len)++] = '\n';
		nl[*len] = '\0';
		r = nl;
	}
	return r;
}

static char *handle_status(struct control *c, const char *args, size_t *len)
{
	const struct snapshot *s = manager_latest(c->m);
	struct json j;

	if (strcmp(args, "text") == 0)
		return control_status_text(s, len);
	json_init(&j);
	if (s)
		snapjson_write(&j, NULL, s);
	else {
		json_obj_open(&j, NULL);
		json_str(&j, "comm", comm_state_name(COMM_STARTING));
		json_obj_close(&j);
	}
	return json_reply(&j, len);
}

static char *handle_alarms(struct control *c, const char *args, size_t *len)
{
	const struct snapshot *s = manager_latest(c->m);
	struct json j;

	if (strcmp(args, "text") == 0)
		return control_alarms_text(s, len);
	json_init(&j);
	if (s)
		snapjson_alarms(&j, NULL, s);
	else {
		json_arr_open(&j, NULL);
		json_arr_close(&j);
	}
	return json_reply(&j, len);
}

static char *handle_ping(struct control *c, const char *args, size_t *len)
{
	char *r = strdup("pong\n");

	*len = r ? strlen(r) : 0;
	return r;
}

static char *ok_reply(size_t *len)
{
	char *r = strdup("ok\n");

	*len = r ? 3 : 0;
	return r;
}

/* The serial trace ring, on demand: "on [FRAMES]", "off", "csv". */
static char *handle_trace(struct control *c, const char *args, size_t *len)
{
	struct poller *p = c->m->poller;
	char *buf = NULL;
	FILE *f;
	int fd;

	if (strncmp(args, "on", 2) == 0) {
		poller_trace_enable(p, args[2] ? (unsigned)strtoul(args + 3, NULL, 10) : TRACE_DEFAULT_FRAMES);
		return ok_reply(len);
	}
	if (strcmp(args, "off") == 0) {
		poller_trace_enable(p, 0);
		return ok_reply(len);
	}
	/* csv: the poller writes to an fd; collect it through a memfd. */
	fd = memfd_create("trace", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (poller_trace_csv(p, fd) < 0 || lseek(fd, 0, SEEK_SET) < 0 || !(f = fdopen(fd, "r"))) {
		close(fd);
		return NULL;
	}
	*len = 0;
	if (getdelim(&buf, len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	*len = buf ? strlen(buf) : 0;
	fclose(f);
	return buf;
}

static char *handle_logs(struct control *c, const char *args, size_t *len)
{
	return control_logs(c->store, args, len);
}

static bool check_none(const char *args)
{
	return args[0] == '\0';
}

static bool check_text(const char *args)
{
	return args[0] == '\0' || strcmp(args, "text") == 0;
}

static bool check_trace(const char *args)
{
	char *end;
	unsigned long n;

	if (strcmp(args, "on") == 0 || strcmp(args, "off") == 0 || strcmp(args, "csv") == 0)
		return true;
	if (strncmp(args, "on ", 3) != 0 || !isdigit((unsigned char)args[3]))
		return false;
	n = strtoul(args + 3, &end, 10);
	return *end == '\0' && n >= 1 && n <= TRACE_MAX_FRAMES;
}

/* {command, check, handle} (OpenSMTPD): arguments are checked before any
 * handler runs or any state changes. */
static const struct {
	const char *name;
	bool (*check)(const char *args);
	ctl_handler handle;
} commands[] = {
	{ "status", check_text, handle_status },
	{ "alarms", check_text, handle_alarms },
	{ "trace", check_trace, handle_trace },
	{ "logs", control_logs_check, handle_logs },
	{ "ping", check_none, handle_ping },
};

static char *error_reply(const char *what, const char *detail, size_t *len)
{
	char *r;
	int n = asprintf(&r, "error: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");

	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return r;
}

static char *dispatch(struct control *c, char *line, size_t *len)
{
	char *args = strchr(line, ' ');

	if (args)
		*args++ = '\0';
	else
		args = "";
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, line) != 0)
			continue;
		if (!commands[i].check(args))
			return error_reply("bad arguments for", line, len);
		return commands[i].handle(c, args, len);
	}
	return error_reply("unknown command", line, len);
}

static void client_free(struct client *cl)
{
	if (!cl)
		return;
	sd_event_source_disable_unref(cl->source);
	sd_event_source_disable_unref(cl->idle);
	if (cl->fd >= 0)
		close(cl->fd);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		cl->ctl->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	cl->ctl->n_clients--;
	free(cl->reply);
	free(cl);
}

static int client_write(struct client *cl)
{
	while (cl->reply_sent < cl->reply_len) {
		ssize_t n = write(cl->fd, cl->reply + cl->reply_sent, cl->reply_len - cl->reply_sent);

		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0)
			break;
		cl->reply_sent += (size_t)n;
	}
	client_free(cl);
	return 0;
}

static int client_read(struct client *cl)
{
	ssize_t n = read(cl->fd, cl->request + cl->request_len,
			 sizeof(cl->request) - 1 - cl->request_len);
	char *nl;

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		client_free(cl);
		return 0;
	}
	cl->request_len += (size_t)n;
	cl->request[cl->request_len] = '\0';
	nl = memchr(cl->request, '\n', cl->request_len);
	if (!nl && cl->request_len < sizeof(cl->request) - 1)
		return 0;
	if (nl)
		*nl = '\0';
	cl->reply = nl ? dispatch(cl->ctl, cl->request, &cl->reply_len)
		       : error_reply("request too long", NULL, &cl->reply_len);
	if (!cl->reply) {
		client_free(cl);
		return 0;
	}
	sd_event_source_set_io_events(cl->source, EPOLLOUT);
	return client_write(cl);
}

static int on_client_idle(sd_event_source *src, uint64_t usec, void *userdata)
{
	client_free(userdata);
	return 0;
}

static int on_client(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct client *cl = userdata;

	sd_event_source_set_time_relative(cl->idle, CLIENT_IDLE_USEC);
	if (cl->reply)
		return client_write(cl);
	return client_read(cl);
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct control *c = userdata;
	struct client *cl;
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int cfd = listener_accept(src, fd, &peer, &len);

	if (cfd < 0)
		return 0;
	if (c->n_clients >= CLIENTS_MAX || !(cl = calloc(1, sizeof(*cl)))) {
		close(cfd);
		return 0;
	}
	cl->ctl = c;
	cl->fd = cfd;
	cl->next = c->clients;
	if (c->clients)
		c->clients->prev = cl;
	c->clients = cl;
	c->n_clients++;
	if (sd_event_add_io(c->m->event, &cl->source, cfd, EPOLLIN, on_client, cl) < 0 ||
	    sd_event_add_time_relative(c->m->event, &cl->idle, CLOCK_MONOTONIC, CLIENT_IDLE_USEC, 0,
				       on_client_idle, cl) < 0)
		client_free(cl);
	return 0;
}

static int bind_socket(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *dir = strdup(path);
	int fd, r;

	if (!dir)
		return -ENOMEM;
	if (mkdir(dirname(dir), 0750) < 0 && errno != EEXIST) {
		r = -errno;
		free(dir);
		return r;
	}
	free(dir);
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0660) < 0 ||
	    listen(fd, 8) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int control_start(struct control **out, struct manager *m, struct store *store, const char *path)
{
	struct control *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->m = m;
	c->store = store;
	c->fd = -1;
	c->path = strdup(path);
	if (!c->path) {
		r = -ENOMEM;
		goto fail;
	}
	c->fd = bind_socket(path);
	if (c->fd < 0) {
		r = c->fd;
		log_error("control socket %s: %s", path, strerror(-r));
		goto fail;
	}
	r = sd_event_add_io(m->event, &c->accept_source, c->fd, EPOLLIN, on_accept, c);
	if (r < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	control_stop(c);
	return r;
}

void control_stop(struct control *c)
{
	if (!c)
		return;
	while (c->clients)
		client_free(c->clients);
	sd_event_source_disable_unref(c->accept_source);
	if (c->fd >= 0) {
		close(c->fd);
		(void)unlink(c->path);
	}
	free(c->path);
	free(c);
}

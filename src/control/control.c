/* The local API's server: one request line (and, for a few commands, a
 * body of a declared length), one reply, then the server closes. */
#include "control/control.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/listener.h"
#include "common/log.h"
#include "control/control_logs.h"
#include "control/control_priv.h"

#define REQUEST_MAX 1024
/* A client that neither sends nor reads for this long loses its slot. */
#define CLIENT_IDLE_USEC (10 * 1000000ULL)
#define CLIENTS_MAX 16
/* Bodies: a setting's value (a list of 32 firewall rules is ~3 KB), a
 * password, a backup (backup.c refuses more than 1 MiB). */
#define VALUE_MAX (64u << 10)
#define PASSWORD_BODY_MAX (AUTH_PASSWORD_MAX + 1)
#define RESTORE_MAX (1u << 20)

struct control {
	struct manager *m;
	struct store *store;
	struct auth *auth;
	char *path;
	int fd;
	sd_event_source *accept_source;
	unsigned n_clients;
	struct client *clients;         /* owned; freed at stop */
};

struct ctl_pending {
	struct client *cl;              /* NULL once the client is gone */
};

struct command {
	const char *name;
	ctl_check check;
	ctl_handler handle;
	/* 0: no body. Else the request line ends with the body's length in
	 * bytes, at most this, and the body follows the line. */
	size_t body_max;
};

struct client {
	struct control *ctl;
	struct client *next, *prev;
	int fd;
	uid_t uid;
	sd_event_source *source;
	sd_event_source *idle;
	char request[REQUEST_MAX];
	size_t request_len;
	const struct command *cmd;      /* set while its body arrives */
	char *args;                     /* in request[] */
	char *body;
	size_t body_len, body_have;
	struct ctl_pending *pending;    /* a handler finishes later */
	char *reply;
	size_t reply_len, reply_sent;
};

/* {command, check, handle} (OpenSMTPD): arguments are checked before any
 * handler runs or any state changes. */
static const struct command commands[] = {
	{ "status", ctl_check_text, ctl_status, 0 },
	{ "alarms", ctl_check_text, ctl_alarms, 0 },
	{ "trace", ctl_check_trace, ctl_trace, 0 },
	{ "logs", control_logs_check, ctl_logs, 0 },
	{ "ping", ctl_check_none, ctl_ping, 0 },
	{ "config", ctl_check_config, ctl_config, 0 },
	{ "config-set", ctl_check_config_set, ctl_config_set, VALUE_MAX },
	{ "restart", ctl_check_none, ctl_restart, 0 },
	{ "users", ctl_check_text, ctl_users, 0 },
	{ "passwd", ctl_check_user, ctl_passwd, PASSWORD_BODY_MAX },
	{ "password", ctl_check_password, ctl_password, 0 },
	{ "backup", ctl_check_none, ctl_backup, 0 },
	{ "restore", ctl_check_none, ctl_restore, RESTORE_MAX },
	{ "factory-reset", ctl_check_none, ctl_factory_reset, 0 },
};

char *ctl_printf(size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *r;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&r, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return r;
}

static void client_free(struct client *cl)
{
	if (!cl)
		return;
	if (cl->pending)
		cl->pending->cl = NULL;
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
	if (cl->body)
		explicit_bzero(cl->body, cl->body_len);        /* may be a password */
	free(cl->body);
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

static void client_reply(struct client *cl, char *reply, size_t len)
{
	if (!reply) {
		client_free(cl);
		return;
	}
	cl->reply = reply;
	cl->reply_len = len;
	sd_event_source_set_io_events(cl->source, EPOLLOUT);
	client_write(cl);
}

static void client_error(struct client *cl, const char *what, const char *detail)
{
	size_t len = 0;
	char *r = ctl_printf(&len, "error: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");

	client_reply(cl, r, len);
}

struct ctl_pending *control_defer(struct ctl_request *rq)
{
	rq->pending = calloc(1, sizeof(*rq->pending));
	return rq->pending;
}

void control_finish(struct ctl_pending *p, char *reply, size_t len)
{
	struct client *cl = p->cl;

	free(p);
	if (!cl) {
		free(reply);
		return;
	}
	cl->pending = NULL;
	client_reply(cl, reply, len);
}

/* "uid 1000 (alice)": who changed something, for the gateway log. */
static void peer_name(uid_t uid, char *buf, size_t len)
{
	struct passwd pw, *found = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &found) == 0 && found)
		snprintf(buf, len, "uid %u (%.32s)", (unsigned)uid, found->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
}

static void run(struct client *cl)
{
	struct control *c = cl->ctl;
	struct ctl_request rq = {
		.m = c->m, .store = c->store, .auth = c->auth, .args = cl->args,
		.body = cl->body, .body_len = cl->body_len, .uid = cl->uid,
	};
	size_t len = 0;
	char *reply;

	peer_name(cl->uid, rq.who, sizeof(rq.who));
	reply = cl->cmd->handle(&rq, &len);
	if (!reply && rq.pending) {
		rq.pending->cl = cl;
		cl->pending = rq.pending;
		return;
	}
	client_reply(cl, reply, len);
}

/* The body's length ends the line of a command that takes one. */
static int take_body_length(char *args, size_t max, size_t *len)
{
	char *last = strrchr(args, ' ');
	char *word = last ? last + 1 : args;
	char *end;
	unsigned long long n;

	if (!isdigit((unsigned char)*word))
		return -EINVAL;
	n = strtoull(word, &end, 10);
	if (*end || n > max)
		return -EINVAL;
	*len = (size_t)n;
	*word = '\0';
	if (last)
		*last = '\0';
	return 0;
}

/* A whole line is in request[]: find the command, check it, then run it
 * or wait for its body. */
static void start(struct client *cl, char *nl)
{
	char *line = cl->request, *args = strchr(line, ' ');
	size_t extra = cl->request_len - (size_t)(nl + 1 - line);
	const struct command *cmd = NULL;

	*nl = '\0';
	if (args)
		*args++ = '\0';
	else
		args = line + strlen(line);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]) && !cmd; i++)
		if (strcmp(commands[i].name, line) == 0)
			cmd = &commands[i];
	if (!cmd) {
		client_error(cl, "unknown command", line);
		return;
	}
	if ((cmd->body_max && take_body_length(args, cmd->body_max, &cl->body_len) < 0) ||
	    !cmd->check(args)) {
		client_error(cl, "bad arguments for", line);
		return;
	}
	cl->cmd = cmd;
	cl->args = args;
	if (!cmd->body_max) {
		run(cl);
		return;
	}
	cl->body = malloc(cl->body_len + 1);
	if (!cl->body) {
		client_free(cl);
		return;
	}
	cl->body_have = extra < cl->body_len ? extra : cl->body_len;
	memcpy(cl->body, nl + 1, cl->body_have);
	cl->body[cl->body_len] = '\0';
	if (cl->body_have == cl->body_len)
		run(cl);
}

static void client_read(struct client *cl)
{
	char *nl;
	ssize_t n;

	if (cl->cmd)
		n = read(cl->fd, cl->body + cl->body_have, cl->body_len - cl->body_have);
	else
		n = read(cl->fd, cl->request + cl->request_len, sizeof(cl->request) - 1 - cl->request_len);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		client_free(cl);
		return;
	}
	if (cl->cmd) {
		cl->body_have += (size_t)n;
		if (cl->body_have == cl->body_len)
			run(cl);
		return;
	}
	cl->request_len += (size_t)n;
	cl->request[cl->request_len] = '\0';
	nl = memchr(cl->request, '\n', cl->request_len);
	if (nl)
		start(cl, nl);
	else if (cl->request_len >= sizeof(cl->request) - 1)
		client_error(cl, "request too long", NULL);
}

static int on_client_idle(sd_event_source *src, uint64_t usec, void *userdata)
{
	client_free(userdata);
	return 0;
}

static int on_client(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct client *cl = userdata;
	char byte;

	sd_event_source_set_time_relative(cl->idle, CLIENT_IDLE_USEC);
	if (cl->reply)
		return client_write(cl);
	if (cl->pending) {
		/* Waiting for a job: only notice a client that goes away. */
		ssize_t n = read(fd, &byte, 1);

		if (n == 0 || (n < 0 && errno != EAGAIN))
			client_free(cl);
		return 0;
	}
	client_read(cl);
	return 0;
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct control *c = userdata;
	struct client *cl;
	struct sockaddr_storage peer;
	struct ucred cred;
	socklen_t len = sizeof(peer), clen = sizeof(cred);
	int cfd = listener_accept(src, fd, &peer, &len);

	if (cfd < 0)
		return 0;
	if (c->n_clients >= CLIENTS_MAX ||
	    getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
	    !(cl = calloc(1, sizeof(*cl)))) {
		close(cfd);
		return 0;
	}
	cl->ctl = c;
	cl->fd = cfd;
	cl->uid = cred.uid;
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

int control_start(struct control **out, struct manager *m, struct store *store, struct auth *auth,
		  const char *path)
{
	struct control *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->m = m;
	c->store = store;
	c->auth = auth;
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

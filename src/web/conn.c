/* Every connection is followed here for two things MHD 0.9 does not do.
 *
 * A peer that closed: in epoll mode MHD registers a socket edge-
 * triggered and stops reading after a short read, so the FIN of a client
 * that sent a partial request and closed at once (a flood) is never
 * seen, and the connection stays until its timeout, holding a slot. The
 * loop watches each socket for EPOLLRDHUP and shuts its read side, which
 * wakes MHD to read the end and close; a stream's connection goes to its
 * own hangup handler instead.
 *
 * A deadline for receiving each request. MHD's connection timeout counts
 * inactivity only, so a client that sends one header line a second
 * (slowloris) or a body byte a second would hold its connection for
 * ever. Here every connection that is waiting for a request, or reading
 * one, must have it whole within web.timeout seconds of the previous
 * request's end (or of the accept); past that its socket is shut down
 * and MHD closes the connection at its next run. */
#include "web/web_priv.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "common/log.h"

#define SWEEP_USEC 1000000ULL

struct web_conn {
	struct web_server *srv;
	struct MHD_Connection *conn;
	uint64_t since;                 /* CLOCK_MONOTONIC usec */
	bool receiving;
	bool cut;
	sd_event_source *peer_closed;
	void (*on_hangup)(void *userdata);
	void *hangup_data;
	struct web_conn *prev, *next;
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static int on_peer_closed(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct web_conn *c = userdata;

	sd_event_source_set_enabled(src, SD_EVENT_OFF);
	if (c->on_hangup) {
		c->on_hangup(c->hangup_data);
		return 0;
	}
	(void)shutdown(fd, SHUT_RD);
	web_server_kick(c->srv);
	return 0;
}

static void watch_peer(struct web *w, struct web_conn *c)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CONNECTION_FD);

	if (info && sd_event_add_io(w->deps.m->event, &c->peer_closed, info->connect_fd,
				    EPOLLRDHUP, on_peer_closed, c) >= 0)
		/* After MHD's own sources: MHD reads what a new connection
		 * sent before its read side is shut. */
		(void)sd_event_source_set_priority(c->peer_closed, SD_EVENT_PRIORITY_IDLE);
}

void web_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
		       enum MHD_ConnectionNotificationCode toe)
{
	struct web_server *s = cls;
	struct web *w = s->w;
	struct web_conn *c = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return;         /* no deadline for this one; MHD's timeout still holds */
		c->srv = s;
		c->conn = conn;
		c->since = now_usec();
		c->receiving = true;
		c->next = w->conns;
		if (c->next)
			c->next->prev = c;
		w->conns = c;
		*socket_context = c;
		watch_peer(w, c);
		return;
	}
	if (!c)
		return;
	/* Before MHD closes the fd: the loop must not watch a closed one. */
	c->peer_closed = sd_event_source_disable_unref(c->peer_closed);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	*socket_context = NULL;
}

static struct web_conn *conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return info ? info->socket_context : NULL;
}

void web_conn_received(struct MHD_Connection *conn)
{
	struct web_conn *c = conn_of(conn);

	if (c)
		c->receiving = false;
}

void web_conn_next_request(struct MHD_Connection *conn)
{
	struct web_conn *c = conn_of(conn);

	if (c) {
		c->receiving = true;
		c->since = now_usec();
	}
}

void web_conn_on_hangup(struct MHD_Connection *conn, void (*fn)(void *userdata), void *userdata)
{
	struct web_conn *c = conn_of(conn);

	if (!c)
		return;
	c->on_hangup = fn;
	c->hangup_data = userdata;
}

static int on_sweep(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct web *w = userdata;
	uint64_t limit = (uint64_t)web_settings_int(w, SET_WEB_TIMEOUT) * 1000000ULL;
	uint64_t now = now_usec();

	for (struct web_conn *c = w->conns; c; c = c->next) {
		const union MHD_ConnectionInfo *info;
		int on = SD_EVENT_ON;

		/* A peer that closed and is still here: shut again, in case
		 * MHD read between the FIN and the shutdown and missed the edge. */
		if (c->peer_closed && sd_event_source_get_enabled(c->peer_closed, &on) >= 0 &&
		    on == SD_EVENT_OFF)
			sd_event_source_set_enabled(c->peer_closed, SD_EVENT_ON);
		if (!c->receiving || c->cut || now - c->since <= limit)
			continue;
		info = MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!info)
			continue;
		/* MHD owns the fd: only shut it down, MHD closes it. */
		(void)shutdown(info->connect_fd, SHUT_RDWR);
		c->cut = true;
		log_debug("web: a request not received within web.timeout is dropped");
		web_server_kick(c->srv);
	}
	sd_event_source_set_time_relative(src, SWEEP_USEC);
	return 0;
}

int web_conn_start(struct web *w)
{
	int r = sd_event_add_time_relative(w->deps.m->event, &w->sweep, CLOCK_MONOTONIC, SWEEP_USEC,
					   0, on_sweep, w);

	if (r >= 0)
		r = sd_event_source_set_enabled(w->sweep, SD_EVENT_ON);
	if (r < 0)
		log_error("web: cannot start the request deadline: %s", strerror(-r));
	return r;
}

void web_conn_stop(struct web *w)
{
	w->sweep = sd_event_source_disable_unref(w->sweep);
}

/* Server-Sent Events: each stream is an MHD response read through a
 * callback from a small queue of shared messages. An empty queue
 * suspends the connection; a new message resumes it. A slow reader
 * loses old snapshots (the next one replaces them) but never an event:
 * when its queue is full of events it is closed, and the browser's
 * EventSource reconnects and starts again from the latest snapshot. */
#include "web/web_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"
#include "common/log.h"
#include "core/snapjson.h"

#define SSE_BLOCK 4096
#define SSE_RETRY "retry: 5000\n\n"
#define SSE_KEEPALIVE ": keepalive\n\n"

struct sse_msg {
	unsigned refs;
	bool droppable;                 /* a snapshot or a keepalive */
	size_t len;
	char data[];
};

struct sse_client {
	struct web *w;
	struct web_server *srv;
	struct MHD_Connection *conn;    /* NULL once MHD is done with it */
	struct web_request *r;          /* likewise */
	char token[AUTH_TOKEN_LEN + 1]; /* the session it was opened with */
	struct sse_msg *queue[WEB_SSE_QUEUE];
	unsigned head, n;
	size_t off;                     /* bytes of queue[head] already sent */
	bool suspended, closing;
	struct sse_client *prev, *next;
};

static struct sse_msg *msg_new(bool droppable, const char *kind, const char *json, size_t len)
{
	size_t cap = len + 64;
	struct sse_msg *m = malloc(sizeof(*m) + cap);
	int n;

	if (!m)
		return NULL;
	if (kind)
		n = snprintf(m->data, cap, "event: %s\ndata: %s\n\n", kind, json);
	else
		n = snprintf(m->data, cap, "%s", json);
	m->refs = 1;
	m->droppable = droppable;
	m->len = (size_t)n;
	return m;
}

static void msg_unref(struct sse_msg *m)
{
	if (m && --m->refs == 0)
		free(m);
}

static struct sse_msg **slot(struct sse_client *c, unsigned i)
{
	return &c->queue[(c->head + i) % WEB_SSE_QUEUE];
}

static void client_wake(struct sse_client *c)
{
	if (!c->suspended || !c->conn)
		return;
	c->suspended = false;
	MHD_resume_connection(c->conn);
	web_server_kick(c->srv);
}

static void client_close(struct sse_client *c)
{
	c->closing = true;
	client_wake(c);
}

/* Makes room by dropping the oldest snapshot not being sent; false when
 * only events wait. */
static bool drop_oldest_droppable(struct sse_client *c)
{
	for (unsigned i = c->off ? 1 : 0; i < c->n; i++) {
		if (!(*slot(c, i))->droppable)
			continue;
		msg_unref(*slot(c, i));
		for (unsigned k = i; k + 1 < c->n; k++)
			*slot(c, k) = *slot(c, k + 1);
		c->n--;
		return true;
	}
	return false;
}

/* A stream lives no longer than its session: logout, a new login of the
 * account, a password or role change, removal, idle timeout (the stream
 * itself is no activity). */
static bool session_gone(const struct sse_client *c)
{
	return c->token[0] && c->w->deps.auth && auth_session_remaining(c->w->deps.auth, c->token) == 0;
}

static void client_push(struct sse_client *c, struct sse_msg *m)
{
	if (c->closing || !c->conn)
		return;
	if (session_gone(c)) {
		log_info("web: an event stream's session has ended: the stream is closed");
		client_close(c);
		return;
	}
	if (c->n == WEB_SSE_QUEUE && !drop_oldest_droppable(c)) {
		if (m->droppable)
			return;
		log_info("web: an event stream cannot keep up and is closed");
		client_close(c);
		return;
	}
	m->refs++;
	*slot(c, c->n++) = m;
	client_wake(c);
}

static void push_all(struct web *w, struct sse_msg *m)
{
	if (!m)
		return;
	for (struct sse_client *c = w->sse; c; c = c->next)
		client_push(c, m);
	msg_unref(m);
}

/* While suspended MHD does not look at the socket: the loop notices a
 * client that left (conn.c), so its slot frees at once. */
static void on_hangup(void *userdata)
{
	client_close(userdata);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	size_t done = 0;

	/* A clean end of the chunked body: browsers then reconnect quietly
	 * instead of logging an incomplete transfer. */
	if (c->closing)
		return MHD_CONTENT_READER_END_OF_STREAM;
	while (done < max && c->n > 0) {
		struct sse_msg *m = *slot(c, 0);
		size_t k = m->len - c->off < max - done ? m->len - c->off : max - done;

		memcpy(buf + done, m->data + c->off, k);
		done += k;
		c->off += k;
		if (c->off == m->len) {
			msg_unref(m);
			c->head = (c->head + 1) % WEB_SSE_QUEUE;
			c->n--;
			c->off = 0;
		}
	}
	if (done == 0) {
		/* Nothing to say: wait off MHD's books until a message comes. */
		c->suspended = true;
		MHD_suspend_connection(c->conn);
	}
	return (ssize_t)done;
}

static void sse_free(void *cls)
{
	struct sse_client *c = cls;

	if (c->conn)
		web_conn_on_hangup(c->conn, NULL, NULL);
	while (c->n > 0) {
		msg_unref(*slot(c, 0));
		c->head = (c->head + 1) % WEB_SSE_QUEUE;
		c->n--;
	}
	if (c->r)
		c->r->sse = NULL;
	if (c->prev)
		c->prev->next = c->next;
	else
		c->w->sse = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->w->n_sse--;
	free(c);
}

static struct sse_msg *snapshot_msg(const struct snapshot *s)
{
	struct sse_msg *m;
	struct json j;
	size_t len;
	char *text;

	json_init(&j);
	snapjson_write(&j, NULL, s);
	text = json_failed(&j) ? NULL : json_steal(&j, &len);
	json_free(&j);
	if (!text)
		return NULL;
	m = msg_new(true, "snapshot", text, len);
	free(text);
	return m;
}

static struct sse_msg *event_msg(const struct event *e)
{
	struct sse_msg *m;
	char when[48];
	struct json j;
	struct tm tm;
	size_t len;
	char *text;

	gmtime_r(&e->time.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%03ldZ", e->time.tv_nsec / 1000000);
	json_init(&j);
	json_obj_open(&j, NULL);
	json_uint(&j, "seq", e->seq);
	json_str(&j, "code", e->def->code);
	json_str(&j, "text", e->def->text);
	json_str(&j, "level", level_name(e->def->level));
	json_bool(&j, "active", e->active);
	json_uint(&j, "unit", e->unit);
	json_uint(&j, "module", e->module);
	json_str(&j, "time", when);
	json_str(&j, "detail", e->detail);
	json_obj_close(&j);
	text = json_failed(&j) ? NULL : json_steal(&j, &len);
	json_free(&j);
	if (!text)
		return NULL;
	m = msg_new(false, "event", text, len);
	free(text);
	return m;
}

void web_sse_snapshot(struct web *w, const struct snapshot *s)
{
	if (w->sse)
		push_all(w, snapshot_msg(s));
}

static void on_event(const struct event *e, void *userdata)
{
	struct web *w = userdata;

	if (w->sse)
		push_all(w, event_msg(e));
}

static int on_keepalive(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct web *w = userdata;
	struct sse_msg *m = NULL;

	for (struct sse_client *c = w->sse; c; c = c->next) {
		if (c->n > 0)
			continue;
		if (!m)
			m = msg_new(true, NULL, SSE_KEEPALIVE, strlen(SSE_KEEPALIVE));
		if (m)
			client_push(c, m);
	}
	msg_unref(m);
	sd_event_source_set_time_relative(src, WEB_SSE_KEEPALIVE_USEC);
	return 0;
}

/* Queues a message made for one client. */
static void push_one(struct sse_client *c, struct sse_msg *m)
{
	if (!m)
		return;
	client_push(c, m);
	msg_unref(m);
}

void web_reply_sse(struct web_request *r)
{
	struct web *w = r->w;
	const struct snapshot *latest = manager_latest(w->deps.m);
	struct MHD_Response *resp;
	struct sse_client *c;

	if (w->n_sse >= WEB_SSE_MAX) {
		web_reply_error(r, 503, "too_many_streams", "at most %d event streams at once",
				WEB_SSE_MAX);
		return;
	}
	c = calloc(1, sizeof(*c));
	resp = c ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK, sse_read, c,
						      sse_free) : NULL;
	if (!resp) {
		free(c);
		web_reply_error(r, 503, "unavailable", "out of memory");
		return;
	}
	/* From here the response owns c: sse_free unlinks and frees it. */
	c->w = w;
	c->srv = r->srv;
	c->conn = r->conn;
	c->r = r;
	if (web_session_token(r))
		snprintf(c->token, sizeof(c->token), "%s", web_session_token(r));
	c->next = w->sse;
	if (c->next)
		c->next->prev = c;
	w->sse = c;
	w->n_sse++;
	r->sse = c;
	web_conn_on_hangup(c->conn, on_hangup, c);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	push_one(c, msg_new(true, NULL, SSE_RETRY, strlen(SSE_RETRY)));
	if (latest)
		push_one(c, snapshot_msg(latest));
	web_reply_response(r, 200, resp);
}

void web_sse_close_server(struct web *w, const struct web_server *srv)
{
	for (struct sse_client *c = w->sse; c; c = c->next)
		if (c->srv == srv)
			client_close(c);
}

void web_sse_detach(struct sse_client *c)
{
	if (c->conn)
		web_conn_on_hangup(c->conn, NULL, NULL);
	c->conn = NULL;
	c->r = NULL;
}

int web_sse_start(struct web *w)
{
	struct event_filter all = { .min_level = LEVEL_NONE, .include_cleared = true };
	int r;

	/* Snapshots come through web_sse_snapshot (http.c's listener). */
	r = evbus_subscribe(w->deps.m->bus, &all, on_event, w, &w->sub);
	if (r >= 0)
		r = sd_event_add_time_relative(w->deps.m->event, &w->keepalive, CLOCK_MONOTONIC,
					       WEB_SSE_KEEPALIVE_USEC, 0, on_keepalive, w);
	if (r >= 0)
		r = sd_event_source_set_enabled(w->keepalive, SD_EVENT_ON);
	if (r < 0)
		log_error("web: cannot follow events: %s", strerror(-r));
	return r;
}

void web_sse_stop(struct web *w)
{
	evbus_unsubscribe(w->deps.m->bus, w->sub);
	w->sub = NULL;
	w->keepalive = sd_event_source_disable_unref(w->keepalive);
	for (struct sse_client *c = w->sse; c; c = c->next)
		client_close(c);
}

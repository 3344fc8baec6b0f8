/* Inside the web server: the server state, one request, and the parts
 * the files of src/web share (http.c: daemons and the loop;
 * http_request.c: the pipeline; http_reply.c: responses; static.c;
 * sse.c). Handlers see only http.h. */
#pragma once

#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "web/http.h"

#define WEB_URI_MAX 2048                /* request target, path and query */
#define WEB_MEMORY_LIMIT (32 * 1024)    /* MHD's per-connection pool: request line + headers */
#define WEB_EXTRA_HEADERS 8
#define WEB_DISCARD_MAX (1024 * 1024)   /* body bytes dropped past a cap before closing */
#define WEB_SSE_MAX 32                  /* streams at once, both servers */
#define WEB_SSE_QUEUE 16                /* messages waiting per stream */
#define WEB_SSE_KEEPALIVE_USEC (15 * 1000000ULL)

/* One MHD daemon (HTTP or HTTPS) watched by the loop. */
struct web_server {
	struct web *w;
	struct MHD_Daemon *d;
	bool https;
	sd_event_source *io;            /* MHD's epoll fd */
	sd_event_source *timer;         /* MHD_get_timeout, or "run now" */
	struct web_server *next;        /* draining list */
};

struct sse_client;

struct web {
	struct web_deps deps;
	struct web_server *http, *https;
	/* HTTPS daemons replaced by a new certificate: they serve their
	 * open connections to the end, then stop. */
	struct web_server *draining;
	int root_fd;                    /* web.root, or -1 */
	bool root_missing_logged;
	struct event_sub *sub;
	sd_event_source *keepalive;
	struct sse_client *sse;         /* every stream */
	unsigned n_sse;
	struct web_request *waiting;    /* suspended by web_suspend */
	struct web_conn *conns;         /* every connection, for the request deadline */
	sd_event_source *sweep;
	struct api_state *api;          /* the API's memory: acknowledged alarms, languages */
};

struct web_header {
	char *name, *value;
};

struct web_request {
	struct web *w;
	struct web_server *srv;
	struct MHD_Connection *conn;
	char *uri;                      /* as received, NULL when too long */
	bool uri_too_long;
	const char *method;             /* MHD's, lives as long as the request */
	char *path;                     /* decoded, without the query */
	const struct web_route *route;
	bool is_static;
	char peer[INET6_ADDRSTRLEN];
	char who[AUTH_NAME_MAX + 1 + 5 + INET6_ADDRSTRLEN];
	bool has_session;
	struct session session;         /* a copy: auth may end it meanwhile */
	char token[AUTH_TOKEN_LEN + 1];

	bool body_announced;            /* Content-Length > 0 or chunked */
	char *body;
	size_t body_len;
	bool body_too_big;
	size_t discarded;
	json_t *body_json;

	bool started, dispatched, want_suspend, suspended;
	struct sse_client *sse;         /* the response is a stream */
	struct MHD_Response *response;  /* made by a reply, queued by the handler */
	unsigned status;
	size_t reply_len;
	struct web_header headers[WEB_EXTRA_HEADERS];
	size_t n_headers;
	uint64_t start_usec;
	struct web_request *wait_prev, *wait_next;
};

/* http.c */
void web_server_kick(struct web_server *s);     /* run MHD soon (after a resume) */
const char *web_settings_str(const struct web *w, enum setting_id id);
long long web_settings_int(const struct web *w, enum setting_id id);

/* conn.c: the deadline for receiving a request */
struct web_conn;
int web_conn_start(struct web *w);
void web_conn_stop(struct web *w);
void web_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
		       enum MHD_ConnectionNotificationCode toe);
void web_conn_received(struct MHD_Connection *conn);          /* the request is whole */
void web_conn_next_request(struct MHD_Connection *conn);      /* its reply is done */
/* [fn] instead of the default when the peer of [conn] closes; NULL: back
 * to the default. */
void web_conn_on_hangup(struct MHD_Connection *conn, void (*fn)(void *userdata), void *userdata);

/* http_checks.c: the checks of the first call; false once a reply is made. */
bool web_request_checks(struct web_request *r, const char *url, const char *method);

/* http_request.c: MHD callbacks */
void *web_request_new(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result web_on_request(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls);
void web_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe);
/* Answers 503 to every request still waiting (shutting down). */
void web_requests_abort(struct web *w);
void web_request_resume(struct web_request *r);

/* http_reply.c */
void web_reply_response(struct web_request *r, unsigned status, struct MHD_Response *resp);
void web_add_security_headers(const struct web_request *r, struct MHD_Response *resp);
/* Queues the reply made by web_reply_*; MHD_NO when there is none. */
enum MHD_Result web_queue_reply(struct web_request *r);

/* static.c */
int web_static_open_root(struct web *w);
void web_static_serve(struct web_request *r);
/* Rejects what must never reach the file system; 0 or -EINVAL. */
int web_static_path_ok(const char *path);

/* sse.c */
int web_sse_start(struct web *w);
void web_sse_stop(struct web *w);
void web_sse_snapshot(struct web *w, const struct snapshot *s);
/* MHD is done with a stream's request and connection. */
void web_sse_detach(struct sse_client *c);
/* Ends the streams served by [srv] (a draining HTTPS daemon). */
void web_sse_close_server(struct web *w, const struct web_server *srv);

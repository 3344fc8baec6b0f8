/* The web server: libmicrohttpd in external epoll mode inside the main
 * loop, HTTP and HTTPS (GnuTLS), static files from web.root, and the
 * JSON API's routing, access checks and replies.
 *
 * Order of checks for every request (each failure is a JSON error and
 * nothing else happens): firewall (at accept) -> connection limits ->
 * body size cap -> route (404/405) -> session (401 "login required") ->
 * password change pending (403 "password_change_required") -> role
 * (403 "forbidden") -> CSRF for every method but GET/HEAD (403
 * "csrf") -> the handler. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "auth/auth.h"
#include "auth/firewall.h"
#include "core/manager.h"
#include "store/store.h"

struct web_route;

/* What handlers reach through web_deps(r). */
struct web_deps {
	const struct web_route *routes; /* api_routes; tests give their own */
	struct manager *m;
	struct store *store;
	struct auth *auth;
	struct firewall *fw;
	struct tls_store *tls;          /* HTTPS key and certificate (tls.h) */
};

enum web_access {
	WEB_PUBLIC = 0,                 /* no session (login, static files) */
	WEB_SESSION,                    /* any session, even one that must change its password */
	WEB_READ,                       /* read-only and up */
	WEB_WRITE,                      /* read-write and admin */
	WEB_ADMIN,
};

struct web_request;

struct web_route {
	const char *method;             /* "GET", "POST", "PUT", "DELETE" */
	const char *path;               /* exact, or a prefix when it ends in '/' */
	enum web_access access;
	size_t max_body;                /* bytes; 0 = a body is refused (413) */
	void (*handle)(struct web_request *r);
};

/* The API's table (api.c), NULL-method terminated. */
extern const struct web_route api_routes[];

struct web;

int web_start(struct web **out, const struct web_deps *deps);
void web_stop(struct web *w);                   /* accepts NULL */

/* --- Inside a handler ------------------------------------------------ */

const struct web_deps *web_deps(const struct web_request *r);
const char *web_method(const struct web_request *r);
const char *web_path(const struct web_request *r);     /* without the query */
/* The part of the path after a prefix route's path ("history" for
 * "/api/v1/logs/" + "history"). */
const char *web_path_rest(const struct web_request *r);
const char *web_query(const struct web_request *r, const char *name);  /* NULL if absent */
const char *web_header(const struct web_request *r, const char *name);
const char *web_body(const struct web_request *r, size_t *len);
/* The body as a JSON object; on a parse error replies 400 "bad_json"
 * and returns NULL. The request keeps ownership. */
json_t *web_body_json(struct web_request *r);
const char *web_peer(const struct web_request *r);     /* "192.0.2.7", "2001:db8::1" */
bool web_is_https(const struct web_request *r);
const struct session *web_session(const struct web_request *r);   /* NULL for PUBLIC routes without one */
const char *web_session_token(const struct web_request *r);
/* "user@peer" for the event log ("admin from 192.0.2.7"). */
const char *web_who(const struct web_request *r);
/* web.root as a directory fd, or -1 when it is missing; the server's
 * own: open below it with openat() and O_NOFOLLOW, never close it. */
int web_root_fd(const struct web_request *r);
/* What the API keeps in memory while the server runs (api.h). */
struct api_state *web_api_state(const struct web_request *r);

/* Extra response header for the next reply (Set-Cookie...). */
void web_add_header(struct web_request *r, const char *name, const char *value);
/* The session cookie for [token], or its removal when NULL: over HTTPS
 * "__Host-upsgate" (Secure; browsers refuse the prefix without it), over
 * HTTP "upsgate"; both HttpOnly, SameSite=Strict, Path=/. A request is
 * matched only with the cookie of its own scheme. */
void web_set_session_cookie(struct web_request *r, const char *token);

/* Exactly one reply per request. Each takes ownership of what it is given. */
void web_reply_json(struct web_request *r, unsigned status, json_t *body);
/* {"error": {"code": code, "message": message}}; codes are stable (docs/api.md). */
void web_reply_error(struct web_request *r, unsigned status, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* [data] is malloc'd; [filename] (may be NULL) adds Content-Disposition. */
void web_reply_data(struct web_request *r, unsigned status, const char *content_type,
		    char *data, size_t len, const char *filename);
/* Server-Sent Events: the request becomes a stream of the latest
 * snapshot ("snapshot") and every event ("event") until the client goes. */
void web_reply_sse(struct web_request *r);

/* The handler will reply later, from a loop callback (a job's done):
 * the connection is suspended until then. */
void web_suspend(struct web_request *r);

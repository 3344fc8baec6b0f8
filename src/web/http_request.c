/* One request through the pipeline of http.h. Every check that needs
 * only the request line and the headers (route, body size announced,
 * session, role, CSRF) runs at MHD's first call, before a byte of the
 * body is read: a refused request costs no body. The body is then
 * accumulated up to the route's cap, and the handler runs once it is
 * complete. */
#include "web/web_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

static void peer_text(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(buf, len, "?");
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
			inet_ntop(AF_INET, a->sin6_addr.s6_addr + 12, buf, (socklen_t)len);
		else
			inet_ntop(AF_INET6, &a->sin6_addr, buf, (socklen_t)len);
	} else if (sa && sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)len);
	}
}

void *web_request_new(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct web_server *s = cls;
	struct web_request *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->w = s->w;
	r->srv = s;
	r->conn = conn;
	r->start_usec = now_usec();
	if (strlen(uri) > WEB_URI_MAX)
		r->uri_too_long = true;
	else
		r->uri = strdup(uri);
	peer_text(conn, r->peer, sizeof(r->peer));
	return r;
}

static void waiting_unlink(struct web_request *r)
{
	if (r->wait_prev)
		r->wait_prev->wait_next = r->wait_next;
	else if (r->w->waiting == r)
		r->w->waiting = r->wait_next;
	if (r->wait_next)
		r->wait_next->wait_prev = r->wait_prev;
	r->wait_prev = r->wait_next = NULL;
}

void web_request_resume(struct web_request *r)
{
	if (!r->suspended)
		return;
	waiting_unlink(r);
	r->suspended = false;
	MHD_resume_connection(r->conn);
	web_server_kick(r->srv);
}

void web_requests_abort(struct web *w)
{
	while (w->waiting) {
		struct web_request *r = w->waiting;

		web_reply_error(r, 503, "shutting_down", "the server is stopping");
		if (r == w->waiting)    /* a reply resumes it; never loop on one */
			web_request_resume(r);
	}
}

static void request_free(struct web_request *r)
{
	if (!r)
		return;
	if (r->suspended)
		waiting_unlink(r);
	if (r->sse)
		web_sse_detach(r->sse);
	if (r->response)
		MHD_destroy_response(r->response);
	for (size_t i = 0; i < r->n_headers; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	json_decref(r->body_json);
	free(r->body);
	free(r->path);
	free(r->uri);
	free(r);
}

void web_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct web_request *r = *con_cls;

	if (!r)
		return;
	web_conn_next_request(conn);
	/* The access log: never the query (tokens may travel there). */
	if (r->method)
		log_debug("web: %s %s %s %s %u %zu B %llu ms%s", r->peer,
			  r->srv->https ? "https" : "http", r->method,
			  r->path ? r->path : "-", r->status, r->reply_len,
			  (unsigned long long)(now_usec() - r->start_usec) / 1000,
			  toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (closed)");
	request_free(r);
	*con_cls = NULL;
}

static enum MHD_Result request_begin(struct web_request *r, const char *url, const char *method)
{
	r->started = true;
	r->method = method;
	r->path = strdup(url);
	snprintf(r->who, sizeof(r->who), "%s", r->peer);
	if (web_request_checks(r, url, method))
		return MHD_YES;
	web_conn_received(r->conn);
	/* Refused before the body was read: MHD discards it; a body that
	 * MHD may not know how to skip ends the connection. */
	if (r->body_announced && r->response)
		MHD_add_response_header(r->response, "Connection", "close");
	return web_queue_reply(r);
}

/* Past the cap (chunked, so unknown at the first call), MHD 0.9 takes
 * no reply before the body's end: the rest is read and dropped, up to
 * WEB_DISCARD_MAX, and a client that goes on is disconnected. */
static enum MHD_Result body_append(struct web_request *r, const char *data, size_t n)
{
	size_t cap = r->route ? r->route->max_body : 0;
	char *grown;

	if (r->body_too_big || n > cap - r->body_len) {
		if (!r->body_too_big)
			log_debug("web: %s %s: body over %zu bytes", r->method, r->path, cap);
		r->body_too_big = true;
		r->discarded += n;
		return r->discarded > WEB_DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	grown = realloc(r->body, r->body_len + n + 1);
	if (!grown)
		return MHD_NO;
	r->body = grown;
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return MHD_YES;
}

static enum MHD_Result request_dispatch(struct web_request *r)
{
	r->dispatched = true;
	web_conn_received(r->conn);
	if (r->is_static)
		web_static_serve(r);
	else
		r->route->handle(r);
	if (r->response)
		return web_queue_reply(r);
	if (r->want_suspend) {
		r->suspended = true;
		r->wait_next = r->w->waiting;
		if (r->wait_next)
			r->wait_next->wait_prev = r;
		r->w->waiting = r;
		MHD_suspend_connection(r->conn);
		return MHD_YES;
	}
	log_error("web: %s %s: the handler made no reply", r->method, r->path);
	web_reply_error(r, 500, "internal", "no reply");
	return web_queue_reply(r);
}

enum MHD_Result web_on_request(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_data_size, void **con_cls)
{
	struct web_request *r = *con_cls;

	if (!r)
		return MHD_NO;          /* out of memory at the URI callback */
	if (!r->started)
		return request_begin(r, url, method);
	if (r->response)                /* a reply made while suspended */
		return web_queue_reply(r);
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		return body_append(r, upload_data, n);
	}
	if (r->body_too_big) {
		web_reply_error(r, 413, "body_too_large", "the body is over %zu bytes",
				r->route ? r->route->max_body : 0);
		if (r->response)
			MHD_add_response_header(r->response, "Connection", "close");
		return web_queue_reply(r);
	}
	if (r->dispatched) {            /* resumed without a reply: cannot happen */
		web_reply_error(r, 500, "internal", "no reply");
		return web_queue_reply(r);
	}
	return request_dispatch(r);
}

/* --- What handlers read --------------------------------------------- */

const struct web_deps *web_deps(const struct web_request *r)
{
	return &r->w->deps;
}

const char *web_method(const struct web_request *r)
{
	return r->method;
}

const char *web_path(const struct web_request *r)
{
	return r->path;
}

const char *web_path_rest(const struct web_request *r)
{
	size_t n = r->route ? strlen(r->route->path) : 0;

	return strlen(r->path) >= n ? r->path + n : "";
}

const char *web_query(const struct web_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_header(const struct web_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_body(const struct web_request *r, size_t *len)
{
	if (len)
		*len = r->body_len;
	return r->body ? r->body : "";
}

json_t *web_body_json(struct web_request *r)
{
	json_error_t err;
	json_t *j;

	if (r->body_json)
		return r->body_json;
	j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		web_reply_error(r, 400, "bad_json", "the body is not JSON: %s (line %d)",
				err.text, err.line);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		web_reply_error(r, 400, "bad_json", "the body must be a JSON object");
		return NULL;
	}
	r->body_json = j;
	return j;
}

const char *web_peer(const struct web_request *r)
{
	return r->peer;
}

bool web_is_https(const struct web_request *r)
{
	return r->srv->https;
}

const struct session *web_session(const struct web_request *r)
{
	return r->has_session ? &r->session : NULL;
}

const char *web_session_token(const struct web_request *r)
{
	return r->has_session ? r->token : NULL;
}

const char *web_who(const struct web_request *r)
{
	return r->who;
}

int web_root_fd(const struct web_request *r)
{
	return r->w->root_fd;
}

struct api_state *web_api_state(const struct web_request *r)
{
	return r->w->api;
}

void web_suspend(struct web_request *r)
{
	r->want_suspend = true;
}

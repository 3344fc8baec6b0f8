/* The checks of a request's first call, in the order of http.h, on the
 * request line and headers alone: the route (404/405), the body size
 * announced (413), the session (401), a pending password change and the
 * role (403), CSRF (403); and the HTTP -> HTTPS redirect before them. */
#include "web/web_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- Routing -------------------------------------------------------- */

static bool route_path_matches(const struct web_route *rt, const char *path)
{
	size_t n = strlen(rt->path);

	if (n > 0 && rt->path[n - 1] == '/')
		return strncmp(path, rt->path, n) == 0;
	return strcmp(path, rt->path) == 0;
}

static bool route_method_matches(const struct web_route *rt, const char *method)
{
	return strcmp(rt->method, method) == 0 ||
	       (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
}

/* The exact route for [path], else the longest prefix. */
static const struct web_route *route_find(const struct web_route *routes, const char *method,
					  const char *path)
{
	const struct web_route *best = NULL;

	for (const struct web_route *rt = routes; rt && rt->method; rt++) {
		if (!route_path_matches(rt, path) || !route_method_matches(rt, method))
			continue;
		if (strcmp(rt->path, path) == 0)
			return rt;
		if (!best || strlen(rt->path) > strlen(best->path))
			best = rt;
	}
	return best;
}

/* "GET, HEAD, POST" for a 405; empty when no route has [path]. */
static void route_allow(const struct web_route *routes, const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	for (const struct web_route *rt = routes; rt && rt->method; rt++) {
		if (!route_path_matches(rt, path) || strstr(buf, rt->method))
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? ", " : "", rt->method);
		if (strcmp(rt->method, "GET") == 0 && !strstr(buf, "HEAD"))
			snprintf(buf + strlen(buf), len - strlen(buf), ", HEAD");
	}
}

/* --- Checks --------------------------------------------------------- */

static bool role_allows(enum role role, enum web_access access)
{
	switch (access) {
	case WEB_PUBLIC:
	case WEB_SESSION:
		return true;
	case WEB_READ:
		return role >= ROLE_READ_ONLY;
	case WEB_WRITE:
		return role >= ROLE_READ_WRITE;
	case WEB_ADMIN:
		return role == ROLE_ADMIN;
	}
	return false;
}

static void session_lookup(struct web_request *r)
{
	const char *name = r->srv->https ? "__Host-upsgate" : "upsgate";
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
	const struct session *s;

	if (!token || !r->w->deps.auth || strlen(token) > AUTH_TOKEN_LEN)
		return;
	s = auth_session(r->w->deps.auth, token);
	if (!s)
		return;
	r->session = *s;
	r->has_session = true;
	snprintf(r->token, sizeof(r->token), "%s", token);
	snprintf(r->who, sizeof(r->who), "%s from %s", s->user, r->peer);
}

/* A browser names the page that sent a request in Origin; it must be
 * this server as the browser reached it. */
static bool origin_ok(struct web_request *r)
{
	const char *origin = web_header(r, "Origin");
	const char *host = web_header(r, "Host");
	char own[300];

	if (!origin)
		return true;
	if (!host)
		return false;
	snprintf(own, sizeof(own), "%s://%s", r->srv->https ? "https" : "http", host);
	return strcasecmp(origin, own) == 0;
}

static bool is_safe_method(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* 0 when the request may go on; otherwise the reply is made. */
static int check_access(struct web_request *r)
{
	const struct web_route *rt = r->route;

	session_lookup(r);
	if (rt->access > WEB_PUBLIC && !r->has_session) {
		web_reply_error(r, 401, "login_required", "log in first");
		return -EACCES;
	}
	if (rt->access > WEB_SESSION && r->session.must_change) {
		web_reply_error(r, 403, "password_change_required",
				"the password must be changed before anything else");
		return -EACCES;
	}
	if (r->has_session && !role_allows(r->session.role, rt->access)) {
		web_reply_error(r, 403, "forbidden", "the %s role may not do this",
				role_name(r->session.role));
		return -EACCES;
	}
	if (is_safe_method(r->method))
		return 0;
	if (!origin_ok(r)) {
		web_reply_error(r, 403, "csrf", "request from another origin");
		return -EACCES;
	}
	if (rt->access > WEB_PUBLIC && !auth_csrf_ok(&r->session, web_header(r, "X-CSRF-Token"))) {
		web_reply_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
		return -EACCES;
	}
	return 0;
}

static bool body_announced(struct MHD_Connection *conn, unsigned long long *length)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");

	*length = cl ? strtoull(cl, NULL, 10) : 0;
	return *length > 0 || te;
}

/* A "Host" that may go into a Location header: a name, an IPv4 or a
 * bracketed IPv6 address, with an optional port that is dropped. */
static int redirect_host(const char *host, char *out, size_t len)
{
	size_t n;

	if (!host || !*host)
		return -EINVAL;
	if (host[0] == '[') {
		const char *end = strchr(host, ']');

		if (!end || strspn(host + 1, "0123456789abcdefABCDEF:.") != (size_t)(end - host - 1))
			return -EINVAL;
		n = (size_t)(end - host) + 1;
	} else {
		n = strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
		if (host[n] != '\0' && host[n] != ':')
			return -EINVAL;
	}
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(out, host, n);
	out[n] = '\0';
	return 0;
}

static void reply_redirect(struct web_request *r)
{
	char host[256], location[WEB_URI_MAX + 300];
	struct MHD_Response *resp;

	if (redirect_host(web_header(r, "Host"), host, sizeof(host)) < 0) {
		web_reply_error(r, 400, "bad_request", "a Host header is needed to redirect to HTTPS");
		return;
	}
	snprintf(location, sizeof(location), "https://%s:%lld%s", host,
		 web_settings_int(r->w, SET_HTTPS_PORT), r->uri);
	resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (resp)
		MHD_add_response_header(resp, "Location", location);
	web_reply_response(r, is_safe_method(r->method) ? 301 : 308, resp);
}

bool web_request_checks(struct web_request *r, const char *url, const char *method)
{
	const struct web_route *routes = r->w->deps.routes;
	unsigned long long length;
	size_t cap;
	char allow[128];

	if (r->uri_too_long || !r->path) {
		web_reply_error(r, 414, "uri_too_long", "the request target is over %d bytes", WEB_URI_MAX);
		return false;
	}
	if (url[0] != '/' || strcasestr(r->uri, "%00")) {
		web_reply_error(r, 400, "bad_request", "malformed request target");
		return false;
	}
	if (!r->srv->https && settings_bool(r->w->deps.m->settings, SET_HTTP_REDIRECT_HTTPS)) {
		reply_redirect(r);
		return false;
	}
	r->body_announced = body_announced(r->conn, &length);
	if (strncmp(url, "/api/", 5) != 0 && strcmp(url, "/api") != 0) {
		r->is_static = true;
		if (!is_safe_method(method)) {
			web_add_header(r, "Allow", "GET, HEAD");
			web_reply_error(r, 405, "method_not_allowed", "%s is not allowed here", method);
			return false;
		}
	} else {
		r->route = route_find(routes, method, url);
		if (!r->route) {
			route_allow(routes, url, allow, sizeof(allow));
			if (!allow[0]) {
				web_reply_error(r, 404, "not_found", "no such API path");
				return false;
			}
			web_add_header(r, "Allow", allow);
			web_reply_error(r, 405, "method_not_allowed", "%s is not allowed here", method);
			return false;
		}
	}
	cap = r->route ? r->route->max_body : 0;
	if (length > cap || (r->body_announced && cap == 0)) {
		web_reply_error(r, 413, "body_too_large", "the body is over %zu bytes", cap);
		return false;
	}
	return r->is_static || check_access(r) == 0;
}

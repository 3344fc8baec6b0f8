/* The web server's daemons in the main loop: libmicrohttpd in external
 * epoll mode, one daemon for HTTP and one for HTTPS. MHD's epoll fd is
 * an sd-event io source; after every MHD_run a timer is re-armed from
 * MHD_get_timeout, so connection timeouts and connections MHD has more
 * work for are served without a thread. */
#include "web/web_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "web/api.h"
#include "web/tls.h"

#define USEC_PER_MSEC 1000ULL
#define RUN_MAX_MSEC 1000               /* MHD runs at least this often */
/* Rounds of MHD_run at shutdown to let resumed connections finish. */
#define STOP_ROUNDS 64

const char *web_settings_str(const struct web *w, enum setting_id id)
{
	return settings_str(w->deps.m->settings, id);
}

long long web_settings_int(const struct web *w, enum setting_id id)
{
	return settings_int(w->deps.m->settings, id);
}

__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];
	size_t n;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	/* Scanners and broken clients make MHD talk a lot: debug only. */
	log_debug("web: %s", buf);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	struct web_server *s = cls;

	if (!s->w->deps.fw || firewall_allows(s->w->deps.fw, addr, len))
		return MHD_YES;
	return MHD_NO;
}

static unsigned server_connections(const struct web_server *s)
{
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return info ? info->num_connections : 0;
}

static void server_free(struct web_server *s)
{
	if (!s)
		return;
	s->io = sd_event_source_disable_unref(s->io);
	s->timer = sd_event_source_disable_unref(s->timer);
	if (s->d)
		MHD_stop_daemon(s->d);
	free(s);
}

static void draining_done(struct web_server *s)
{
	struct web *w = s->w;

	for (struct web_server **p = &w->draining; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			log_info("web: the HTTPS server of the previous certificate has no connection left");
			server_free(s);
			return;
		}
	}
}

static bool is_draining(const struct web_server *s)
{
	for (const struct web_server *d = s->w->draining; d; d = d->next)
		if (d == s)
			return true;
	return false;
}

static void server_run(struct web_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;

	MHD_run(s->d);
	if (is_draining(s) && server_connections(s) == 0) {
		draining_done(s);
		return;
	}
	/* MHD puts its listening socket back in its epoll set only inside a
	 * run: after the connection limit (or EMFILE) was reached and every
	 * connection left, nothing else would wake it. */
	if (MHD_get_timeout(s->d, &ms) != MHD_YES || ms > RUN_MAX_MSEC)
		ms = RUN_MAX_MSEC;
	sd_event_source_set_time_relative(s->timer, (uint64_t)ms * USEC_PER_MSEC);
	sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

static int on_io(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	server_run(userdata);
	return 0;
}

static int on_timer(sd_event_source *src, uint64_t usec, void *userdata)
{
	server_run(userdata);
	return 0;
}

void web_server_kick(struct web_server *s)
{
	sd_event_source_set_time_relative(s->timer, 0);
	sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

static struct MHD_Daemon *daemon_start(struct web_server *s, uint16_t port, int listen_fd)
{
	struct web *w = s->w;
	unsigned flags = MHD_USE_EPOLL | MHD_USE_DUAL_STACK | MHD_ALLOW_SUSPEND_RESUME |
			 MHD_USE_ERROR_LOG;
	struct MHD_OptionItem extra[5];
	size_t n = 0;

	if (s->https) {
		flags |= MHD_USE_TLS;
		extra[n++] = (struct MHD_OptionItem) { MHD_OPTION_HTTPS_MEM_KEY, 0,
			(void *)tls_key_pem(w->deps.tls) };
		extra[n++] = (struct MHD_OptionItem) { MHD_OPTION_HTTPS_MEM_CERT, 0,
			(void *)tls_cert_pem(w->deps.tls) };
		extra[n++] = (struct MHD_OptionItem) { MHD_OPTION_HTTPS_PRIORITIES, 0,
			(void *)TLS_PRIORITIES };
	}
	if (listen_fd >= 0)
		extra[n++] = (struct MHD_OptionItem) { MHD_OPTION_LISTEN_SOCKET, listen_fd, NULL };
	extra[n++] = (struct MHD_OptionItem) { MHD_OPTION_END, 0, NULL };

	return MHD_start_daemon(flags, port, on_accept, s, web_on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)web_settings_int(w, SET_WEB_MAX_CONNECTIONS),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)web_settings_int(w, SET_WEB_PER_IP_CONNECTIONS),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)web_settings_int(w, SET_WEB_TIMEOUT),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_MEMORY_LIMIT,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_URI_LOG_CALLBACK, web_request_new, s,
		MHD_OPTION_NOTIFY_COMPLETED, web_on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, web_on_connection, s,
		MHD_OPTION_ARRAY, extra,
		MHD_OPTION_END);
}

/* [listen_fd] >= 0: take over that socket (a new certificate). */
static int server_start(struct web *w, bool https, int listen_fd, struct web_server **out)
{
	sd_event *e = w->deps.m->event;
	enum setting_id port_id = https ? SET_HTTPS_PORT : SET_HTTP_PORT;
	uint16_t port = (uint16_t)web_settings_int(w, port_id);
	const union MHD_DaemonInfo *info;
	struct web_server *s;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->w = w;
	s->https = https;
	s->d = daemon_start(s, port, listen_fd);
	if (!s->d) {
		r = -EADDRNOTAVAIL;
		log_error("web: cannot serve %s on port %u (in use, or not allowed): %s is off",
			  https ? "HTTPS" : "HTTP", port, https ? "HTTPS" : "HTTP");
		goto fail;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info) {
		r = -EINVAL;
		log_error("web: libmicrohttpd has no epoll fd");
		goto fail;
	}
	r = sd_event_add_io(e, &s->io, info->epoll_fd, EPOLLIN, on_io, s);
	if (r >= 0)
		r = sd_event_add_time_relative(e, &s->timer, CLOCK_MONOTONIC, 0, USEC_PER_MSEC,
					       on_timer, s);
	if (r < 0) {
		log_error("web: cannot watch the %s server: %s", https ? "HTTPS" : "HTTP", strerror(-r));
		goto fail;
	}
	web_server_kick(s);
	*out = s;
	return 0;
fail:
	server_free(s);
	return r;
}

/* A new certificate: the running HTTPS daemon hands its listening socket
 * to one made with the new pair and serves its open connections to the
 * end, so nobody sees the port closed. */
static void on_tls_change(void *userdata)
{
	struct web *w = userdata;
	struct web_server *old = w->https, *fresh = NULL;
	MHD_socket fd;

	if (!old)
		return;
	fd = MHD_quiesce_daemon(old->d);
	if (server_start(w, true, fd, &fresh) < 0) {
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
		if (server_start(w, true, -1, &fresh) < 0)
			log_error("web: HTTPS is down until the next start");
	}
	w->https = fresh;
	old->next = w->draining;
	w->draining = old;
	web_sse_close_server(w, old);
	web_server_kick(old);
	log_notice("web: HTTPS now uses the %s certificate", fresh ? "new" : "previous");
}

/* Each new snapshot: the API's alarm acknowledgements first (a /status
 * served after this call sees them), then the event streams. */
static void on_snapshot(void *userdata, const struct snapshot *s)
{
	struct web *w = userdata;

	api_state_snapshot(w->api, s);
	web_sse_snapshot(w, s);
}

int web_start(struct web **out, const struct web_deps *deps)
{
	const struct settings *set = deps->m->settings;
	struct web *w;
	int r;

	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->deps = *deps;
	w->root_fd = -1;
	(void)web_static_open_root(w);
	r = api_state_new(&w->api);
	if (r >= 0)
		r = web_sse_start(w);
	if (r >= 0)
		r = web_conn_start(w);
	if (r < 0)
		goto fail;
	r = manager_add_listener(w->deps.m, &(struct manager_listener) {
		.snapshot = on_snapshot, .userdata = w });
	if (r < 0) {
		log_error("web: cannot follow snapshots: %s", strerror(-r));
		goto fail;
	}
	/* A port that cannot be bound leaves that server off and the rest
	 * of the gateway running: monitoring the UPS matters more. */
	if (settings_bool(set, SET_HTTP_ENABLED)) {
		r = server_start(w, false, -1, &w->http);
		if (r < 0 && r != -EADDRNOTAVAIL)
			goto fail;
	}
	if (settings_bool(set, SET_HTTPS_ENABLED)) {
		if (!deps->tls) {
			r = -EINVAL;
			log_error("web: HTTPS enabled without a key and certificate");
			goto fail;
		}
		r = server_start(w, true, -1, &w->https);
		if (r < 0 && r != -EADDRNOTAVAIL)
			goto fail;
		tls_on_change(deps->tls, on_tls_change, w);
	}
	log_info("web: HTTP %s, HTTPS %s",
		 w->http ? "on" : "off", w->https ? "on" : "off");
	*out = w;
	return 0;
fail:
	web_stop(w);
	return r;
}

/* MHD refuses to stop with a suspended connection: streams end and
 * requests still waiting are answered (the jobs were drained first, so
 * none should be), then MHD runs until every one is gone. */
static void server_stop(struct web_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < STOP_ROUNDS; i++)
		MHD_run(s->d);
	server_free(s);
}

void web_stop(struct web *w)
{
	if (!w)
		return;
	if (w->deps.tls)
		tls_on_change(w->deps.tls, NULL, NULL);
	web_sse_stop(w);
	web_conn_stop(w);
	web_requests_abort(w);
	server_stop(w->http);
	server_stop(w->https);
	while (w->draining) {
		struct web_server *s = w->draining;

		w->draining = s->next;
		server_stop(s);
	}
	if (w->root_fd >= 0)
		close(w->root_fd);
	api_state_free(w->api);
	free(w);
}

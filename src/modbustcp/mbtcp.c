#include "modbustcp/mbtcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/listener.h"
#include "common/log.h"
#include "modbustcp/mbtcp_pdu.h"

#define OUT_MAX (8 * MBTCP_ADU_MAX)     /* responses queued while the peer is slow */
#define LISTEN_BACKLOG 4
#define USEC_PER_SEC 1000000ULL

/* The one connection (§15.12: "only 1 unique connection"). */
struct mbtcp_conn {
	int fd;                         /* -1: none */
	sd_event_source *io;
	sd_event_source *idle;
	char peer[INET6_ADDRSTRLEN + 8];
	uint8_t in[MBTCP_ADU_MAX];      /* at most one ADU, possibly partial */
	size_t in_len;
	uint8_t out[OUT_MAX];
	size_t out_len;
};

struct mbtcp {
	struct manager *m;
	const struct firewall *fw;
	int fd;
	sd_event_source *accept_source;
	struct mbtcp_conn conn;
};

static void peer_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
		bool mapped = IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);

		if (mapped)
			inet_ntop(AF_INET, a->sin6_addr.s6_addr + 12, host, sizeof(host));
		else
			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		snprintf(buf, len, mapped ? "%s:%u" : "[%s]:%u", host, ntohs(a->sin6_port));
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(a->sin_port));
	} else {
		snprintf(buf, len, "?");
	}
}

static void conn_close(struct mbtcp *mb, const char *why)
{
	struct mbtcp_conn *c = &mb->conn;

	if (c->fd < 0)
		return;
	log_info("Modbus TCP: %s %s", c->peer, why);
	c->io = sd_event_source_disable_unref(c->io);
	c->idle = sd_event_source_disable_unref(c->idle);
	close(c->fd);
	c->fd = -1;
	c->in_len = c->out_len = 0;
}

static uint64_t idle_usec(const struct mbtcp *mb)
{
	return (uint64_t)settings_int(mb->m->settings, SET_MODBUS_TCP_IDLE_TIMEOUT) * USEC_PER_SEC;
}

static void conn_touch(struct mbtcp *mb)
{
	sd_event_source_set_time_relative(mb->conn.idle, idle_usec(mb));
	sd_event_source_set_enabled(mb->conn.idle, SD_EVENT_ONESHOT);
}

static struct mbtcp_source source_now(const struct mbtcp *mb)
{
	const struct settings *s = mb->m->settings;

	return (struct mbtcp_source) {
		.snap = manager_latest(mb->m),
		.addr = {
			.unit_stride = (uint16_t)settings_int(s, SET_SERIAL_UNIT_STRIDE),
			.module_stride = (uint16_t)settings_int(s, SET_SERIAL_MODULE_STRIDE),
		},
		.slave = (uint8_t)settings_int(s, SET_SERIAL_SLAVE),
	};
}

/* Answers every whole ADU in the input, in order, while the output has
 * room for a full response. 0 or -EBADMSG. */
static int conn_serve(struct mbtcp *mb)
{
	struct mbtcp_conn *c = &mb->conn;
	struct mbtcp_source src = source_now(mb);
	int n, r;

	while (c->out_len + MBTCP_ADU_MAX <= sizeof(c->out)) {
		n = mbtcp_frame_len(c->in, c->in_len);
		if (n <= 0)
			return n;
		r = mbtcp_reply(&src, c->in, (size_t)n, c->out + c->out_len, sizeof(c->out) - c->out_len);
		if (r < 0)
			return r;
		c->out_len += (size_t)r;
		c->in_len -= (size_t)n;
		memmove(c->in, c->in + n, c->in_len);
	}
	return 0;
}

/* Data going out counts as traffic too (§15.12: "no data exchanged"):
 * a client that reads slowly is not idle. */
static int conn_flush(struct mbtcp *mb)
{
	struct mbtcp_conn *c = &mb->conn;

	while (c->out_len > 0) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		c->out_len -= (size_t)n;
		memmove(c->out, c->out + n, c->out_len);
		conn_touch(mb);
	}
	return 0;
}

/* 0, or -ECONNRESET when the peer closed or the socket failed. */
static int conn_read(struct mbtcp *mb)
{
	struct mbtcp_conn *c = &mb->conn;
	ssize_t n;

	if (c->in_len >= sizeof(c->in))
		return 0;       /* a whole ADU waits for room in the output */
	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -ECONNRESET;
	c->in_len += (size_t)n;
	conn_touch(mb);
	return 0;
}

static int on_conn_io(sd_event_source *src, int fd, uint32_t revents, void *userdata)
{
	struct mbtcp *mb = userdata;
	struct mbtcp_conn *c = &mb->conn;
	uint32_t events;

	if ((revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) && conn_read(mb) < 0) {
		conn_close(mb, "closed the connection");
		return 0;
	}
	if (conn_serve(mb) < 0) {
		conn_close(mb, "sent a malformed frame: connection closed");
		return 0;
	}
	if (conn_flush(mb) < 0) {
		conn_close(mb, "cannot be written to: connection closed");
		return 0;
	}
	if (conn_serve(mb) < 0) {     /* what waited for room in the output */
		conn_close(mb, "sent a malformed frame: connection closed");
		return 0;
	}
	events = (c->in_len < sizeof(c->in) ? EPOLLIN : 0) | (c->out_len ? EPOLLOUT : 0);
	sd_event_source_set_io_events(c->io, events);
	return 0;
}

static int on_conn_idle(sd_event_source *src, uint64_t usec, void *userdata)
{
	struct mbtcp *mb = userdata;
	char why[64];

	snprintf(why, sizeof(why), "idle for %lld s: connection closed",
		 settings_int(mb->m->settings, SET_MODBUS_TCP_IDLE_TIMEOUT));
	conn_close(mb, why);
	return 0;
}

static void conn_open(struct mbtcp *mb, int fd, const char *peer)
{
	struct mbtcp_conn *c = &mb->conn;
	int r;

	c->fd = fd;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	r = sd_event_add_io(mb->m->event, &c->io, fd, EPOLLIN, on_conn_io, mb);
	if (r >= 0)
		r = sd_event_add_time_relative(mb->m->event, &c->idle, CLOCK_MONOTONIC, idle_usec(mb),
					       0, on_conn_idle, mb);
	if (r < 0) {
		log_error("Modbus TCP: cannot watch %s: %s", peer, strerror(-r));
		conn_close(mb, "dropped");
		return;
	}
	log_info("Modbus TCP: %s connected", peer);
}

/* A client that closes and reconnects at once is seen connecting before
 * its old connection's end-of-file has been read: look at the held
 * connection before refusing the new one. */
static bool conn_gone(struct mbtcp *mb)
{
	char byte;
	ssize_t n = recv(mb->conn.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static int on_accept(sd_event_source *src, int lfd, uint32_t revents, void *userdata)
{
	struct mbtcp *mb = userdata;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char peer[sizeof(mb->conn.peer)];
	int fd = listener_accept(src, lfd, &ss, &len);

	if (fd < 0)
		return 0;
	peer_text(&ss, peer, sizeof(peer));
	if (mb->conn.fd >= 0 && conn_gone(mb))
		conn_close(mb, "closed by the peer");
	if (!firewall_allows(mb->fw, (struct sockaddr *)&ss, len)) {
		log_notice("Modbus TCP: %s refused by the firewall", peer);
		close(fd);
	} else if (mb->conn.fd >= 0) {
		log_notice("Modbus TCP: %s refused: %s holds the one connection", peer, mb->conn.peer);
		close(fd);
	} else {
		conn_open(mb, fd, peer);
	}
	return 0;
}

/* Dual stack when the host has IPv6, IPv4 only otherwise. */
static int listen_socket(int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT,
				     .sin6_port = htons((uint16_t)port) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY),
				   .sin_port = htons((uint16_t)port) };
	int one = 1, zero = 0, r;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd >= 0 && (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0 ||
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
			bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0)) {
		r = -errno;
		close(fd);
		if (r != -EADDRNOTAVAIL && r != -EAFNOSUPPORT)
			return r;
		fd = -1;
	}
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			goto fail;
	}
	if (listen(fd, LISTEN_BACKLOG) < 0)
		goto fail;
	return fd;
fail:
	r = -errno;
	close(fd);
	return r;
}

int mbtcp_start(struct mbtcp **out, struct manager *m, const struct firewall *fw)
{
	int port = (int)settings_int(m->settings, SET_MODBUS_TCP_PORT);
	struct mbtcp *mb;
	int r;

	*out = NULL;
	mb = calloc(1, sizeof(*mb));
	if (!mb)
		return -ENOMEM;
	mb->m = m;
	mb->fw = fw;
	mb->conn.fd = -1;
	mb->fd = listen_socket(port);
	if (mb->fd < 0) {
		r = mb->fd;
		log_error("Modbus TCP: cannot listen on port %d: %s", port, strerror(-r));
		goto fail;
	}
	r = sd_event_add_io(m->event, &mb->accept_source, mb->fd, EPOLLIN, on_accept, mb);
	if (r < 0) {
		log_error("Modbus TCP: cannot watch the listening socket: %s", strerror(-r));
		goto fail;
	}
	log_info("Modbus TCP: serving the UPS registers (read only) on port %d", port);
	*out = mb;
	return 0;
fail:
	mbtcp_stop(mb);
	return r;
}

void mbtcp_stop(struct mbtcp *mb)
{
	if (!mb)
		return;
	conn_close(mb, "disconnected: server stopping");
	sd_event_source_disable_unref(mb->accept_source);
	if (mb->fd >= 0)
		close(mb->fd);
	free(mb);
}

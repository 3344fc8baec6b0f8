#include "bacnet/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bacnet/bvlc.h"
#include "bacnet/cov.h"
#include "bacnet/npdu.h"
#include "bacnet/services.h"
#include "common/log.h"

#define DATAGRAMS_PER_WAKEUP 64         /* then let the loop serve others */

struct bacnet_server {
	struct manager *m;
	const struct firewall *fw;
	int fd;
	in_port_t port;                 /* network order */
	sd_event_source *io;
	struct bac_services sv;
	uint8_t rx[BVLC_MESSAGE_MAX + 1];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The services read the latest snapshot and the time of this call. */
static void services_now(struct bacnet_server *b, const struct snapshot *s)
{
	b->sv.snap = s;
	b->sv.now_ms = now_ms();
}

static void send_datagram(struct bacnet_server *b, const struct sockaddr_in *to, const uint8_t *head,
			  size_t head_len, const uint8_t *body, size_t body_len)
{
	struct iovec iov[2] = { { (void *)head, head_len }, { (void *)body, body_len } };
	struct msghdr msg = { .msg_name = (void *)to, .msg_namelen = sizeof(*to), .msg_iov = iov,
			      .msg_iovlen = body_len ? 2 : 1 };
	char addr[INET_ADDRSTRLEN];

	if (sendmsg(b->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("bacnet: cannot send to %s:%u: %m",
			  inet_ntop(AF_INET, &to->sin_addr, addr, sizeof(addr)), ntohs(to->sin_port));
}

/* bac_send_fn: wraps an APDU in NPDU and BVLC. */
static void send_apdu(void *userdata, const struct bac_addr *to, bool expecting_reply,
		      const uint8_t *apdu, size_t len)
{
	struct bacnet_server *b = userdata;
	uint8_t head[BVLC_HEADER_LEN + NPDU_HEADER_MAX];
	struct sockaddr_in dest = { .sin_family = AF_INET, .sin_port = b->port,
				    .sin_addr.s_addr = htonl(INADDR_BROADCAST) };
	struct bac_buf h;

	bac_buf_init(&h, head, sizeof(head));
	h.len = BVLC_HEADER_LEN;
	npdu_encode(&h, to ? &to->route : NULL, expecting_reply);
	if (h.overflow)
		return;
	bvlc_header(head, to ? BVLC_ORIGINAL_UNICAST : BVLC_ORIGINAL_BROADCAST, h.len + len);
	send_datagram(b, to ? &to->ip : &dest, head, h.len, apdu, len);
}

static void send_bvlc_result(struct bacnet_server *b, const struct sockaddr_in *to, uint16_t code)
{
	uint8_t out[6];
	struct bac_buf r;

	bac_buf_init(&r, out, sizeof(out));
	bvlc_encode_result(&r, code);
	send_datagram(b, to, r.data, r.len, NULL, 0);
}

static void handle_npdu(struct bacnet_server *b, const struct bvlc_msg *m, const struct sockaddr_in *peer)
{
	uint8_t out[BVLC_HEADER_LEN + NPDU_HEADER_MAX + 4];
	struct bac_addr from = { .ip = m->forwarded ? m->origin : *peer };
	struct bac_buf r;
	struct npdu n;

	if (npdu_decode(m->npdu, m->npdu_len, &n) < 0 || !npdu_for_us(&n))
		return;
	if (m->forwarded && !firewall_allows(b->fw, (const struct sockaddr *)&from.ip, sizeof(from.ip)))
		return;
	from.route = n.src;
	if (n.network_msg) {
		bac_buf_init(&r, out, sizeof(out));
		r.len = BVLC_HEADER_LEN;
		if (npdu_network_reply(&n, m->broadcast, &r)) {
			bvlc_header(out, BVLC_ORIGINAL_UNICAST, r.len);
			send_datagram(b, &from.ip, out, r.len, NULL, 0);
		}
		return;
	}
	services_now(b, manager_latest(b->m));
	bac_handle_apdu(&b->sv, &from, m->broadcast || n.dest.present, n.body, n.body_len);
}

static void handle_datagram(struct bacnet_server *b, size_t len, const struct sockaddr_in *peer)
{
	struct bvlc_msg m;
	uint16_t nak;

	if (bvlc_decode(b->rx, len, &m) < 0)
		return;
	nak = bvlc_nak_for(m.function);
	if (nak) {
		send_bvlc_result(b, peer, nak);
		return;
	}
	if (m.npdu)
		handle_npdu(b, &m, peer);
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct bacnet_server *b = userdata;

	for (int i = 0; i < DATAGRAMS_PER_WAKEUP; i++) {
		struct sockaddr_in peer;
		socklen_t peer_len = sizeof(peer);
		ssize_t n = recvfrom(fd, b->rx, sizeof(b->rx), MSG_DONTWAIT | MSG_TRUNC,
				     (struct sockaddr *)&peer, &peer_len);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_debug("bacnet: receive: %m");
			break;
		}
		/* The firewall first: a rejected peer gets nothing, not even parsed. */
		if (peer_len != sizeof(peer) || peer.sin_family != AF_INET ||
		    !firewall_allows(b->fw, (const struct sockaddr *)&peer, peer_len))
			continue;
		if ((size_t)n > BVLC_MESSAGE_MAX)
			continue;       /* truncated: larger than any BACnet/IP message */
		handle_datagram(b, (size_t)n, &peer);
	}
	return 0;
}

static void on_snapshot(void *userdata, const struct snapshot *s)
{
	struct bacnet_server *b = userdata;

	services_now(b, s);
	bac_cov_check(&b->sv);
}

static void on_tick(void *userdata, const struct snapshot *latest)
{
	struct bacnet_server *b = userdata;

	services_now(b, latest);
	bac_cov_tick(&b->sv);
}

static void on_reload(void *userdata, const struct settings *fresh)
{
	struct bacnet_server *b = userdata;

	b->sv.unit = (unsigned)settings_int(fresh, SET_BACNET_UNIT);
	b->sv.cov_lifetime_max_s = (uint32_t)settings_int(fresh, SET_BACNET_COV_LIFETIME_MAX);
}

static int open_socket(uint16_t port, int *out)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*out = fd;
	return 0;
}

int bacnet_start(struct bacnet_server **out, struct manager *m, const struct firewall *fw)
{
	const struct settings *s = m->settings;
	uint16_t port = (uint16_t)settings_int(s, SET_BACNET_PORT);
	struct bacnet_server *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return -ENOMEM;
	b->m = m;
	b->fw = fw;
	b->fd = -1;
	b->port = htons(port);
	bac_services_init(&b->sv, (uint32_t)settings_int(s, SET_BACNET_DEVICE_ID),
			  (unsigned)settings_int(s, SET_BACNET_UNIT), b->port,
			  (uint32_t)settings_int(s, SET_BACNET_COV_LIFETIME_MAX), send_apdu, b);
	ret = open_socket(port, &b->fd);
	if (ret < 0) {
		log_error("bacnet: cannot listen on UDP port %u: %s", port, strerror(-ret));
		goto fail;
	}
	ret = sd_event_add_io(m->event, &b->io, b->fd, EPOLLIN, on_readable, b);
	if (ret < 0)
		goto fail;
	ret = manager_add_listener(m, &(struct manager_listener) {
		.snapshot = on_snapshot, .tick = on_tick, .reload = on_reload, .userdata = b });
	if (ret < 0)
		goto fail;
	services_now(b, manager_latest(m));
	bac_send_i_am(&b->sv, NULL);
	log_info("bacnet: device %u on UDP port %u", (unsigned)b->sv.device_id, port);
	*out = b;
	return 0;
fail:
	bacnet_stop(b);
	return ret;
}

void bacnet_stop(struct bacnet_server *b)
{
	if (!b)
		return;
	sd_event_source_disable_unref(b->io);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
}

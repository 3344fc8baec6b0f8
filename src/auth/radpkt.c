/* One RADIUS Access-Request exchange (RFC 2865 PAP) with one server,
 * on a pool thread. Written here rather than with radcli because
 * radcli 1.2 (Debian 12) takes a reply's code without checking its
 * Response Authenticator: any host able to send one UDP datagram with
 * the right ID could log anybody in. Every reply here must carry a valid
 * Response Authenticator, and a valid Message-Authenticator when it has
 * one (RFC 3579); requests carry a Message-Authenticator (BlastRADIUS). */
#include <errno.h>
#include <gnutls/crypto.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth_priv.h"

enum {
	CODE_ACCESS_REQUEST = 1, CODE_ACCESS_ACCEPT = 2, CODE_ACCESS_REJECT = 3,
	CODE_ACCESS_CHALLENGE = 11,
};
enum {
	ATTR_USER_NAME = 1, ATTR_USER_PASSWORD = 2, ATTR_SERVICE_TYPE = 6,
	ATTR_NAS_IDENTIFIER = 32, ATTR_MESSAGE_AUTHENTICATOR = 80,
};
#define HDR_LEN 20
#define VEC_LEN 16
#define PACKET_MAX 4096
#define SERVICE_LOGIN 1

struct packet {
	uint8_t b[PACKET_MAX];
	size_t len;
};

static int md5_parts(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[16])
{
	gnutls_hash_hd_t h;

	if (gnutls_hash_init(&h, GNUTLS_DIG_MD5) < 0)
		return -EIO;
	gnutls_hash(h, a, alen);
	gnutls_hash(h, b, blen);
	gnutls_hash_deinit(h, out);
	return 0;
}

static int put_attr(struct packet *p, uint8_t type, const void *value, size_t len)
{
	if (len > 253 || p->len + 2 + len > sizeof(p->b))
		return -EMSGSIZE;
	p->b[p->len] = type;
	p->b[p->len + 1] = (uint8_t)(2 + len);
	memcpy(p->b + p->len + 2, value, len);
	p->len += 2 + len;
	return 0;
}

/* RFC 2865 5.2: the password padded to 16, each block XORed with
 * MD5(secret + previous cipher block), the first with the vector. */
static int put_password(struct packet *p, const char *password, const char *secret,
			const uint8_t vec[VEC_LEN])
{
	uint8_t hidden[AUTH_PASSWORD_MAX], digest[16];
	size_t n = strlen(password), padded = n == 0 ? 16 : (n + 15) / 16 * 16;
	const uint8_t *prev = vec;
	int r = 0;

	if (padded > sizeof(hidden))
		return -EMSGSIZE;
	memset(hidden, 0, sizeof(hidden));
	memcpy(hidden, password, n);
	for (size_t i = 0; i < padded && r == 0; i += 16) {
		r = md5_parts(secret, strlen(secret), prev, 16, digest);
		for (size_t k = 0; k < 16; k++)
			hidden[i + k] ^= digest[k];
		prev = hidden + i;
	}
	if (r == 0)
		r = put_attr(p, ATTR_USER_PASSWORD, hidden, padded);
	explicit_bzero(hidden, sizeof(hidden));
	explicit_bzero(digest, sizeof(digest));
	return r;
}

static void set_length(struct packet *p)
{
	p->b[2] = (uint8_t)(p->len >> 8);
	p->b[3] = (uint8_t)p->len;
}

static int build_request(struct packet *p, uint8_t id, const uint8_t vec[VEC_LEN],
			 const struct radius_config *cfg, const char *secret, const char *user,
			 const char *password)
{
	static const uint8_t zero[16];
	const uint8_t service[4] = { 0, 0, 0, SERVICE_LOGIN };
	size_t ma;
	int r;

	p->b[0] = CODE_ACCESS_REQUEST;
	p->b[1] = id;
	memcpy(p->b + 4, vec, VEC_LEN);
	p->len = HDR_LEN;
	ma = p->len + 2;
	r = put_attr(p, ATTR_MESSAGE_AUTHENTICATOR, zero, 16);
	if (r == 0)
		r = put_attr(p, ATTR_USER_NAME, user, strlen(user));
	if (r == 0)
		r = put_password(p, password, secret, vec);
	if (r == 0)
		r = put_attr(p, ATTR_SERVICE_TYPE, service, sizeof(service));
	if (r == 0)
		r = put_attr(p, ATTR_NAS_IDENTIFIER, cfg->nas_id, strlen(cfg->nas_id));
	if (r < 0)
		return r;
	set_length(p);
	if (gnutls_hmac_fast(GNUTLS_MAC_MD5, secret, strlen(secret), p->b, p->len, p->b + ma) < 0)
		return -EIO;
	return 0;
}

/* The code of a reply that is ours and genuine, or -EBADMSG. */
static int check_reply(const uint8_t *b, size_t got, uint8_t id, const uint8_t vec[VEC_LEN],
		       const char *secret)
{
	uint8_t copy[PACKET_MAX], digest[16];
	size_t len, pos, ma = 0;

	if (got < HDR_LEN)
		return -EBADMSG;
	len = (size_t)b[2] << 8 | b[3];
	if (len < HDR_LEN || len > got || b[1] != id)
		return -EBADMSG;
	for (pos = HDR_LEN; pos < len; pos += b[pos + 1]) {
		if (pos + 2 > len || b[pos + 1] < 2 || pos + b[pos + 1] > len)
			return -EBADMSG;
		if (b[pos] == ATTR_MESSAGE_AUTHENTICATOR) {
			if (b[pos + 1] != 18 || ma)
				return -EBADMSG;
			ma = pos + 2;
		}
	}
	memcpy(copy, b, len);
	memcpy(copy + 4, vec, VEC_LEN);
	if (md5_parts(copy, len, secret, strlen(secret), digest) < 0 ||
	    !ct_equal((const char *)digest, (const char *)b + 4, 16))
		return -EBADMSG;
	if (ma) {
		memset(copy + ma, 0, 16);
		if (gnutls_hmac_fast(GNUTLS_MAC_MD5, secret, strlen(secret), copy, len, digest) < 0 ||
		    !ct_equal((const char *)digest, (const char *)b + ma, 16))
			return -EBADMSG;
	}
	return b[0];
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Waits up to [ms] for a genuine reply; forged or stray datagrams are
 * dropped and waiting goes on. */
static int await_reply(int fd, int ms, uint8_t id, const uint8_t vec[VEC_LEN], const char *secret,
		       bool *bad)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	uint8_t buf[PACKET_MAX];

	for (;;) {
		uint64_t t = now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int code;

		if (t >= end)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)(end - t)) < 0 && errno != EINTR)
			return -errno;
		if (!(pfd.revents & (POLLIN | POLLERR)))
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;  /* ECONNREFUSED: nobody listens there */
		code = check_reply(buf, (size_t)n, id, vec, secret);
		if (code < 0)
			*bad = true;
		else
			return code;
	}
}

static int exchange(const struct addrinfo *ai, const struct packet *req, int timeout, int retries,
		    const char *secret, bool *bad)
{
	int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -ETIMEDOUT;

	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	for (int attempt = 0; attempt <= retries && r == -ETIMEDOUT; attempt++) {
		if (send(fd, req->b, req->len, 0) < 0) {
			r = -errno;
			break;
		}
		r = await_reply(fd, timeout * 1000, req->b[1], req->b + 4, secret, bad);
	}
	close(fd);
	return r;
}

enum radius_answer radius_exchange(const struct radius_config *cfg, const struct radius_server *srv,
				   const char *user, const char *password, const char **why)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV }, *res = NULL;
	struct packet req;
	uint8_t rnd[1 + VEC_LEN];
	char port[8];
	bool bad = false;
	int r = -EHOSTUNREACH;

	*why = "cannot resolve the name";
	snprintf(port, sizeof(port), "%u", cfg->port);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd) ||
	    build_request(&req, rnd[0], rnd + 1, cfg, srv->secret, user, password) < 0) {
		*why = "cannot build the request";
		return RADIUS_DOWN;
	}
	if (getaddrinfo(srv->host, port, &hints, &res) == 0)
		for (const struct addrinfo *ai = res; ai && r < 0; ai = ai->ai_next)
			r = exchange(ai, &req, cfg->timeout, cfg->retries, srv->secret, &bad);
	if (res)
		freeaddrinfo(res);
	explicit_bzero(&req, sizeof(req));
	if (r == CODE_ACCESS_ACCEPT)
		return RADIUS_ACCEPT;
	if (r == CODE_ACCESS_REJECT || r == CODE_ACCESS_CHALLENGE)
		return RADIUS_REJECT;   /* a challenge asks for more than a password: no */
	if (bad)
		*why = "replies that do not verify (is the shared secret right?)";
	else if (r == -ETIMEDOUT)
		*why = "no answer (server down, or a wrong shared secret)";
	else if (r == -ECONNREFUSED)
		*why = "refused (no RADIUS server on that port)";
	else if (r >= 0)
		*why = "an unexpected reply";
	else if (r != -EHOSTUNREACH)
		*why = "network error";
	return RADIUS_DOWN;
}

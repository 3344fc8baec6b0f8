/* RADIUS without a server: the settings copy (bad hosts and empty
 * secrets left out), the users table, and every way a reply can fail the
 * checks (FreeRADIUS itself is in tests/integration/auth-radius.py). */
#include "auth-test.h"
#include "auth/radpkt.c"

static const uint8_t vec[VEC_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* A genuine reply: attributes [attrs], signed with [secret]. */
static size_t make_reply(uint8_t *b, uint8_t code, uint8_t id, const uint8_t *attrs, size_t n,
			 const char *secret, bool with_ma)
{
	uint8_t digest[16];
	size_t len = HDR_LEN + n, ma = 0;

	b[0] = code;
	b[1] = id;
	memcpy(b + 4, vec, VEC_LEN);
	memcpy(b + HDR_LEN, attrs, n);
	if (with_ma) {
		ma = len + 2;
		b[len] = ATTR_MESSAGE_AUTHENTICATOR;
		b[len + 1] = 18;
		memset(b + ma, 0, 16);
		len += 18;
	}
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	if (with_ma)
		gnutls_hmac_fast(GNUTLS_MAC_MD5, secret, strlen(secret), b, len, b + ma);
	md5_parts(b, len, secret, strlen(secret), digest);
	memcpy(b + 4, digest, 16);
	return len;
}

static void check_replies(void)
{
	static const uint8_t msg[] = { 18, 7, 'h', 'e', 'l', 'l', 'o' };
	uint8_t b[PACKET_MAX], bad[PACKET_MAX];
	size_t n;

	n = make_reply(b, CODE_ACCESS_ACCEPT, 42, msg, sizeof(msg), "s3cret", false);
	CHECK(check_reply(b, n, 42, vec, "s3cret") == CODE_ACCESS_ACCEPT, "a genuine accept");
	CHECK(check_reply(b, n, 43, vec, "s3cret") == -EBADMSG, "another ID");
	CHECK(check_reply(b, n, 42, vec, "other") == -EBADMSG, "another secret");
	CHECK(check_reply(b, n - 1, 42, vec, "s3cret") == -EBADMSG, "shorter than its Length");
	CHECK(check_reply(b, 19, 42, vec, "s3cret") == -EBADMSG, "shorter than a header");
	memcpy(bad, b, n);
	bad[0] = CODE_ACCESS_ACCEPT;
	bad[4] ^= 1;
	CHECK(check_reply(bad, n, 42, vec, "s3cret") == -EBADMSG, "one authenticator bit off");
	n = make_reply(b, CODE_ACCESS_REJECT, 42, msg, sizeof(msg), "s3cret", false);
	memcpy(bad, b, n);
	bad[0] = CODE_ACCESS_ACCEPT;
	CHECK(check_reply(bad, n, 42, vec, "s3cret") == -EBADMSG, "a reject turned into an accept");
	memset(bad, 0, sizeof(bad));
	bad[0] = CODE_ACCESS_ACCEPT;
	bad[1] = 42;
	bad[3] = HDR_LEN;
	CHECK(check_reply(bad, HDR_LEN, 42, vec, "s3cret") == -EBADMSG, "zero authenticator (radcli's hole)");

	n = make_reply(b, CODE_ACCESS_ACCEPT, 7, msg, sizeof(msg), "s3cret", true);
	CHECK(check_reply(b, n, 7, vec, "s3cret") == CODE_ACCESS_ACCEPT, "with a Message-Authenticator");
	{
		/* A Message-Authenticator made with another secret, while the
		 * Response Authenticator is right: refused. */
		uint8_t digest[16];

		gnutls_hmac_fast(GNUTLS_MAC_MD5, "x", 1, b, n, b + n - 16);
		memcpy(b + 4, vec, VEC_LEN);
		md5_parts(b, n, "s3cret", 6, digest);
		memcpy(b + 4, digest, 16);
		CHECK(check_reply(b, n, 7, vec, "s3cret") == -EBADMSG, "a wrong Message-Authenticator");
	}
	{
		static const uint8_t truncated[] = { 18, 9, 'h', 'i' };
		static const uint8_t zero_len[] = { 18, 0, 1, 2 };
		static const uint8_t short_ma[] = { 80, 6, 0, 0, 0, 0 };

		n = make_reply(b, CODE_ACCESS_ACCEPT, 1, truncated, sizeof(truncated), "s", false);
		CHECK(check_reply(b, n, 1, vec, "s") == -EBADMSG, "an attribute past the end");
		n = make_reply(b, CODE_ACCESS_ACCEPT, 1, zero_len, sizeof(zero_len), "s", false);
		CHECK(check_reply(b, n, 1, vec, "s") == -EBADMSG, "an attribute of length 0");
		n = make_reply(b, CODE_ACCESS_ACCEPT, 1, short_ma, sizeof(short_ma), "s", false);
		CHECK(check_reply(b, n, 1, vec, "s") == -EBADMSG, "a Message-Authenticator of 4 bytes");
	}
}

static void check_request(void)
{
	struct radius_config cfg = { .port = 1812, .timeout = 1, .retries = 0, .nas_id = "ups1" };
	struct packet p;
	char longest[AUTH_PASSWORD_MAX + 1];

	CHECK(build_request(&p, 9, vec, &cfg, "s3cret", "alice", "Alice12!pass") == 0, "request");
	CHECK(p.b[0] == CODE_ACCESS_REQUEST && p.b[1] == 9 && ((size_t)p.b[2] << 8 | p.b[3]) == p.len,
	      "header and Length");
	CHECK(p.b[HDR_LEN] == ATTR_MESSAGE_AUTHENTICATOR, "Message-Authenticator first");
	CHECK(!memmem(p.b, p.len, "Alice12!pass", 12), "the password does not travel in clear");
	memset(longest, 'a', AUTH_PASSWORD_MAX);
	longest[AUTH_PASSWORD_MAX] = 0;
	CHECK(build_request(&p, 9, vec, &cfg, "s3cret", "alice", longest) == 0, "128 characters fit");
}

static void check_settings(void)
{
	struct harness h;
	struct radius_config cfg;

	harness_init(&h, NULL);
	CHECK(!radius_config_from(h.m.settings, &cfg), "off by default");
	harness_reload(&h, "auth = { radius = { enabled = true; primary = \"bad host!\"; primary_secret = \"s\";"
			   " secondary = \"2001:db8::1\"; secondary_secret = \"\"; }; };");
	CHECK(radius_config_from(h.m.settings, &cfg) && cfg.n_server == 0,
	      "a bad host and an empty secret are left out");
	harness_reload(&h, "system = { name = \"ups-room-2\"; };"
			   "auth = { radius = { enabled = true; primary = \"radius.example\"; primary_secret = \"a b,c\";"
			   " secondary = \"2001:db8::1\"; secondary_secret = \"t\"; port = 1645; timeout = 2; retries = 1;"
			   " users = ( { name = \"ann\"; access = \"read-write\"; }, { name = \"bo\"; access = \"disabled\"; } ); }; };");
	CHECK(radius_config_from(h.m.settings, &cfg) && cfg.n_server == 2 &&
	      strcmp(cfg.server[0].secret, "a b,c") == 0 && strcmp(cfg.server[1].host, "2001:db8::1") == 0 &&
	      cfg.port == 1645 && cfg.timeout == 2 && cfg.retries == 1 && strcmp(cfg.nas_id, "ups-room-2") == 0,
	      "both servers, as set");
	CHECK(radius_role(h.m.settings, "ann") == ROLE_READ_WRITE, "ann: read-write");
	CHECK(radius_role(h.m.settings, "bo") == ROLE_NONE, "bo: disabled");
	CHECK(radius_role(h.m.settings, "cy") == ROLE_READ_ONLY, "not listed: read-only");
	CHECK(radius_role(h.m.settings, "Ann") == ROLE_READ_ONLY, "names match exactly");
	radius_config_wipe(&cfg);
	harness_fini(&h);
}

int main(void)
{
	log_setup("test-auth-radius", LOG_CRIT);
	check_replies();
	check_request();
	check_settings();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}

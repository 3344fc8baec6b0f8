/* The firewall: rules from the settings, first match wins, IPv4, IPv6
 * and IPv4-mapped peers, the prefix corners, a bad rule refused at start
 * and ignored (old rules kept) on reload. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/firewall.h"
#include "common/log.h"
#include "maps-test.h"

static struct tap t;
static char tmpdir[] = "/tmp/test-firewall.XXXXXX";

/* Settings with firewall = { rules = ( RULES ); }. */
static struct settings *settings_with(const char *rules)
{
	struct settings *s = NULL;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "firewall = { rules = ( %s ); };\n", rules);
	fclose(f);
	if (settings_load(path, stderr, &s) < 0) {
		fprintf(stderr, "cannot load rules %s\n", rules);
		exit(1);
	}
	return s;
}

/* The loader refuses an IPv4 prefix over 32 (a check across fields); the
 * firewall refuses it too, as a second line: reach it by editing loaded
 * settings, as a schema change could. */
static struct settings *settings_with_bad_prefix(const char *address)
{
	char rule[128];
	struct settings *s;

	snprintf(rule, sizeof(rule), "{ address = \"%s\"; prefix = 32; action = \"reject\"; }", address);
	s = settings_with(rule);
	((union setting_value *)settings_item(s, SET_FIREWALL_RULES, 0, 1))->i = 40;
	return s;
}

static bool allows(const struct firewall *fw, const char *address)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

	if (inet_pton(AF_INET, address, &sin.sin_addr) == 1)
		return firewall_allows(fw, (struct sockaddr *)&sin, sizeof(sin));
	if (inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1)
		return firewall_allows(fw, (struct sockaddr *)&sin6, sizeof(sin6));
	fprintf(stderr, "bad test address %s\n", address);
	exit(1);
}

/* A manager with only what firewall_start uses: settings and listeners. */
static struct firewall *start(struct manager *m, const char *rules, int *ret)
{
	struct firewall *fw = NULL;

	memset(m, 0, sizeof(*m));
	m->settings = settings_with(rules);
	*ret = firewall_start(&fw, m);
	return fw;
}

static void stop(struct manager *m, struct firewall *fw)
{
	firewall_stop(fw);
	settings_free(m->settings);
}

static void expect(const char *rules, const char *peer, bool want)
{
	struct manager m;
	int r;
	struct firewall *fw = start(&m, rules, &r);

	CHECK(&t, r == 0 && allows(fw, peer) == want, "%s %s by ( %s )",
	      peer, want ? "accepted" : "rejected", rules);
	stop(&m, fw);
}

#define RULE(a, p, act) "{ address = \"" a "\"; prefix = " #p "; action = \"" act "\"; }"

static void test_matching(void)
{
	expect("", "192.0.2.1", true);
	expect("", "2001:db8::1", true);
	expect(RULE("192.0.2.0", 24, "reject"), "192.0.2.200", false);
	expect(RULE("192.0.2.0", 24, "reject"), "192.0.3.1", true);
	expect(RULE("192.0.2.7", 32, "reject"), "192.0.2.7", false);
	expect(RULE("192.0.2.7", 32, "reject"), "192.0.2.6", true);
	expect(RULE("192.0.2.7", 31, "reject"), "192.0.2.6", false);
	expect(RULE("0.0.0.0", 0, "reject"), "203.0.113.9", false);
	expect(RULE("0.0.0.0", 0, "reject"), "2001:db8::1", true);     /* v4 rule, v6 peer */
	expect(RULE("::", 0, "reject"), "2001:db8::1", false);
	expect(RULE("::", 0, "reject"), "192.0.2.1", true);            /* v6 rule, v4 peer */
	expect(RULE("2001:db8::", 32, "reject"), "2001:db8:ffff::1", false);
	expect(RULE("2001:db8::", 32, "reject"), "2001:db9::1", true);
	expect(RULE("2001:db8::", 33, "reject"), "2001:db8:8000::1", true);
	expect(RULE("::1", 128, "reject"), "::1", false);
	expect(RULE("::1", 128, "reject"), "::2", true);
	/* host bits of the rule's address are ignored */
	expect(RULE("192.0.2.77", 24, "reject"), "192.0.2.1", false);
}

static void test_mapped(void)
{
	expect(RULE("127.0.0.1", 32, "reject"), "::ffff:127.0.0.1", false);
	expect(RULE("10.0.0.0", 8, "reject"), "::ffff:10.1.2.3", false);
	expect(RULE("10.0.0.0", 8, "reject"), "::ffff:11.1.2.3", true);
	/* a rule written as mapped IPv6 is the IPv4 rule it maps */
	expect(RULE("::ffff:10.0.0.0", 104, "reject"), "10.9.9.9", false);
	expect(RULE("::ffff:10.0.0.0", 104, "reject"), "::ffff:10.9.9.9", false);
	expect(RULE("::ffff:10.0.0.0", 104, "reject"), "11.0.0.1", true);
}

static void test_order(void)
{
	const char *allow_lan_only = RULE("192.168.1.0", 24, "accept") ", " RULE("0.0.0.0", 0, "reject");
	const char *reversed = RULE("0.0.0.0", 0, "reject") ", " RULE("192.168.1.0", 24, "accept");

	expect(allow_lan_only, "192.168.1.20", true);
	expect(allow_lan_only, "192.168.2.20", false);
	expect(reversed, "192.168.1.20", false);
	expect(RULE("127.0.0.1", 32, "accept") ", " RULE("127.0.0.0", 8, "reject"), "127.0.0.1", true);
	expect(RULE("127.0.0.1", 32, "accept") ", " RULE("127.0.0.0", 8, "reject"), "127.0.0.2", false);
}

static void test_non_ip_peer(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr sa = { .sa_family = AF_UNIX };

	CHECK(&t, !firewall_allows(NULL, &sa, sizeof(sa)), "a non-IP peer is refused");
	CHECK(&t, !firewall_allows(NULL, (struct sockaddr *)&sin, 4), "a truncated address is refused");
	CHECK(&t, firewall_allows(NULL, (struct sockaddr *)&sin, sizeof(sin)), "no firewall: accepted");
}

static void test_bad_prefix(void)
{
	struct sockaddr_storage net;
	struct settings *fresh;
	struct manager m;
	int r;
	struct firewall *fw = NULL;

	memset(&m, 0, sizeof(m));
	m.settings = settings_with_bad_prefix("10.0.0.0");
	r = firewall_start(&fw, &m);
	CHECK(&t, r == -EINVAL && fw == NULL, "IPv4 prefix 40 refused at start (%d)", r);
	settings_free(m.settings);

	CHECK(&t, firewall_parse_rule("10.0.0.0", 32, &net) == 0 && net.ss_family == AF_INET, "parse v4/32");
	CHECK(&t, firewall_parse_rule("10.0.0.0", 33, &net) == -EINVAL, "parse v4/33");
	CHECK(&t, firewall_parse_rule("::", 128, &net) == 0 && net.ss_family == AF_INET6, "parse v6/128");
	CHECK(&t, firewall_parse_rule("::", 129, &net) == -EINVAL, "parse v6/129");
	CHECK(&t, firewall_parse_rule("::", -1, &net) == -EINVAL, "parse negative prefix");
	CHECK(&t, firewall_parse_rule("example.org", 8, &net) == -EINVAL, "parse a name");

	/* reload: a bad rule keeps the running ones; a good one replaces them */
	fw = start(&m, RULE("192.0.2.1", 32, "reject"), &r);
	CHECK(&t, r == 0 && m.n_listeners == 1 && m.listeners[0].reload, "reload listener registered");
	fresh = settings_with_bad_prefix("0.0.0.0");
	m.listeners[0].reload(m.listeners[0].userdata, fresh);
	CHECK(&t, !allows(fw, "192.0.2.1") && allows(fw, "192.0.2.2"), "bad reload keeps the old rules");
	settings_free(fresh);
	fresh = settings_with(RULE("192.0.2.2", 32, "reject"));
	m.listeners[0].reload(m.listeners[0].userdata, fresh);
	CHECK(&t, allows(fw, "192.0.2.1") && !allows(fw, "192.0.2.2"), "good reload applies the new rules");
	settings_free(fresh);
	fresh = settings_with("");
	m.listeners[0].reload(m.listeners[0].userdata, fresh);
	CHECK(&t, allows(fw, "192.0.2.2"), "reload to no rule accepts all");
	settings_free(fresh);
	stop(&m, fw);
}

int main(void)
{
	log_setup("test-firewall", LOG_ERR);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_matching();
	test_mapped();
	test_order();
	test_non_ip_peer();
	test_bad_prefix();
	firewall_stop(NULL);
	{
		char path[160];

		snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
		unlink(path);
		rmdir(tmpdir);
	}
	printf("1..%d\n", t.n);
	return t.failed ? 1 : 0;
}

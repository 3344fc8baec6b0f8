/* The agent's access rules and rate limiter (src/snmp/agent_access.c):
 * communities (read, write with and without writes enabled, wrong, empty),
 * v3 users and their minimum security level, the "who" text never holding
 * a secret, the failure window, the block and its end, one entry per host
 * (port and IPv4-mapped IPv6 folded), and a full table. */
#include "snmp/agent_access.c"

#include <netinet/in.h>

#include "check.h"

uint64_t agent_now_usec(void)
{
	return 0;
}

static struct sockaddr_storage v4(const char *ip, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;

	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	inet_pton(AF_INET, ip, &a->sin_addr);
	return ss;
}

static struct sockaddr_storage v6(const char *ip)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

	a->sin6_family = AF_INET6;
	inet_pton(AF_INET6, ip, &a->sin6_addr);
	return ss;
}

#define SEC 1000000ull

static void test_rate_limit(void)
{
	static struct rl_table t;
	struct sockaddr_storage a = v4("192.0.2.7", 1000), a2 = v4("192.0.2.7", 2000);
	struct sockaddr_storage mapped = v6("::ffff:192.0.2.7"), b = v4("192.0.2.8", 1000);
	uint64_t now = 100 * SEC;

	for (int i = 1; i < RL_FAILURES; i++)
		CHECK(!rl_fail(&t, (struct sockaddr *)(i % 2 ? &a : &a2), now + (uint64_t)i),
		      "failure %d does not block", i);
	CHECK(!rl_blocked(&t, (struct sockaddr *)&a, now + 10), "not blocked yet");
	CHECK(rl_fail(&t, (struct sockaddr *)&mapped, now + 11), "the 5th failure blocks (mapped v6 = v4)");
	CHECK(!rl_fail(&t, (struct sockaddr *)&a, now + 12), "blocked once: logged once");
	CHECK(rl_blocked(&t, (struct sockaddr *)&a2, now + 13), "any port of the host is blocked");
	CHECK(!rl_blocked(&t, (struct sockaddr *)&b, now + 13), "another host is not");
	CHECK(rl_blocked(&t, (struct sockaddr *)&a, now + RL_BLOCK_S * SEC), "still blocked");
	CHECK(!rl_blocked(&t, (struct sockaddr *)&a, now + (RL_BLOCK_S + 1) * SEC), "block ends");
	CHECK(!rl_fail(&t, (struct sockaddr *)&a, now + (RL_BLOCK_S + 2) * SEC), "a fresh count");

	/* failures spread over more than the window never block */
	now = 1000 * SEC;
	for (int i = 0; i < 3 * RL_FAILURES; i++)
		CHECK(!rl_fail(&t, (struct sockaddr *)&b, now + (uint64_t)i * (RL_WINDOW_S / 3 + 1) * SEC),
		      "slow failure %d", i);

	/* a full table: the blocked host keeps its entry */
	now = 5000 * SEC;
	for (int i = 0; i < RL_FAILURES; i++)
		rl_fail(&t, (struct sockaddr *)&a, now);
	CHECK(rl_blocked(&t, (struct sockaddr *)&a, now + 1), "blocked before the flood");
	for (unsigned i = 0; i < 2 * RL_TABLE; i++) {
		struct sockaddr_storage x = v4("10.0.0.0", 1);

		((struct sockaddr_in *)&x)->sin_addr.s_addr = htonl(0x0a000000u + i);
		rl_fail(&t, (struct sockaddr *)&x, now + 2 + i);
	}
	CHECK(rl_blocked(&t, (struct sockaddr *)&a, now + 3 * RL_TABLE), "still blocked after the flood");
}

static netsnmp_pdu community_pdu(long version, const char *community, netsnmp_addr_pair *peer)
{
	netsnmp_pdu p = { 0 };

	p.version = version;
	p.community = (u_char *)community;
	p.community_len = strlen(community);
	p.transport_data = peer;
	p.transport_data_length = sizeof(*peer);
	return p;
}

static netsnmp_pdu user_pdu(const char *name, int level, netsnmp_addr_pair *peer)
{
	netsnmp_pdu p = { 0 };

	p.version = SNMP_VERSION_3;
	p.securityModel = SNMP_SEC_MODEL_USM;
	p.securityName = (char *)name;
	p.securityNameLen = strlen(name);
	p.securityLevel = level;
	p.transport_data = peer;
	p.transport_data_length = sizeof(*peer);
	return p;
}

static const char config[] =
	"snmp = { read_community = \"pub-secret\"; write_community = \"priv-secret\";\n"
	"  users = ( { name = \"bob\"; level = \"read-write\"; auth = \"SHA\"; auth_password = \"12345678\";\n"
	"              priv = \"AES\"; priv_password = \"abcdefgh\"; },\n"
	"            { name = \"ro\"; level = \"read-only\"; auth = \"none\"; priv = \"none\"; } ); };\n";

static void test_access(void)
{
	static struct snmp_agent a;
	struct settings *s = NULL;
	netsnmp_addr_pair peer = { 0 };
	netsnmp_pdu p;
	char who[96];

	CHECK(settings_load_text(config, sizeof(config) - 1, "test", stderr, &s) == 0, "config");
	if (!s)
		return;
	peer.remote_addr.sin.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &peer.remote_addr.sin.sin_addr);
	agent_rules_load(&a.rules, s);

	p = community_pdu(SNMP_VERSION_2c, "pub-secret", &peer);
	CHECK(agent_access_of(&a, &p, who, sizeof(who)) == ACCESS_READ, "read community reads");
	CHECK(strcmp(who, "read community from 192.0.2.9") == 0 && !strstr(who, "secret"),
	      "who: %s", who);
	p = community_pdu(SNMP_VERSION_1, "priv-secret", &peer);
	CHECK(agent_access_of(&a, &p, who, sizeof(who)) == ACCESS_READ,
	      "write community only reads while writes are disabled");
	a.rules.write_enabled = true;
	CHECK(agent_access_of(&a, &p, who, sizeof(who)) == ACCESS_WRITE, "writes enabled");
	p = community_pdu(SNMP_VERSION_2c, "priv-secre", &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_NONE, "prefix of a community refused");
	p = community_pdu(SNMP_VERSION_2c, "priv-secretX", &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_NONE, "longer community refused");
	p = community_pdu(SNMP_VERSION_2c, "", &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_NONE, "empty community refused");

	p = user_pdu("bob", SNMP_SEC_LEVEL_AUTHPRIV, &peer);
	CHECK(agent_access_of(&a, &p, who, sizeof(who)) == ACCESS_WRITE, "bob writes");
	CHECK(strcmp(who, "v3 user bob from 192.0.2.9") == 0, "who: %s", who);
	p = user_pdu("bob", SNMP_SEC_LEVEL_AUTHNOPRIV, &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_NONE, "bob below authPriv refused");
	p = user_pdu("ro", SNMP_SEC_LEVEL_NOAUTH, &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_READ, "noAuthNoPriv user reads");
	p = user_pdu("eve", SNMP_SEC_LEVEL_AUTHPRIV, &peer);
	CHECK(agent_access_of(&a, &p, NULL, 0) == ACCESS_NONE, "unknown user refused");
	settings_free(s);
}

int main(void)
{
	test_rate_limit();
	test_access();
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}

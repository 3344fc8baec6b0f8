#include "auth/firewall.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

#define FIREWALL_MAX_RULES 32   /* the schema's limit of firewall.rules */

/* Field order of firewall_rule_items (settings_schema.c). */
enum { FW_FIELD_ADDRESS = 0, FW_FIELD_PREFIX, FW_FIELD_ACTION };

struct fw_rule {
	sa_family_t family;
	uint8_t net[16];            /* 4 bytes used for AF_INET */
	unsigned prefix;
	bool accept;
};

struct fw_rules {
	size_t n;
	struct fw_rule r[FIREWALL_MAX_RULES];
};

struct firewall {
	struct manager *m;
	struct fw_rules rules;
};

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static void mask_bits(uint8_t *bytes, size_t len, unsigned prefix)
{
	for (size_t i = 0; i < len; i++) {
		unsigned keep = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;

		bytes[i] &= (uint8_t)(0xff00 >> keep);
	}
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, unsigned prefix)
{
	unsigned whole = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 || ((a[whole] ^ b[whole]) & (0xff00 >> rest) & 0xff) == 0;
}

int firewall_parse_rule(const char *address, int prefix, struct sockaddr_storage *net)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)net;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)net;

	memset(net, 0, sizeof(*net));
	if (!address || prefix < 0)
		return -EINVAL;
	if (inet_pton(AF_INET, address, &sin->sin_addr) == 1) {
		if (prefix > 32)
			return -EINVAL;
		sin->sin_family = AF_INET;
		mask_bits((uint8_t *)&sin->sin_addr, 4, (unsigned)prefix);
		return 0;
	}
	if (inet_pton(AF_INET6, address, &sin6->sin6_addr) == 1) {
		if (prefix > 128)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		mask_bits(sin6->sin6_addr.s6_addr, 16, (unsigned)prefix);
		return 0;
	}
	return -EINVAL;
}

/* A rule written as ::ffff:a.b.c.d/P (P >= 96) is the IPv4 rule
 * a.b.c.d/(P - 96), since mapped peers are matched as IPv4. */
static void rule_from_sockaddr(struct fw_rule *rule, const struct sockaddr_storage *net, unsigned prefix)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)net;

	memset(rule->net, 0, sizeof(rule->net));
	rule->prefix = prefix;
	if (net->ss_family == AF_INET) {
		rule->family = AF_INET;
		memcpy(rule->net, &((const struct sockaddr_in *)net)->sin_addr, 4);
	} else if (prefix >= 96 && memcmp(sin6->sin6_addr.s6_addr, v4_mapped_prefix, 12) == 0) {
		rule->family = AF_INET;
		rule->prefix = prefix - 96;
		memcpy(rule->net, sin6->sin6_addr.s6_addr + 12, 4);
	} else {
		rule->family = AF_INET6;
		memcpy(rule->net, sin6->sin6_addr.s6_addr, 16);
	}
}

/* All rules or none: a bad rule names itself and leaves [out] untouched. */
static int rules_from_settings(const struct settings *s, struct fw_rules *out)
{
	const struct setting_list *list = settings_list(s, SET_FIREWALL_RULES);
	struct fw_rules fresh = { 0 };

	if (list->n > FIREWALL_MAX_RULES) {
		log_error("firewall.rules: %zu rules, at most %d", list->n, FIREWALL_MAX_RULES);
		return -E2BIG;
	}
	for (size_t i = 0; i < list->n; i++) {
		const char *address = settings_item(s, SET_FIREWALL_RULES, i, FW_FIELD_ADDRESS)->s;
		long long prefix = settings_item(s, SET_FIREWALL_RULES, i, FW_FIELD_PREFIX)->i;
		const char *action = settings_item(s, SET_FIREWALL_RULES, i, FW_FIELD_ACTION)->s;
		struct sockaddr_storage net;

		if (prefix < 0 || prefix > 128 ||
		    firewall_parse_rule(address, (int)prefix, &net) < 0) {
			log_error("firewall.rules[%zu]: %s/%lld: the prefix must be 0 to %d for an %s address",
				  i, address, prefix, strchr(address, ':') ? 128 : 32,
				  strchr(address, ':') ? "IPv6" : "IPv4");
			return -EINVAL;
		}
		rule_from_sockaddr(&fresh.r[i], &net, (unsigned)prefix);
		fresh.r[i].accept = strcmp(action, "accept") == 0;
		fresh.n++;
	}
	*out = fresh;
	return 0;
}

static void firewall_reload(void *userdata, const struct settings *fresh)
{
	struct firewall *fw = userdata;

	if (rules_from_settings(fresh, &fw->rules) < 0)
		log_error("firewall.rules not applied: keeping the %zu running rule(s)", fw->rules.n);
}

int firewall_start(struct firewall **out, struct manager *m)
{
	struct firewall *fw = calloc(1, sizeof(*fw));
	int r;

	if (!fw)
		return -ENOMEM;
	fw->m = m;
	r = rules_from_settings(m->settings, &fw->rules);
	if (r == 0)
		r = manager_add_listener(m, &(struct manager_listener) {
			.reload = firewall_reload, .userdata = fw });
	if (r < 0) {
		if (r == -ENOSPC)
			log_error("firewall: no room for another manager listener");
		free(fw);
		return r;
	}
	log_info("firewall: %zu rule(s)", fw->rules.n);
	*out = fw;
	return 0;
}

void firewall_stop(struct firewall *fw)
{
	free(fw);
}

/* The peer as (family, bytes), IPv4-mapped IPv6 folded into IPv4. */
static bool peer_address(const struct sockaddr *peer, socklen_t len, sa_family_t *family, uint8_t addr[16])
{
	if (peer->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		*family = AF_INET;
		memcpy(addr, &((const struct sockaddr_in *)peer)->sin_addr, 4);
		return true;
	}
	if (peer->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const uint8_t *a = ((const struct sockaddr_in6 *)peer)->sin6_addr.s6_addr;

		if (memcmp(a, v4_mapped_prefix, 12) == 0) {
			*family = AF_INET;
			memcpy(addr, a + 12, 4);
		} else {
			*family = AF_INET6;
			memcpy(addr, a, 16);
		}
		return true;
	}
	return false;
}

bool firewall_allows(const struct firewall *fw, const struct sockaddr *peer, socklen_t len)
{
	sa_family_t family;
	uint8_t addr[16];

	if (!peer || !peer_address(peer, len, &family, addr))
		return false;   /* not an IP peer: nothing a rule could judge */
	for (size_t i = 0; fw && i < fw->rules.n; i++) {
		const struct fw_rule *rule = &fw->rules.r[i];

		if (rule->family == family && prefix_equal(addr, rule->net, rule->prefix))
			return rule->accept;
	}
	return true;
}

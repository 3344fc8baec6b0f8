/* settings_schema[]: made from SETTINGS_LIST (settings_keys.h). */
#include "core/settings.h"

#include "core/event.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const choices_log_level[] = {
	"error", "warning", "notice", "info", "debug", NULL,
};
static const char *const choices_baud[] = {
	"auto", "2400", "9600", "19200", "57600", NULL,
};
static const char *const choices_map[] = { "auto", "jbusp", "vumap", "sts", NULL };
static const char *const choices_temp_unit[] = { "C", "F", NULL };
static const char *const choices_snmp_level[] = { "read-only", "read-write", NULL };
/* What net-snmp 5.9 offers; a protocol this build of it lacks is refused
 * by the agent at start and reload (docs/snmp.md). */
static const char *const choices_snmp_auth[] = {
	"none", "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", NULL,
};
static const char *const choices_snmp_priv[] = { "none", "DES", "AES", "AES-192", "AES-256", NULL };
static const char *const choices_trap_type[] = { "none", "rfc1628", "netvision", NULL };
static const char *const choices_trap_version[] = { "v1", "v2c", "v3", NULL };
static const char *const choices_trap_filter[] = { "none", "severity", "events", NULL };
static const char *const choices_severity[] = { "information", "warning", "critical", NULL };

static const char *const choices_fw_action[] = { "accept", "reject", NULL };

static const char *syntax_ip_address(const char *v)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1)
		return NULL;
	return "an IPv4 or IPv6 address";
}

/* Item schemas of the lists; keys relative to the list entry. */
/* snmp.sys_object_id: "1.3.6.1.4.1.4555.1.1.1" (a leading dot is fine),
 * 2 to 32 sub-identifiers, the first two as SMI allows. */
static const char *syntax_oid(const char *v)
{
	static const char *const what = "an OID in dotted numbers, as 1.3.6.1.4.1.4555.1.1.1";
	unsigned long arc[2] = { 0, 0 };
	size_t n = 0;
	const char *p = *v == '.' ? v + 1 : v;

	while (*p) {
		char *end;
		unsigned long x;

		if (*p < '0' || *p > '9')
			return what;
		x = strtoul(p, &end, 10);
		if (x > 4294967295UL || n == 32 || (*end != '.' && *end != '\0') ||
		    (*end == '.' && end[1] == '\0'))
			return what;
		if (n < 2)
			arc[n] = x;
		n++;
		p = *end ? end + 1 : end;
	}
	if (n < 2 || arc[0] > 2 || (arc[0] < 2 && arc[1] > 39))
		return what;
	return NULL;
}

/* Fields of snmp_user_items: name, level, auth, auth_password, priv,
 * priv_password. The security level follows from auth and priv. */
static const char *check_snmp_user(const union setting_value *f)
{
	bool auth = strcmp(f[2].s, "none") != 0, priv = strcmp(f[4].s, "none") != 0;

	if (priv && !auth)
		return "privacy needs authentication (auth is none)";
	if (auth && strlen(f[3].s) < 8)
		return "auth_password must have 8 characters or more";
	if (priv && strlen(f[5].s) < 8)
		return "priv_password must have 8 characters or more";
	return NULL;
}

static const struct setting_def snmp_user_items[] = {
	{ "name", ST_STRING, "", 1, 31, NULL, 0, "User name", NULL, 0, NULL, NULL },
	{ "level", ST_ENUM, "read-only", 0, 0, choices_snmp_level, 0, "Access level", NULL, 0, NULL, NULL },
	{ "auth", ST_ENUM, "SHA", 0, 0, choices_snmp_auth, 0, "Authentication protocol", NULL, 0, NULL, NULL },
	{ "auth_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Authentication password (8 characters or more)", NULL, 0, NULL, NULL },
	{ "priv", ST_ENUM, "AES", 0, 0, choices_snmp_priv, 0, "Privacy protocol", NULL, 0, NULL, NULL },
	{ "priv_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Privacy password (8 characters or more)", NULL, 0, NULL, NULL },
};

/* snmp.receivers[].events: "3, 4,15" (NET VISION 1-40, STS 1-8, RFC1628 1-4). */
static const char *syntax_trap_list(const char *v)
{
	uint64_t traps;

	return event_traps_parse(v, &traps) < 0 ? "comma-separated trap numbers from 1 to 40" : NULL;
}

/* Fields of snmp_receiver_items, in this order. */
enum {
	RCV_ADDRESS = 0, RCV_COMMUNITY, RCV_TYPE, RCV_VERSION, RCV_FILTER, RCV_SEVERITY,
	RCV_EVENTS, RCV_USER, RCV_INFORM, RCV_PORT,
};

static const char *check_snmp_receiver(const union setting_value *f)
{
	if (strcmp(f[RCV_VERSION].s, "v1") == 0 && f[RCV_INFORM].b)
		return "inform needs version v2c or v3";
	if (strcmp(f[RCV_VERSION].s, "v3") == 0 && f[RCV_USER].s[0] == '\0')
		return "version v3 needs user (an snmp.users name)";
	if (strcmp(f[RCV_FILTER].s, "events") == 0 && f[RCV_EVENTS].s[0] == '\0')
		return "filter \"events\" needs events (trap numbers)";
	return NULL;
}

static const struct setting_def snmp_receiver_items[] = {
	{ "address", ST_STRING, "", 1, 255, NULL, 0, "Receiver host name or address", NULL, 0, NULL, NULL },
	{ "community", ST_STRING, "public", 0, 31, NULL, SF_SECRET, "Trap community (v1, v2c)", NULL, 0, NULL, NULL },
	{ "type", ST_ENUM, "netvision", 0, 0, choices_trap_type, 0, "Trap MIB: none, rfc1628 (UPS only) or netvision", NULL, 0, NULL, NULL },
	{ "version", ST_ENUM, "v2c", 0, 0, choices_trap_version, 0, "SNMP version of the traps", NULL, 0, NULL, NULL },
	{ "filter", ST_ENUM, "none", 0, 0, choices_trap_filter, 0, "Filter by severity or by event", NULL, 0, NULL, NULL },
	{ "severity", ST_ENUM, "information", 0, 0, choices_severity, 0, "Lowest severity sent", NULL, 0, NULL, NULL },
	{ "events", ST_STRING, "", 0, 160, NULL, 0, "Comma-separated trap numbers sent", NULL, 0, syntax_trap_list, NULL },
	{ "user", ST_STRING, "", 0, 31, NULL, 0, "SNMPv3 user (an snmp.users name) for version v3", NULL, 0, NULL, NULL },
	{ "inform", ST_BOOL, "false", 0, 0, NULL, 0, "Send informs (acknowledged, retried) instead of traps (v2c, v3)", NULL, 0, NULL, NULL },
	{ "port", ST_INT, "162", 1, 65535, NULL, 0, "Receiver UDP port", NULL, 0, NULL, NULL },
};

static const char *const choices_access[] = { "disabled", "read-only", "read-write", NULL };

static const struct setting_def radius_user_items[] = {
	{ "name", ST_STRING, "", 1, 31, NULL, 0, "RADIUS user name", NULL, 0, NULL, NULL },
	{ "access", ST_ENUM, "read-only", 0, 0, choices_access, 0, "Access type", NULL, 0, NULL, NULL },
};

static const struct setting_def firewall_rule_items[] = {
	{ "address", ST_STRING, "", 1, 45, NULL, 0, "Network address (IPv4 or IPv6)", NULL, 0, syntax_ip_address, NULL },
	{ "prefix", ST_INT, "32", 0, 128, NULL, 0, "Prefix length (0-32 for IPv4, 0-128 for IPv6)", NULL, 0, NULL, NULL },
	{ "action", ST_ENUM, "accept", 0, 0, choices_fw_action, 0, "accept or reject", NULL, 0, NULL, NULL },
};

/* Fields of firewall_rule_items: address, prefix, action. */
static const char *check_firewall_rule(const union setting_value *f)
{
	struct in_addr v4;

	if (inet_pton(AF_INET, f[0].s, &v4) == 1 && f[1].i > 32)
		return "prefix must be 0 to 32 for an IPv4 address";
	return NULL;
}

/* web.links[].text: shown as text, but no control character. */
static const char *syntax_link_text(const char *v)
{
	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return "a text without control characters";
	return NULL;
}

/* web.links[].address: what the manual asks for ("IP or url without
 * http://") or an http(s) URL. A browser follows it from our pages: no
 * other scheme (javascript:, data:, file:...), nothing that could end an
 * attribute or start markup. "nas:8080/x" is a host and a port, not a
 * scheme "nas". */
static const char *syntax_link_address(const char *v)
{
	static const char *const bad_char =
		"an address without spaces, quotes, backslashes, < > or control characters";
	static const char *const bad_scheme = "an IP address, host name or http(s) URL "
		"(other schemes are refused)";
	unsigned char buf[sizeof(struct in6_addr)];
	size_t n, digits;

	for (const unsigned char *c = (const unsigned char *)v; *c; c++)
		if (*c <= ' ' || *c == 0x7f || strchr("\"'`<>\\", *c))
			return bad_char;
	if (inet_pton(AF_INET6, v, buf) == 1)
		return NULL;
	if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z')))
		return NULL;
	n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (v[n] != ':')
		return NULL;
	digits = strspn(v + n + 1, "0123456789");
	if (digits >= 1 && digits <= 5 && strchr("/?#", v[n + 1 + digits]))
		return NULL;    /* host:port (strchr also finds the end) */
	if ((n == 4 && strncasecmp(v, "http", 4) == 0) || (n == 5 && strncasecmp(v, "https", 5) == 0))
		return strncmp(v + n + 1, "//", 2) == 0 && v[n + 3] && v[n + 3] != '/' ? NULL :
		       "an http(s) URL with a host (http://host/...)";
	return bad_scheme;
}

static const struct setting_def web_link_items[] = {
	{ "text", ST_STRING, "", 1, 32, NULL, 0, "Text of the link in the menu", NULL, 0, syntax_link_text, NULL },
	{ "address", ST_STRING, "", 1, 255, NULL, 0,
	  "IP address, host name or http(s) URL (\"http://\" is added when there is no scheme)",
	  NULL, 0, syntax_link_address, NULL },
	{ "enabled", ST_BOOL, "true", 0, 0, NULL, 0, "Show the link", NULL, 0, NULL, NULL },
};

/* Fields of web_link_items: text, address, enabled. A field left out
 * takes its default, and an empty address is no link. */
static const char *check_web_link(const union setting_value *f)
{
	return f[1].s[0] ? NULL : "address is required";
}

#define NO_ITEMS NULL, 0, NULL, NULL
#define SYNTAX(check) NULL, 0, check, NULL
#define ITEMS(a) a, sizeof(a) / sizeof((a)[0]), NULL, NULL
#define ITEMS_CHECKED(a, check) a, sizeof(a) / sizeof((a)[0]), NULL, check
#define SCHEMA_ROW(id, key, type, def, min, max, choices, flags, help, ...) \
	[SET_##id] = { key, type, def, min, max, choices, flags, help, __VA_ARGS__ },

const struct setting_def settings_schema[_SET_COUNT] = {
	SETTINGS_LIST(SCHEMA_ROW)
};

/* settings_schema[]: made from SETTINGS_LIST (settings_keys.h). */
#include "core/settings.h"

#include <arpa/inet.h>
#include <netinet/in.h>

static const char *const choices_log_level[] = {
	"error", "warning", "notice", "info", "debug", NULL,
};
static const char *const choices_baud[] = {
	"auto", "2400", "9600", "19200", "57600", NULL,
};
static const char *const choices_map[] = { "auto", "jbusp", "vumap", "sts", NULL };
static const char *const choices_temp_unit[] = { "C", "F", NULL };
static const char *const choices_snmp_level[] = { "read-only", "read-write", NULL };
static const char *const choices_snmp_auth[] = { "none", "MD5", "SHA", NULL };
static const char *const choices_snmp_priv[] = { "none", "DES", "AES", NULL };
static const char *const choices_trap_type[] = { "netvision", "rfc1628", NULL };
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
static const struct setting_def snmp_user_items[] = {
	{ "name", ST_STRING, "", 1, 31, NULL, 0, "User name", NULL, 0, NULL, NULL },
	{ "level", ST_ENUM, "read-only", 0, 0, choices_snmp_level, 0, "Access level", NULL, 0, NULL, NULL },
	{ "auth", ST_ENUM, "SHA", 0, 0, choices_snmp_auth, 0, "Authentication protocol", NULL, 0, NULL, NULL },
	{ "auth_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Authentication password (8 characters or more)", NULL, 0, NULL, NULL },
	{ "priv", ST_ENUM, "AES", 0, 0, choices_snmp_priv, 0, "Privacy protocol", NULL, 0, NULL, NULL },
	{ "priv_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Privacy password (8 characters or more)", NULL, 0, NULL, NULL },
};

static const struct setting_def snmp_receiver_items[] = {
	{ "address", ST_STRING, "", 1, 255, NULL, 0, "Receiver host name or address", NULL, 0, NULL, NULL },
	{ "community", ST_STRING, "public", 0, 31, NULL, SF_SECRET, "Trap community", NULL, 0, NULL, NULL },
	{ "type", ST_ENUM, "netvision", 0, 0, choices_trap_type, 0, "Trap MIB", NULL, 0, NULL, NULL },
	{ "version", ST_ENUM, "v2c", 0, 0, choices_trap_version, 0, "SNMP version of the traps", NULL, 0, NULL, NULL },
	{ "filter", ST_ENUM, "none", 0, 0, choices_trap_filter, 0, "Filter by severity or by event", NULL, 0, NULL, NULL },
	{ "severity", ST_ENUM, "information", 0, 0, choices_severity, 0, "Lowest severity sent", NULL, 0, NULL, NULL },
	{ "events", ST_STRING, "", 0, 1024, NULL, 0, "Comma-separated trap numbers sent", NULL, 0, NULL, NULL },
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

#define NO_ITEMS NULL, 0, NULL, NULL
#define ITEMS(a) a, sizeof(a) / sizeof((a)[0]), NULL, NULL
#define ITEMS_CHECKED(a, check) a, sizeof(a) / sizeof((a)[0]), NULL, check
#define SCHEMA_ROW(id, key, type, def, min, max, choices, flags, help, ...) \
	[SET_##id] = { key, type, def, min, max, choices, flags, help, __VA_ARGS__ },

const struct setting_def settings_schema[_SET_COUNT] = {
	SETTINGS_LIST(SCHEMA_ROW)
};

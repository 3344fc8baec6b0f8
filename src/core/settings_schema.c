/* settings_schema[]: made from SETTINGS_LIST (settings_keys.h). */
#include "core/settings.h"

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

/* Item schemas of the lists; keys relative to the list entry. */
static const struct setting_def snmp_user_items[] = {
	{ "name", ST_STRING, "", 1, 31, NULL, 0, "User name", NULL, 0 },
	{ "level", ST_ENUM, "read-only", 0, 0, choices_snmp_level, 0, "Access level", NULL, 0 },
	{ "auth", ST_ENUM, "SHA", 0, 0, choices_snmp_auth, 0, "Authentication protocol", NULL, 0 },
	{ "auth_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Authentication password (8 characters or more)", NULL, 0 },
	{ "priv", ST_ENUM, "AES", 0, 0, choices_snmp_priv, 0, "Privacy protocol", NULL, 0 },
	{ "priv_password", ST_STRING, "", 0, 64, NULL, SF_SECRET, "Privacy password (8 characters or more)", NULL, 0 },
};

static const struct setting_def snmp_receiver_items[] = {
	{ "address", ST_STRING, "", 1, 255, NULL, 0, "Receiver host name or address", NULL, 0 },
	{ "community", ST_STRING, "public", 0, 31, NULL, SF_SECRET, "Trap community", NULL, 0 },
	{ "type", ST_ENUM, "netvision", 0, 0, choices_trap_type, 0, "Trap MIB", NULL, 0 },
	{ "version", ST_ENUM, "v2c", 0, 0, choices_trap_version, 0, "SNMP version of the traps", NULL, 0 },
	{ "filter", ST_ENUM, "none", 0, 0, choices_trap_filter, 0, "Filter by severity or by event", NULL, 0 },
	{ "severity", ST_ENUM, "information", 0, 0, choices_severity, 0, "Lowest severity sent", NULL, 0 },
	{ "events", ST_STRING, "", 0, 1024, NULL, 0, "Comma-separated trap numbers sent", NULL, 0 },
};

#define NO_ITEMS NULL, 0
#define ITEMS(a) a, sizeof(a) / sizeof((a)[0])
#define SCHEMA_ROW(id, key, type, def, min, max, choices, flags, help, ...) \
	[SET_##id] = { key, type, def, min, max, choices, flags, help, __VA_ARGS__ },

const struct setting_def settings_schema[_SET_COUNT] = {
	SETTINGS_LIST(SCHEMA_ROW)
};

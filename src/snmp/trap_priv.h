/* Inside the trap sender: the receivers as configured, the rules that
 * turn an event into notifications, the filters, the on-battery repeat
 * and the varbinds. Everything here is pure (no net-snmp, no loop), so
 * tests/unit/test-snmp-trap.c drives it with its own clock and views. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/settings.h"
#include "snmp/mib.h"
#include "snmp/trap_tab.h"

#define TRAP_MAX_RECEIVERS 8
#define TRAP_REPEAT_USEC (60ULL * 1000000ULL)  /* RFC 1628 upsTrapOnBattery */
#define TRAP_MAX_NOTES 8                        /* notifications one event makes */
#define TRAP_MAX_VARBINDS 8
#define TRAP_MAX_ALARMS 64                      /* well-known alarms tracked per MIB */

/* NET VISION trap numbers the rules name (checked against the generated
 * table by the unit test: a renumbered spec fails there). */
enum {
	NVTRAP_ON_BATTERY = 1,          /* upsTrapOnBattery, every minute */
	NVTRAP_TEST_COMPLETED = 2,
	NVTRAP_ALARM_ADDED = 3,
	NVTRAP_ALARM_REMOVED = 4,
	NVTRAP_COMM_LOST = 14,
	NVTRAP_ON_BATTERY_POWER = 15,   /* sent once */
	NVTRAP_PREVENTIVE = 19,         /* general alarm */
	NVTRAP_POWER_RESTORED = 23,
	NVTRAP_ALARM_CANCELLED = 24,
	NVTRAP_COM_ESTABLISHED = 25,
	NVTRAP_TEST = 40,
	STSTRAP_GENERAL_ALARM = 7,
	STSTRAP_ALARM_CANCELLED = 8,
};

enum trap_type { TRAP_TYPE_NONE = 0, TRAP_TYPE_RFC1628, TRAP_TYPE_NETVISION };
enum trap_version { TRAP_V1 = 0, TRAP_V2C, TRAP_V3 };
enum trap_filter { TRAP_FILTER_NONE = 0, TRAP_FILTER_SEVERITY, TRAP_FILTER_EVENTS };

/* One snmp.receivers entry, typed. */
struct trap_receiver {
	unsigned index;                 /* 1-8, its place in the list */
	char address[256];              /* host name or address */
	unsigned port;
	char community[32];
	char user[32];                  /* v3: an snmp.users name */
	enum trap_type type;
	enum trap_version version;
	bool inform;
	enum trap_filter filter;
	enum level severity;            /* the lowest level sent */
	uint64_t events;                /* bit N: trap number N */
};

/* Fields of snmp.receivers items, as settings_schema.c lists them. */
enum {
	TRAP_FIELD_ADDRESS = 0, TRAP_FIELD_COMMUNITY, TRAP_FIELD_TYPE, TRAP_FIELD_VERSION,
	TRAP_FIELD_FILTER, TRAP_FIELD_SEVERITY, TRAP_FIELD_EVENTS, TRAP_FIELD_USER,
	TRAP_FIELD_INFORM, TRAP_FIELD_PORT,
};

/* "3, 4,15" -> bits 3, 4, 15. -EINVAL on anything else. */
/* The receivers of [s], in order; returns how many (at most [max]). */
size_t trap_receivers_load(const struct settings *s, struct trap_receiver *out, size_t max);

/* One notification to send, before the receivers' filters. */
struct trap_note {
	const struct trap_def *def;
	uint8_t alarm;                  /* 3/4: the well-known alarm index */
	const char *text;               /* TVB_TEXT */
};

/* What the rules remember between events: the alarm table ids and the
 * on-battery repeat. */
struct trap_alarm_slot {
	uint8_t index;                  /* well-known alarm; 0 = free */
	uint32_t id;                    /* upsAlarmId sent with trap 3 */
};

struct trap_state {
	bool on_battery;
	uint64_t next_repeat;           /* CLOCK_MONOTONIC µs */
	int64_t on_battery_since;       /* CLOCK_REALTIME s */
	uint32_t next_alarm_id[_TRAP_MIB_COUNT];
	struct trap_alarm_slot alarms[_TRAP_MIB_COUNT][TRAP_MAX_ALARMS];
};

void trap_state_init(struct trap_state *st);
/* The notifications [e] makes, in sending order; [sts] says the device
 * is an STS. Updates the on-battery repeat ([now]: CLOCK_MONOTONIC µs). */
size_t trap_rules(struct trap_state *st, const struct event *e, bool sts, uint64_t now,
		  struct trap_note *out, size_t max);
/* The on-battery notifications when the minute has come, else 0. */
size_t trap_repeat_due(struct trap_state *st, uint64_t now, struct trap_note *out, size_t max);
/* µs until the next repeat, or UINT64_MAX when none is pending. */
uint64_t trap_repeat_wait(const struct trap_state *st, uint64_t now);

/* Whether receiver [r] takes note [n]; [alarm_filter] is
 * snmp.alarm_trap_filter (traps 3 and 4 under a severity filter). */
bool trap_filter_pass(const struct trap_receiver *r, const struct trap_note *n, bool alarm_filter);

/* The upsAlarmId of well-known alarm [index] in [mib]'s alarm table:
 * the one sent when it was added; [view_id] (the row the view shows, or
 * 0) is taken for a new one so that traps and the table agree. */
uint32_t trap_alarm_id(struct trap_state *st, enum trap_mib mib, uint8_t index, bool added,
		       uint32_t view_id);

/* One varbind, ready to encode. */
struct trap_varbind {
	struct mib_name name;
	struct mib_value value;
};

/* The view's value at an instance, or NULL. */
typedef const struct mib_value *(*trap_lookup_fn)(void *ctx, const mib_oid *name, size_t len);

/* The varbinds of [n] (the table's OBJECTS; sysUpTime and snmpTrapOID
 * are the encoder's). An object the view does not have is left out. */
size_t trap_varbinds(const struct trap_note *n, uint32_t alarm_id, trap_lookup_fn lookup,
		     void *ctx, struct trap_varbind *out, size_t max);
/* The row of the view's alarm table whose upsAlarmDescr is [index]'s
 * well-known OID, or 0. [next] walks the view (mib_view_next's shape). */
typedef const struct mib_value *(*trap_next_fn)(void *ctx, const mib_oid *name, size_t len,
						const struct mib_name *root, struct mib_name *next);
uint32_t trap_view_alarm_id(enum trap_mib mib, uint8_t index, trap_next_fn next, void *ctx);

/* Inside the Socomec MIB builders: what mib_objects.c, mib_values.c,
 * mib_derived.c, mib_host.c and mib_set.c share. */
#pragma once

#include "snmp/mib_objects.h"

#define MIB_MAX_ALARM_ROWS 64

struct mib_alarm_row {
	unsigned num;                   /* well-known alarm number */
	const struct event *e;          /* e->seq is the row's upsAlarmId */
};

struct mib_ctx {
	const struct mib_source *src;
	const struct mib_objects *objs;
	const struct level_data *level; /* NULL: no data (see mib_level) */
	struct mib_alarm_row alarms[MIB_MAX_ALARM_ROWS];
	size_t n_alarms;
};

/* Lines of a table of line measurements: the phases the identity gives,
 * else (an STS) those whose voltage the device reports. */
unsigned mib_lines(const struct mib_ctx *c, enum mib_rows rows);
/* The value of object [o] at row [row] (0-based; 0 for a scalar). False
 * when the instance does not exist. */
bool mib_value(const struct mib_ctx *c, const struct mib_object *o, unsigned row,
	       struct mib_value *v);
/* enum mib_derived values; -1 when not known. */
long long mib_derived(const struct mib_ctx *c, enum mib_derived d);
/* CLOCK_REALTIME seconds of the view (the agent's start plus its uptime). */
long long mib_now(const struct mib_source *src);
/* The gateway's IPv4 address, default gateway and netmask (network order;
 * 0 when there is no default route) and the local date/time texts. */
uint32_t mib_host_ipv4(enum mib_agent what);
void mib_host_clock(enum mib_agent what, long long now, char *buf, size_t len);
/* The mib_set of a writable object (mib_set.c). */
const struct mib_set *mib_set_for(const struct mib_object *o);
bool mib_device_is_sts(const struct mib_source *src);

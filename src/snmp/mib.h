/* The agent's objects as data: a "view" is every served instance (OID,
 * type, value) sorted by OID, built from one snapshot and the settings.
 * GET and GETNEXT are binary searches in the view; a new snapshot or a
 * reload makes the next request rebuild it (lazily: no request, no work).
 *
 * Each MIB module contributes one builder (mib_builders[] in mib.c):
 * system (MIB-II system group), rfc1628 (UPS-MIB), netvision (the NET
 * VISION MIB under .4555.1.1.7 and the legacy .4555.1.1.1 tree), sts
 * (the STS MIB). Builders only call mib_add_*; they never talk to
 * net-snmp, so they are unit-testable without an agent. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/settings.h"
#include "device/snapshot.h"

#define MIB_OID_MAX 32
#define MIB_STRING_MAX 256

typedef uint32_t mib_oid;               /* same width as net-snmp's oid on Linux */

enum mib_type {                         /* SMI types, as BER tags */
	MIB_INTEGER = 0x02,
	MIB_OCTETS = 0x04,
	MIB_OBJECT_ID = 0x06,
	MIB_IPADDRESS = 0x40,
	MIB_COUNTER32 = 0x41,
	MIB_GAUGE32 = 0x42,
	MIB_TIMETICKS = 0x43,
};

struct mib_name {
	mib_oid id[MIB_OID_MAX];
	size_t len;
};

struct mib_value {
	enum mib_type type;
	long long i;                    /* INTEGER, Counter32, Gauge32, TimeTicks */
	size_t len;                     /* OCTET STRING and OBJECT IDENTIFIER */
	union {
		char s[MIB_STRING_MAX];
		mib_oid oid[MIB_OID_MAX];
	};
};

/* What a builder reads. Everything is const: building never changes state. */
struct mib_source {
	const struct snapshot *snap;    /* NULL before the first snapshot */
	const struct settings *settings;
	unsigned data_unit;             /* system.data_unit: 0 = system, N = unit N */
	uint64_t uptime_cs;             /* agent uptime, hundredths of a second */
	/* The agent's copies of the active alarm events (for alarm tables),
	 * oldest first: seq is the alarm's id (1, 2... in order of
	 * appearance, constant while it stays active: RFC 1628 upsAlarmId)
	 * and time is when it was raised (CLOCK_REALTIME), or [started] for
	 * alarms already active when the agent started. */
	const struct event *active;
	size_t n_active;
	int64_t on_battery_since;       /* CLOCK_REALTIME s; 0 = not on battery */
	struct timespec started;        /* CLOCK_REALTIME of sysUpTime 0: alarm times */
	uint32_t input_line_bads;       /* times the input went bad since the start */
};

/* A writable object's SET: [check] runs in the agent's RESERVE phase and
 * returns NULL or the reason for refusing (wrongValue, inconsistentValue
 * or the "not available" case as commitFailed: see snmp_set_status);
 * [apply] runs at COMMIT. [ctx] is the agent's struct snmp_ctx. */
struct snmp_ctx;
struct mib_set {
	enum mib_type type;
	int (*check)(struct snmp_ctx *ctx, const struct mib_name *name, const struct mib_value *v,
		     const char **why);
	int (*apply)(struct snmp_ctx *ctx, const struct mib_name *name, const struct mib_value *v);
};

struct mib_builder;

/* [name]/[len] absolute. Adding the same OID twice is a bug (asserted in
 * tests). A NULL [set] is read-only. */
void mib_add(struct mib_builder *b, const mib_oid *name, size_t len, const struct mib_value *v,
	     const struct mib_set *set);
void mib_add_int(struct mib_builder *b, const mib_oid *name, size_t len, enum mib_type type,
		 long long v);
void mib_add_string(struct mib_builder *b, const mib_oid *name, size_t len, const char *s);
void mib_add_oid(struct mib_builder *b, const mib_oid *name, size_t len, const mib_oid *v,
		 size_t vlen);
/* Convenience for a table column: [base].[column].[index]. */
void mib_name_make(struct mib_name *out, const mib_oid *base, size_t len, int n, ...);

struct mib_module {
	const char *name;
	void (*build)(struct mib_builder *b, const struct mib_source *src);
};
extern const struct mib_module mib_builders[];      /* NULL-name terminated */

/* The roots the agent registers with net-snmp (one handler each). */
struct mib_root {
	const char *name;
	mib_oid id[16];
	size_t len;
};
extern const struct mib_root mib_roots[];           /* NULL-name terminated */

struct mib_view;
int mib_view_build(struct mib_view **out, const struct mib_source *src);
void mib_view_free(struct mib_view *v);             /* accepts NULL */
size_t mib_view_size(const struct mib_view *v);
/* Exact instance, or NULL. */
const struct mib_value *mib_view_get(const struct mib_view *v, const mib_oid *name, size_t len,
				     const struct mib_set **set);
/* First instance strictly after [name] and below [root] (root may be
 * NULL: anywhere); NULL at the end. Its name is written to [next]. */
const struct mib_value *mib_view_next(const struct mib_view *v, const mib_oid *name, size_t len,
				      const struct mib_name *root, struct mib_name *next);

/* Builders of each module (declared here so mib.c's table names them). */
void mib_build_system(struct mib_builder *b, const struct mib_source *src);
void mib_build_rfc1628(struct mib_builder *b, const struct mib_source *src);
void mib_build_netvision(struct mib_builder *b, const struct mib_source *src);
void mib_build_sts(struct mib_builder *b, const struct mib_source *src);

/* Inside the RFC 1628 UPS-MIB builder (mib_rfc1628.c, mib_rfc1628_lines.c). */
#pragma once

#include "snmp/mib.h"

#define UPS_OBJECTS 1, 3, 6, 1, 2, 1, 33, 1

/* What one build reads: the level Data Unit Selection picks (NULL when
 * it has no valid data: no snapshot, communication lost, no such unit). */
struct rfc_ctx {
	struct mib_builder *b;
	const struct mib_source *src;
	const struct level_data *l;
};

/* Adds UPS_OBJECTS.group.sub... = round(value * scale) clamped to
 * [lo, hi], or nothing when the measurement is not available. */
void rfc_meas(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, enum mib_type type,
	      double value, double scale, long long lo, long long hi);
void rfc_int(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, enum mib_type type,
	     long long v);
double rfc_value(const struct rfc_ctx *c, enum meas_id id);     /* NAN without a level */

void rfc_build_input(const struct rfc_ctx *c);
void rfc_build_output(const struct rfc_ctx *c);
void rfc_build_bypass(const struct rfc_ctx *c);
void rfc_build_alarms(const struct rfc_ctx *c);

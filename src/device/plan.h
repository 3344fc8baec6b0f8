/* Read plan: the map's blocks at each polled level's offset, coalesced
 * into the fewest function 3 reads (docs/polling.md "Coalescing").
 *
 * Two blocks are merged across a gap only when every gap word lies in
 * the map's [span_lo, span_hi] (shifted by a level's offset) and the gap
 * costs less wire time than a separate transaction; no read exceeds 125
 * registers. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "device/maptab.h"

#define PLAN_MAX_READS 48

#define PLAN_ROLES_IDENTITY ((1u << ROLE_IDENTITY) | (1u << ROLE_CONFIG))
#define PLAN_ROLES_FAST     ((1u << ROLE_STATUS) | (1u << ROLE_ALARMS))
#define PLAN_ROLES_FULL     (PLAN_ROLES_FAST | (1u << ROLE_MEASUREMENTS))

struct plan_read {
	uint16_t address;           /* device address */
	uint16_t count;             /* 1..125 */
};

struct plan {
	size_t n;
	struct plan_read reads[PLAN_MAX_READS];
};

/* Cost model of one transaction, in microseconds of line time: 8 request
 * bytes + 5 reply overhead bytes + 2 x 3.5 chars of silence + the slave's
 * turnaround (budgeted as the additional timeout of the speed). */
double plan_transaction_us(unsigned baud, unsigned turnaround_ms);
/* Largest gap (words) worth reading through at that speed. */
unsigned plan_max_gap(unsigned baud, unsigned turnaround_ms);

/* roles: bit mask of (1 << enum block_role); offsets: one per polled
 * level (0 = the system); turnaround_ms 0 = default for the speed.
 * 0, -E2BIG if more than PLAN_MAX_READS reads, -ERANGE if a level's
 * block falls outside the 16-bit address space, -EINVAL otherwise. */
int plan_build(struct plan *p, const struct map_def *map, unsigned roles,
	       const uint32_t *offsets, size_t n_offsets, unsigned baud, unsigned turnaround_ms);
/* Registers, request+reply bytes of the whole plan. */
unsigned plan_registers(const struct plan *p);
unsigned plan_bytes(const struct plan *p);
/* Wire-time lower bound: every byte at 10 bits plus 2 x 3.5 chars of
 * silence per transaction, microseconds. */
double plan_wire_us(const struct plan *p, unsigned baud);

/* Decode once: raw registers of one map -> the normalised model.
 *
 * Pure functions, no I/O: the poller feeds them the blocks it read, the
 * unit tests feed them hand-computed dumps. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "device/maptab.h"
#include "device/model.h"

/* Where a level's registers sit on the wire: device address =
 * map address + unit * unit_stride + module * module_stride
 * (docs/addressing.md). A stride of 0 means the level is not polled. */
struct addressing {
	uint16_t unit_stride;
	uint16_t module_stride;
};

uint32_t level_offset(const struct addressing *a, uint8_t unit, uint8_t module);

/* A read-only view of the registers of one level. */
struct regview {
	const struct raw_block *blocks;
	size_t n_blocks;
	uint32_t offset;            /* added to map addresses */
};

int regview_get(const struct regview *v, uint16_t map_address, uint16_t *value); /* 0 or -ENOENT */

/* Identity and topology from the identity/config blocks of the system
 * level. Returns 0, or -EINVAL if the registers do not look like [map]
 * (used by detection), or -ENOENT if a needed block is missing. */
int decode_identity(const struct map_def *map, const struct regview *v,
		    struct identity *id, struct topology_info *topo);

/* Status, alarms, measurements, flags of one level; leaves derived
 * states to derive_level(). Missing blocks leave the values NAN/0 and
 * valid = false. */
void decode_level(const struct map_def *map, const struct identity *id,
		  const struct regview *v, struct level_data *l);

/* Parallel units from the system level's status bits, once it has been
 * read: JBUSP S30 (UPS on parallel system) makes a single UPS parallel,
 * S32-S37 (unit n present) give unit_mask/n_units. Other maps carry
 * their topology in the identity block: no change. */
void decode_topology_status(const struct map_def *map, const struct level_data *system,
			    struct topology_info *topo);

/* Derived states (UPS status, output source, battery, load, paths, STS
 * sources, worst alarm) from flags, alarms and measurements. */
void derive_level(const struct map_def *map, struct level_data *l);

/* The levels a topology has, in order: system, then units (with their
 * modules after each unit). Fills kind/unit/module/present; returns n. */
size_t topology_levels(const struct topology_info *topo, struct level_data *levels, size_t max);

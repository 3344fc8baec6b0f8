/* What feeds each BACnet object: the private half of the generated
 * table (src/bacnet/tab_objects.c, from src/bacnet/objects.tsv).
 * bac_bindings[i] belongs to bac_objects[i]. Only objects.c and the
 * tests read it; the services see objects.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bacnet/objects.h"

/* Which level of the model an object reads (002 §5.1). */
enum bac_level {
	BAC_LEVEL_COMMON = 0,       /* the gateway itself: DeviceStatus */
	BAC_LEVEL_SYSTEM,           /* "UPS level": always the system */
	BAC_LEVEL_UNIT,             /* "Unit": the system for unit 0, else unit N */
};

enum bac_cond {
	BAC_COND_COMM = 0,          /* arg: enum comm_state */
	BAC_COND_UNIT_MISSING,      /* unit N asked, the topology has none */
	BAC_COND_BATTERY_ABSENT,    /* identity: no battery (converter mode) */
	BAC_COND_ALARMS_ACTIVE,     /* level: n_alarms > 0 */
	BAC_COND_FLAG,              /* arg: enum ups_flag */
	BAC_COND_UPS_STATUS,        /* arg: enum ups_status */
	BAC_COND_OUTPUT_SOURCE,     /* arg: enum output_source */
	BAC_COND_BATTERY_STATUS,    /* arg: enum battery_status */
	BAC_COND_LOAD_STATUS,       /* arg: enum load_status */
	BAC_COND_RECTIFIER,         /* arg: enum path_state */
	BAC_COND_INVERTER,
	BAC_COND_BYPASS,
	BAC_COND_WORST_ALARM,       /* arg: enum level */
	BAC_COND_STATUS_BIT,        /* map + arg: raw status bit number */
	BAC_COND_ALARM_BIT,         /* map + arg: raw alarm bit number */
};

struct bac_rule {
	uint8_t cond;               /* enum bac_cond */
	bool negate;
	uint8_t map;                /* enum ups_map, for the raw bit conditions */
	uint16_t arg;
	uint8_t result;             /* MV: state (1..n); BSV: bit number */
};

struct bac_binding {
	uint8_t level;              /* enum bac_level */
	int16_t meas;               /* AV: enum meas_id; -1 for MV/BSV */
	uint8_t decimals;           /* AV: digits after the point of the spec's format */
	uint8_t fallback;           /* MV: state when no rule holds */
	uint8_t n_rules;
	const struct bac_rule *rules;
};

extern const struct bac_binding bac_bindings[];

/* Register map tables (JBUSP, VU-MAP, STS): data, not code.
 *
 * The bit, measurement and identity facts are generated from
 * ../shared/spec/ TSV files by tools/gen-tables (output: src/device/tab_X.c,
 * committed so a clone builds without the spec); our own normalisation
 * choices (which register feeds which meas_id or flag) live in
 * the TSV files of src/device/maps/. tests/unit/test-spec-tables checks both. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "device/meas.h"
#include "device/model.h"

/* One status or alarm bit. Index in its table = bit number (S05 -> 5). */
struct bit_def {
	const char *acronym;        /* "S05", "A031"; NULL for a blank row */
	uint16_t word;              /* system-level register address */
	uint8_t bit;                /* 0 = LSB */
	enum level level;           /* LEVEL_NONE: not managed */
	const char *text;           /* the manual's description */
};

/* One measurement register. value = (signed?)raw / div[T014]. */
struct meas_reg {
	const char *acronym;        /* "M09" */
	uint16_t address;
	enum meas_id id;
	uint16_t div[2];            /* divisor when T014 = 0 / 1 */
	uint8_t is_signed;
};

enum bit_source { SRC_STATUS = 0, SRC_ALARM };

/* flag |= bit; several rows may feed one flag (OR). */
struct flag_rule {
	enum ups_flag flag;
	enum bit_source src;
	uint8_t index;              /* bit number in the status/alarm table */
};

enum block_role {
	ROLE_IDENTITY = 0,          /* read at start and on change */
	ROLE_CONFIG,                /* read at start and on change */
	ROLE_STATUS,                /* fast cadence */
	ROLE_ALARMS,                /* fast cadence */
	ROLE_MEASUREMENTS,          /* normal cadence */
	_ROLE_COUNT,
};

struct block_def {
	const char *name;
	uint16_t address;
	uint16_t words;
	enum block_role role;
};

/* A named code: UPS type (JBUSP 0x1000) or device reference (VU-MAP T015). */
struct type_code {
	uint16_t code;
	const char *range;
};

struct map_def {
	enum ups_map id;
	const char *name;
	const struct bit_def *status_bits;
	size_t n_status_bits;
	const struct bit_def *alarm_bits;
	size_t n_alarm_bits;
	const struct meas_reg *meas;
	size_t n_meas;
	const struct flag_rule *flags;
	size_t n_flags;
	const struct block_def *blocks;
	size_t n_blocks;
	/* Gaps between blocks may be read through (to save a transaction)
	 * only inside [span_lo, span_hi]: the slave answers there. */
	uint16_t span_lo, span_hi;
	const struct type_code *types;
	size_t n_types;
};

extern const struct map_def map_jbusp;
extern const struct map_def map_vumap;
extern const struct map_def map_sts;

const struct map_def *map_get(enum ups_map m);
const char *map_type_range(const struct map_def *m, uint16_t code); /* NULL if unknown */
const struct block_def *map_block(const struct map_def *m, enum block_role r);

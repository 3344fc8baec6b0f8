/* The history columns: which measurement feeds which database column and
 * which header it carries in each of the manual's history logs. One
 * table (hist_columns.c), checked against ../shared/spec/history_columns.tsv
 * by tests/unit/test-hist-columns.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Enough for every entry of hist_columns[] (checked at compile time). */
#define HIST_MAX_COLUMNS 40

/* The manual's column sets (spec `log` values). */
enum hist_set {
	HSET_UPS_HISTORY = 0,       /* ups_history */
	HSET_UPS_EXTENDED,          /* ups_extended_history: Min, Max, Avg at pos.. pos+2 */
	HSET_STS_HISTORY,           /* sts_history */
	HSET_EMD_HISTORY,           /* emd_history */
	_HSET_COUNT,
};

struct hist_place {
	uint8_t pos;                /* spec `order`; 0 = not in this set */
	const char *title;          /* spec `column` (without " Min" etc.) */
};

struct hist_column {
	int meas;                   /* enum meas_id; -1 = no model source yet (EMD) */
	const char *key;            /* JSON and series name: the meas key */
	const char *sql;            /* database column: key with '_' for '.' */
	struct hist_place in[_HSET_COUNT];
};

extern const struct hist_column hist_columns[];
extern const size_t hist_columns_count;

const char *hist_set_name(enum hist_set set);           /* spec `log` value */
const struct hist_column *hist_column_find(const char *key);   /* NULL if none */
/* The columns of [set] in the manual's order; returns how many. */
size_t hist_set_columns(enum hist_set set, const struct hist_column **out, size_t max);

/* Normalised measurements: one id per physical quantity, whatever map
 * carries it. Each id has a stable dotted key (JSON, logs, history
 * columns) and a unit. The per-map tables (maptab.h) say which register
 * feeds which id and with which scale. */
#pragma once

enum meas_unit {
	UNIT_NONE = 0,      /* a ratio: power factor, crest factor */
	UNIT_V,
	UNIT_A,
	UNIT_HZ,
	UNIT_PERCENT,
	UNIT_KVA,
	UNIT_KW,
	UNIT_AH,
	UNIT_MINUTES,
	UNIT_SECONDS,
	UNIT_CELSIUS,
	UNIT_DEGREES,       /* phase angle */
	_UNIT_COUNT,
};

#define MEAS_LIST(X) \
	X(INPUT_V_L1,        "input.voltage.l1",          UNIT_V) \
	X(INPUT_V_L2,        "input.voltage.l2",          UNIT_V) \
	X(INPUT_V_L3,        "input.voltage.l3",          UNIT_V) \
	X(INPUT_V_U12,       "input.voltage.u12",         UNIT_V) \
	X(INPUT_V_U23,       "input.voltage.u23",         UNIT_V) \
	X(INPUT_V_U31,       "input.voltage.u31",         UNIT_V) \
	X(INPUT_FREQ,        "input.frequency",           UNIT_HZ) \
	X(INPUT_I_L1,        "input.current.l1",          UNIT_A) \
	X(INPUT_I_L2,        "input.current.l2",          UNIT_A) \
	X(INPUT_I_L3,        "input.current.l3",          UNIT_A) \
	X(INPUT_P_L1,        "input.power.l1",            UNIT_KW) \
	X(INPUT_P_L2,        "input.power.l2",            UNIT_KW) \
	X(INPUT_P_L3,        "input.power.l3",            UNIT_KW) \
	X(BYPASS_V_L1,       "bypass.voltage.l1",         UNIT_V) \
	X(BYPASS_V_L2,       "bypass.voltage.l2",         UNIT_V) \
	X(BYPASS_V_L3,       "bypass.voltage.l3",         UNIT_V) \
	X(BYPASS_V_U12,      "bypass.voltage.u12",        UNIT_V) \
	X(BYPASS_V_U23,      "bypass.voltage.u23",        UNIT_V) \
	X(BYPASS_V_U31,      "bypass.voltage.u31",        UNIT_V) \
	X(BYPASS_FREQ,       "bypass.frequency",          UNIT_HZ) \
	X(BYPASS_I_L1,       "bypass.current.l1",         UNIT_A) \
	X(BYPASS_I_L2,       "bypass.current.l2",         UNIT_A) \
	X(BYPASS_I_L3,       "bypass.current.l3",         UNIT_A) \
	X(BYPASS_P_L1,       "bypass.power.l1",           UNIT_KW) \
	X(BYPASS_P_L2,       "bypass.power.l2",           UNIT_KW) \
	X(BYPASS_P_L3,       "bypass.power.l3",           UNIT_KW) \
	X(OUTPUT_V_L1,       "output.voltage.l1",         UNIT_V) \
	X(OUTPUT_V_L2,       "output.voltage.l2",         UNIT_V) \
	X(OUTPUT_V_L3,       "output.voltage.l3",         UNIT_V) \
	X(OUTPUT_V_U12,      "output.voltage.u12",        UNIT_V) \
	X(OUTPUT_V_U23,      "output.voltage.u23",        UNIT_V) \
	X(OUTPUT_V_U31,      "output.voltage.u31",        UNIT_V) \
	X(OUTPUT_FREQ,       "output.frequency",          UNIT_HZ) \
	X(OUTPUT_I_L1,       "output.current.l1",         UNIT_A) \
	X(OUTPUT_I_L2,       "output.current.l2",         UNIT_A) \
	X(OUTPUT_I_L3,       "output.current.l3",         UNIT_A) \
	X(OUTPUT_I_N,        "output.current.n",          UNIT_A) \
	X(OUTPUT_LOAD,       "output.load",               UNIT_PERCENT) \
	X(OUTPUT_LOAD_L1,    "output.load.l1",            UNIT_PERCENT) \
	X(OUTPUT_LOAD_L2,    "output.load.l2",            UNIT_PERCENT) \
	X(OUTPUT_LOAD_L3,    "output.load.l3",            UNIT_PERCENT) \
	X(OUTPUT_LOAD_N,     "output.load.n",             UNIT_PERCENT) \
	X(OUTPUT_S,          "output.apparent_power",     UNIT_KVA) \
	X(OUTPUT_S_L1,       "output.apparent_power.l1",  UNIT_KVA) \
	X(OUTPUT_S_L2,       "output.apparent_power.l2",  UNIT_KVA) \
	X(OUTPUT_S_L3,       "output.apparent_power.l3",  UNIT_KVA) \
	X(OUTPUT_P,          "output.active_power",       UNIT_KW) \
	X(OUTPUT_P_L1,       "output.active_power.l1",    UNIT_KW) \
	X(OUTPUT_P_L2,       "output.active_power.l2",    UNIT_KW) \
	X(OUTPUT_P_L3,       "output.active_power.l3",    UNIT_KW) \
	X(OUTPUT_PF_L1,      "output.power_factor.l1",    UNIT_NONE) \
	X(OUTPUT_PF_L2,      "output.power_factor.l2",    UNIT_NONE) \
	X(OUTPUT_PF_L3,      "output.power_factor.l3",    UNIT_NONE) \
	X(OUTPUT_CF,         "output.crest_factor",       UNIT_NONE) \
	X(OUTPUT_CF_L1,      "output.crest_factor.l1",    UNIT_NONE) \
	X(OUTPUT_CF_L2,      "output.crest_factor.l2",    UNIT_NONE) \
	X(OUTPUT_CF_L3,      "output.crest_factor.l3",    UNIT_NONE) \
	X(OUTPUT_CF_N,       "output.crest_factor.n",     UNIT_NONE) \
	X(BATTERY_V_POS,     "battery.voltage.positive",  UNIT_V) \
	X(BATTERY_V_NEG,     "battery.voltage.negative",  UNIT_V) \
	X(BATTERY_I_POS,     "battery.current.positive",  UNIT_A) \
	X(BATTERY_I_NEG,     "battery.current.negative",  UNIT_A) \
	X(BATTERY_CHARGE,    "battery.charge",            UNIT_PERCENT) \
	X(BATTERY_AH,        "battery.capacity",          UNIT_AH) \
	X(BATTERY_RUNTIME,   "battery.runtime",           UNIT_MINUTES) \
	X(BATTERY_TIME_ON,   "battery.time_on_battery",   UNIT_SECONDS) \
	X(BATTERY_TEMP,      "battery.temperature",       UNIT_CELSIUS) \
	X(BATTERY_TEMP_AVG,  "battery.temperature.average", UNIT_CELSIUS) \
	X(DC_STORAGE_V,      "dc_storage.voltage",        UNIT_V) \
	X(DC_STORAGE_TEMP,   "dc_storage.temperature",    UNIT_CELSIUS) \
	X(AMBIENT_TEMP,      "ambient.temperature",       UNIT_CELSIUS) \
	X(STS_S1_V_L1,       "sts.source1.voltage.l1",    UNIT_V) \
	X(STS_S1_V_L2,       "sts.source1.voltage.l2",    UNIT_V) \
	X(STS_S1_V_L3,       "sts.source1.voltage.l3",    UNIT_V) \
	X(STS_S1_V_U12,      "sts.source1.voltage.u12",   UNIT_V) \
	X(STS_S1_V_U23,      "sts.source1.voltage.u23",   UNIT_V) \
	X(STS_S1_V_U31,      "sts.source1.voltage.u31",   UNIT_V) \
	X(STS_S1_FREQ,       "sts.source1.frequency",     UNIT_HZ) \
	X(STS_SS1_TEMP,      "sts.ss1.temperature",       UNIT_CELSIUS) \
	X(STS_S2_V_L1,       "sts.source2.voltage.l1",    UNIT_V) \
	X(STS_S2_V_L2,       "sts.source2.voltage.l2",    UNIT_V) \
	X(STS_S2_V_L3,       "sts.source2.voltage.l3",    UNIT_V) \
	X(STS_S2_V_U12,      "sts.source2.voltage.u12",   UNIT_V) \
	X(STS_S2_V_U23,      "sts.source2.voltage.u23",   UNIT_V) \
	X(STS_S2_V_U31,      "sts.source2.voltage.u31",   UNIT_V) \
	X(STS_S2_FREQ,       "sts.source2.frequency",     UNIT_HZ) \
	X(STS_SS2_TEMP,      "sts.ss2.temperature",       UNIT_CELSIUS) \
	X(STS_PHASE_SHIFT,   "sts.phase_shift",           UNIT_DEGREES)

enum meas_id {
#define MEAS_ENUM(id, key, unit) MEAS_##id,
	MEAS_LIST(MEAS_ENUM)
#undef MEAS_ENUM
	_MEAS_COUNT,
};

struct meas_def {
	const char *key;
	enum meas_unit unit;
};

extern const struct meas_def meas_defs[_MEAS_COUNT];

const char *meas_unit_symbol(enum meas_unit u);  /* "V", "degC", "" */
int meas_from_key(const char *key);              /* id or -ENOENT */

/* The normalised model: what every front end reads, whatever the map.
 *
 * A snapshot is immutable once published and refcounted (snapshot.h).
 * Values are typed and in real units; "not available" is NAN for
 * measurements (the UPS's -1 / 0xFFFF, or a register the range does not
 * manage) and an explicit UNKNOWN for derived states. */
#pragma once

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "device/meas.h"

#define MODEL_STATUS_WORDS 8     /* VU-MAP: 8 words, the largest map */
#define MODEL_ALARM_WORDS  8
#define MODEL_MAX_UNITS    10    /* VU-MAP parallel system */
#define MODEL_MAX_MODULES  24    /* modular system: 4 units x 6 modules */
#define MODEL_MAX_LEVELS   (1 + MODEL_MAX_UNITS + MODEL_MAX_MODULES)

enum ups_map {
	MAP_NONE = 0,
	MAP_JBUSP,
	MAP_VUMAP,
	MAP_STS,
	_MAP_COUNT,
};

enum topology {
	TOPO_UNKNOWN = 0,
	TOPO_SINGLE,            /* single unit, 1 or 3 phases */
	TOPO_MODULAR_UNIT,      /* one cabinet, up to 8 modules */
	TOPO_PARALLEL,          /* up to 6 (JBUSP) / 10 (VU-MAP) units */
	TOPO_MODULAR_SYSTEM,    /* up to 4 units, 24 modules */
	TOPO_STS,
	_TOPO_COUNT,
};

enum bypass_arch {
	BYPASS_NONE = 0,        /* not a parallel system, or not known */
	BYPASS_DISTRIBUTED,
	BYPASS_CENTRALISED,
};

/* Severity as the maps and the manual define it; LEVEL_NONE is the
 * spec's empty level: "not managed by NET VISION". */
enum level {
	LEVEL_NONE = 0,
	LEVEL_INFO,
	LEVEL_WARNING,
	LEVEL_CRITICAL,
};

enum level_kind {
	LEVEL_SYSTEM = 0,       /* the UPS itself for a single unit */
	LEVEL_UNIT,
	LEVEL_MODULE,
};

enum comm_state {
	COMM_STARTING = 0,      /* not yet detected */
	COMM_OK,
	COMM_LOST,              /* the manual's "Unknown" */
};

/* Normalised status flags, set by each map's flag table. */
enum ups_flag {
	FLAG_LOAD_ON_INVERTER = 0,
	FLAG_ON_BATTERY,
	FLAG_ON_AUTO_BYPASS,
	FLAG_ON_MAINT_BYPASS,
	FLAG_LOAD_OFF,
	FLAG_ECO_MODE,
	FLAG_ENERGY_SAVER,
	FLAG_STANDBY,
	FLAG_SERVICE_MODE,
	FLAG_LINE_INTERACTIVE,
	FLAG_AUTOTEST,
	FLAG_OPERATING,
	FLAG_AVAILABLE,
	FLAG_IMMINENT_STOP,
	FLAG_BATTERY_OK,
	FLAG_BATTERY_CHARGING,
	FLAG_BATTERY_CHARGED,
	FLAG_BATTERY_LOW,          /* near end of backup time */
	FLAG_BATTERY_DISCHARGED,
	FLAG_BATTERY_DISCONNECTED,
	FLAG_BATTERY_TEST,
	FLAG_BATTERY_TEST_FAILED,
	FLAG_BATTERY_TO_INPUT,
	FLAG_BATTERY_ALARM,
	FLAG_BATTERY_ROOM_ALARM,
	FLAG_BATTERY_TEMP_ALARM,
	FLAG_RECTIFIER_INPUT_OK,
	FLAG_RECTIFIER_ON,
	FLAG_RECTIFIER_FAULT,      /* critical alarm */
	FLAG_RECTIFIER_PREVENTIVE,
	FLAG_INVERTER_ON,
	FLAG_INVERTER_FAULT,
	FLAG_INVERTER_PREVENTIVE,
	FLAG_BYPASS_INPUT_OK,
	FLAG_BYPASS_FAULT,
	FLAG_BYPASS_PREVENTIVE,
	FLAG_OVERLOAD,
	FLAG_GENERAL_ALARM,
	FLAG_GENSET_ON,
	FLAG_PARALLEL,             /* UPS on parallel system */
	FLAG_REMOTE_DISABLED,
	/* STS */
	FLAG_STS_S1_OK,
	FLAG_STS_S1_CRITICAL,
	FLAG_STS_S1_OUT_OF_TOL,
	FLAG_STS_S1_ABSENT,
	FLAG_STS_S2_OK,
	FLAG_STS_S2_CRITICAL,
	FLAG_STS_S2_OUT_OF_TOL,
	FLAG_STS_S2_ABSENT,
	FLAG_STS_S1_PREFERRED,
	FLAG_STS_ON_PREFERRED,
	FLAG_STS_ON_ALTERNATE,
	FLAG_STS_ON_S1,
	FLAG_STS_ON_S2,
	FLAG_STS_MAINT_BYPASS1,
	FLAG_STS_MAINT_BYPASS2,
	FLAG_STS_SYNCHRONISED,
	_FLAG_COUNT,
};

/* The manual's "UPS Status" / "STS STATUS" lists (§12.1.5, §13.2),
 * highest priority first in derive.c. */
enum ups_status {
	UPS_STATUS_UNKNOWN = 0,
	UPS_STATUS_SERVICE_MODE,
	UPS_STATUS_MAINT_BYPASS,
	UPS_STATUS_IMMINENT_STOP,
	UPS_STATUS_AUTOTEST,
	UPS_STATUS_ON_BATTERY,
	UPS_STATUS_BATTERY_TEST,
	UPS_STATUS_ON_INVERTER,
	UPS_STATUS_NORMAL,          /* OFF LINE UPS */
	UPS_STATUS_ECO_MODE,
	UPS_STATUS_LINE_INTERACTIVE,
	UPS_STATUS_ON_BYPASS,
	UPS_STATUS_AVAILABLE,
	UPS_STATUS_STANDBY,
	UPS_STATUS_LOAD_OFF,
	/* STS */
	UPS_STATUS_STS_MAINT_BYPASS1,
	UPS_STATUS_STS_MAINT_BYPASS2,
	UPS_STATUS_STS_ON_PREFERRED,
	UPS_STATUS_STS_ON_ALTERNATE,
	_UPS_STATUS_COUNT,
};

enum output_source {
	OUTPUT_UNKNOWN = 0,
	OUTPUT_NONE,                /* load off */
	OUTPUT_INVERTER,
	OUTPUT_BATTERY,
	OUTPUT_BYPASS,
	OUTPUT_ECO,                 /* on bypass by eco mode */
	OUTPUT_MAINT_BYPASS,
	OUTPUT_STS_S1,
	OUTPUT_STS_S2,
	_OUTPUT_COUNT,
};

/* §12.1.6 "Battery Status", highest priority first. */
enum battery_status {
	BATTERY_UNKNOWN = 0,
	BATTERY_DISCONNECTED,
	BATTERY_LOW,
	BATTERY_DISCHARGED,
	BATTERY_DISCHARGING,
	BATTERY_TO_INPUT,
	BATTERY_ALARM,
	BATTERY_ROOM_ALARM,
	BATTERY_TEMP_ALARM,
	BATTERY_TEST,
	BATTERY_CHARGING,
	BATTERY_OK,
	_BATTERY_COUNT,
};

enum load_status {
	LOAD_UNKNOWN = 0,
	LOAD_OFF,
	LOAD_PROTECTED,             /* on inverter or battery */
	LOAD_NOT_PROTECTED,         /* on bypass / maintenance bypass */
	LOAD_OVERLOAD,
	_LOAD_COUNT,
};

/* Rectifier, inverter, bypass (synoptic §12.1.1): grey/green/yellow/red. */
enum path_state {
	PATH_UNKNOWN = 0,
	PATH_OFF,
	PATH_ON,
	PATH_PREVENTIVE,            /* on with a preventive alarm */
	PATH_FAULT,                 /* critical alarm */
	_PATH_COUNT,
};

/* STS source (§13.1 synoptic). */
enum source_state {
	SOURCE_UNKNOWN = 0,
	SOURCE_OK,
	SOURCE_OUT_OF_TOLERANCE,
	SOURCE_CRITICAL,
	SOURCE_ABSENT,
	_SOURCE_COUNT,
};

struct derived {
	enum ups_status ups_status;
	enum output_source output_source;
	enum battery_status battery_status;
	enum load_status load_status;
	enum path_state rectifier, inverter, bypass;
	enum source_state sts_source1, sts_source2;
	uint8_t sts_preferred;      /* 1 or 2, 0 unknown */
	enum level worst_alarm;     /* highest level among active alarms */
	uint16_t n_alarms;          /* active alarm bits with a managed level */
};

/* One level of the hierarchy: the system (index 0), a unit, a module. */
struct level_data {
	enum level_kind kind;
	uint8_t unit;               /* 1-based; 0 for the system */
	uint8_t module;             /* 1-based within its unit; 0 if none */
	bool present;               /* the topology says it exists */
	bool valid;                 /* its registers were read this cycle */
	uint16_t status[MODEL_STATUS_WORDS];
	uint16_t alarms[MODEL_ALARM_WORDS];
	double meas[_MEAS_COUNT];   /* NAN = not available */
	uint64_t flags;             /* bit (1 << enum ups_flag) */
	struct derived d;
};

struct identity {
	enum ups_map map;
	uint16_t type_code;         /* JBUSP 0x1000, VU-MAP T015 */
	char range[40];             /* "MASTERYS 3/3 UPS"; "" if unknown */
	char serial[24];
	char reference[24];         /* VU-MAP R001, STS reference */
	double nominal_kva;         /* NAN if not given */
	double nominal_kw;
	uint8_t phases_in, phases_out;
	uint8_t meas_factor;        /* VU-MAP T014: 0 none, 1 = x10 */
	uint16_t firmware;          /* com board firmware x100 (JBUSP T04) */
	double nominal_vin, nominal_vout, nominal_fin, nominal_fout;
	double battery_ah;          /* nominal battery capacity */
	uint16_t install_code;      /* VU-MAP T001 */
	uint16_t functions;         /* VU-MAP T008 */
	uint16_t environment;       /* VU-MAP T009 */
	bool battery_present;
};

struct topology_info {
	enum topology kind;
	enum bypass_arch bypass;
	uint8_t n_units;
	uint8_t n_modules;          /* total over all units */
	uint8_t modules_per_unit;
	uint16_t unit_mask;         /* bit u-1 = unit u present */
	uint32_t module_mask;       /* bit m-1 = module m present */
};

struct link_stats {
	uint64_t transactions;
	uint64_t bytes_tx, bytes_rx;
	uint64_t crc_errors;
	uint64_t timeouts;
	uint64_t exceptions;        /* Modbus exception replies */
	uint64_t other_errors;
	uint64_t reopens;
	double last_cycle_ms;       /* duration of the last full cycle */
	uint32_t last_cycle_transactions;
	uint32_t last_cycle_bytes;
};

/* A block of raw registers as read (for the Modbus TCP mirror and the
 * debug page). Addresses are the device's, not rebased. */
struct raw_block {
	uint8_t slave;
	uint16_t address;
	uint16_t count;
	uint16_t regs[125];
};

#define MODEL_MAX_RAW_BLOCKS 64

struct snapshot {
	unsigned refs;              /* atomic; see snapshot.h */
	uint64_t seq;               /* increases with each publication */
	struct timespec taken;      /* CLOCK_REALTIME of the last read */
	enum comm_state comm;
	char device[128];           /* serial device path */
	unsigned baud;
	struct identity id;
	struct topology_info topo;
	uint8_t n_levels;
	struct level_data levels[MODEL_MAX_LEVELS];  /* [0] = system */
	uint8_t n_raw;
	struct raw_block raw[MODEL_MAX_RAW_BLOCKS];
	struct link_stats stats;
};

static inline bool model_flag(const struct level_data *l, enum ups_flag f)
{
	return (l->flags >> f) & 1;
}

static inline bool meas_available(double v)
{
	return !isnan(v);
}

const char *map_name(enum ups_map m);            /* "JBUSP", "VU-MAP", "STS" */
const char *topology_name(enum topology t);      /* "single", "modular-unit"... */
const char *bypass_name(enum bypass_arch b);
const char *level_name(enum level l);            /* "information"... */
char level_letter(enum level l);                 /* 'I' 'W' 'C' or ' ' */
const char *comm_state_name(enum comm_state c);
const char *flag_name(enum ups_flag f);          /* "on_battery" */
const char *ups_status_text(enum ups_status s);  /* manual's wording */
const char *output_source_text(enum output_source s);
const char *battery_status_text(enum battery_status s);
const char *load_status_text(enum load_status s);
const char *path_state_text(enum path_state s);
const char *source_state_text(enum source_state s);

/* Decode once: raw registers of JBUSP, VU-MAP or STS -> the normalised
 * model (identity, topology, per-level status/alarms/measurements/flags).
 *
 * Register positions used here come from ../shared/spec
 * (jbusp_identifiers.tsv, jbusp_config.tsv, vumap_config.tsv,
 * sts_map.tsv); the per-bit and per-measurement facts are in the
 * generated tables (tab_*.c). Choices the manual leaves open are in
 * docs/maps.md and docs/addressing.md. */
#include "device/decode.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* The UPS's "not available": -1 on a signed register, 0xFFFF on an
 * unsigned one (and the value a range answers for what it does not
 * manage). */
#define RAW_NOT_AVAILABLE 0xFFFF

/* level_offset() of a level whose stride is 0 (not polled): beyond the
 * 16-bit address space, so every regview_get() on it fails. */
#define OFFSET_NOT_POLLED UINT32_MAX

#define MAX_MODULES_PER_UNIT     8   /* modular unit (VU-MAP T002 remark) */
#define MAX_UNITS_JBUSP          6   /* S32-S37 */
#define MAX_UNITS_VUMAP          10
#define MAX_UNITS_MODULAR_SYSTEM 4
#define MAX_MODULES_MODULAR_SYS  6   /* per unit: 4 x 6 = MODEL_MAX_MODULES */

/* JBUSP identifiers (0x1000 T00-T11) and configuration (0x10E0). */
enum {
	JB_TYPE = 0x1000,           /* T00 UPS type -> jbusp_ups_types.tsv */
	JB_KVA10 = 0x1001,          /* T01 nominal kVA * 10 */
	JB_MODULES = 0x1002,        /* T02 module number */
	JB_SERIAL = 0x1003,         /* T03-T07, char 1 in the LSB of T03 */
	JB_SERIAL_WORDS = 5,
	JB_VIN = 0x10E0,            /* T00 nominal star input voltage, V */
	JB_VOUT = 0x10E1,
	JB_FIN = 0x10E2,            /* T02 nominal input frequency, Hz */
	JB_FOUT = 0x10E3,
	JB_FIRMWARE = 0x10E4,       /* T04 com board firmware * 100 */
	JB_BATTERY_AH10 = 0x10E8,   /* T08 total battery capacity, Ah * 10 */
	JB_S_PARALLEL = 30,         /* S30 UPS on parallel system */
	JB_S_UNIT1 = 32,            /* S32-S37 unit 1..6 present */
};

/* VU-MAP configuration T001-T015 (0x0001-0x000F), R000, R001. */
enum {
	VM_INSTALL = 0x0001,        /* T001 MSB installation code, LSB device type */
	VM_DEVICES = 0x0002,        /* T002 number of devices in level -1 */
	VM_POSITIONS = 0x0003,      /* T003 b00-b07 positions, b13 bypass module */
	VM_DEVICE_NO = 0x0004,      /* T004 */
	VM_KVA = 0x0005,            /* T005, x10 if T014 = 1 */
	VM_KW = 0x0006,             /* T006, x10 if T014 = 1 */
	VM_PHASES = 0x0007,         /* T007 MSB input, LSB output */
	VM_FUNCTIONS = 0x0008,      /* T008 */
	VM_ENVIRONMENT = 0x0009,    /* T009 */
	VM_DC_STORAGE = 0x000A,     /* T010 b00 battery present */
	VM_FACTOR = 0x000E,         /* T014 measurement factor 0/1 */
	VM_REFERENCE_CODE = 0x000F, /* T015 -> vumap_config.tsv */
	VM_SERIAL = 0x0010,         /* R000, 10 words */
	VM_REFERENCE = 0x001A,      /* R001, 10 words */
	VM_ASCII_WORDS = 10,
	VM_POSITIONS_BYPASS = 1 << 13,
};

/* T001 MSB:LSB values of vumap_config.tsv. */
enum {
	VM_SINGLE = 0x0101,
	VM_MODULAR_UNIT_A = 0x0801,
	VM_MODULAR_UNIT_B = 0x0901,
	VM_PARALLEL = 0x0601,
	VM_MODULAR_SYSTEM = 0x0608,
};

/* STS reference/serial (sts_map.tsv) and first status word. */
enum {
	STS_REFERENCE = 0x0100,
	STS_SERIAL = 0x0116,
	STS_ASCII_WORDS = 10,
	STS_STATUS0 = 0x0140,
};

uint32_t level_offset(const struct addressing *a, uint8_t unit, uint8_t module)
{
	uint32_t off = 0;

	if (unit) {
		if (!a->unit_stride)
			return OFFSET_NOT_POLLED;
		off += (uint32_t)unit * a->unit_stride;
	}
	if (module) {
		if (!a->module_stride)
			return OFFSET_NOT_POLLED;
		off += (uint32_t)module * a->module_stride;
	}
	return off;
}

int regview_get(const struct regview *v, uint16_t map_address, uint16_t *value)
{
	uint64_t addr = (uint64_t)map_address + v->offset;

	if (addr > 0xFFFF)
		return -ENOENT;
	for (size_t i = 0; i < v->n_blocks; i++) {
		const struct raw_block *b = &v->blocks[i];
		size_t count = b->count < ELEMENTSOF(b->regs) ? b->count : ELEMENTSOF(b->regs);

		if (addr >= b->address && addr < (uint64_t)b->address + count) {
			*value = b->regs[addr - b->address];
			return 0;
		}
	}
	return -ENOENT;
}

static double scaled(uint16_t raw, unsigned div, bool is_signed)
{
	if (raw == RAW_NOT_AVAILABLE || div == 0)
		return NAN;
	return (is_signed ? (double)(int16_t)raw : (double)raw) / div;
}

/* 10-word style ASCII fields: trailing spaces/NULs trimmed, anything
 * else outside printable ASCII shown as '?'. Returns the number of
 * replaced characters, or -ENOENT if a word is missing. */
static int decode_ascii(const struct regview *v, uint16_t address, unsigned words,
			bool lsb_first, char *out, size_t size)
{
	size_t n = 0;
	int replaced = 0;

	if (size < 2 * (size_t)words + 1)
		return -ENOENT;
	for (unsigned i = 0; i < words; i++) {
		uint16_t w;

		if (regview_get(v, address + i, &w) < 0)
			return -ENOENT;
		out[n++] = (char)(lsb_first ? w & 0xFF : w >> 8);
		out[n++] = (char)(lsb_first ? w >> 8 : w & 0xFF);
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		n--;
	out[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c > 0x7E) {
			out[i] = '?';
			replaced++;
		}
	}
	return replaced;
}

static unsigned popcount16(uint16_t x)
{
	return (unsigned)__builtin_popcount(x);
}

/* Positions present (T003), or the first [n] if the UPS leaves them 0. */
static uint16_t positions_or_first(uint16_t positions, unsigned n)
{
	return positions ? positions : (uint16_t)((1u << n) - 1);
}

static unsigned highest_position(uint32_t mask)
{
	return mask ? 32 - (unsigned)__builtin_clz(mask) : 0;
}

static void set_modular_unit(struct topology_info *topo, unsigned n, uint16_t positions)
{
	topo->kind = TOPO_MODULAR_UNIT;
	topo->n_modules = (uint8_t)n;
	topo->module_mask = positions_or_first(positions, n);
	topo->modules_per_unit = (uint8_t)(highest_position(topo->module_mask) > n ?
					   highest_position(topo->module_mask) : n);
}

/* JBUSP configuration block: optional (NAN when not read). */
static void jbusp_config(const struct regview *v, struct identity *id)
{
	uint16_t w;

	id->nominal_vin = regview_get(v, JB_VIN, &w) ? NAN : scaled(w, 1, false);
	id->nominal_vout = regview_get(v, JB_VOUT, &w) ? NAN : scaled(w, 1, false);
	id->nominal_fin = regview_get(v, JB_FIN, &w) ? NAN : scaled(w, 1, false);
	id->nominal_fout = regview_get(v, JB_FOUT, &w) ? NAN : scaled(w, 1, false);
	id->battery_ah = regview_get(v, JB_BATTERY_AH10, &w) ? NAN : scaled(w, 10, false);
	if (regview_get(v, JB_FIRMWARE, &w) == 0 && w != RAW_NOT_AVAILABLE)
		id->firmware = w;
}

/* Phases from the range name; DELPHYS ranges are three-phase in and
 * out (their phase 2/3 measurements are marked available). */
static void jbusp_phases(const char *range, struct identity *id)
{
	bool three_three = strstr(range, "3/3") || strncmp(range, "DELPHYS", 7) == 0;

	id->phases_in = three_three || strstr(range, "3/1") ? 3 : 1;
	id->phases_out = three_three ? 3 : 1;
}

static int jbusp_identity(const struct map_def *map, const struct regview *v,
			  struct identity *id, struct topology_info *topo)
{
	uint16_t type, kva10, modules;
	const char *range;
	size_t len;

	if (regview_get(v, JB_TYPE, &type) || regview_get(v, JB_KVA10, &kva10) ||
	    regview_get(v, JB_MODULES, &modules))
		return -ENOENT;
	range = map_type_range(map, type);
	if (!range)
		return -EINVAL;
	if (decode_ascii(v, JB_SERIAL, JB_SERIAL_WORDS, true, id->serial, sizeof(id->serial)) < 0)
		return -ENOENT;
	id->type_code = type;
	strncpy(id->range, range, sizeof(id->range) - 1);
	id->nominal_kva = scaled(kva10, 10, false);
	id->battery_present = true;
	jbusp_config(v, id);
	jbusp_phases(range, id);

	len = strlen(range);
	if (strstr(range, "SYSTEM")) {
		/* Units come from S32-S37: decode_topology_status(). */
		topo->kind = TOPO_PARALLEL;
	} else if (strncmp(range, "MODULYS", 7) == 0 && len > 4 &&
		   strcmp(range + len - 4, " UPS") == 0) {
		if (modules < 1 || modules > MAX_MODULES_PER_UNIT)
			return -EINVAL;
		set_modular_unit(topo, modules, 0);
	} else {
		topo->kind = TOPO_SINGLE;
	}
	return 0;
}

static int vumap_topology(const struct regview *v, uint16_t install, uint16_t devices,
			  uint16_t positions, struct topology_info *topo)
{
	switch (install) {
	case VM_SINGLE:
		topo->kind = TOPO_SINGLE;
		return 0;
	case VM_MODULAR_UNIT_A:
	case VM_MODULAR_UNIT_B:
		if (devices > MAX_MODULES_PER_UNIT)
			return -EINVAL;
		set_modular_unit(topo, devices, positions & 0x00FF);
		return 0;
	case VM_PARALLEL:
		if (devices > MAX_UNITS_VUMAP)
			return -EINVAL;
		topo->kind = TOPO_PARALLEL;
		break;
	case VM_MODULAR_SYSTEM:
		/* T002 counts the level below the one read: units at the
		 * system level, that unit's modules at a unit's level. */
		if (v->offset != 0) {
			if (devices > MAX_MODULES_MODULAR_SYS)
				return -EINVAL;
			set_modular_unit(topo, devices, positions & 0x003F);
			return 0;
		}
		if (devices > MAX_UNITS_MODULAR_SYSTEM)
			return -EINVAL;
		topo->kind = TOPO_MODULAR_SYSTEM;
		topo->modules_per_unit = MAX_MODULES_MODULAR_SYS;
		break;
	default:
		return -EINVAL;
	}
	topo->n_units = (uint8_t)devices;
	topo->unit_mask = positions_or_first(positions & (topo->kind == TOPO_PARALLEL ? 0x03FF : 0x000F),
					     devices);
	topo->bypass = positions & VM_POSITIONS_BYPASS ? BYPASS_CENTRALISED : BYPASS_DISTRIBUTED;
	return 0;
}

static int vumap_identity(const struct map_def *map, const struct regview *v,
			  struct identity *id, struct topology_info *topo)
{
	uint16_t t[16];             /* t[n] = Tnnn, 0x0001-0x000F */
	const char *range;
	unsigned div;

	for (uint16_t a = VM_INSTALL; a <= VM_REFERENCE_CODE; a++)
		if (regview_get(v, a, &t[a]))
			return -ENOENT;
	if (t[VM_DEVICES] < 1 || t[VM_DEVICES] > 15 || t[VM_FACTOR] > 1)
		return -EINVAL;
	if (vumap_topology(v, t[VM_INSTALL], t[VM_DEVICES], t[VM_POSITIONS], topo) < 0)
		return -EINVAL;
	if (decode_ascii(v, VM_SERIAL, VM_ASCII_WORDS, false, id->serial, sizeof(id->serial)) < 0 ||
	    decode_ascii(v, VM_REFERENCE, VM_ASCII_WORDS, false, id->reference,
			 sizeof(id->reference)) < 0)
		return -ENOENT;

	id->install_code = t[VM_INSTALL];
	id->meas_factor = (uint8_t)t[VM_FACTOR];
	div = id->meas_factor ? 10 : 1;
	id->nominal_kva = scaled(t[VM_KVA], div, false);
	id->nominal_kw = scaled(t[VM_KW], div, false);
	id->phases_in = (uint8_t)(t[VM_PHASES] >> 8);
	id->phases_out = (uint8_t)(t[VM_PHASES] & 0xFF);
	id->functions = t[VM_FUNCTIONS];
	id->environment = t[VM_ENVIRONMENT];
	id->battery_present = t[VM_DC_STORAGE] != RAW_NOT_AVAILABLE && (t[VM_DC_STORAGE] & 1);
	id->type_code = t[VM_REFERENCE_CODE];
	range = map_type_range(map, id->type_code);
	if (range)
		strncpy(id->range, range, sizeof(id->range) - 1);
	return 0;
}

/* No type register: an STS is recognised by printable ASCII in its
 * reference (non-empty) and serial, and a status word that is not the
 * "not available" 0xFFFF when it was read along (docs/maps.md). */
static int sts_identity(const struct regview *v, struct identity *id, struct topology_info *topo)
{
	int bad_ref, bad_serial;
	uint16_t status0;

	bad_ref = decode_ascii(v, STS_REFERENCE, STS_ASCII_WORDS, false, id->reference,
			       sizeof(id->reference));
	bad_serial = decode_ascii(v, STS_SERIAL, STS_ASCII_WORDS, false, id->serial,
				  sizeof(id->serial));
	if (bad_ref < 0 || bad_serial < 0)
		return -ENOENT;
	if (bad_ref > 0 || bad_serial > 0 || id->reference[0] == '\0')
		return -EINVAL;
	if (regview_get(v, STS_STATUS0, &status0) == 0 && status0 == RAW_NOT_AVAILABLE)
		return -EINVAL;
	strncpy(id->range, "STS", sizeof(id->range) - 1);
	topo->kind = TOPO_STS;
	return 0;
}

int decode_identity(const struct map_def *map, const struct regview *v,
		    struct identity *id, struct topology_info *topo)
{
	int r;

	memset(id, 0, sizeof(*id));
	memset(topo, 0, sizeof(*topo));
	id->map = map->id;
	id->nominal_kva = id->nominal_kw = NAN;
	id->nominal_vin = id->nominal_vout = id->nominal_fin = id->nominal_fout = NAN;
	id->battery_ah = NAN;

	switch (map->id) {
	case MAP_JBUSP:
		r = jbusp_identity(map, v, id, topo);
		break;
	case MAP_VUMAP:
		r = vumap_identity(map, v, id, topo);
		break;
	case MAP_STS:
		r = sts_identity(v, id, topo);
		break;
	default:
		r = -EINVAL;
	}
	if (r < 0)
		memset(topo, 0, sizeof(*topo));
	return r;
}

void decode_topology_status(const struct map_def *map, const struct level_data *system,
			    struct topology_info *topo)
{
	uint16_t units;

	if (map->id != MAP_JBUSP || !system->valid)
		return;
	if (topo->kind == TOPO_SINGLE &&
	    (system->status[JB_S_PARALLEL / 16] >> (JB_S_PARALLEL % 16)) & 1)
		topo->kind = TOPO_PARALLEL;
	if (topo->kind != TOPO_PARALLEL)
		return;
	units = (system->status[JB_S_UNIT1 / 16] >> (JB_S_UNIT1 % 16)) &
		((1u << MAX_UNITS_JBUSP) - 1);
	topo->unit_mask = units;
	topo->n_units = (uint8_t)popcount16(units);
}

/* Reads a status/alarm block: false if its first word is missing; later
 * words missing (a shorter read) stay 0. */
static bool read_bits(const struct regview *v, const struct block_def *b, uint16_t *words,
		      size_t max)
{
	size_t n;

	if (!b || regview_get(v, b->address, &words[0]) < 0)
		return false;
	n = b->words < max ? b->words : max;
	for (size_t i = 1; i < n; i++)
		if (regview_get(v, b->address + i, &words[i]) < 0)
			words[i] = 0;
	return true;
}

static void decode_meas(const struct map_def *map, const struct identity *id,
			const struct regview *v, struct level_data *l)
{
	unsigned factor = id && id->meas_factor ? 1 : 0;

	for (size_t i = 0; i < map->n_meas; i++) {
		const struct meas_reg *m = &map->meas[i];
		uint16_t raw;

		if (regview_get(v, m->address, &raw) == 0)
			l->meas[m->id] = scaled(raw, m->div[factor], m->is_signed);
	}
}

static bool bit_set(const uint16_t *words, size_t n_words, unsigned index)
{
	return index / 16 < n_words && (words[index / 16] >> (index % 16)) & 1;
}

static void decode_flags(const struct map_def *map, struct level_data *l)
{
	for (size_t i = 0; i < map->n_flags; i++) {
		const struct flag_rule *r = &map->flags[i];
		bool on = r->src == SRC_STATUS ? bit_set(l->status, MODEL_STATUS_WORDS, r->index)
					       : bit_set(l->alarms, MODEL_ALARM_WORDS, r->index);

		if (on)
			l->flags |= UINT64_C(1) << r->flag;
	}
}

void decode_level(const struct map_def *map, const struct identity *id,
		  const struct regview *v, struct level_data *l)
{
	bool have_status, have_alarms;

	memset(l->status, 0, sizeof(l->status));
	memset(l->alarms, 0, sizeof(l->alarms));
	memset(&l->d, 0, sizeof(l->d));
	l->flags = 0;
	for (size_t i = 0; i < _MEAS_COUNT; i++)
		l->meas[i] = NAN;

	have_status = read_bits(v, map_block(map, ROLE_STATUS), l->status, MODEL_STATUS_WORDS);
	have_alarms = read_bits(v, map_block(map, ROLE_ALARMS), l->alarms, MODEL_ALARM_WORDS);
	l->valid = have_status && have_alarms;
	if (!l->valid) {
		memset(l->status, 0, sizeof(l->status));
		memset(l->alarms, 0, sizeof(l->alarms));
	} else {
		decode_flags(map, l);
	}
	decode_meas(map, id, v, l);
}

static bool add_level(struct level_data *levels, size_t max, size_t *n, enum level_kind kind,
		      unsigned unit, unsigned module, bool present)
{
	if (*n >= max)
		return false;
	levels[*n].kind = kind;
	levels[*n].unit = (uint8_t)unit;
	levels[*n].module = (uint8_t)module;
	levels[*n].present = present;
	(*n)++;
	return true;
}

/* Positions 1..max(highest present position, count). */
static unsigned positions_of(uint32_t mask, unsigned count, unsigned cap)
{
	unsigned n = highest_position(mask);

	if (count > n)
		n = count;
	return n < cap ? n : cap;
}

size_t topology_levels(const struct topology_info *topo, struct level_data *levels, size_t max)
{
	unsigned n_units, per_unit;
	size_t n = 0;

	if (!add_level(levels, max, &n, LEVEL_SYSTEM, 0, 0, true))
		return n;
	switch (topo->kind) {
	case TOPO_MODULAR_UNIT:
		per_unit = positions_of(topo->module_mask, topo->n_modules, MAX_MODULES_PER_UNIT);
		for (unsigned m = 1; m <= per_unit; m++)
			if (!add_level(levels, max, &n, LEVEL_MODULE, 0, m,
				       (topo->module_mask >> (m - 1)) & 1))
				return n;
		return n;
	case TOPO_PARALLEL:
	case TOPO_MODULAR_SYSTEM:
		break;
	default:
		return n;
	}
	n_units = positions_of(topo->unit_mask, topo->n_units, MODEL_MAX_UNITS);
	per_unit = topo->kind == TOPO_MODULAR_SYSTEM ? topo->modules_per_unit : 0;
	for (unsigned u = 1; u <= n_units; u++) {
		bool unit_present = (topo->unit_mask >> (u - 1)) & 1;

		if (!add_level(levels, max, &n, LEVEL_UNIT, u, 0, unit_present))
			return n;
		for (unsigned m = 1; m <= per_unit; m++) {
			unsigned bit = (u - 1) * per_unit + (m - 1);

			if (bit < 32 && (topo->module_mask >> bit) & 1 &&
			    !add_level(levels, max, &n, LEVEL_MODULE, u, m, unit_present))
				return n;
		}
	}
	return n;
}

/* Simulator register image (see sim_image.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/log.h"
#include "device/sim_image.h"

#define ALWAYS (-1)

/* Bits the simulator drives beyond the map's own flag rules, by word and
 * bit as the spec prints them (so they do not depend on how the tables
 * name or normalise them). id: a flag or sim_cond that turns the bit on,
 * or ALWAYS. */
struct drive {
	enum ups_map map;
	int id;
	uint16_t word;
	uint8_t bit;
};

static const struct drive drives[] = {
	/* JBUSP status 0x1020-0x1023, alarms 0x1040-0x1043 */
	{ MAP_JBUSP, FLAG_RECTIFIER_INPUT_OK, 0x1020, 0 },   /* S00 */
	{ MAP_JBUSP, FLAG_INVERTER_ON, 0x1020, 1 },          /* S01 */
	{ MAP_JBUSP, FLAG_RECTIFIER_ON, 0x1020, 2 },         /* S02 */
	{ MAP_JBUSP, FLAG_LOAD_ON_INVERTER, 0x1020, 3 },     /* S03 */
	{ MAP_JBUSP, FLAG_ON_AUTO_BYPASS, 0x1020, 4 },       /* S04 */
	{ MAP_JBUSP, FLAG_ON_BATTERY, 0x1020, 5 },           /* S05 */
	{ MAP_JBUSP, FLAG_ECO_MODE, 0x1020, 7 },             /* S07 */
	{ MAP_JBUSP, FLAG_BATTERY_TEST, 0x1020, 10 },        /* S10 */
	{ MAP_JBUSP, ALWAYS, 0x1020, 13 },                   /* S13 battery test supported */
	{ MAP_JBUSP, FLAG_BATTERY_LOW, 0x1020, 15 },         /* S15 */
	{ MAP_JBUSP, FLAG_BATTERY_DISCHARGED, 0x1021, 0 },   /* S16 */
	{ MAP_JBUSP, FLAG_BATTERY_OK, 0x1021, 1 },           /* S17 */
	{ MAP_JBUSP, FLAG_BYPASS_INPUT_OK, 0x1021, 7 },      /* S23 inverter synchro with mains */
	{ MAP_JBUSP, FLAG_BYPASS_INPUT_OK, 0x1021, 10 },     /* S26 */
	{ MAP_JBUSP, FLAG_BATTERY_CHARGING, 0x1021, 11 },    /* S27 */
	{ MAP_JBUSP, FLAG_PARALLEL, 0x1021, 14 },            /* S30 */
	{ MAP_JBUSP, ALWAYS, 0x1022, 10 },                   /* S42 controls permission table managed */
	{ MAP_JBUSP, FLAG_GENERAL_ALARM, 0x1040, 0 },        /* A00 */
	{ MAP_JBUSP, FLAG_OVERLOAD, 0x1040, 2 },             /* A02 */
	{ MAP_JBUSP, SIM_COND_RECT_INPUT_FAIL, 0x1040, 5 },  /* A05 */
	{ MAP_JBUSP, SIM_COND_BYPASS_INPUT_FAIL, 0x1040, 6 },/* A06 */
	{ MAP_JBUSP, SIM_COND_RECT_INPUT_FAIL, 0x1041, 6 },  /* A22 */
	{ MAP_JBUSP, FLAG_IMMINENT_STOP, 0x1041, 15 },       /* A31 */
	{ MAP_JBUSP, FLAG_BATTERY_DISCHARGED, 0x1043, 1 },   /* A49 */
	/* VU-MAP status 0x0030-0x0037, alarms 0x0038-0x003F */
	{ MAP_VUMAP, FLAG_LOAD_ON_INVERTER, 0x0030, 0 },     /* S000 */
	{ MAP_VUMAP, FLAG_ON_AUTO_BYPASS, 0x0030, 2 },       /* S002 */
	{ MAP_VUMAP, FLAG_LOAD_OFF, 0x0030, 4 },             /* S004 */
	{ MAP_VUMAP, FLAG_ECO_MODE, 0x0030, 6 },             /* S006 */
	{ MAP_VUMAP, FLAG_OPERATING, 0x0030, 11 },           /* S011 */
	{ MAP_VUMAP, FLAG_BATTERY_OK, 0x0032, 0 },           /* S032 */
	{ MAP_VUMAP, FLAG_BATTERY_CHARGED, 0x0032, 1 },      /* S033 */
	{ MAP_VUMAP, FLAG_BATTERY_TEST, 0x0032, 2 },         /* S034 */
	{ MAP_VUMAP, FLAG_BATTERY_CHARGING, 0x0032, 4 },     /* S036 */
	{ MAP_VUMAP, FLAG_RECTIFIER_INPUT_OK, 0x0033, 0 },   /* S048 */
	{ MAP_VUMAP, FLAG_RECTIFIER_ON, 0x0033, 1 },         /* S049 */
	{ MAP_VUMAP, FLAG_RECTIFIER_ON, 0x0033, 2 },         /* S050 charger on */
	{ MAP_VUMAP, FLAG_INVERTER_ON, 0x0033, 4 },          /* S052 */
	{ MAP_VUMAP, FLAG_LOAD_ON_INVERTER, 0x0033, 5 },     /* S053 inverter switch on */
	{ MAP_VUMAP, FLAG_BYPASS_INPUT_OK, 0x0033, 8 },      /* S056 */
	{ MAP_VUMAP, FLAG_ON_AUTO_BYPASS, 0x0033, 9 },       /* S057 bypass static switch */
	{ MAP_VUMAP, FLAG_BYPASS_INPUT_OK, 0x0033, 10 },     /* S058 synchronised */
	{ MAP_VUMAP, FLAG_IMMINENT_STOP, 0x0038, 0 },        /* A000 */
	{ MAP_VUMAP, FLAG_OVERLOAD, 0x0038, 1 },             /* A001 */
	{ MAP_VUMAP, FLAG_GENERAL_ALARM, 0x0038, 15 },       /* A015 */
	{ MAP_VUMAP, FLAG_BATTERY_DISCHARGED, 0x0039, 1 },   /* A017 */
	{ MAP_VUMAP, FLAG_BATTERY_LOW, 0x0039, 2 },          /* A018 */
	{ MAP_VUMAP, FLAG_ON_BATTERY, 0x0039, 3 },           /* A019 */
	{ MAP_VUMAP, SIM_COND_RECT_INPUT_FAIL, 0x003A, 3 },  /* A035 */
	{ MAP_VUMAP, SIM_COND_BYPASS_INPUT_FAIL, 0x003B, 2 },/* A050 */
	/* STS status 0x0140-0x0142, alarms 0x0148-0x0149 */
	{ MAP_STS, FLAG_STS_S1_OK, 0x0140, 0 },
	{ MAP_STS, FLAG_STS_S1_ABSENT, 0x0140, 3 },
	{ MAP_STS, ALWAYS, 0x0140, 4 },                      /* power path 1 OK */
	{ MAP_STS, FLAG_STS_S2_OK, 0x0140, 6 },
	{ MAP_STS, FLAG_STS_S2_ABSENT, 0x0140, 9 },
	{ MAP_STS, ALWAYS, 0x0140, 10 },                     /* power path 2 OK */
	{ MAP_STS, FLAG_STS_SYNCHRONISED, 0x0140, 12 },
	{ MAP_STS, FLAG_STS_S1_PREFERRED, 0x0141, 0 },
	{ MAP_STS, FLAG_STS_ON_PREFERRED, 0x0141, 1 },
	{ MAP_STS, FLAG_STS_ON_ALTERNATE, 0x0141, 2 },
	{ MAP_STS, FLAG_LOAD_OFF, 0x0141, 3 },
	{ MAP_STS, FLAG_STS_ON_S1, 0x0141, 7 },
	{ MAP_STS, FLAG_STS_ON_S2, 0x0141, 8 },
	{ MAP_STS, FLAG_STS_ON_S1, 0x0141, 12 },             /* output OK */
	{ MAP_STS, FLAG_STS_ON_S2, 0x0141, 12 },
	{ MAP_STS, ALWAYS, 0x0142, 1 },                      /* Q41 closed */
	{ MAP_STS, ALWAYS, 0x0142, 2 },                      /* Q42 closed */
	{ MAP_STS, FLAG_STS_ON_S1, 0x0142, 3 },              /* SS1 closed */
	{ MAP_STS, FLAG_STS_ON_S2, 0x0142, 4 },              /* SS2 closed */
	{ MAP_STS, ALWAYS, 0x0142, 5 },                      /* Q30 closed */
	{ MAP_STS, ALWAYS, 0x0142, 13 },                     /* remote controls enabled */
	{ MAP_STS, FLAG_OVERLOAD, 0x0148, 3 },
	{ MAP_STS, FLAG_GENERAL_ALARM, 0x0149, 15 },
};

/* First bit of the per-unit "present/operating" and "available" lists. */
#define JBUSP_UNIT_PRESENT 32       /* S32..S37 */
#define VUMAP_UNIT_OPERATING 96     /* S096.. */
#define VUMAP_UNIT_AVAILABLE 112    /* S112.. */

unsigned sim_image_factor(const struct map_def *m)
{
	return m->id == MAP_VUMAP ? 1 : 0;
}

static int find_at(const struct bit_def *t, size_t n, uint16_t word, uint8_t bit)
{
	for (size_t i = 0; i < n && i < SIM_BITS_MAX; i++)
		if (t[i].word == word && t[i].bit == bit)
			return (int)i;
	return -1;
}

static void drive_bit(const struct map_def *m, struct sim_bits *b, uint16_t word, uint8_t bit)
{
	int i = find_at(m->status_bits, m->n_status_bits, word, bit);
	if (i >= 0) {
		sim_bits_put(b->status, (unsigned)i, true);
		return;
	}
	i = find_at(m->alarm_bits, m->n_alarm_bits, word, bit);
	if (i >= 0)
		sim_bits_put(b->alarm, (unsigned)i, true);
}

void sim_image_bits(const struct map_def *m, const struct sim_physics *p, size_t level,
		    struct sim_bits *out)
{
	const struct sim_level *l = &p->levels[level];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->n_flags; i++) {
		const struct flag_rule *r = &m->flags[i];
		if (!(l->flags & SIM_BIT(r->flag)))
			continue;
		sim_bits_put(r->src == SRC_STATUS ? out->status : out->alarm, r->index, true);
	}
	for (size_t i = 0; i < sizeof(drives) / sizeof(drives[0]); i++) {
		const struct drive *d = &drives[i];
		if (d->map != m->id || (d->id != ALWAYS && !(l->flags & SIM_BIT(d->id))))
			continue;
		drive_bit(m, out, d->word, d->bit);
	}
	if (l->kind != LEVEL_SYSTEM || !p->units)
		return;
	bool operating = !(l->flags & SIM_BIT(FLAG_LOAD_OFF));
	for (unsigned u = 0; u < p->units; u++) {
		if (m->id == MAP_JBUSP)
			sim_bits_put(out->status, JBUSP_UNIT_PRESENT + u, true);
		if (m->id == MAP_VUMAP) {
			sim_bits_put(out->status, VUMAP_UNIT_OPERATING + u, operating);
			sim_bits_put(out->status, VUMAP_UNIT_AVAILABLE + u, true);
		}
	}
}

int sim_image_find_bit(const struct map_def *m, const char *acronym,
		       enum bit_source *src, unsigned *index)
{
	for (int s = 0; s < 2; s++) {
		const struct bit_def *t = s ? m->alarm_bits : m->status_bits;
		size_t n = s ? m->n_alarm_bits : m->n_status_bits;
		for (size_t i = 0; i < n && i < SIM_BITS_MAX; i++) {
			if (t[i].acronym && strcasecmp(t[i].acronym, acronym) == 0) {
				*src = s ? SRC_ALARM : SRC_STATUS;
				*index = (unsigned)i;
				return 0;
			}
		}
	}
	return -ENOENT;
}

bool sim_image_in_window(const struct map_def *m, uint16_t addr)
{
	switch (m->id) {
	case MAP_JBUSP:
		return addr >= 0x1000 && addr <= 0x10FF;
	case MAP_VUMAP:
		return addr >= 0x0001 && addr <= 0x008F;
	case MAP_STS:
		return (addr >= 0x0100 && addr <= 0x014F) || (addr >= 0x0220 && addr <= 0x025F);
	default:
		return false;
	}
}

uint16_t sim_image_encode(const struct meas_reg *r, unsigned factor, double value)
{
	unsigned div = r->div[factor ? 1 : 0] ? r->div[factor ? 1 : 0] : 1;

	if (isnan(value))
		return 0xFFFF;
	double raw = round(value * div);
	if (r->is_signed) {
		if (raw > 32767)
			raw = 32767;
		if (raw < -32767)
			raw = -32767;
		if (raw == -1)          /* 0xFFFF means "not available" */
			raw = 0;
		return (uint16_t)(int16_t)raw;
	}
	if (raw < 0)
		raw = 0;
	if (raw > 0xFFFE)
		raw = 0xFFFE;
	return (uint16_t)raw;
}

double sim_image_decode(const struct meas_reg *r, unsigned factor, uint16_t raw)
{
	unsigned div = r->div[factor ? 1 : 0] ? r->div[factor ? 1 : 0] : 1;

	if (raw == 0xFFFF)
		return NAN;
	return (r->is_signed ? (double)(int16_t)raw : (double)raw) / div;
}

/* ASCII text in 10 words: JBUSP puts char 1 in the LSB, VU-MAP and STS
 * in the MSB (docs/simulator.md). */
static uint16_t ascii_word(const char *text, unsigned word, bool lsb_first)
{
	size_t len = strlen(text);
	unsigned i = 2 * word;
	uint8_t c1 = i < len ? (uint8_t)text[i] : 0;
	uint8_t c2 = i + 1 < len ? (uint8_t)text[i + 1] : 0;

	return lsb_first ? (uint16_t)(c2 << 8 | c1) : (uint16_t)(c1 << 8 | c2);
}

static void level_serial(const struct sim_physics *p, const struct sim_level *l, char *buf, size_t len)
{
	char mc = p->map == MAP_JBUSP ? 'J' : p->map == MAP_VUMAP ? 'V' : 'S';
	char kc = l->kind == LEVEL_SYSTEM ? 'S' : l->kind == LEVEL_UNIT ? 'U' : 'M';

	snprintf(buf, len, "UG%c%c%02u%02u24", mc, kc, l->unit % 100u, l->module % 100u);
}

static uint16_t jbusp_type(const struct sim_physics *p, const struct sim_level *l)
{
	if (p->topo == TOPO_MODULAR_UNIT)
		return l->kind == LEVEL_MODULE ? 20 : 21;    /* MODULYS 1/1 MODULE / UPS */
	if (p->topo == TOPO_PARALLEL && l->kind == LEVEL_SYSTEM)
		return 256;                                  /* MASTERYS 3/3 SYSTEM */
	return 257;                                          /* MASTERYS 3/3 UPS */
}

static uint16_t jbusp_reg(const struct sim_physics *p, const struct sim_level *l, uint16_t addr)
{
	char serial[16];

	switch (addr) {
	case 0x1000: return jbusp_type(p, l);
	case 0x1001: return (uint16_t)lround(l->nominal_kva * 10);
	case 0x1002: return l->kind == LEVEL_MODULE ? l->module : p->modules ? (uint16_t)p->modules : 1;
	case 0x10E0: case 0x10E1: return 230;
	case 0x10E2: case 0x10E3: return 50;
	case 0x10E4: return 210;                             /* com board firmware 2.10 */
	case 0x10E8: return (uint16_t)lround(1000 * l->nominal_kva / 20.0);  /* Ah * 10 */
	default: break;
	}
	if (addr >= 0x1003 && addr <= 0x1007) {
		level_serial(p, l, serial, sizeof(serial));
		return ascii_word(serial, addr - 0x1003u, true);
	}
	return 0;
}

/* VU-MAP T001: installation code (MSB) and device type (LSB). */
static uint16_t vumap_install(const struct sim_physics *p, const struct sim_level *l)
{
	switch (p->topo) {
	case TOPO_MODULAR_UNIT:
		return 0x0801;
	case TOPO_PARALLEL:
		return l->kind == LEVEL_SYSTEM ? 0x0601 : 0x0101;
	case TOPO_MODULAR_SYSTEM:
		/* units and modules too: T002 then counts the level below */
		return 0x0608;
	default:
		return 0x0101;
	}
}

/* T002: devices one level down (a module counts itself: 1..15). */
static unsigned vumap_children(const struct sim_physics *p, const struct sim_level *l)
{
	if (l->kind == LEVEL_MODULE)
		return 1;
	if (p->topo == TOPO_PARALLEL || p->topo == TOPO_MODULAR_SYSTEM)
		return l->kind == LEVEL_SYSTEM ? p->units : p->topo == TOPO_MODULAR_SYSTEM ? p->modules : 1;
	if (p->topo == TOPO_MODULAR_UNIT)
		return p->modules;
	return 1;
}

static uint16_t vumap_reg(const struct sim_physics *p, const struct sim_level *l, uint16_t addr)
{
	char text[24];
	unsigned children = vumap_children(p, l);
	bool modular = p->topo == TOPO_MODULAR_UNIT || p->topo == TOPO_MODULAR_SYSTEM;

	switch (addr) {
	case 0x0001: return vumap_install(p, l);
	case 0x0002: return (uint16_t)children;
	case 0x0003: return (uint16_t)((1u << children) - 1);
	case 0x0004: return l->kind == LEVEL_MODULE ? l->module : l->kind == LEVEL_UNIT ? l->unit : 1;
	case 0x0005: return (uint16_t)lround(l->nominal_kva * 10);           /* T014 = 1 */
	case 0x0006: return (uint16_t)lround(l->nominal_kva * 9);            /* kW, pf 0.9 */
	case 0x0007: return (uint16_t)(l->phases << 8 | l->phases);
	case 0x0008: return 0x0001;                                          /* eco mode enabled */
	case 0x000A: return 0x0001;                                          /* battery present */
	case 0x000E: return (uint16_t)sim_image_factor(&map_vumap);
	case 0x000F: return modular ? 0x8100 : 0x8300;      /* MODULYS GP 2.0 / MASTERYS GP4 */
	default: break;
	}
	if (addr >= 0x0010 && addr <= 0x0019) {
		level_serial(p, l, text, sizeof(text));
		return ascii_word(text, addr - 0x0010u, false);
	}
	if (addr >= 0x001A && addr <= 0x0023) {
		snprintf(text, sizeof(text), "%s %.0fkVA", modular ? "MODULYS GP" : "MASTERYS GP4",
			 l->nominal_kva);
		return ascii_word(text, addr - 0x001Au, false);
	}
	return 0;
}

static uint16_t sts_reg(const struct sim_physics *p, const struct sim_level *l, uint16_t addr)
{
	char text[24];

	if (addr >= 0x0100 && addr <= 0x0109)
		return ascii_word("STATYS 63A", addr - 0x0100u, false);
	if (addr >= 0x0116 && addr <= 0x011F) {
		level_serial(p, l, text, sizeof(text));
		return ascii_word(text, addr - 0x0116u, false);
	}
	return 0;
}

static bool bits_word(const struct bit_def *t, size_t n, const uint64_t *set,
		      uint16_t addr, uint16_t *out)
{
	bool found = false;

	*out = 0;
	for (size_t i = 0; i < n && i < SIM_BITS_MAX; i++) {
		if (t[i].word != addr)
			continue;
		found = true;
		if (sim_bits_test(set, (unsigned)i) && t[i].bit < 16)
			*out |= (uint16_t)(1u << t[i].bit);
	}
	return found;
}

uint16_t sim_image_reg(const struct map_def *m, const struct sim_physics *p, size_t level,
		       const struct sim_bits *bits, uint16_t addr)
{
	const struct sim_level *l = &p->levels[level];
	uint16_t v;

	if (bits_word(m->status_bits, m->n_status_bits, bits->status, addr, &v))
		return v;
	if (bits_word(m->alarm_bits, m->n_alarm_bits, bits->alarm, addr, &v))
		return v;
	for (size_t i = 0; i < m->n_meas; i++)
		if (m->meas[i].address == addr)
			return sim_image_encode(&m->meas[i], sim_image_factor(m), l->meas[m->meas[i].id]);
	switch (m->id) {
	case MAP_JBUSP: return jbusp_reg(p, l, addr);
	case MAP_VUMAP: return vumap_reg(p, l, addr);
	case MAP_STS: return sts_reg(p, l, addr);
	default: return 0;
	}
}

int sim_image_check(const struct map_def *m)
{
	int r = 0;

	for (size_t i = 0; i < sizeof(drives) / sizeof(drives[0]); i++) {
		const struct drive *d = &drives[i];
		if (d->map != m->id)
			continue;
		if (find_at(m->status_bits, m->n_status_bits, d->word, d->bit) < 0 &&
		    find_at(m->alarm_bits, m->n_alarm_bits, d->word, d->bit) < 0) {
			log_error("sim: %s has no bit %u of word 0x%04X", m->name, d->bit, d->word);
			r = -ENOENT;
		}
	}
	for (size_t i = 0; i < m->n_meas; i++) {
		if (m->meas[i].id >= _MEAS_COUNT) {
			log_error("sim: %s measurement %s has no id", m->name, m->meas[i].acronym);
			r = -ENOENT;
		}
	}
	return r;
}

/* VU-MAP decoding against hand-computed register dumps. */
#include <errno.h>

#include "maps-test.h"

static const struct addressing default_addr = { 0x1000, 0x0100 };

/* Identity 0x0001 x35 (T001-T015, R000 serial, R001 reference), status
 * 0x0030 x8, alarms 0x0038 x8, measurements 0x0040 x80, at [offset]. */
static void vumap_blocks(struct dump *d, uint32_t offset)
{
	dump_block(d, (uint16_t)(0x0001 + offset), 35);
	dump_block(d, (uint16_t)(0x0030 + offset), 8);
	dump_block(d, (uint16_t)(0x0038 + offset), 8);
	dump_block(d, (uint16_t)(0x0040 + offset), 80);
}

/* T001 installation:device, T002 devices, T003 positions, T014 factor. */
static void vumap_config(struct dump *d, uint32_t offset, uint16_t install, uint16_t devices,
			 uint16_t positions, uint16_t factor)
{
	dump_set(d, 0x0001 + offset, install);
	dump_set(d, 0x0002 + offset, devices);
	dump_set(d, 0x0003 + offset, positions);
	dump_set(d, 0x0004 + offset, 1);        /* T004 device number */
	dump_set(d, 0x0007 + offset, 0x0303);   /* T007 MSB 3 phases in, LSB 3 out */
	dump_set(d, 0x000A + offset, 0x0001);   /* T010 b00 battery present */
	dump_set(d, 0x000E + offset, factor);
	dump_set(d, 0x000F + offset, 0x8300);   /* T015 MASTERYS GP4 */
}

/* The same raw measurement words, read with T014 = 0 or 1. */
static void vumap_meas_words(struct dump *d)
{
	dump_set(d, 0x0040, 52);        /* M000 load 52 % (### both) */
	dump_set(d, 0x0044, 123);       /* M004 kVA: "## ###" -> 123 kVA, "# ###.#" -> 12.3 kVA */
	dump_set(d, 0x0046, 0xFFFF);    /* M006 current L1: not available */
	dump_set(d, 0x0047, 0);         /* M007 current L2: a real 0 */
	dump_set(d, 0x004D, 501);       /* M013 Hz "##.#" both: 50.1 Hz */
	dump_set(d, 0x0050, 540);       /* M016 V "# ###" -> 540 V, "###.#" -> 54.0 V */
	dump_set(d, 0x0058, 30);        /* M024 runtime 30 minutes */
	dump_set(d, 0x005A, 253);       /* M026 battery temp "##.#": 25.3 degC */
	dump_set(d, 0x0079, 95);        /* M057 PF "#.##": 0.95 */
	dump_set(d, 0x007C, 14);        /* M060 crest "#.#": 1.4 */
	dump_set(d, 0x0081, 77);        /* M065 = rectifier input current L2 (spec prints L1) */
}

static void case_single(struct tap *t, uint16_t factor)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data l;
	struct regview v;
	double x10 = factor ? 10.0 : 1.0;
	char name[64];

	vumap_blocks(&d, 0);
	vumap_config(&d, 0, 0x0101, 1, 0x0001, factor);
	dump_set(&d, 0x0005, 200);      /* T005 kVA: 200, or 20.0 if T014 = 1 */
	dump_set(&d, 0x0006, 180);      /* T006 kW: 180, or 18.0 */
	vumap_meas_words(&d);
	v = dump_view(&d, 0);
	snprintf(name, sizeof(name), "vumap single T014=%u", factor);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), 0, "%s: identity", name);
	CHECK_INT(t, topo.kind, TOPO_SINGLE, "%s: 01:01 single", name);
	CHECK_INT(t, id.meas_factor, factor, "%s: meas factor", name);
	CHECK_STR(t, id.range, "MASTERYS GP4", "%s: vumap T015 0x8300 range", name);
	CHECK_NEAR(t, id.nominal_kva, 200.0 / x10, "%s: vumap T005 kVA", name);
	CHECK_NEAR(t, id.nominal_kw, 180.0 / x10, "%s: vumap T006 kW", name);
	CHECK(t, id.phases_in == 3 && id.phases_out == 3, "%s: T007 3/3", name);
	CHECK(t, id.battery_present, "%s: T010 b00 battery present", name);
	level_init(&l);
	decode_level(&map_vumap, &id, &v, &l);
	CHECK(t, l.valid, "%s: level valid", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_LOAD], 52.0, "%s: vumap M000 %%", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_S], 123.0 / x10, "%s: vumap M004 same raw, T014 scale", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_I_L1], NAN, "%s: vumap M006 0xFFFF -> NAN", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_I_L2], 0.0, "%s: vumap M007 0 stays 0", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_FREQ], 50.1, "%s: vumap M013 ##.# in both formats", name);
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_V_POS], 540.0 / x10, "%s: vumap M016 # ### / ###.#", name);
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_RUNTIME], 30.0, "%s: vumap M024 minutes", name);
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_TEMP], 25.3, "%s: vumap M026 ##.#", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_PF_L1], 0.95, "%s: vumap M057 #.##", name);
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_CF_L1], 1.4, "%s: vumap M060 #.#", name);
	CHECK_NEAR(t, l.meas[MEAS_INPUT_I_L2], 77.0 / x10, "%s: vumap M065 is L2", name);
}

static void case_serial_msb_first(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;

	vumap_blocks(&d, 0);
	vumap_config(&d, 0, 0x0101, 1, 1, 0);
	/* R000: first character in the MSB: 'S' = 0x53, 'N' = 0x4E -> 0x534E */
	dump_set(&d, 0x0010, 0x534E);   /* "SN" */
	dump_set(&d, 0x0011, 0x3030);   /* "00" */
	dump_set(&d, 0x0012, 0x3432);   /* "42" */
	dump_set(&d, 0x0013, 0x2020);   /* "  " trailing, then 0x0000 words */
	/* R001: "GP4 60" */
	dump_set(&d, 0x001A, 0x4750);   /* "GP" */
	dump_set(&d, 0x001B, 0x3420);   /* "4 " */
	dump_set(&d, 0x001C, 0x3630);   /* "60" */
	v = dump_view(&d, 0);
	decode_identity(&map_vumap, &v, &id, &topo);
	CHECK_STR(t, id.serial, "SN0042", "vumap serial: MSB first, trailing trimmed");
	CHECK_STR(t, id.reference, "GP4 60", "vumap reference: MSB first, inner space kept");
}

static void case_modular_unit(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data levels[MODEL_MAX_LEVELS];
	struct regview v;
	size_t n;

	vumap_blocks(&d, 0);
	/* 08:01 modular unit, T002 = 3 modules at positions 1, 2, 4:
	 * T003 = b00 | b01 | b03 = 0x000B */
	vumap_config(&d, 0, 0x0801, 3, 0x000B, 0);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), 0, "vumap modular unit: identity");
	CHECK_INT(t, topo.kind, TOPO_MODULAR_UNIT, "vumap 08:01 -> modular unit");
	CHECK_INT(t, topo.n_modules, 3, "vumap modular unit: T002 modules");
	CHECK_INT(t, topo.module_mask, 0x0B, "vumap modular unit: T003 positions");
	n = topology_levels(&topo, levels, MODEL_MAX_LEVELS);
	CHECK_INT(t, n, 5, "vumap modular unit: system + positions 1..4");
	CHECK(t, levels[3].module == 3 && !levels[3].present, "vumap modular unit: position 3 empty");
	CHECK(t, levels[4].module == 4 && levels[4].present && levels[4].unit == 0,
	      "vumap modular unit: module 4 present");
	dump_set(&d, 0x0001, 0x0901);   /* 09:01 also a modular unit */
	decode_identity(&map_vumap, &v, &id, &topo);
	CHECK_INT(t, topo.kind, TOPO_MODULAR_UNIT, "vumap 09:01 -> modular unit");
	dump_set(&d, 0x0002, 9);        /* 9 modules > 8 */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap modular unit: 9 modules -> -EINVAL");
}

static void case_parallel(struct tap *t, uint16_t positions, enum bypass_arch want,
			  const char *name)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data levels[MODEL_MAX_LEVELS];
	struct regview v;

	vumap_blocks(&d, 0);
	vumap_config(&d, 0, 0x0601, 3, positions, 1);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), 0, "%s: identity", name);
	CHECK_INT(t, topo.kind, TOPO_PARALLEL, "%s: 06:01 parallel", name);
	CHECK_INT(t, topo.n_units, 3, "%s: T002 units", name);
	CHECK_INT(t, topo.unit_mask, 0x07, "%s: T003 b00-b02", name);
	CHECK_INT(t, topo.bypass, want, "%s: bypass architecture", name);
	CHECK_INT(t, topology_levels(&topo, levels, MODEL_MAX_LEVELS), 4, "%s: system + 3 units", name);
	dump_set(&d, 0x0002, 11);       /* 11 units > 10 */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "%s: 11 units -> -EINVAL", name);
}

static void case_modular_system(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id, uid;
	struct topology_info topo, ut;
	struct level_data levels[MODEL_MAX_LEVELS], u2;
	struct regview v;
	uint32_t off1 = level_offset(&default_addr, 1, 0), off2 = level_offset(&default_addr, 2, 0);
	size_t n;

	vumap_blocks(&d, 0);
	vumap_blocks(&d, off1);
	vumap_blocks(&d, off2);
	/* System: 06:08, T002 = 2 units, T003 = b00 | b01 = 0x0003 */
	vumap_config(&d, 0, 0x0608, 2, 0x0003, 0);
	/* Unit 1 (at 0x1000): its T002 = 4 modules, T003 = 0x000F */
	vumap_config(&d, off1, 0x0608, 4, 0x000F, 0);
	/* Unit 2 (at 0x2000): answers as a modular unit, 2 modules */
	vumap_config(&d, off2, 0x0801, 2, 0x0003, 0);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), 0, "vumap modular system: identity");
	CHECK_INT(t, topo.kind, TOPO_MODULAR_SYSTEM, "vumap 06:08 -> modular system");
	CHECK_INT(t, topo.n_units, 2, "vumap modular system: T002 units");
	CHECK_INT(t, topo.unit_mask, 0x03, "vumap modular system: units 1, 2");
	CHECK_INT(t, topo.modules_per_unit, 6, "vumap modular system: 6 module positions per unit");
	CHECK_INT(t, topo.n_modules, 0, "vumap modular system: modules read at unit level");

	v = dump_view(&d, off1);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &uid, &ut), 0, "vumap unit 1: identity");
	CHECK(t, ut.kind == TOPO_MODULAR_UNIT && ut.n_modules == 4 && ut.module_mask == 0x0F,
	      "vumap unit 1: 06:08 at a unit offset -> its 4 modules");
	/* The poller: n_modules = sum, unit u's mask at (u-1) * modules_per_unit. */
	topo.n_modules += ut.n_modules;
	topo.module_mask |= ut.module_mask << (0 * topo.modules_per_unit);
	v = dump_view(&d, off2);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &uid, &ut), 0, "vumap unit 2: identity");
	CHECK_INT(t, ut.n_modules, 2, "vumap unit 2: 2 modules");
	topo.n_modules += ut.n_modules;
	topo.module_mask |= ut.module_mask << (1 * topo.modules_per_unit);
	n = topology_levels(&topo, levels, MODEL_MAX_LEVELS);
	CHECK_INT(t, n, 9, "vumap modular system: system, unit 1 + 4 modules, unit 2 + 2 modules");
	CHECK(t, levels[6].kind == LEVEL_UNIT && levels[6].unit == 2, "vumap modular system: unit 2");
	CHECK(t, levels[8].kind == LEVEL_MODULE && levels[8].unit == 2 && levels[8].module == 2,
	      "vumap modular system: unit 2 module 2");
	CHECK_INT(t, level_offset(&default_addr, levels[8].unit, levels[8].module), 0x2200,
		  "vumap modular system: unit 2 module 2 at 0x2200");

	/* Unit 2's level decodes at its offset. */
	dump_set(&d, 0x2030, 0x0001);   /* unit 2 S000 load on inverter */
	v = dump_view(&d, off2);
	level_init(&u2);
	decode_level(&map_vumap, &id, &v, &u2);
	CHECK(t, model_flag(&u2, FLAG_LOAD_ON_INVERTER), "vumap unit 2: own status at 0x2030");

	dump_set(&d, 0x1002, 7);        /* unit 1 with 7 modules > 6 */
	v = dump_view(&d, off1);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &uid, &ut), -EINVAL,
		  "vumap modular system unit: 7 modules -> -EINVAL");
	dump_set(&d, 0x0002, 5);        /* 5 units > 4 */
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap modular system: 5 units -> -EINVAL");
}

static void case_not_a_map(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;

	vumap_blocks(&d, 0);
	v = dump_view(&d, 0);
	for (uint16_t a = 0x0001; a <= 0x0023; a++)
		dump_set(&d, a, 0xFFFF);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap: all 0xFFFF -> -EINVAL");
	vumap_config(&d, 0, 0x0202, 1, 1, 0);   /* 02:02 is no installation code */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap: T001 02:02 -> -EINVAL");
	vumap_config(&d, 0, 0x0101, 0, 1, 0);   /* T002 = 0 */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap: T002 0 -> -EINVAL");
	vumap_config(&d, 0, 0x0101, 16, 1, 0);  /* T002 = 16 */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap: T002 16 -> -EINVAL");
	vumap_config(&d, 0, 0x0101, 1, 1, 2);   /* T014 = 2 */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -EINVAL,
		  "vumap: T014 2 -> -EINVAL");
	vumap_config(&d, 0, 0x0101, 1, 1, 1);
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), 0, "vumap: valid again -> 0");
	d.b[0].count = 15;              /* T001-T015 only: serial missing */
	CHECK_INT(t, decode_identity(&map_vumap, &v, &id, &topo), -ENOENT,
		  "vumap: serial block missing -> -ENOENT");
}

static void case_short_status(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data l;
	struct regview v;

	dump_block(&d, 0x0001, 35);
	dump_block(&d, 0x0030, 6);      /* a single UPS: first words enough */
	dump_block(&d, 0x0038, 4);
	vumap_config(&d, 0, 0x0101, 1, 1, 0);
	/* S019 A019 operating on battery: bit 3 of 0x0039 = 0x0008 */
	dump_set(&d, 0x0039, 0x0008);
	v = dump_view(&d, 0);
	decode_identity(&map_vumap, &v, &id, &topo);
	level_init(&l);
	decode_level(&map_vumap, &id, &v, &l);
	CHECK(t, l.valid, "vumap short read: still valid");
	CHECK_INT(t, l.status[7], 0, "vumap short read: unread word is 0");
	CHECK(t, model_flag(&l, FLAG_ON_BATTERY), "vumap A019 -> on_battery");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_LOAD], NAN, "vumap: no measurement block -> NAN");
}

int main(void)
{
	struct tap t = { 0 };

	case_single(&t, 0);
	case_single(&t, 1);
	case_serial_msb_first(&t);
	case_modular_unit(&t);
	case_parallel(&t, 0x0007, BYPASS_DISTRIBUTED, "vumap parallel distributed");
	/* b13 "bypass module": 0x2000 | 0x0007 */
	case_parallel(&t, 0x2007, BYPASS_CENTRALISED, "vumap parallel centralised");
	case_modular_system(&t);
	case_not_a_map(&t);
	case_short_status(&t);
	return tap_done(&t);
}

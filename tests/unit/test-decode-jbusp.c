/* JBUSP decoding against hand-computed register dumps. */
#include <errno.h>

#include "maps-test.h"

static const struct addressing default_addr = { 0x1000, 0x0100 };

/* Identity 0x1000 x12, config 0x10E0 x16, status 0x1020 x4, alarms
 * 0x1040 x4, measurements 0x1060 x48, at [offset]. */
static void jbusp_blocks(struct dump *d, uint32_t offset)
{
	dump_block(d, (uint16_t)(0x1000 + offset), 12);
	dump_block(d, (uint16_t)(0x10E0 + offset), 16);
	dump_block(d, (uint16_t)(0x1020 + offset), 4);
	dump_block(d, (uint16_t)(0x1040 + offset), 4);
	dump_block(d, (uint16_t)(0x1060 + offset), 48);
}

/* MASTERYS 3/3 UPS, 20 kVA, serial "AB12345678". */
static void jbusp_single_identity(struct dump *d)
{
	jbusp_blocks(d, 0);
	dump_set(d, 0x1000, 257);       /* T00 type 257 = 0x0101 = MASTERYS 3/3 UPS */
	dump_set(d, 0x1001, 200);       /* T01 kVA*10: 200 / 10 = 20.0 kVA */
	dump_set(d, 0x1002, 1);         /* T02 module number */
	/* serial: char 1 in the LSB: 'A' = 0x41, 'B' = 0x42 -> 0x4241 */
	dump_set(d, 0x1003, 0x4241);    /* "AB" */
	dump_set(d, 0x1004, 0x3231);    /* "12" */
	dump_set(d, 0x1005, 0x3433);    /* "34" */
	dump_set(d, 0x1006, 0x3635);    /* "56" */
	dump_set(d, 0x1007, 0x3837);    /* "78" */
	dump_set(d, 0x10E0, 230);       /* T00 nominal input 230 V */
	dump_set(d, 0x10E1, 230);       /* T01 nominal output 230 V */
	dump_set(d, 0x10E2, 50);        /* T02 50 Hz */
	dump_set(d, 0x10E3, 60);        /* T03 60 Hz */
	dump_set(d, 0x10E4, 105);       /* T04 firmware 1.05 * 100 */
	dump_set(d, 0x10E8, 650);       /* T08 Ah*10: 650 / 10 = 65.0 Ah */
}

static void case_single_identity(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;
	int r;

	jbusp_single_identity(&d);
	v = dump_view(&d, 0);
	r = decode_identity(&map_jbusp, &v, &id, &topo);
	CHECK_INT(t, r, 0, "jbusp single: identity accepted");
	CHECK_INT(t, id.map, MAP_JBUSP, "jbusp single: map");
	CHECK_INT(t, id.type_code, 257, "jbusp single: type code");
	CHECK_STR(t, id.range, "MASTERYS 3/3 UPS", "jbusp single: range from the type table");
	CHECK_NEAR(t, id.nominal_kva, 20.0, "jbusp single: kVA = T01 / 10");
	CHECK_STR(t, id.serial, "AB12345678", "jbusp single: serial, char 1 in the LSB");
	CHECK_INT(t, id.phases_in, 3, "jbusp single: 3/3 -> 3 phases in");
	CHECK_INT(t, id.phases_out, 3, "jbusp single: 3/3 -> 3 phases out");
	CHECK_INT(t, id.firmware, 105, "jbusp single: firmware x100");
	CHECK_NEAR(t, id.nominal_vin, 230.0, "jbusp single: nominal input voltage");
	CHECK_NEAR(t, id.nominal_fout, 60.0, "jbusp single: nominal output frequency");
	CHECK_NEAR(t, id.battery_ah, 65.0, "jbusp single: battery Ah = T08 / 10");
	CHECK_INT(t, topo.kind, TOPO_SINGLE, "jbusp single: topology single");
	CHECK_INT(t, topology_levels(&topo, (struct level_data[4]){ 0 }, 4), 1,
		  "jbusp single: one level");
}

static void case_single_level(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data l;
	struct regview v;

	jbusp_single_identity(&d);
	/* S00 rect input, S01 inverter on, S02 rectifier on, S03 load on
	 * inverter: bits 0-3 of 0x1020 = 0x000F. S17 battery OK: bit 1 of
	 * 0x1021 = 0x0002. */
	dump_set(&d, 0x1020, 0x000F);
	dump_set(&d, 0x1021, 0x0002);
	/* A02 overload: bit 2 of 0x1040 = 0x0004 */
	dump_set(&d, 0x1040, 0x0004);
	dump_set(&d, 0x1063, 45);       /* M03 load 45 % */
	dump_set(&d, 0x106F, 215);      /* M15 A*10: 215 / 10 = 21.5 A */
	dump_set(&d, 0x106C, 0xFFFF);   /* M12 input current: -1 = not available */
	dump_set(&d, 0x1072, 499);      /* M18 Hz*10: 49.9 Hz */
	dump_set(&d, 0x1074, 2725);     /* M20 V*10: 272.5 V */
	dump_set(&d, 0x1075, 0);        /* M21 V*10: a real 0 */
	dump_set(&d, 0x1076, 0xFFFB);   /* M22 temperature, signed: 0xFFFB = -5 degC */
	dump_set(&d, 0x1077, 12);       /* M23 runtime 12 minutes */
	dump_set(&d, 0x1078, 0xFFF6);   /* M24 A*10 signed: 0xFFF6 = -10 -> -1.0 A */
	dump_set(&d, 0x1081, 231);      /* M33 rectifier input L1 231 V */
	dump_set(&d, 0x1084, 183);      /* M36 kW*10: 18.3 kW */
	dump_set(&d, 0x1085, 0xFFFF);   /* M37 kVA*10 not available */
	dump_set(&d, 0x1088, 61);       /* M40 input power, decided kW*10: 6.1 kW */
	dump_set(&d, 0x108B, 501);      /* M43 Hz*10: 50.1 Hz */

	v = dump_view(&d, 0);
	decode_identity(&map_jbusp, &v, &id, &topo);
	level_init(&l);
	decode_level(&map_jbusp, &id, &v, &l);
	CHECK(t, l.valid, "jbusp level: valid with status and alarms read");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_LOAD], 45.0, "jbusp M03 load");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_I_L1], 21.5, "jbusp M15 215 -> 21.5 A");
	CHECK_NEAR(t, l.meas[MEAS_INPUT_I_L1], NAN, "jbusp M12 0xFFFF -> not available");
	CHECK_NEAR(t, l.meas[MEAS_BYPASS_FREQ], 49.9, "jbusp M18 499 -> 49.9 Hz");
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_V_POS], 272.5, "jbusp M20 2725 -> 272.5 V");
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_V_NEG], 0.0, "jbusp M21 0 stays a valid 0");
	CHECK_NEAR(t, l.meas[MEAS_AMBIENT_TEMP], -5.0, "jbusp M22 0xFFFB -> -5 degC");
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_RUNTIME], 12.0, "jbusp M23 12 -> 12 minutes");
	CHECK_NEAR(t, l.meas[MEAS_BATTERY_I_POS], -1.0, "jbusp M24 0xFFF6 -> -1.0 A");
	CHECK_NEAR(t, l.meas[MEAS_INPUT_V_L1], 231.0, "jbusp M33 rectifier input L1");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_P], 18.3, "jbusp M36 183 -> 18.3 kW");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_S_L1], NAN, "jbusp M37 0xFFFF -> not available");
	CHECK_NEAR(t, l.meas[MEAS_INPUT_P_L1], 6.1, "jbusp M40 61 -> 6.1 kW (decided)");
	CHECK_NEAR(t, l.meas[MEAS_INPUT_FREQ], 50.1, "jbusp M43 501 -> 50.1 Hz");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_V_U12], NAN, "jbusp: no register -> not available");
	CHECK(t, model_flag(&l, FLAG_LOAD_ON_INVERTER), "jbusp S03 -> load_on_inverter");
	CHECK(t, model_flag(&l, FLAG_INVERTER_ON), "jbusp S01 -> inverter_on");
	CHECK(t, model_flag(&l, FLAG_BATTERY_OK), "jbusp S17 -> battery_ok");
	CHECK(t, model_flag(&l, FLAG_OVERLOAD), "jbusp A02 -> overload");
	CHECK(t, !model_flag(&l, FLAG_ON_BATTERY), "jbusp S05 clear -> not on battery");
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.ups_status, UPS_STATUS_ON_INVERTER, "jbusp derive: load protected by inverter");
	CHECK_INT(t, l.d.load_status, LOAD_OVERLOAD, "jbusp derive: overload flag");
	CHECK_INT(t, l.d.n_alarms, 1, "jbusp derive: one managed alarm (A02)");
	CHECK_INT(t, l.d.worst_alarm, LEVEL_WARNING, "jbusp derive: A02 is a warning");
}

static void case_missing_blocks(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data l;
	struct regview v;

	dump_block(&d, 0x1000, 12);
	dump_set(&d, 0x1000, 257);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), 0,
		  "jbusp: identity without the config block is accepted");
	CHECK_NEAR(t, id.nominal_vin, NAN, "jbusp: no config block -> nominal V not available");
	level_init(&l);
	decode_level(&map_jbusp, &id, &v, &l);
	CHECK(t, !l.valid, "jbusp: no status/alarm blocks -> level not valid");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_LOAD], NAN, "jbusp: no measurement block -> NAN");
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.ups_status, UPS_STATUS_UNKNOWN, "jbusp: invalid level -> status unknown");

	d.n = 0;
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), -ENOENT,
		  "jbusp: no identity block -> -ENOENT");
}

static void case_not_a_map(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;

	jbusp_blocks(&d, 0);
	v = dump_view(&d, 0);
	dump_set(&d, 0x1000, 0xFFFF);   /* -1: not a type code */
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), -EINVAL,
		  "jbusp: type 0xFFFF -> -EINVAL");
	dump_set(&d, 0x1000, 0);        /* 0: not in jbusp_ups_types.tsv */
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), -EINVAL,
		  "jbusp: type 0 -> -EINVAL");
	dump_set(&d, 0x1000, 0x0101);   /* VU-MAP "01:01" read at 0x1000? 257 is a JBUSP type */
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), 0,
		  "jbusp: type 257 accepted");
	CHECK_INT(t, topo.kind, TOPO_SINGLE, "jbusp: accepted after a rejection");
}

static void case_serial_edges(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;

	jbusp_blocks(&d, 0);
	dump_set(&d, 0x1000, 30);       /* ITYS */
	dump_set(&d, 0x1003, 0x5958);   /* "XY": 'X' = 0x58 in the LSB */
	dump_set(&d, 0x1004, 0x0107);   /* 0x07 then 0x01: not printable -> "??" */
	dump_set(&d, 0x1005, 0x205A);   /* "Z " */
	dump_set(&d, 0x1006, 0x0020);   /* " \0" trailing */
	dump_set(&d, 0x1007, 0x0000);   /* "\0\0" trailing */
	v = dump_view(&d, 0);
	decode_identity(&map_jbusp, &v, &id, &topo);
	CHECK_STR(t, id.serial, "XY??Z", "jbusp serial: non-printables '?', trailing trimmed");
	CHECK_INT(t, id.phases_in, 1, "jbusp ITYS -> 1 phase in");
	CHECK_INT(t, id.phases_out, 1, "jbusp ITYS -> 1 phase out");
	dump_set(&d, 0x1000, 89);       /* ITYS 3/1 UPS */
	decode_identity(&map_jbusp, &v, &id, &topo);
	CHECK(t, id.phases_in == 3 && id.phases_out == 1, "jbusp ITYS 3/1 -> 3 in, 1 out");
	dump_set(&d, 0x1000, 513);      /* DELPHYS MP SINGLE UNIT */
	decode_identity(&map_jbusp, &v, &id, &topo);
	CHECK(t, id.phases_in == 3 && id.phases_out == 3, "jbusp DELPHYS -> 3/3");
}

static void case_parallel(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data sys, levels[MODEL_MAX_LEVELS];
	struct regview v;
	size_t n;

	jbusp_blocks(&d, 0);
	dump_set(&d, 0x1000, 256);      /* MASTERYS 3/3 SYSTEM */
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), 0, "jbusp parallel: identity");
	CHECK_INT(t, topo.kind, TOPO_PARALLEL, "jbusp parallel: SYSTEM in the range name");
	CHECK_INT(t, topo.n_units, 0, "jbusp parallel: units unknown before status");
	/* S30 parallel: bit 14 of 0x1021 = 0x4000; S32, S33, S35 units 1, 2, 4
	 * present: bits 0, 1, 3 of 0x1022 = 0x000B. */
	dump_set(&d, 0x1021, 0x4000);
	dump_set(&d, 0x1022, 0x000B);
	level_init(&sys);
	decode_level(&map_jbusp, &id, &v, &sys);
	CHECK(t, model_flag(&sys, FLAG_PARALLEL), "jbusp parallel: S30 -> parallel flag");
	decode_topology_status(&map_jbusp, &sys, &topo);
	CHECK_INT(t, topo.unit_mask, 0x0B, "jbusp parallel: units from S32-S37");
	CHECK_INT(t, topo.n_units, 3, "jbusp parallel: 3 units present");
	n = topology_levels(&topo, levels, MODEL_MAX_LEVELS);
	CHECK_INT(t, n, 5, "jbusp parallel: system + unit positions 1..4");
	CHECK(t, levels[1].kind == LEVEL_UNIT && levels[1].unit == 1 && levels[1].present,
	      "jbusp parallel: level 1 = unit 1 present");
	CHECK(t, levels[3].unit == 3 && !levels[3].present, "jbusp parallel: unit 3 absent");
	CHECK(t, levels[4].unit == 4 && levels[4].present, "jbusp parallel: unit 4 present");
	CHECK_INT(t, level_offset(&default_addr, levels[4].unit, 0), 0x4000,
		  "jbusp parallel: unit 4 at 4 * 0x1000");
	CHECK_INT(t, topology_levels(&topo, levels, 2), 2, "jbusp parallel: levels capped by max");

	/* A UPS range whose S30 says it is in a parallel system. */
	dump_set(&d, 0x1000, 257);      /* MASTERYS 3/3 UPS */
	decode_identity(&map_jbusp, &v, &id, &topo);
	CHECK_INT(t, topo.kind, TOPO_SINGLE, "jbusp UPS range: single from identity");
	decode_topology_status(&map_jbusp, &sys, &topo);
	CHECK_INT(t, topo.kind, TOPO_PARALLEL, "jbusp UPS range + S30 -> parallel");
	CHECK_INT(t, topo.n_units, 3, "jbusp UPS range + S30: units counted");
	sys.valid = false;
	decode_identity(&map_jbusp, &v, &id, &topo);
	decode_topology_status(&map_jbusp, &sys, &topo);
	CHECK_INT(t, topo.kind, TOPO_SINGLE, "jbusp: status not read -> topology unchanged");
}

static void case_modular_unit(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data levels[MODEL_MAX_LEVELS], m2;
	struct regview v;
	uint32_t off;
	size_t n;

	jbusp_blocks(&d, 0);
	dump_set(&d, 0x1000, 84);       /* 0x54 MODULYS 3/1 UPS */
	dump_set(&d, 0x1002, 4);        /* T02 4 modules */
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), 0, "jbusp modular: identity");
	CHECK_INT(t, topo.kind, TOPO_MODULAR_UNIT, "jbusp modular: MODULYS ... UPS");
	CHECK_INT(t, topo.n_modules, 4, "jbusp modular: T02 modules");
	CHECK_INT(t, topo.module_mask, 0x0F, "jbusp modular: modules 1-4");
	CHECK(t, id.phases_in == 3 && id.phases_out == 1, "jbusp modular: 3/1 phases");
	n = topology_levels(&topo, levels, MODEL_MAX_LEVELS);
	CHECK_INT(t, n, 5, "jbusp modular: system + 4 modules");
	CHECK(t, levels[2].kind == LEVEL_MODULE && levels[2].unit == 0 && levels[2].module == 2,
	      "jbusp modular: level 2 = module 2 of the unit");

	/* Module 2 answers the same map at 2 * 0x0100: status at 0x1220. */
	off = level_offset(&default_addr, 0, 2);
	CHECK_INT(t, off, 0x0200, "jbusp modular: module 2 offset");
	jbusp_blocks(&d, off);
	dump_set(&d, 0x1220, 0x0020);   /* module 2: S05 on battery (bit 5) */
	dump_set(&d, 0x126F, 100);      /* module 2: M15 10.0 A */
	v = dump_view(&d, off);
	level_init(&m2);
	decode_level(&map_jbusp, &id, &v, &m2);
	CHECK(t, m2.valid && model_flag(&m2, FLAG_ON_BATTERY), "jbusp module 2: its own status");
	CHECK_NEAR(t, m2.meas[MEAS_OUTPUT_I_L1], 10.0, "jbusp module 2: its own measurement");

	dump_set(&d, 0x1002, 9);        /* more than 8 modules */
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), -EINVAL,
		  "jbusp modular: 9 modules -> -EINVAL");
	dump_set(&d, 0x1002, 0);
	CHECK_INT(t, decode_identity(&map_jbusp, &v, &id, &topo), -EINVAL,
		  "jbusp modular: 0 modules -> -EINVAL");
}

static void case_offsets(struct tap *t)
{
	struct addressing no_units = { 0, 0x0100 };
	struct dump d = { 0 };
	struct regview v;
	uint16_t w;

	CHECK_INT(t, level_offset(&default_addr, 0, 0), 0, "offset: system at 0");
	CHECK_INT(t, level_offset(&default_addr, 2, 3), 0x2300, "offset: unit 2 module 3");
	CHECK_INT(t, level_offset(&no_units, 1, 0), UINT32_MAX, "offset: stride 0 -> not polled");
	dump_block(&d, 0x1000, 1);
	v = dump_view(&d, UINT32_MAX);
	CHECK_INT(t, regview_get(&v, 0x1000, &w), -ENOENT, "regview: not-polled offset reads nothing");
	v = dump_view(&d, 0xF000);
	CHECK_INT(t, regview_get(&v, 0x1000, &w), -ENOENT, "regview: past 0xFFFF -> -ENOENT");
	d.b[0].count = 200;             /* corrupted count: capped at 125 */
	v = dump_view(&d, 0);
	CHECK_INT(t, regview_get(&v, 0x1000 + 125, &w), -ENOENT, "regview: count capped at 125");
}

int main(void)
{
	struct tap t = { 0 };

	case_single_identity(&t);
	case_single_level(&t);
	case_missing_blocks(&t);
	case_not_a_map(&t);
	case_serial_edges(&t);
	case_parallel(&t);
	case_modular_unit(&t);
	case_offsets(&t);
	return tap_done(&t);
}

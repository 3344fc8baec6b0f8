/* The BACnet object model: the generated table, values from hand-built
 * snapshots in single, concentrator and multi-unit modes (AV scaling,
 * factor_10, not available, MV states, BSV bits, comm loss) and the
 * Device object's UPS values. */
#include <errno.h>

#include "maps-test.h"
#include "bacnet/objects.h"
#include "device/snapshot.h"

#define AV BAC_OBJ_ANALOG_VALUE
#define MV BAC_OBJ_MULTI_STATE_VALUE
#define BSV BAC_OBJ_BITSTRING_VALUE

/* Instances used below (bacnet_objects.tsv). */
enum {
	AV_UPS_LR = 0, AV_UPS_KVA = 1, AV_UPS_I1 = 6, AV_UPS_V2 = 16, AV_UPS_FR = 21,
	AV_UPS_CF = 22, AV_UPS_PF1 = 23, AV_UNIT_LR = 26, AV_UNIT_KVA = 27, AV_UNIT_I1 = 32,
	AV_UNIT_TMP = 52, AV_BAT_I = 68, AV_BAT_AH = 71, AV_BAT_MIN = 72,
	MV_DEVICE = 0, MV_UPS_LOAD = 1, MV_UNIT_LOAD = 2, MV_UNIT_STATUS = 3, MV_ALARMS = 4,
	MV_BATTERY = 5, MV_RECT = 6, MV_INV = 7, MV_INPUT_REC = 8, MV_INPUT_BYP = 9,
	BSV_UPS_STATUS = 0, BSV_UPS_ALARMS = 1, BSV_UNIT_ALARMS = 2,
};

static struct bac_value value_of(const struct snapshot *s, unsigned unit, enum bac_object_type type,
				 uint32_t inst)
{
	const struct bac_object *o = bac_object_find(type, inst);
	struct bac_value v = { .reliable = true, .v.bits = 0xdeadbeef };

	if (!o || bac_object_value(o, s, unit, &v) < 0) {
		fprintf(stderr, "object %d:%u has no value\n", type, (unsigned)inst);
		abort();
	}
	return v;
}

static float real_of(const struct snapshot *s, unsigned unit, uint32_t inst)
{
	return value_of(s, unit, AV, inst).v.real;
}

static uint32_t state_of(const struct snapshot *s, unsigned unit, uint32_t inst)
{
	return value_of(s, unit, MV, inst).v.state;
}

static uint32_t bits_of(const struct snapshot *s, unsigned unit, uint32_t inst)
{
	return value_of(s, unit, BSV, inst).v.bits;
}

static void set_flag(struct level_data *l, enum ups_flag f)
{
	l->flags |= UINT64_C(1) << f;
}

static void set_bit(uint16_t *words, unsigned bit)
{
	words[bit / 16] |= (uint16_t)(1u << (bit % 16));
}

/* A level that was read, with one set of flags, and its derived states. */
static void level_flags(const struct snapshot *s, struct level_data *l,
			const enum ups_flag *flags, size_t n)
{
	l->flags = 0;
	memset(l->status, 0, sizeof(l->status));
	memset(l->alarms, 0, sizeof(l->alarms));
	for (size_t i = 0; i < n; i++)
		set_flag(l, flags[i]);
	l->valid = true;
	memset(&l->d, 0, sizeof(l->d));
	derive_level(map_get(s->id.map), l);
}

#define FLAGS(s, l, ...) \
	level_flags((s), (l), (const enum ups_flag[]){ __VA_ARGS__ }, \
		    sizeof((const enum ups_flag[]){ __VA_ARGS__ }) / sizeof(enum ups_flag))

static struct snapshot *single_ups(enum ups_map map, uint8_t factor)
{
	struct snapshot *s = snapshot_new();
	struct level_data *l = &s->levels[0];

	s->comm = COMM_OK;
	s->id.map = map;
	s->id.meas_factor = factor;
	s->id.battery_present = true;
	s->id.nominal_kva = 20;
	snprintf(s->id.range, sizeof(s->id.range), "MASTERYS BC+");
	snprintf(s->id.serial, sizeof(s->id.serial), "X12345678");
	s->topo.kind = TOPO_SINGLE;
	s->n_levels = 1;
	l->kind = LEVEL_SYSTEM;
	l->present = true;
	l->valid = true;
	l->meas[MEAS_OUTPUT_LOAD] = 45;
	l->meas[MEAS_OUTPUT_S] = 12.3;
	l->meas[MEAS_OUTPUT_I_L1] = 10.5;
	l->meas[MEAS_OUTPUT_FREQ] = 49.9;
	l->meas[MEAS_OUTPUT_CF] = 2.5;
	l->meas[MEAS_OUTPUT_PF_L1] = 0.87;
	l->meas[MEAS_AMBIENT_TEMP] = 23.5;
	l->meas[MEAS_BATTERY_I_POS] = -3;
	l->meas[MEAS_BATTERY_AH] = 40;
	l->meas[MEAS_BATTERY_RUNTIME] = 0;
	FLAGS(s, l, FLAG_LOAD_ON_INVERTER, FLAG_INVERTER_ON, FLAG_RECTIFIER_ON,
	      FLAG_RECTIFIER_INPUT_OK, FLAG_BYPASS_INPUT_OK, FLAG_BATTERY_OK);
	return s;
}

/* A VU-MAP parallel system of [n] units: the system on inverter at 60 %,
 * each unit u at 30 + u %. */
static struct snapshot *parallel_ups(unsigned n)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);

	s->topo.kind = TOPO_PARALLEL;
	s->topo.n_units = (uint8_t)n;
	s->topo.unit_mask = (uint16_t)((1u << n) - 1);
	s->n_levels = (uint8_t)(1 + n);
	s->levels[0].meas[MEAS_OUTPUT_LOAD] = 60;
	for (unsigned u = 1; u <= n; u++) {
		struct level_data *l = &s->levels[u];

		level_init(l);
		l->kind = LEVEL_UNIT;
		l->unit = (uint8_t)u;
		l->present = true;
		l->meas[MEAS_OUTPUT_LOAD] = 30 + u;
		FLAGS(s, l, FLAG_LOAD_ON_INVERTER, FLAG_INVERTER_ON, FLAG_RECTIFIER_ON,
		      FLAG_RECTIFIER_INPUT_OK, FLAG_BYPASS_INPUT_OK, FLAG_BATTERY_OK);
	}
	return s;
}

static void case_table(struct tap *t)
{
	const struct bac_object *o;
	size_t n_av = 0, n_mv = 0, n_bsv = 0;
	int sorted = 1, found = 1;

	for (size_t i = 0; i < bac_objects_count; i++) {
		o = &bac_objects[i];
		n_av += o->type == AV;
		n_mv += o->type == MV;
		n_bsv += o->type == BSV;
		if (i > 0 && (bac_objects[i - 1].type > o->type ||
			      (bac_objects[i - 1].type == o->type && bac_objects[i - 1].instance >= o->instance)))
			sorted = 0;
		if (bac_object_find(o->type, o->instance) != o)
			found = 0;
	}
	CHECK_INT(t, n_av, 88, "88 analog values");
	CHECK_INT(t, n_mv, 10, "10 multi-state values");
	CHECK_INT(t, n_bsv, 3, "3 bit string values");
	CHECK(t, sorted, "objects in type/instance order");
	CHECK(t, found, "bac_object_find finds every object");
	CHECK(t, !bac_object_find(AV, 88) && !bac_object_find(MV, 10) && !bac_object_find(BSV, 3) &&
	      !bac_object_find(BAC_OBJ_DEVICE, 0), "no object beyond the spec");

	o = bac_object_find(AV, AV_UPS_KVA);
	CHECK_STR(t, o->name, "UPS_OUTPUT_kVA", "AV 1 name");
	CHECK_INT(t, o->units, 9, "AV 1 units kVA");
	CHECK(t, o->factor_10, "AV 1 factor_10");
	CHECK_STR(t, o->description, "Global output apparent power of parallel UPS system", "AV 1 description");
	CHECK(t, !bac_object_find(AV, AV_UPS_I1)->factor_10, "UPS_OUTPUT_I1: no factor_10, as printed");
	CHECK(t, bac_object_find(AV, AV_UNIT_I1)->factor_10, "UNIT_OUTPUT_I1: factor_10");
	CHECK_INT(t, bac_object_find(AV, AV_UPS_CF)->units, 95, "crest factor: no-units decided");
	CHECK_INT(t, bac_object_find(AV, 48)->units, 95, "UNIT_OUTPUT_cf N/A: no-units decided");
	CHECK_INT(t, bac_object_find(AV, AV_UPS_PF1)->units, 15, "power factor units");
	CHECK_INT(t, bac_object_find(AV, AV_BAT_AH)->units, 261, "Ah units code as printed");
	CHECK_STR(t, bac_object_find(AV, 84)->description, "Bypass current phase 3 of the unit",
		  "BYPASS_I3 description");

	o = bac_object_find(MV, MV_UPS_LOAD);
	CHECK_INT(t, o->n_states, 9, "UPSLoadStatus: 9 states (ambiguity 9)");
	CHECK_STR(t, o->state_text[6], "LOAD OFF", "UPSLoadStatus state 7");
	CHECK_STR(t, o->state_text[7], "LINE-INTERACTIVE", "UPSLoadStatus state 8");
	CHECK_STR(t, o->description, "UPSLoadStatus", "MV description as 002 §8");
	o = bac_object_find(MV, MV_BATTERY);
	CHECK_INT(t, o->n_states, 10, "BatteryStatus: 10 states");
	CHECK_STR(t, o->state_text[0], "NO BATTERY", "BatteryStatus state 1");
	o = bac_object_find(MV, MV_DEVICE);
	CHECK_INT(t, o->n_states, 4, "DeviceStatus: 4 states");
	CHECK_STR(t, o->state_text[2], "No com with UPS", "DeviceStatus state 3");

	o = bac_object_find(BSV, BSV_UPS_STATUS);
	CHECK_INT(t, o->n_bits, 16, "UPSStatus: 16 bits");
	CHECK_STR(t, o->bit_text[0], "ENERGY SAVER ON", "UPSStatus b00");
	CHECK_STR(t, o->bit_text[9], "UNIT 9 OPERATING", "UPSStatus b09 decided");
	o = bac_object_find(BSV, BSV_UPS_ALARMS);
	CHECK_INT(t, o->n_bits, 23, "UPSAlarms: 23 bits");
	CHECK_STR(t, o->bit_text[22], "UNIT 15 ALARM", "UPSAlarms b22 decided");
	o = bac_object_find(BSV, BSV_UNIT_ALARMS);
	CHECK_INT(t, o->n_bits, 31, "UnitAlarms: 31 bits");
	CHECK_STR(t, o->bit_text[30], "External Input 4", "UnitAlarms b30");
	for (size_t i = 0; i < bac_objects_count; i++) {
		o = &bac_objects[i];
		for (unsigned k = 0; k < o->n_states; k++)
			if (!o->state_text[k] || !o->state_text[k][0])
				CHECK(t, 0, "%s state %u has a text", o->name, k + 1);
		for (unsigned k = 0; k < o->n_bits; k++)
			if (!o->bit_text[k] || !o->bit_text[k][0])
				CHECK(t, 0, "%s bit %u has a text", o->name, k);
	}
}

static void case_arguments(struct tap *t)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct bac_object copy = *bac_object_find(AV, AV_UPS_LR);
	struct bac_value v;

	CHECK_INT(t, bac_object_value(&copy, s, 0, &v), -ENOENT, "an object outside the table");
	CHECK_INT(t, bac_object_value(NULL, s, 0, &v), -EINVAL, "no object");
	CHECK_INT(t, bac_object_value(bac_object_find(AV, 0), NULL, 0, &v), -EINVAL, "no snapshot");
	snapshot_unref(s);
}

/* 002 §5.2.2: Present_Value = value x 10^decimals of the format, x 10 more
 * for a factor_10 object when the UPS's factor is set. */
static void case_av_scaling(struct tap *t)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct bac_value v;

	CHECK_NEAR(t, real_of(s, 0, AV_UPS_LR), 45, "load rate ###");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_LR), 45, "UNIT_OUTPUT_Lr read as ### (ambiguity 9)");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_FR), 499, "frequency ##.#: raw tenths");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_CF), 25, "crest factor #.#");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_PF1), 87, "power factor +/-#.##");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_TMP), 235, "ambient temperature ##.#");
	CHECK_NEAR(t, real_of(s, 0, AV_BAT_I), -3, "battery current signed");
	CHECK_NEAR(t, real_of(s, 0, AV_BAT_MIN), 0, "0 minutes is a value");
	CHECK(t, value_of(s, 0, AV, AV_BAT_MIN).reliable, "0 is reliable");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_KVA), 12.3f, "kVA, no_factor: the value");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_I1), 10.5f, "unit current, no_factor");

	s->id.meas_factor = 1;
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_KVA), 123, "kVA, factor_10: x10");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_KVA), 123, "unit kVA, factor_10: x10");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_I1), 105, "UNIT_OUTPUT_I1 factor_10: x10");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_I1), 10.5f, "UPS_OUTPUT_I1 not factor_10: as is");
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_FR), 499, "frequency: factor does not apply");
	CHECK_NEAR(t, real_of(s, 0, AV_BAT_AH), 400, "battery Ah factor_10");

	s->id.map = MAP_JBUSP;
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_KVA), 12.3f, "JBUSP: no factor (N/A)");

	v = value_of(s, 0, AV, AV_UPS_V2);
	CHECK(t, !v.reliable, "not available: unreliable");
	CHECK_NEAR(t, v.v.real, -1, "not available reads -1");
	CHECK(t, value_of(s, 0, AV, AV_UPS_LR).reliable, "available: reliable");
	snapshot_unref(s);
}

static void case_load_status(struct tap *t)
{
	static const struct {
		enum ups_flag a, b;
		uint32_t want;
		const char *name;
	} cases[] = {
		{ FLAG_ON_MAINT_BYPASS, FLAG_LOAD_ON_INVERTER, 1, "maintenance bypass" },
		{ FLAG_ON_BATTERY, FLAG_LOAD_ON_INVERTER, 2, "on battery" },
		{ FLAG_LOAD_ON_INVERTER, FLAG_BATTERY_TEST, 3, "on inverter (battery test)" },
		{ FLAG_ECO_MODE, FLAG_ON_AUTO_BYPASS, 5, "eco mode" },
		{ FLAG_LINE_INTERACTIVE, FLAG_ON_AUTO_BYPASS, 8, "line-interactive" },
		{ FLAG_ON_AUTO_BYPASS, FLAG_AVAILABLE, 6, "on bypass" },
		{ FLAG_LOAD_OFF, FLAG_STANDBY, 7, "load off" },
		{ FLAG_AVAILABLE, FLAG_BATTERY_OK, 7, "nothing feeds the load" },
	};
	struct snapshot *s = single_ups(MAP_VUMAP, 0);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FLAGS(s, &s->levels[0], cases[i].a, cases[i].b);
		CHECK_INT(t, state_of(s, 0, MV_UPS_LOAD), cases[i].want, "UPSLoadStatus: %s", cases[i].name);
		CHECK_INT(t, state_of(s, 0, MV_UNIT_LOAD), cases[i].want,
			  "UnitLoadStatus of a single UPS: %s", cases[i].name);
	}
	snapshot_unref(s);
}

static void case_unit_status_and_paths(struct tap *t)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct level_data *l = &s->levels[0];

	FLAGS(s, l, FLAG_SERVICE_MODE, FLAG_OPERATING);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 1, "UnitStatus: service mode");
	FLAGS(s, l, FLAG_AVAILABLE);
	set_bit(l->status, 14);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 2, "UnitStatus: isolated (VU-MAP S014)");
	s->id.map = MAP_JBUSP;
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 6, "UnitStatus: S014 means nothing on JBUSP");
	s->id.map = MAP_VUMAP;
	FLAGS(s, l, FLAG_STANDBY);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 3, "UnitStatus: standby");
	FLAGS(s, l, FLAG_AUTOTEST, FLAG_LOAD_ON_INVERTER);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 4, "UnitStatus: auto-test");
	FLAGS(s, l, FLAG_OPERATING);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 5, "UnitStatus: operating");
	FLAGS(s, l, FLAG_ON_BATTERY);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 5, "UnitStatus: feeding the load is operating");
	FLAGS(s, l, FLAG_AVAILABLE);
	CHECK_INT(t, state_of(s, 0, MV_UNIT_STATUS), 6, "UnitStatus: available");
	CHECK_INT(t, state_of(s, 0, MV_RECT), 1, "RectifierStatus: off");
	CHECK_INT(t, state_of(s, 0, MV_INV), 1, "InverterStatus: off");
	FLAGS(s, l, FLAG_RECTIFIER_ON, FLAG_INVERTER_ON);
	CHECK_INT(t, state_of(s, 0, MV_RECT), 2, "RectifierStatus: on");
	CHECK_INT(t, state_of(s, 0, MV_INV), 2, "InverterStatus: on");

	FLAGS(s, l, FLAG_RECTIFIER_INPUT_OK, FLAG_BYPASS_INPUT_OK);
	CHECK_INT(t, state_of(s, 0, MV_INPUT_REC), 4, "InputRecStatus: OK");
	CHECK_INT(t, state_of(s, 0, MV_INPUT_BYP), 4, "InputBypStatus: OK");
	set_bit(l->alarms, 35);
	set_bit(l->alarms, 50);
	CHECK_INT(t, state_of(s, 0, MV_INPUT_REC), 3, "InputRecStatus: out of tolerance (A035)");
	CHECK_INT(t, state_of(s, 0, MV_INPUT_BYP), 2, "InputBypStatus: out of tolerance (A050)");
	FLAGS(s, l, FLAG_RECTIFIER_INPUT_OK, FLAG_BYPASS_INPUT_OK);
	set_bit(l->status, 58);
	CHECK_INT(t, state_of(s, 0, MV_INPUT_BYP), 3, "InputBypStatus: synchronised (S058)");
	FLAGS(s, l, FLAG_GENSET_ON);
	CHECK_INT(t, state_of(s, 0, MV_INPUT_REC), 1, "InputRecStatus: gen set");
	CHECK_INT(t, state_of(s, 0, MV_INPUT_BYP), 1, "InputBypStatus: not present");
	FLAGS(s, l, FLAG_BATTERY_OK);
	CHECK_INT(t, state_of(s, 0, MV_INPUT_REC), 2, "InputRecStatus: not present");
	snapshot_unref(s);
}

static void case_alarms_and_battery(struct tap *t)
{
	static const struct {
		enum ups_flag flag;
		uint32_t want;
	} battery[] = {
		{ FLAG_BATTERY_DISCONNECTED, 2 }, { FLAG_BATTERY_DISCHARGED, 3 }, { FLAG_BATTERY_LOW, 4 },
		{ FLAG_ON_BATTERY, 5 }, { FLAG_BATTERY_TO_INPUT, 6 }, { FLAG_BATTERY_ALARM, 7 },
		{ FLAG_BATTERY_ROOM_ALARM, 7 }, { FLAG_BATTERY_TEMP_ALARM, 7 }, { FLAG_BATTERY_TEST, 8 },
		{ FLAG_BATTERY_CHARGING, 9 }, { FLAG_BATTERY_OK, 10 },
	};
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct level_data *l = &s->levels[0];

	FLAGS(s, l, FLAG_LOAD_ON_INVERTER);
	CHECK_INT(t, state_of(s, 0, MV_ALARMS), 1, "Alarms: none");
	FLAGS(s, l, FLAG_INVERTER_PREVENTIVE, FLAG_GENERAL_ALARM);
	CHECK_INT(t, state_of(s, 0, MV_ALARMS), 3, "Alarms: preventive beats general");
	FLAGS(s, l, FLAG_RECTIFIER_FAULT, FLAG_INVERTER_PREVENTIVE);
	CHECK_INT(t, state_of(s, 0, MV_ALARMS), 2, "Alarms: critical beats preventive");
	FLAGS(s, l, FLAG_LOAD_ON_INVERTER);
	set_bit(l->alarms, 2);      /* A002 ambient temperature: a managed warning */
	derive_level(&map_vumap, l);
	CHECK_INT(t, state_of(s, 0, MV_ALARMS), 4, "Alarms: another alarm is general");

	for (size_t i = 0; i < sizeof(battery) / sizeof(battery[0]); i++) {
		FLAGS(s, l, battery[i].flag);
		CHECK_INT(t, state_of(s, 0, MV_BATTERY), battery[i].want, "BatteryStatus: %s",
			  flag_name(battery[i].flag));
	}
	s->id.battery_present = false;
	CHECK_INT(t, state_of(s, 0, MV_BATTERY), 1, "BatteryStatus: no battery");
	snapshot_unref(s);
}

static void case_bits(struct tap *t)
{
	struct snapshot *s = parallel_ups(2);
	struct level_data *sys = &s->levels[0];

	CHECK_INT(t, bits_of(s, 0, BSV_UPS_STATUS), 0, "UPSStatus: nothing");
	set_flag(sys, FLAG_ENERGY_SAVER);
	set_bit(sys->status, 96);
	set_bit(sys->status, 105);
	CHECK_INT(t, bits_of(s, 0, BSV_UPS_STATUS), 1u << 0 | 1u << 1 | 1u << 10,
		  "UPSStatus: energy saver, unit 1 and unit 10 operating");
	set_flag(sys, FLAG_OVERLOAD);
	set_bit(sys->alarms, 110);
	set_bit(sys->alarms, 46);
	CHECK_INT(t, bits_of(s, 0, BSV_UPS_ALARMS), 1u << 1 | 1u << 6 | 1u << 22,
		  "UPSAlarms: overload, parallel fault, unit 15 alarm");
	s->id.map = MAP_JBUSP;
	CHECK_INT(t, bits_of(s, 0, BSV_UPS_STATUS), 1u << 0, "JBUSP: VU-MAP bits are ignored");
	memset(sys->alarms, 0, sizeof(sys->alarms));
	set_bit(sys->alarms, 32);
	set_bit(sys->alarms, 60);
	CHECK_INT(t, bits_of(s, 0, BSV_UPS_ALARMS), 1u << 1 | 1u << 8, "JBUSP: unit 1 general alarm A32");
	CHECK_INT(t, bits_of(s, 0, BSV_UNIT_ALARMS), 1u << 1 | 1u << 23,
		  "JBUSP UnitAlarms (concentrator: system): overload, fan failure A60");

	s->id.map = MAP_VUMAP;
	FLAGS(s, &s->levels[2], FLAG_IMMINENT_STOP, FLAG_BATTERY_LOW, FLAG_ON_BATTERY);
	set_bit(s->levels[2].alarms, 54);
	CHECK_INT(t, bits_of(s, 2, BSV_UNIT_ALARMS), 1u << 0 | 1u << 9 | 1u << 10 | 1u << 23,
		  "UnitAlarms of unit 2: imminent stop, battery low, on battery, fan failure");
	CHECK_INT(t, bits_of(s, 1, BSV_UNIT_ALARMS), 0, "UnitAlarms of unit 1: none");
	snapshot_unref(s);
}

static void case_modes(struct tap *t)
{
	struct snapshot *s = parallel_ups(2);
	struct bac_device_info d;
	struct bac_value v;

	FLAGS(s, &s->levels[2], FLAG_ON_BATTERY, FLAG_RECTIFIER_INPUT_OK);
	/* Concentrator: unit objects carry the system. */
	CHECK_NEAR(t, real_of(s, 0, AV_UPS_LR), 60, "concentrator: UPS_OUTPUT_Lr system");
	CHECK_NEAR(t, real_of(s, 0, AV_UNIT_LR), 60, "concentrator: UNIT_OUTPUT_Lr system");
	CHECK_INT(t, state_of(s, 0, MV_UNIT_LOAD), 3, "concentrator: UnitLoadStatus system on inverter");
	/* Multi-unit: unit objects carry unit N, UPS objects the system. */
	CHECK_NEAR(t, real_of(s, 1, AV_UNIT_LR), 31, "unit 1: UNIT_OUTPUT_Lr");
	CHECK_NEAR(t, real_of(s, 2, AV_UNIT_LR), 32, "unit 2: UNIT_OUTPUT_Lr");
	CHECK_NEAR(t, real_of(s, 2, AV_UPS_LR), 60, "unit 2: UPS_OUTPUT_Lr still the system");
	CHECK_INT(t, state_of(s, 2, MV_UNIT_LOAD), 2, "unit 2: UnitLoadStatus on battery");
	CHECK_INT(t, state_of(s, 2, MV_UPS_LOAD), 3, "unit 2: UPSLoadStatus of the system");
	CHECK_INT(t, state_of(s, 2, MV_BATTERY), 5, "unit 2: BatteryStatus discharging");
	CHECK_INT(t, state_of(s, 2, MV_DEVICE), 1, "unit 2: DeviceStatus running");
	bac_device_info(s, 2, &d);
	CHECK_STR(t, d.location, "2", "unit 2: Location");
	CHECK_INT(t, d.system_status, 0, "unit 2: operational");

	/* A unit the system does not have. */
	v = value_of(s, 3, AV, AV_UNIT_LR);
	CHECK(t, !v.reliable, "unit 3 missing: unit AV unreliable");
	CHECK_NEAR(t, v.v.real, -1, "unit 3 missing: -1");
	CHECK(t, !value_of(s, 3, MV, MV_UNIT_STATUS).reliable, "unit 3 missing: unit MV unreliable");
	CHECK(t, value_of(s, 3, AV, AV_UPS_LR).reliable, "unit 3 missing: UPS AV still reliable");
	CHECK_INT(t, state_of(s, 3, MV_DEVICE), 4, "unit 3 missing: DeviceStatus fault");
	bac_device_info(s, 3, &d);
	CHECK_INT(t, d.system_status, 4, "unit 3 missing: non-operational");

	/* A unit whose registers were not read this cycle. */
	s->levels[1].valid = false;
	CHECK(t, !value_of(s, 1, AV, AV_UNIT_LR).reliable, "unit 1 not read: unreliable");
	CHECK(t, !value_of(s, 1, BSV, BSV_UNIT_ALARMS).reliable, "unit 1 not read: BSV unreliable");
	CHECK_INT(t, state_of(s, 1, MV_DEVICE), 1, "unit 1 not read: DeviceStatus still running");
	snapshot_unref(s);
}

static void case_comm(struct tap *t)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct bac_device_info d;
	struct bac_value v;

	CHECK_INT(t, state_of(s, 0, MV_DEVICE), 1, "comm OK: running");
	CHECK(t, value_of(s, 0, MV, MV_DEVICE).reliable, "DeviceStatus reliable");
	s->comm = COMM_LOST;
	v = value_of(s, 0, AV, AV_UPS_LR);
	CHECK(t, !v.reliable, "comm lost: AV unreliable");
	CHECK_NEAR(t, v.v.real, -1, "comm lost: AV -1");
	v = value_of(s, 0, MV, MV_UPS_LOAD);
	CHECK(t, !v.reliable, "comm lost: MV unreliable");
	CHECK_INT(t, v.v.state, 7, "comm lost: MV default state");
	v = value_of(s, 0, MV, MV_BATTERY);
	CHECK_INT(t, v.v.state, 10, "comm lost: BatteryStatus default");
	v = value_of(s, 0, BSV, BSV_UNIT_ALARMS);
	CHECK(t, !v.reliable && v.v.bits == 0, "comm lost: BSV unreliable, no bits");
	v = value_of(s, 0, MV, MV_DEVICE);
	CHECK(t, v.reliable, "comm lost: DeviceStatus reliable");
	CHECK_INT(t, v.v.state, 3, "comm lost: DeviceStatus no com");
	bac_device_info(s, 0, &d);
	CHECK_INT(t, d.system_status, 4, "comm lost: non-operational");
	s->comm = COMM_STARTING;
	CHECK_INT(t, state_of(s, 0, MV_DEVICE), 2, "starting: ready");
	CHECK_INT(t, state_of(s, 3, MV_DEVICE), 2, "starting: a unit is not missing yet");
	CHECK(t, !value_of(s, 0, AV, AV_UPS_LR).reliable, "starting: AV unreliable");
	bac_device_info(s, 0, &d);
	CHECK_INT(t, d.system_status, 0, "starting: operational");
	snapshot_unref(s);
}

static void case_device(struct tap *t)
{
	struct snapshot *s = single_ups(MAP_VUMAP, 0);
	struct bac_device_info d;

	bac_device_info(s, 0, &d);
	CHECK_STR(t, d.object_name, "MASTERYS BC+", "Object_Name = UPS model");
	CHECK_STR(t, d.model_name, "20 kVA", "Model_Name = nominal kVA");
	CHECK_STR(t, d.description, "X12345678", "Description = serial");
	CHECK_STR(t, d.location, "0", "Location = unit number");
	CHECK_STR(t, d.profile_name, "no_factor", "VU-MAP T014 = 0");
	CHECK(t, !d.have_time, "no UPS clock");
	CHECK_INT(t, d.system_status, 0, "operational");
	s->id.meas_factor = 1;
	s->id.nominal_kva = 7.5;
	bac_device_info(s, 0, &d);
	CHECK_STR(t, d.profile_name, "factor_10", "VU-MAP T014 = 1");
	CHECK_STR(t, d.model_name, "7.5 kVA", "fractional kVA");
	s->id.map = MAP_JBUSP;
	s->id.nominal_kva = NAN;
	s->id.range[0] = '\0';
	bac_device_info(s, 0, &d);
	CHECK_STR(t, d.profile_name, "N/A", "JBUSP has no factor");
	CHECK_STR(t, d.model_name, "N/A", "no nominal kVA");
	CHECK_STR(t, d.object_name, "UPS", "unknown range");
	bac_device_info(NULL, 0, &d);
	CHECK_STR(t, d.object_name, "UPS", "no snapshot yet");
	snapshot_unref(s);
}

int main(void)
{
	struct tap t = { 0 };

	case_table(&t);
	case_arguments(&t);
	case_av_scaling(&t);
	case_load_status(&t);
	case_unit_status_and_paths(&t);
	case_alarms_and_battery(&t);
	case_bits(&t);
	case_modes(&t);
	case_comm(&t);
	case_device(&t);
	return tap_done(&t);
}

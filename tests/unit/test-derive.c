/* Derived states, their priorities, the name tables and the generated
 * map tables' invariants. */
#include <errno.h>

#include "maps-test.h"

static void level_with(struct level_data *l, const enum ups_flag *flags, size_t n)
{
	level_init(l);
	l->valid = true;
	for (size_t i = 0; i < n; i++)
		l->flags |= UINT64_C(1) << flags[i];
}

#define WITH(l, ...) \
	level_with((l), (const enum ups_flag[]){ __VA_ARGS__ }, \
		   sizeof((const enum ups_flag[]){ __VA_ARGS__ }) / sizeof(enum ups_flag))

static enum ups_status ups_status_of(struct level_data *l)
{
	derive_level(&map_vumap, l);
	return l->d.ups_status;
}

static void case_ups_status_priority(struct tap *t)
{
	struct level_data l;

	WITH(&l, FLAG_LOAD_ON_INVERTER, FLAG_ON_BATTERY, FLAG_INVERTER_ON);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_ON_BATTERY, "status: on battery beats inverter");
	CHECK_INT(t, l.d.output_source, OUTPUT_BATTERY, "output: on battery");
	CHECK_INT(t, l.d.battery_status, BATTERY_DISCHARGING, "battery: discharging on battery");
	CHECK_INT(t, l.d.load_status, LOAD_PROTECTED, "load: protected on battery");
	WITH(&l, FLAG_ON_MAINT_BYPASS, FLAG_IMMINENT_STOP, FLAG_ON_BATTERY, FLAG_AUTOTEST);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_MAINT_BYPASS,
		  "status: maint bypass beats imminent stop, autotest, battery");
	CHECK_INT(t, l.d.output_source, OUTPUT_MAINT_BYPASS, "output: maint bypass beats battery");
	CHECK_INT(t, l.d.load_status, LOAD_NOT_PROTECTED, "load: not protected on maint bypass");
	WITH(&l, FLAG_SERVICE_MODE, FLAG_ON_MAINT_BYPASS);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_SERVICE_MODE, "status: service beats maint bypass");
	WITH(&l, FLAG_IMMINENT_STOP, FLAG_AUTOTEST, FLAG_ON_BATTERY);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_IMMINENT_STOP, "status: imminent stop beats autotest");
	WITH(&l, FLAG_AUTOTEST, FLAG_ON_BATTERY);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_AUTOTEST, "status: autotest beats on battery");
	WITH(&l, FLAG_BATTERY_TEST, FLAG_LOAD_ON_INVERTER);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_BATTERY_TEST, "status: battery test beats inverter");
	WITH(&l, FLAG_LOAD_ON_INVERTER, FLAG_ECO_MODE);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_ON_INVERTER, "status: inverter beats eco");
	CHECK_INT(t, l.d.output_source, OUTPUT_INVERTER, "output: inverter beats eco");
	WITH(&l, FLAG_ECO_MODE, FLAG_ON_AUTO_BYPASS, FLAG_LINE_INTERACTIVE);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_ECO_MODE, "status: eco beats line-interactive, bypass");
	CHECK_INT(t, l.d.output_source, OUTPUT_ECO, "output: eco on bypass");
	CHECK_INT(t, l.d.load_status, LOAD_NOT_PROTECTED, "load: eco not protected");
	CHECK_INT(t, l.d.bypass, PATH_ON, "bypass path on in eco");
	WITH(&l, FLAG_LINE_INTERACTIVE, FLAG_ON_AUTO_BYPASS);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_LINE_INTERACTIVE, "status: line-interactive beats bypass");
	WITH(&l, FLAG_ON_AUTO_BYPASS, FLAG_AVAILABLE);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_ON_BYPASS, "status: bypass beats available");
	CHECK_INT(t, l.d.output_source, OUTPUT_BYPASS, "output: bypass");
	WITH(&l, FLAG_AVAILABLE, FLAG_STANDBY);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_AVAILABLE, "status: available beats standby");
	CHECK_INT(t, l.d.output_source, OUTPUT_NONE, "output: none when available only");
	WITH(&l, FLAG_STANDBY, FLAG_LOAD_OFF);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_STANDBY, "status: standby beats load off");
	WITH(&l, FLAG_BATTERY_OK);
	CHECK_INT(t, ups_status_of(&l), UPS_STATUS_LOAD_OFF, "status: no source -> load off");
	CHECK_INT(t, l.d.load_status, LOAD_OFF, "load: off");
}

static void case_battery_priority(struct tap *t)
{
	static const struct {
		enum ups_flag a, b;
		enum battery_status want;
		const char *name;
	} cases[] = {
		{ FLAG_BATTERY_DISCONNECTED, FLAG_BATTERY_LOW, BATTERY_DISCONNECTED, "disconnected beats low" },
		{ FLAG_BATTERY_LOW, FLAG_BATTERY_DISCHARGED, BATTERY_LOW, "low beats discharged" },
		{ FLAG_BATTERY_DISCHARGED, FLAG_ON_BATTERY, BATTERY_DISCHARGED, "discharged beats discharging" },
		{ FLAG_ON_BATTERY, FLAG_BATTERY_TO_INPUT, BATTERY_DISCHARGING, "discharging beats to input" },
		{ FLAG_BATTERY_TO_INPUT, FLAG_BATTERY_ALARM, BATTERY_TO_INPUT, "to input beats alarm" },
		{ FLAG_BATTERY_ALARM, FLAG_BATTERY_ROOM_ALARM, BATTERY_ALARM, "alarm beats room alarm" },
		{ FLAG_BATTERY_TEST_FAILED, FLAG_BATTERY_OK, BATTERY_ALARM, "test failed shows as alarm" },
		{ FLAG_BATTERY_ROOM_ALARM, FLAG_BATTERY_TEMP_ALARM, BATTERY_ROOM_ALARM, "room beats temperature" },
		{ FLAG_BATTERY_TEMP_ALARM, FLAG_BATTERY_TEST, BATTERY_TEMP_ALARM, "temperature beats test" },
		{ FLAG_BATTERY_TEST, FLAG_BATTERY_CHARGING, BATTERY_TEST, "test beats charging" },
		{ FLAG_BATTERY_CHARGING, FLAG_BATTERY_OK, BATTERY_CHARGING, "charging beats OK" },
		{ FLAG_BATTERY_CHARGED, FLAG_GENSET_ON, BATTERY_OK, "charged reads OK" },
	};
	struct level_data l;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		WITH(&l, cases[i].a, cases[i].b);
		derive_level(&map_vumap, &l);
		CHECK_INT(t, l.d.battery_status, cases[i].want, "battery: %s", cases[i].name);
	}
	WITH(&l, FLAG_LOAD_ON_INVERTER);
	derive_level(&map_vumap, &l);
	CHECK_INT(t, l.d.battery_status, BATTERY_UNKNOWN, "battery: no battery flag -> unknown");
}

static void case_load_and_paths(struct tap *t)
{
	struct level_data l;

	WITH(&l, FLAG_LOAD_ON_INVERTER, FLAG_RECTIFIER_ON, FLAG_RECTIFIER_FAULT,
	     FLAG_INVERTER_ON, FLAG_INVERTER_PREVENTIVE, FLAG_BYPASS_PREVENTIVE);
	l.meas[MEAS_OUTPUT_LOAD] = 100.0;
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.load_status, LOAD_PROTECTED, "load: 100 %% is not an overload");
	CHECK_INT(t, l.d.rectifier, PATH_FAULT, "rectifier: fault beats on");
	CHECK_INT(t, l.d.inverter, PATH_PREVENTIVE, "inverter: preventive beats on");
	CHECK_INT(t, l.d.bypass, PATH_PREVENTIVE, "bypass: preventive while off");
	l.meas[MEAS_OUTPUT_LOAD] = 100.5;
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.load_status, LOAD_OVERLOAD, "load: 100.5 %% -> overload");
	l.meas[MEAS_OUTPUT_LOAD] = 80.0;
	l.meas[MEAS_OUTPUT_LOAD_L2] = 110.0;
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.load_status, LOAD_OVERLOAD, "load: one phase above 100 %% -> overload");

	WITH(&l, FLAG_RECTIFIER_ON, FLAG_INVERTER_ON, FLAG_ON_AUTO_BYPASS);
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.rectifier, PATH_ON, "rectifier: on");
	CHECK_INT(t, l.d.inverter, PATH_ON, "inverter: on");
	CHECK_INT(t, l.d.bypass, PATH_ON, "bypass: on when the load is on it");
	WITH(&l, FLAG_OVERLOAD);
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.rectifier, PATH_OFF, "rectifier: off");
	CHECK_INT(t, l.d.load_status, LOAD_OFF, "load: off beats the overload flag");
}

static void case_invalid(struct tap *t)
{
	struct level_data l;

	WITH(&l, FLAG_ON_BATTERY, FLAG_RECTIFIER_ON);
	l.alarms[0] = 0xFFFF;
	l.valid = false;
	derive_level(&map_jbusp, &l);
	CHECK(t, l.d.ups_status == UPS_STATUS_UNKNOWN && l.d.output_source == OUTPUT_UNKNOWN &&
		 l.d.battery_status == BATTERY_UNKNOWN && l.d.load_status == LOAD_UNKNOWN &&
		 l.d.rectifier == PATH_UNKNOWN && l.d.sts_source1 == SOURCE_UNKNOWN,
	      "invalid level: every derived state unknown");
	CHECK_INT(t, l.d.n_alarms, 0, "invalid level: no alarms counted");
}

static void case_alarm_count(struct tap *t)
{
	struct level_data l;

	WITH(&l, FLAG_LOAD_ON_INVERTER);
	/* JBUSP A00 general (W) and A03 output out of tolerance (no level:
	 * not managed): bits 0 and 3 of 0x1040 = 0x0009. A31 imminent stop
	 * (C): bit 15 of 0x1041 = 0x8000. A63 blank row: bit 15 of 0x1043. */
	l.alarms[0] = 0x0009;
	l.alarms[1] = 0x8000;
	l.alarms[3] = 0x8000;
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.n_alarms, 2, "alarms: managed levels only (A00, A31)");
	CHECK_INT(t, l.d.worst_alarm, LEVEL_CRITICAL, "alarms: A31 critical is the worst");
	memset(l.alarms, 0, sizeof(l.alarms));
	derive_level(&map_jbusp, &l);
	CHECK_INT(t, l.d.worst_alarm, LEVEL_NONE, "alarms: none active");
}

static void case_names(struct tap *t)
{
	int bad = 0;

	for (int f = 0; f < _FLAG_COUNT; f++)
		for (int g = 0; g < f; g++)
			if (strcmp(flag_name(f), flag_name(g)) == 0 || strcmp(flag_name(f), "unknown") == 0)
				bad++;
	CHECK_INT(t, bad, 0, "names: every flag has its own name");
	CHECK_STR(t, flag_name(FLAG_ON_BATTERY), "on_battery", "names: flag on_battery");
	CHECK_STR(t, flag_name((enum ups_flag)999), "unknown", "names: out-of-range flag");
	CHECK_STR(t, ups_status_text(UPS_STATUS_ON_BATTERY), "Operating on Battery", "names: §12.1.5 wording");
	CHECK_STR(t, ups_status_text(UPS_STATUS_STS_ON_ALTERNATE), "On alternate source", "names: §13.2 wording");
	CHECK_STR(t, ups_status_text((enum ups_status)-1), "Unknown", "names: out-of-range status");
	CHECK_STR(t, battery_status_text(BATTERY_TEST), "Battery test running", "names: §12.1.6 wording");
	CHECK_STR(t, topology_name(TOPO_MODULAR_SYSTEM), "modular-system", "names: topology");
	CHECK_STR(t, map_name(MAP_VUMAP), "VU-MAP", "names: map");
	CHECK_INT(t, level_letter(LEVEL_CRITICAL), 'C', "names: level letter");
	CHECK_STR(t, path_state_text(PATH_PREVENTIVE), "On + prev. alarm", "names: synoptic wording");
	CHECK_STR(t, meas_unit_symbol(UNIT_CELSIUS), "degC", "meas: unit symbol");
	CHECK_INT(t, meas_from_key("battery.runtime"), MEAS_BATTERY_RUNTIME, "meas: key lookup");
	CHECK_INT(t, meas_from_key("battery.nope"), -ENOENT, "meas: unknown key");
	bad = 0;
	for (int i = 0; i < _MEAS_COUNT; i++)
		if (meas_from_key(meas_defs[i].key) != i)
			bad++;
	CHECK_INT(t, bad, 0, "meas: every key maps back to its id");
}

/* What the generator promises: index = bit number, words inside the
 * status/alarm block, measurements inside theirs, no divisor 0. */
static void case_tables(struct tap *t)
{
	static const struct map_def *const maps[] = { &map_jbusp, &map_vumap, &map_sts };

	for (size_t i = 0; i < 3; i++) {
		const struct map_def *m = maps[i];
		const struct block_def *sb = map_block(m, ROLE_STATUS), *ab = map_block(m, ROLE_ALARMS);
		const struct block_def *mb = map_block(m, ROLE_MEASUREMENTS);
		int bad = 0;

		CHECK(t, map_get(m->id) == m, "%s: map_get", m->name);
		CHECK(t, sb && ab && mb && map_block(m, ROLE_IDENTITY), "%s: blocks present", m->name);
		CHECK(t, sb->words <= MODEL_STATUS_WORDS && ab->words <= MODEL_ALARM_WORDS,
		      "%s: status/alarm blocks fit the model", m->name);
		for (size_t b = 0; b < m->n_status_bits; b++)
			if (m->status_bits[b].word != sb->address + b / 16 || m->status_bits[b].bit != b % 16)
				bad++;
		for (size_t b = 0; b < m->n_alarm_bits; b++)
			if (m->alarm_bits[b].word != ab->address + b / 16 || m->alarm_bits[b].bit != b % 16)
				bad++;
		CHECK_INT(t, bad, 0, "%s: bit table index = bit number", m->name);
		bad = 0;
		for (size_t k = 0; k < m->n_meas; k++)
			if (m->meas[k].address < mb->address || m->meas[k].address >= mb->address + mb->words ||
			    !m->meas[k].div[0] || !m->meas[k].div[1] || m->meas[k].id >= _MEAS_COUNT)
				bad++;
		CHECK_INT(t, bad, 0, "%s: measurements inside their block, divisors set", m->name);
		for (size_t b = 0; b < m->n_blocks; b++)
			if (m->blocks[b].words > 125)
				bad++;
		CHECK_INT(t, bad, 0, "%s: blocks fit one read", m->name);
	}
	CHECK_STR(t, map_type_range(&map_jbusp, 0x0101), "MASTERYS 3/3 UPS", "types: JBUSP 257");
	CHECK_STR(t, map_type_range(&map_vumap, 0x8140), "MODULYS XM", "types: VU-MAP 0x8140");
	CHECK(t, map_type_range(&map_jbusp, 0x7777) == NULL, "types: unknown code -> NULL");
	CHECK(t, map_type_range(&map_sts, 1) == NULL, "types: STS has none");
	CHECK(t, map_get(MAP_NONE) == NULL, "map_get: MAP_NONE -> NULL");
	CHECK(t, map_sts.span_hi < 0x0220, "sts span never merges 0x0149 with 0x0220");
}

int main(void)
{
	struct tap t = { 0 };

	case_ups_status_priority(&t);
	case_battery_priority(&t);
	case_load_and_paths(&t);
	case_invalid(&t);
	case_alarm_count(&t);
	case_names(&t);
	case_tables(&t);
	return tap_done(&t);
}

/* Derived states of one level, from its flags, alarms and measurements.
 *
 * Each state is the first rule that holds in a priority table: the
 * manual's lists (§12.1.5 UPS Status, §12.1.6 Battery Status, §13.2 STS
 * STATUS) are ordered highest priority first, and so are the tables. */
#include "device/decode.h"

#include <string.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

struct status_rule {
	enum ups_flag flag;
	enum ups_status status;
};

static const struct status_rule ups_status_rules[] = {
	{ FLAG_SERVICE_MODE, UPS_STATUS_SERVICE_MODE },
	{ FLAG_ON_MAINT_BYPASS, UPS_STATUS_MAINT_BYPASS },
	{ FLAG_IMMINENT_STOP, UPS_STATUS_IMMINENT_STOP },
	{ FLAG_AUTOTEST, UPS_STATUS_AUTOTEST },
	{ FLAG_ON_BATTERY, UPS_STATUS_ON_BATTERY },
	{ FLAG_BATTERY_TEST, UPS_STATUS_BATTERY_TEST },
	{ FLAG_LOAD_ON_INVERTER, UPS_STATUS_ON_INVERTER },
	/* UPS_STATUS_NORMAL is for OFF LINE UPSs: no map reports one. */
	{ FLAG_ECO_MODE, UPS_STATUS_ECO_MODE },
	{ FLAG_LINE_INTERACTIVE, UPS_STATUS_LINE_INTERACTIVE },
	{ FLAG_ON_AUTO_BYPASS, UPS_STATUS_ON_BYPASS },
	{ FLAG_AVAILABLE, UPS_STATUS_AVAILABLE },
	{ FLAG_STANDBY, UPS_STATUS_STANDBY },
	{ FLAG_LOAD_OFF, UPS_STATUS_LOAD_OFF },
};

static const struct status_rule sts_status_rules[] = {
	{ FLAG_STS_MAINT_BYPASS1, UPS_STATUS_STS_MAINT_BYPASS1 },
	{ FLAG_STS_MAINT_BYPASS2, UPS_STATUS_STS_MAINT_BYPASS2 },
	{ FLAG_IMMINENT_STOP, UPS_STATUS_IMMINENT_STOP },
	{ FLAG_STS_ON_PREFERRED, UPS_STATUS_STS_ON_PREFERRED },
	{ FLAG_STS_ON_ALTERNATE, UPS_STATUS_STS_ON_ALTERNATE },
	{ FLAG_LOAD_OFF, UPS_STATUS_LOAD_OFF },
};

struct battery_rule {
	enum ups_flag flag;
	enum battery_status status;
};

static const struct battery_rule battery_rules[] = {
	{ FLAG_BATTERY_DISCONNECTED, BATTERY_DISCONNECTED },
	{ FLAG_BATTERY_LOW, BATTERY_LOW },
	{ FLAG_BATTERY_DISCHARGED, BATTERY_DISCHARGED },
	{ FLAG_ON_BATTERY, BATTERY_DISCHARGING },
	{ FLAG_BATTERY_TO_INPUT, BATTERY_TO_INPUT },
	{ FLAG_BATTERY_ALARM, BATTERY_ALARM },
	/* §12.1.1: a failed test shows like a battery alarm. */
	{ FLAG_BATTERY_TEST_FAILED, BATTERY_ALARM },
	{ FLAG_BATTERY_ROOM_ALARM, BATTERY_ROOM_ALARM },
	{ FLAG_BATTERY_TEMP_ALARM, BATTERY_TEMP_ALARM },
	{ FLAG_BATTERY_TEST, BATTERY_TEST },
	{ FLAG_BATTERY_CHARGING, BATTERY_CHARGING },
	{ FLAG_BATTERY_OK, BATTERY_OK },
	{ FLAG_BATTERY_CHARGED, BATTERY_OK },
};

static bool has(const struct level_data *l, enum ups_flag f)
{
	return model_flag(l, f);
}

static enum ups_status first_status(const struct level_data *l, const struct status_rule *rules,
				    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has(l, rules[i].flag))
			return rules[i].status;
	return UPS_STATUS_UNKNOWN;
}

static enum output_source ups_output(const struct level_data *l)
{
	if (has(l, FLAG_ON_MAINT_BYPASS))
		return OUTPUT_MAINT_BYPASS;
	if (has(l, FLAG_ON_BATTERY))
		return OUTPUT_BATTERY;
	if (has(l, FLAG_LOAD_ON_INVERTER))
		return OUTPUT_INVERTER;
	/* Eco and line-interactive modes supply the load from the mains
	 * through the bypass path (docs/maps.md). */
	if (has(l, FLAG_ECO_MODE) || has(l, FLAG_LINE_INTERACTIVE))
		return OUTPUT_ECO;
	if (has(l, FLAG_ON_AUTO_BYPASS))
		return OUTPUT_BYPASS;
	return OUTPUT_NONE;
}

static enum output_source sts_output(const struct level_data *l)
{
	bool s1_preferred = has(l, FLAG_STS_S1_PREFERRED);

	if (has(l, FLAG_ON_MAINT_BYPASS))
		return OUTPUT_MAINT_BYPASS;
	if (has(l, FLAG_LOAD_OFF))
		return OUTPUT_NONE;
	if (has(l, FLAG_STS_ON_S1))
		return OUTPUT_STS_S1;
	if (has(l, FLAG_STS_ON_S2))
		return OUTPUT_STS_S2;
	if (has(l, FLAG_STS_ON_PREFERRED))
		return s1_preferred ? OUTPUT_STS_S1 : OUTPUT_STS_S2;
	if (has(l, FLAG_STS_ON_ALTERNATE))
		return s1_preferred ? OUTPUT_STS_S2 : OUTPUT_STS_S1;
	return OUTPUT_NONE;
}

static enum battery_status battery_status(const struct level_data *l)
{
	for (size_t i = 0; i < ELEMENTSOF(battery_rules); i++)
		if (has(l, battery_rules[i].flag))
			return battery_rules[i].status;
	return BATTERY_UNKNOWN;
}

static bool overloaded(const struct level_data *l)
{
	static const enum meas_id loads[] = {
		MEAS_OUTPUT_LOAD, MEAS_OUTPUT_LOAD_L1, MEAS_OUTPUT_LOAD_L2, MEAS_OUTPUT_LOAD_L3,
	};

	if (has(l, FLAG_OVERLOAD))
		return true;
	for (size_t i = 0; i < ELEMENTSOF(loads); i++)
		if (meas_available(l->meas[loads[i]]) && l->meas[loads[i]] > 100.0)
			return true;
	return false;
}

static enum load_status load_status(const struct level_data *l, enum output_source src)
{
	if (src == OUTPUT_UNKNOWN)
		return LOAD_UNKNOWN;
	if (src == OUTPUT_NONE)
		return LOAD_OFF;
	if (overloaded(l))
		return LOAD_OVERLOAD;
	switch (src) {
	case OUTPUT_INVERTER:
	case OUTPUT_BATTERY:
	case OUTPUT_STS_S1:
	case OUTPUT_STS_S2:
		return LOAD_PROTECTED;
	default:
		return LOAD_NOT_PROTECTED;
	}
}

static enum path_state path(const struct level_data *l, enum ups_flag fault,
			    enum ups_flag preventive, bool on)
{
	if (has(l, fault))
		return PATH_FAULT;
	if (has(l, preventive))
		return PATH_PREVENTIVE;
	return on ? PATH_ON : PATH_OFF;
}

static enum source_state source(const struct level_data *l, enum ups_flag ok,
				enum ups_flag critical, enum ups_flag out_of_tol,
				enum ups_flag absent)
{
	if (has(l, absent))
		return SOURCE_ABSENT;
	if (has(l, critical))
		return SOURCE_CRITICAL;
	if (has(l, out_of_tol))
		return SOURCE_OUT_OF_TOLERANCE;
	if (has(l, ok))
		return SOURCE_OK;
	return SOURCE_UNKNOWN;
}

static void count_alarms(const struct map_def *map, struct level_data *l)
{
	for (size_t i = 0; i < map->n_alarm_bits; i++) {
		const struct bit_def *b = &map->alarm_bits[i];

		if (!b->acronym || b->level == LEVEL_NONE || i / 16 >= MODEL_ALARM_WORDS)
			continue;
		if (!((l->alarms[i / 16] >> (i % 16)) & 1))
			continue;
		l->d.n_alarms++;
		if (b->level > l->d.worst_alarm)
			l->d.worst_alarm = b->level;
	}
}

static void derive_ups(struct level_data *l)
{
	struct derived *d = &l->d;

	d->output_source = ups_output(l);
	d->ups_status = first_status(l, ups_status_rules, ELEMENTSOF(ups_status_rules));
	if (d->ups_status == UPS_STATUS_UNKNOWN && d->output_source == OUTPUT_NONE)
		d->ups_status = UPS_STATUS_LOAD_OFF;
	d->battery_status = battery_status(l);
	d->load_status = load_status(l, d->output_source);
	d->rectifier = path(l, FLAG_RECTIFIER_FAULT, FLAG_RECTIFIER_PREVENTIVE,
			    has(l, FLAG_RECTIFIER_ON));
	d->inverter = path(l, FLAG_INVERTER_FAULT, FLAG_INVERTER_PREVENTIVE,
			   has(l, FLAG_INVERTER_ON) || has(l, FLAG_LOAD_ON_INVERTER));
	d->bypass = path(l, FLAG_BYPASS_FAULT, FLAG_BYPASS_PREVENTIVE,
			 d->output_source == OUTPUT_BYPASS || d->output_source == OUTPUT_ECO);
}

static void derive_sts(struct level_data *l)
{
	struct derived *d = &l->d;

	d->output_source = sts_output(l);
	d->ups_status = first_status(l, sts_status_rules, ELEMENTSOF(sts_status_rules));
	if (d->ups_status == UPS_STATUS_UNKNOWN && d->output_source == OUTPUT_NONE)
		d->ups_status = UPS_STATUS_LOAD_OFF;
	d->load_status = load_status(l, d->output_source);
	d->sts_source1 = source(l, FLAG_STS_S1_OK, FLAG_STS_S1_CRITICAL, FLAG_STS_S1_OUT_OF_TOL,
				FLAG_STS_S1_ABSENT);
	d->sts_source2 = source(l, FLAG_STS_S2_OK, FLAG_STS_S2_CRITICAL, FLAG_STS_S2_OUT_OF_TOL,
				FLAG_STS_S2_ABSENT);
	d->sts_preferred = has(l, FLAG_STS_S1_PREFERRED) ? 1 : 2;
}

void derive_level(const struct map_def *map, struct level_data *l)
{
	memset(&l->d, 0, sizeof(l->d));
	if (!l->valid || !map)
		return;
	if (map->id == MAP_STS)
		derive_sts(l);
	else
		derive_ups(l);
	count_alarms(map, l);
}

/* The enumerated objects of the Socomec MIBs from the normalised model's
 * derived states. Each table maps a model state to the MIB's value; the
 * MIB's own enumerations are in share/mibs/ (from the TSV files of src/snmp). */
#include "snmp/mib_values.h"

#define UNKNOWN_VALUE 1         /* unknown(1) / other(1) in every one of them */

/* SOCOMECUPS7-MIB upsBatteryStatus and the legacy tree's. */
static const struct {
	unsigned char nv7, legacy;
} battery_values[_BATTERY_COUNT] = {
	[BATTERY_UNKNOWN] = { 1, 1 },
	[BATTERY_DISCONNECTED] = { 9, 7 },
	[BATTERY_LOW] = { 6, 3 },
	[BATTERY_DISCHARGED] = { 7, 4 },
	[BATTERY_DISCHARGING] = { 5, 5 },
	[BATTERY_TO_INPUT] = { 2, 2 },          /* a normal function of some ranges */
	[BATTERY_ALARM] = { 8, 6 },
	[BATTERY_ROOM_ALARM] = { 8, 6 },
	[BATTERY_TEMP_ALARM] = { 8, 6 },
	[BATTERY_TEST] = { 4, 2 },
	[BATTERY_CHARGING] = { 3, 2 },
	[BATTERY_OK] = { 2, 2 },
};

/* upsOutputSource: NET VISION 7 values, and the legacy ones (RFC 1628's
 * plus standby(8), ecoMode(9), which NUT's netvision mapping reads). */
static long long output_nv7(const struct level_data *l)
{
	switch (l->d.output_source) {
	case OUTPUT_MAINT_BYPASS:
		return 2;                               /* onMaintenanceBypass */
	case OUTPUT_INVERTER:
	case OUTPUT_BATTERY:
		return l->d.ups_status == UPS_STATUS_NORMAL ? 4 : 3;   /* normalMode, onInverter */
	case OUTPUT_ECO:
		return model_flag(l, FLAG_LINE_INTERACTIVE) ? 9 : 5;   /* LineInteractive, ecoMode */
	case OUTPUT_BYPASS:
		return 6;                               /* onBypass */
	case OUTPUT_NONE:
		return model_flag(l, FLAG_STANDBY) ? 7 : 8;            /* standby, upsOff */
	default:
		return UNKNOWN_VALUE;
	}
}

static long long output_legacy(const struct level_data *l)
{
	switch (l->d.output_source) {
	case OUTPUT_INVERTER:
		return 3;                               /* normal */
	case OUTPUT_BATTERY:
		return 5;                               /* battery */
	case OUTPUT_BYPASS:
	case OUTPUT_MAINT_BYPASS:
		return 4;                               /* bypass */
	case OUTPUT_ECO:
		return 9;                               /* ecoMode */
	case OUTPUT_NONE:
		return model_flag(l, FLAG_STANDBY) ? 8 : 2;            /* standby, none */
	default:
		return UNKNOWN_VALUE;
	}
}

long long mib_now(const struct mib_source *src)
{
	return src->started.tv_sec + (long long)(src->uptime_cs / 100);
}

static long long seconds_on_battery(const struct mib_ctx *c)
{
	const struct level_data *l = c->level;
	double t;

	if (!l || l->d.output_source != OUTPUT_BATTERY)
		return 0;
	t = l->meas[MEAS_BATTERY_TIME_ON];
	if (meas_available(t))
		return (long long)t;
	if (c->src->on_battery_since > 0 && mib_now(c->src) >= c->src->on_battery_since)
		return mib_now(c->src) - c->src->on_battery_since;
	return 0;
}

static long long sts_source(enum source_state s)
{
	switch (s) {
	case SOURCE_OK:
		return 2;
	case SOURCE_CRITICAL:
		return 3;
	case SOURCE_OUT_OF_TOLERANCE:
		return 4;
	case SOURCE_ABSENT:
		return 5;
	default:
		return UNKNOWN_VALUE;
	}
}

static long long sts_load_status(const struct level_data *l)
{
	switch (l->d.ups_status) {
	case UPS_STATUS_STS_ON_PREFERRED:
		return 2;
	case UPS_STATUS_STS_ON_ALTERNATE:
		return 3;
	case UPS_STATUS_LOAD_OFF:
		return 4;
	case UPS_STATUS_STS_MAINT_BYPASS1:
		return 5;
	case UPS_STATUS_STS_MAINT_BYPASS2:
		return 6;
	default:
		return l->d.output_source == OUTPUT_NONE ? 4 : UNKNOWN_VALUE;
	}
}

static long long sts_output_status(const struct level_data *l)
{
	switch (l->d.output_source) {
	case OUTPUT_STS_S1:
		return 2;
	case OUTPUT_STS_S2:
		return 3;
	case OUTPUT_NONE:
		return 4;
	default:
		return UNKNOWN_VALUE;
	}
}

/* no(1) / yes(2); -1 while the preferred source is not known. */
static long long sts_preferred(const struct level_data *l, unsigned source)
{
	if (l->d.sts_preferred == 0)
		return -1;
	return l->d.sts_preferred == source ? 2 : 1;
}

long long mib_derived(const struct mib_ctx *c, enum mib_derived d)
{
	const struct level_data *l = c->level;
	unsigned b;

	if (d == MDER_SECONDS_ON_BATTERY)
		return seconds_on_battery(c);
	if (!l)         /* no data: unknown(1), or -1 where the MIB has no such value */
		return d == MDER_REMOTE_CONTROL || d == MDER_STS_PREFERRED1 ||
		       d == MDER_STS_PREFERRED2 ? -1 : UNKNOWN_VALUE;
	b = l->d.battery_status < _BATTERY_COUNT ? l->d.battery_status : BATTERY_UNKNOWN;
	switch (d) {
	case MDER_BATTERY_STATUS:
		return battery_values[b].nv7;
	case MDER_BATTERY_STATUS_LEGACY:
		return battery_values[b].legacy;
	case MDER_OUTPUT_SOURCE:
		return output_nv7(l);
	case MDER_OUTPUT_SOURCE_LEGACY:
		return output_legacy(l);
	case MDER_REMOTE_CONTROL:
		return model_flag(l, FLAG_REMOTE_DISABLED) ? 2 : 1;
	case MDER_STS_SOURCE1:
		return sts_source(l->d.sts_source1);
	case MDER_STS_SOURCE2:
		return sts_source(l->d.sts_source2);
	case MDER_STS_PREFERRED1:
		return sts_preferred(l, 1);
	case MDER_STS_PREFERRED2:
		return sts_preferred(l, 2);
	case MDER_STS_INTERACTION:
		return model_flag(l, FLAG_STS_SYNCHRONISED) ? 2 : 4;
	case MDER_STS_LOAD_STATUS:
		return sts_load_status(l);
	case MDER_STS_OUTPUT_STATUS:
		return sts_output_status(l);
	default:
		return -1;
	}
}

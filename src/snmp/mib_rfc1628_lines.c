/* RFC 1628 input, output and bypass line tables and the alarm table. */
#include "snmp/mib_rfc1628.h"

#include <math.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define INT_MAX32 2147483647LL

/* Per line (1-3): the measurement ids, in line order. */
static const enum meas_id input_v[] = { MEAS_INPUT_V_L1, MEAS_INPUT_V_L2, MEAS_INPUT_V_L3 };
static const enum meas_id input_i[] = { MEAS_INPUT_I_L1, MEAS_INPUT_I_L2, MEAS_INPUT_I_L3 };
static const enum meas_id input_p[] = { MEAS_INPUT_P_L1, MEAS_INPUT_P_L2, MEAS_INPUT_P_L3 };
static const enum meas_id output_v[] = { MEAS_OUTPUT_V_L1, MEAS_OUTPUT_V_L2, MEAS_OUTPUT_V_L3 };
static const enum meas_id output_i[] = { MEAS_OUTPUT_I_L1, MEAS_OUTPUT_I_L2, MEAS_OUTPUT_I_L3 };
static const enum meas_id output_p[] = { MEAS_OUTPUT_P_L1, MEAS_OUTPUT_P_L2, MEAS_OUTPUT_P_L3 };
static const enum meas_id output_load[] = { MEAS_OUTPUT_LOAD_L1, MEAS_OUTPUT_LOAD_L2, MEAS_OUTPUT_LOAD_L3 };
static const enum meas_id bypass_v[] = { MEAS_BYPASS_V_L1, MEAS_BYPASS_V_L2, MEAS_BYPASS_V_L3 };
static const enum meas_id bypass_i[] = { MEAS_BYPASS_I_L1, MEAS_BYPASS_I_L2, MEAS_BYPASS_I_L3 };
static const enum meas_id bypass_p[] = { MEAS_BYPASS_P_L1, MEAS_BYPASS_P_L2, MEAS_BYPASS_P_L3 };

/* The identity's phase count, or what the measurements show. */
static unsigned lines(const struct rfc_ctx *c, uint8_t phases, const enum meas_id *v)
{
	if (phases == 1 || phases == 3)
		return phases;
	return meas_available(rfc_value(c, v[1])) || meas_available(rfc_value(c, v[2])) ? 3 : 1;
}

/* One line's value; a single-phase line falls back on the total. */
static double line_value(const struct rfc_ctx *c, const enum meas_id *ids, unsigned line,
			 unsigned n, int total)
{
	double v = rfc_value(c, ids[line - 1]);

	if (!meas_available(v) && n == 1 && total >= 0)
		v = rfc_value(c, (enum meas_id)total);
	return v;
}

static void column(const struct rfc_ctx *c, mib_oid group, mib_oid table, mib_oid col,
		   unsigned line, double v, double scale, long long lo, long long hi)
{
	const mib_oid suffix[] = { group, table, 1, col, line };

	rfc_meas(c, suffix, N(suffix), MIB_INTEGER, v, scale, lo, hi);
}

void rfc_build_input(const struct rfc_ctx *c)
{
	static const mib_oid bads[] = { 3, 1, 0 }, num[] = { 3, 2, 0 };
	unsigned n = lines(c, c->src->snap ? c->src->snap->id.phases_in : 0, input_v);

	rfc_int(c, bads, N(bads), MIB_COUNTER32, c->src->input_line_bads);
	if (!c->l)
		return;
	rfc_int(c, num, N(num), MIB_INTEGER, n);
	for (unsigned line = 1; line <= n; line++) {
		column(c, 3, 3, 2, line, rfc_value(c, MEAS_INPUT_FREQ), 10, 0, INT_MAX32);
		column(c, 3, 3, 3, line, line_value(c, input_v, line, n, -1), 1, 0, INT_MAX32);
		column(c, 3, 3, 4, line, line_value(c, input_i, line, n, -1), 10, 0, INT_MAX32);
		column(c, 3, 3, 5, line, line_value(c, input_p, line, n, -1), 1000, 0, INT_MAX32);
	}
}

/* upsOutputSource: other(1) none(2) normal(3) bypass(4) battery(5)
 * booster(6) reducer(7). Eco mode and the maintenance bypass feed the
 * load from the bypass line. */
static long long output_source(const struct level_data *l)
{
	switch (l ? l->d.output_source : OUTPUT_UNKNOWN) {
	case OUTPUT_NONE: return 2;
	case OUTPUT_INVERTER: return 3;
	case OUTPUT_BYPASS: case OUTPUT_ECO: case OUTPUT_MAINT_BYPASS: return 4;
	case OUTPUT_BATTERY: return 5;
	default: return 1;
	}
}

void rfc_build_output(const struct rfc_ctx *c)
{
	static const mib_oid source[] = { 4, 1, 0 }, freq[] = { 4, 2, 0 }, num[] = { 4, 3, 0 };
	unsigned n = lines(c, c->src->snap ? c->src->snap->id.phases_out : 0, output_v);

	rfc_int(c, source, N(source), MIB_INTEGER, output_source(c->l));
	if (!c->l)
		return;
	rfc_meas(c, freq, N(freq), MIB_INTEGER, rfc_value(c, MEAS_OUTPUT_FREQ), 10, 0, INT_MAX32);
	rfc_int(c, num, N(num), MIB_INTEGER, n);
	for (unsigned line = 1; line <= n; line++) {
		column(c, 4, 4, 2, line, line_value(c, output_v, line, n, -1), 1, 0, INT_MAX32);
		column(c, 4, 4, 3, line, line_value(c, output_i, line, n, -1), 10, 0, INT_MAX32);
		column(c, 4, 4, 4, line, line_value(c, output_p, line, n, MEAS_OUTPUT_P), 1000, 0,
		       INT_MAX32);
		column(c, 4, 4, 5, line, line_value(c, output_load, line, n, MEAS_OUTPUT_LOAD), 1, 0,
		       200);
	}
}

/* Only for a UPS that measures its bypass line. */
void rfc_build_bypass(const struct rfc_ctx *c)
{
	static const mib_oid freq[] = { 5, 1, 0 }, num[] = { 5, 2, 0 };
	unsigned n = lines(c, c->src->snap ? c->src->snap->id.phases_out : 0, bypass_v);
	bool any = meas_available(rfc_value(c, MEAS_BYPASS_FREQ));

	for (unsigned i = 0; i < 3; i++)
		any = any || meas_available(rfc_value(c, bypass_v[i]));
	if (!c->l || !any)
		return;
	rfc_meas(c, freq, N(freq), MIB_INTEGER, rfc_value(c, MEAS_BYPASS_FREQ), 10, 0, INT_MAX32);
	rfc_int(c, num, N(num), MIB_INTEGER, n);
	for (unsigned line = 1; line <= n; line++) {
		column(c, 5, 3, 2, line, line_value(c, bypass_v, line, n, -1), 1, 0, INT_MAX32);
		column(c, 5, 3, 3, line, line_value(c, bypass_i, line, n, -1), 10, 0, INT_MAX32);
		column(c, 5, 3, 4, line, line_value(c, bypass_p, line, n, -1), 1000, 0, INT_MAX32);
	}
}

/* sysUpTime when the alarm was raised; 0 if before the agent started
 * (RFC 1628: "the value of upsAlarmTime shall equal 0"). */
static long long alarm_time(const struct mib_source *src, const struct event *e)
{
	double d = (double)(e->time.tv_sec - src->started.tv_sec) +
		   (e->time.tv_nsec - src->started.tv_nsec) / 1e9;

	return d <= 0 ? 0 : (long long)llround(d * 100);
}

/* Well-known alarms of the selected level (and the gateway's own
 * communication alarm), one row per well-known alarm however many UPS
 * conditions map to it: the oldest gives its id and time. */
void rfc_build_alarms(const struct rfc_ctx *c)
{
	static const mib_oid present[] = { 6, 1, 0 };
	const struct mib_source *src = c->src;
	bool seen[256] = { false };
	unsigned rows = 0;

	for (size_t i = 0; i < src->n_active; i++) {
		const struct event *e = &src->active[i];
		unsigned wk = e->def ? e->def->rfc1628 : 0;
		bool here = e->def && (e->def->group == EVG_GATEWAY ||
				       (e->unit == src->data_unit && e->module == 0));

		if (!wk || !here || seen[wk] || e->seq == 0 || e->seq > (uint64_t)INT_MAX32)
			continue;
		seen[wk] = true;
		rows++;
		{
			const mib_oid descr[] = { 6, 2, 1, 2, (mib_oid)e->seq };
			const mib_oid time[] = { 6, 2, 1, 3, (mib_oid)e->seq };
			mib_oid name[MIB_OID_MAX];
			mib_oid wk_oid[] = { UPS_OBJECTS, 6, 3, wk };
			struct mib_value v = { .type = MIB_OBJECT_ID, .len = N(wk_oid) };
			const mib_oid base[] = { UPS_OBJECTS };

			memcpy(v.oid, wk_oid, sizeof(wk_oid));
			memcpy(name, base, sizeof(base));
			memcpy(name + N(base), descr, sizeof(descr));
			mib_add(c->b, name, N(base) + N(descr), &v, NULL);
			rfc_int(c, time, N(time), MIB_TIMETICKS, alarm_time(src, e));
		}
	}
	rfc_int(c, present, N(present), MIB_GAUGE32, rows);
}

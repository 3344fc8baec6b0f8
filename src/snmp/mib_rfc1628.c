/* RFC 1628 UPS-MIB (.1.3.6.1.2.1.33), for UPSs (not STS: the manual
 * serves it "for UPS only"). Units and scales are the RFC's: volts,
 * 0.1 V DC for the battery, 0.1 A, 0.1 Hz, watts, VA, minutes, seconds,
 * degrees Celsius. Data Unit Selection (system.data_unit) picks the level
 * whose data fill the unit-level objects (§15.3).
 *
 * Values the UPS does not give (NaN in the model) are left out of the view:
 * a GET answers noSuchInstance and a walk skips them. The NET VISION
 * general rule (-1 / 65535) would break the RFC's ranges (NonNegative-
 * Integer, 0..100), which managers such as NUT read as real values.
 * Values outside an object's range are clamped to it. */
#include "snmp/mib_rfc1628.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "snmp/agent.h"
#include "snmp/mib_system.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define INT_MAX32 2147483647LL

/* ---- helpers shared with mib_rfc1628_lines.c ------------------------------ */

static size_t full_name(mib_oid *out, const mib_oid *suffix, size_t n)
{
	static const mib_oid base[] = { UPS_OBJECTS };

	memcpy(out, base, sizeof(base));
	memcpy(out + N(base), suffix, n * sizeof(*suffix));
	return N(base) + n;
}

void rfc_int(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, enum mib_type type,
	     long long v)
{
	mib_oid name[MIB_OID_MAX];

	mib_add_int(c->b, name, full_name(name, suffix, n), type, v);
}

void rfc_meas(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, enum mib_type type,
	      double value, double scale, long long lo, long long hi)
{
	double x;

	if (!meas_available(value))
		return;
	x = round(value * scale);
	rfc_int(c, suffix, n, type, x < (double)lo ? lo : x > (double)hi ? hi : (long long)x);
}

double rfc_value(const struct rfc_ctx *c, enum meas_id id)
{
	return c->l ? c->l->meas[id] : NAN;
}

static void rfc_string(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, const char *s,
		       const struct mib_set *set)
{
	struct mib_value v = { .type = MIB_OCTETS };
	mib_oid name[MIB_OID_MAX];

	v.len = strnlen(s, 63);         /* DisplayString (SIZE (0..63)) */
	memcpy(v.s, s, v.len);
	mib_add(c->b, name, full_name(name, suffix, n), &v, set);
}

static void rfc_oid(const struct rfc_ctx *c, const mib_oid *suffix, size_t n, const mib_oid *v,
		    size_t vlen, const struct mib_set *set)
{
	struct mib_value val = { .type = MIB_OBJECT_ID, .len = vlen };
	mib_oid name[MIB_OID_MAX];

	memcpy(val.oid, v, vlen * sizeof(*v));
	mib_add(c->b, name, full_name(name, suffix, n), &val, set);
}

/* ---- writable objects the gateway cannot act on yet ----------------------- */

/* Tests and shutdown/restart need the UPS controls; until they exist a SET
 * is refused with commitFailed and this reason in the log, never faked. */
static int refuse_control(struct snmp_ctx *ctx, const struct mib_name *name,
			  const struct mib_value *v, const char **why)
{
	*why = "UPS tests and shutdown controls are not available through SNMP";
	return -ENOTSUP;
}

static int apply_nothing(struct snmp_ctx *ctx, const struct mib_name *name,
			 const struct mib_value *v)
{
	return -ENOTSUP;
}

static const struct mib_set control_int = { MIB_INTEGER, refuse_control, apply_nothing };
static const struct mib_set control_oid = { MIB_OBJECT_ID, refuse_control, apply_nothing };

/* ---- groups ------------------------------------------------------------------ */

static void build_ident(const struct rfc_ctx *c)
{
	static const mib_oid manufacturer[] = { 1, 1, 0 }, model[] = { 1, 2, 0 },
		ups_sw[] = { 1, 3, 0 }, agent_sw[] = { 1, 4, 0 }, name[] = { 1, 5, 0 },
		attached[] = { 1, 6, 0 };
	const struct snapshot *s = c->src->snap;
	char fw[16] = "";

	if (s && s->id.firmware)
		snprintf(fw, sizeof(fw), "%u.%02u", s->id.firmware / 100u, s->id.firmware % 100u);
	rfc_string(c, manufacturer, N(manufacturer), "Socomec", NULL);
	rfc_string(c, model, N(model), s ? s->id.range : "", NULL);
	rfc_string(c, ups_sw, N(ups_sw), fw, NULL);
	rfc_string(c, agent_sw, N(agent_sw), "upsgate " PACKAGE_VERSION, NULL);
	rfc_string(c, name, N(name), settings_str(c->src->settings, SET_SYSTEM_NAME),
		   &mib_set_system_name);
	rfc_string(c, attached, N(attached), "", NULL);
}

/* upsBatteryStatus: unknown(1) batteryNormal(2) batteryLow(3) batteryDepleted(4). */
static long long battery_status(const struct level_data *l)
{
	switch (l ? l->d.battery_status : BATTERY_UNKNOWN) {
	case BATTERY_UNKNOWN: return 1;
	case BATTERY_LOW: return 3;
	/* No battery to hold the load if the mains fail. */
	case BATTERY_DISCHARGED: case BATTERY_DISCONNECTED: return 4;
	default: return 2;
	}
}

static void build_battery(const struct rfc_ctx *c)
{
	static const mib_oid status[] = { 2, 1, 0 }, seconds[] = { 2, 2, 0 },
		minutes[] = { 2, 3, 0 }, charge[] = { 2, 4, 0 }, volts[] = { 2, 5, 0 },
		amps[] = { 2, 6, 0 }, temp[] = { 2, 7, 0 };
	const struct snapshot *s = c->src->snap;
	double v;

	rfc_int(c, status, N(status), MIB_INTEGER, battery_status(c->l));
	if (c->l) {
		/* Since the switch to battery, or since the agent started if less. */
		bool on_battery = c->l->d.output_source == OUTPUT_BATTERY ||
				  model_flag(c->l, FLAG_ON_BATTERY);
		double since = c->src->on_battery_since ?
			(double)(s->taken.tv_sec - c->src->on_battery_since) : 0;

		v = rfc_value(c, MEAS_BATTERY_TIME_ON);
		if (!meas_available(v))
			v = since;
		if (v > (double)(c->src->uptime_cs / 100))
			v = (double)(c->src->uptime_cs / 100);
		rfc_meas(c, seconds, N(seconds), MIB_INTEGER, on_battery ? v : 0, 1, 0, INT_MAX32);
	}
	rfc_meas(c, minutes, N(minutes), MIB_INTEGER, rfc_value(c, MEAS_BATTERY_RUNTIME), 1, 1, INT_MAX32);
	rfc_meas(c, charge, N(charge), MIB_INTEGER, rfc_value(c, MEAS_BATTERY_CHARGE), 1, 0, 100);
	v = rfc_value(c, MEAS_BATTERY_V_POS);
	if (!meas_available(v))
		v = fabs(rfc_value(c, MEAS_BATTERY_V_NEG));
	rfc_meas(c, volts, N(volts), MIB_INTEGER, v, 10, 0, INT_MAX32);
	v = rfc_value(c, MEAS_BATTERY_I_POS);
	if (!meas_available(v))
		v = rfc_value(c, MEAS_BATTERY_I_NEG);
	rfc_meas(c, amps, N(amps), MIB_INTEGER, v, 10, -INT_MAX32, INT_MAX32);
	v = rfc_value(c, MEAS_BATTERY_TEMP);
	if (!meas_available(v))
		v = rfc_value(c, MEAS_BATTERY_TEMP_AVG);
	rfc_meas(c, temp, N(temp), MIB_INTEGER, v, 1, -INT_MAX32, INT_MAX32);
}

/* What the UPS itself shows of its battery test; starting one is a control. */
static void build_test(const struct rfc_ctx *c)
{
	static const mib_oid id[] = { 7, 1, 0 }, spin[] = { 7, 2, 0 }, summary[] = { 7, 3, 0 },
		detail[] = { 7, 4, 0 }, start[] = { 7, 5, 0 }, elapsed[] = { 7, 6, 0 };
	mib_oid test[] = { UPS_OBJECTS, 7, 7, 1 };      /* upsTestNoTestsInitiated */
	bool running = c->l && model_flag(c->l, FLAG_BATTERY_TEST);
	bool failed = c->l && model_flag(c->l, FLAG_BATTERY_TEST_FAILED);

	if (running || failed)
		test[N(test) - 1] = 4;                  /* upsTestQuickBatteryTest */
	rfc_oid(c, id, N(id), test, N(test), &control_oid);
	rfc_int(c, spin, N(spin), MIB_INTEGER, 0);
	/* donePass(1) doneWarning(2) doneError(3) aborted(4) inProgress(5) noTestsInitiated(6) */
	rfc_int(c, summary, N(summary), MIB_INTEGER, running ? 5 : failed ? 3 : 6);
	rfc_string(c, detail, N(detail), running ? "Battery test in progress" :
		   failed ? "Battery test failed" : "", NULL);
	rfc_int(c, start, N(start), MIB_TIMETICKS, 0);
	rfc_int(c, elapsed, N(elapsed), MIB_INTEGER, 0);
}

/* No countdown runs: delays read -1 ("not counting") as the RFC says. */
static void build_control(const struct rfc_ctx *c)
{
	static const mib_oid type[] = { 8, 1, 0 }, shutdown[] = { 8, 2, 0 },
		startup[] = { 8, 3, 0 }, reboot[] = { 8, 4, 0 }, autorestart[] = { 8, 5, 0 };
	mib_oid name[MIB_OID_MAX];

	mib_add(c->b, name, full_name(name, type, N(type)),
		&(struct mib_value){ .type = MIB_INTEGER, .i = 1 }, &control_int);  /* output(1) */
	mib_add(c->b, name, full_name(name, shutdown, N(shutdown)),
		&(struct mib_value){ .type = MIB_INTEGER, .i = -1 }, &control_int);
	mib_add(c->b, name, full_name(name, startup, N(startup)),
		&(struct mib_value){ .type = MIB_INTEGER, .i = -1 }, &control_int);
	mib_add(c->b, name, full_name(name, reboot, N(reboot)),
		&(struct mib_value){ .type = MIB_INTEGER, .i = -1 }, &control_int);
	/* on(1): Socomec UPSs restart on their own when the mains return. */
	mib_add(c->b, name, full_name(name, autorestart, N(autorestart)),
		&(struct mib_value){ .type = MIB_INTEGER, .i = 1 }, &control_int);
}

/* Nominal ratings from the identity (read-only here: the UPS's own
 * configuration is not written through the gateway). */
static void build_config(const struct rfc_ctx *c)
{
	static const mib_oid vin[] = { 9, 1, 0 }, fin[] = { 9, 2, 0 }, vout[] = { 9, 3, 0 },
		fout[] = { 9, 4, 0 }, va[] = { 9, 5, 0 }, w[] = { 9, 6, 0 };
	const struct identity *id = c->src->snap ? &c->src->snap->id : NULL;

	if (!id)
		return;
	rfc_meas(c, vin, N(vin), MIB_INTEGER, id->nominal_vin, 1, 0, INT_MAX32);
	rfc_meas(c, fin, N(fin), MIB_INTEGER, id->nominal_fin, 10, 0, INT_MAX32);
	rfc_meas(c, vout, N(vout), MIB_INTEGER, id->nominal_vout, 1, 0, INT_MAX32);
	rfc_meas(c, fout, N(fout), MIB_INTEGER, id->nominal_fout, 10, 0, INT_MAX32);
	rfc_meas(c, va, N(va), MIB_INTEGER, id->nominal_kva, 1000, 0, INT_MAX32);
	rfc_meas(c, w, N(w), MIB_INTEGER, id->nominal_kw, 1000, 0, INT_MAX32);
}

/* The level whose data the unit-level objects carry. */
static const struct level_data *selected_level(const struct mib_source *src)
{
	const struct snapshot *s = src->snap;

	if (!s || s->comm != COMM_OK || s->n_levels == 0)
		return NULL;
	if (src->data_unit == 0)
		return s->levels[0].valid ? &s->levels[0] : NULL;
	for (size_t i = 1; i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];

		if (l->kind == LEVEL_UNIT && l->unit == src->data_unit && l->present && l->valid)
			return l;
	}
	return NULL;
}

void mib_build_rfc1628(struct mib_builder *b, const struct mib_source *src)
{
	struct rfc_ctx c = { .b = b, .src = src, .l = selected_level(src) };

	if (src->snap && src->snap->id.map == MAP_STS)
		return;
	build_ident(&c);
	build_battery(&c);
	rfc_build_input(&c);
	rfc_build_output(&c);
	rfc_build_bypass(&c);
	rfc_build_alarms(&c);
	build_test(&c);
	build_control(&c);
	build_config(&c);
}

/* The RFC 1628 UPS-MIB and MIB-II system builders against crafted
 * snapshots: every object's OID, type, unit and scale, what is left out
 * when the UPS does not give a value, Data Unit Selection, the alarm
 * table (well-known alarm OIDs, one row per alarm, times), STS devices
 * (no UPS-MIB), and the checks of the writable system objects. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "snmp/agent.h"
#include "snmp/mib.h"
#include "snmp/mib_system.h"

/* Only the two builders under test (mib_tables.c is not linked). */
const struct mib_module mib_builders[] = {
	{ "system", mib_build_system },
	{ "rfc1628", mib_build_rfc1628 },
	{ NULL, NULL },
};
const struct mib_root mib_roots[] = {
	{ "system", { 1, 3, 6, 1, 2, 1, 1 }, 7 },
	{ "upsMIB", { 1, 3, 6, 1, 2, 1, 33 }, 7 },
	{ NULL, { 0 }, 0 },
};

static struct settings *settings;
static struct mib_view *view;

/* "2.4.0" -> .1.3.6.1.2.1.33.1.2.4.0 ; a leading '.' is absolute. */
static size_t parse(const char *text, mib_oid *out)
{
	static const mib_oid base[] = { 1, 3, 6, 1, 2, 1, 33, 1 };
	size_t n = 0;
	const char *p = text;

	if (*p == '.')
		p++;
	else {
		memcpy(out, base, sizeof(base));
		n = 8;
	}
	while (*p) {
		char *end;

		out[n++] = (mib_oid)strtoul(p, &end, 10);
		p = *end ? end + 1 : end;
	}
	return n;
}

static const struct mib_value *get(const char *text)
{
	mib_oid name[MIB_OID_MAX];
	const struct mib_set *set;

	return mib_view_get(view, name, parse(text, name), &set);
}

static void expect_int(int line, const char *text, enum mib_type type, long long want)
{
	const struct mib_value *v = get(text);

	if (!v) {
		failures++;
		printf("not ok line %d: %s missing\n", line, text);
	} else if (v->type != type || v->i != want) {
		failures++;
		printf("not ok line %d: %s = type 0x%x %lld, expected type 0x%x %lld\n", line, text,
		       v->type, v->i, type, want);
	}
}
#define INT(o, w) expect_int(__LINE__, o, MIB_INTEGER, w)
#define ABSENT(o) CHECK(!get(o), "%s should be absent", o)

static void expect_oid(int line, const char *text, const char *want)
{
	const struct mib_value *v = get(text);
	mib_oid w[MIB_OID_MAX];
	size_t n = parse(want, w);

	if (!v || v->type != MIB_OBJECT_ID || v->len != n || memcmp(v->oid, w, n * sizeof(*w))) {
		failures++;
		printf("not ok line %d: %s is not %s\n", line, text, want);
	}
}

static void expect_str(int line, const char *text, const char *want)
{
	const struct mib_value *v = get(text);

	if (!v || v->type != MIB_OCTETS || v->len != strlen(want) || memcmp(v->s, want, v->len)) {
		failures++;
		printf("not ok line %d: %s is \"%.*s\", expected \"%s\"\n", line, text,
		       v ? (int)v->len : 0, v ? v->s : "", want);
	}
}

static struct snapshot *ups(void)
{
	struct snapshot *s = snapshot_new();
	struct level_data *l = &s->levels[0];

	s->seq = 1;
	s->taken.tv_sec = 1700000100;
	s->comm = COMM_OK;
	s->id.map = MAP_VUMAP;
	snprintf(s->id.range, sizeof(s->id.range), "MASTERYS 3/3 UPS");
	s->id.phases_in = s->id.phases_out = 3;
	s->id.nominal_kva = 10;
	s->id.nominal_kw = 9;
	s->id.nominal_vin = 400;
	s->id.nominal_vout = 230;
	s->id.nominal_fin = 50;
	s->id.nominal_fout = 50;
	s->id.firmware = 123;
	s->n_levels = 1;
	l->kind = LEVEL_SYSTEM;
	l->present = l->valid = true;
	l->meas[MEAS_INPUT_V_L1] = 230.4;
	l->meas[MEAS_INPUT_V_L2] = 229.6;
	l->meas[MEAS_INPUT_V_L3] = 231;
	l->meas[MEAS_INPUT_FREQ] = 49.96;
	l->meas[MEAS_INPUT_I_L1] = 12.34;
	l->meas[MEAS_INPUT_P_L1] = 2.5;
	l->meas[MEAS_OUTPUT_V_L1] = 230;
	l->meas[MEAS_OUTPUT_V_L2] = 229;
	l->meas[MEAS_OUTPUT_V_L3] = 228;
	l->meas[MEAS_OUTPUT_FREQ] = 50.02;
	l->meas[MEAS_OUTPUT_I_L1] = 10.5;
	l->meas[MEAS_OUTPUT_P_L2] = 1.234;
	l->meas[MEAS_OUTPUT_LOAD_L3] = 45;
	l->meas[MEAS_OUTPUT_LOAD] = 40;
	l->meas[MEAS_BYPASS_FREQ] = 50.1;
	l->meas[MEAS_BYPASS_V_L1] = 231;
	l->meas[MEAS_BATTERY_CHARGE] = 87;
	l->meas[MEAS_BATTERY_RUNTIME] = 42.4;
	l->meas[MEAS_BATTERY_V_POS] = 432.1;
	l->meas[MEAS_BATTERY_I_POS] = -3.2;
	l->meas[MEAS_BATTERY_TEMP] = 24.6;
	l->d.battery_status = BATTERY_CHARGING;
	l->d.output_source = OUTPUT_INVERTER;
	return s;
}

static struct mib_source source(const struct snapshot *s)
{
	return (struct mib_source){
		.snap = s, .settings = settings, .uptime_cs = 360000,
		.started = { .tv_sec = 1700000000 }, .input_line_bads = 3,
	};
}

static void build(const struct mib_source *src)
{
	mib_view_free(view);
	view = NULL;
	CHECK(mib_view_build(&view, src) == 0, "view builds");
}

static void test_normal(void)
{
	struct snapshot *s = ups();
	struct mib_source src = source(s);

	build(&src);
	/* upsIdent */
	expect_str(__LINE__, "1.1.0", "Socomec");
	expect_str(__LINE__, "1.2.0", "MASTERYS 3/3 UPS");
	expect_str(__LINE__, "1.3.0", "1.23");
	expect_str(__LINE__, "1.4.0", "upsgate " PACKAGE_VERSION);
	expect_str(__LINE__, "1.5.0", "upsgate");
	/* upsBattery: normal, 0 s on battery, minutes, %, 0.1 V, 0.1 A, degC */
	INT("2.1.0", 2);
	INT("2.2.0", 0);
	INT("2.3.0", 42);
	INT("2.4.0", 87);
	INT("2.5.0", 4321);
	INT("2.6.0", -32);
	INT("2.7.0", 25);
	/* upsInput: LineBads, 3 lines, 0.1 Hz, V, 0.1 A, W */
	expect_int(__LINE__, "3.1.0", MIB_COUNTER32, 3);
	INT("3.2.0", 3);
	INT("3.3.1.2.1", 500);
	INT("3.3.1.2.3", 500);
	INT("3.3.1.3.1", 230);
	INT("3.3.1.3.2", 230);
	INT("3.3.1.3.3", 231);
	INT("3.3.1.4.1", 123);
	ABSENT("3.3.1.4.2");
	INT("3.3.1.5.1", 2500);
	ABSENT("3.3.1.1.1");            /* index columns are not-accessible */
	ABSENT("3.3.1.2.4");
	/* upsOutput: normal(3), 0.1 Hz, V, 0.1 A, W, % per line */
	INT("4.1.0", 3);
	INT("4.2.0", 500);
	INT("4.3.0", 3);
	INT("4.4.1.2.1", 230);
	INT("4.4.1.3.1", 105);
	INT("4.4.1.4.2", 1234);
	INT("4.4.1.5.3", 45);
	ABSENT("4.4.1.5.1");            /* no total fallback on 3 phases */
	/* upsBypass */
	INT("5.1.0", 501);
	INT("5.2.0", 3);
	INT("5.3.1.2.1", 231);
	/* upsAlarm: none */
	expect_int(__LINE__, "6.1.0", MIB_GAUGE32, 0);
	/* upsTest, upsControl */
	expect_oid(__LINE__, "7.1.0", ".1.3.6.1.2.1.33.1.7.7.1");
	INT("7.3.0", 6);
	INT("8.2.0", -1);
	INT("8.5.0", 1);
	/* upsConfig: V, 0.1 Hz, VA, W */
	INT("9.1.0", 400);
	INT("9.2.0", 500);
	INT("9.3.0", 230);
	INT("9.4.0", 500);
	INT("9.5.0", 10000);
	INT("9.6.0", 9000);
	ABSENT("9.7.0");
	/* MIB-II system */
	expect_str(__LINE__, ".1.3.6.1.2.1.1.1.0", "upsgate " PACKAGE_VERSION " on MASTERYS 3/3 UPS");
	expect_oid(__LINE__, ".1.3.6.1.2.1.1.2.0", ".1.3.6.1.4.1.4555.1.1.1");
	expect_int(__LINE__, ".1.3.6.1.2.1.1.3.0", MIB_TIMETICKS, 360000);
	expect_str(__LINE__, ".1.3.6.1.2.1.1.5.0", "upsgate");
	INT(".1.3.6.1.2.1.1.7.0", 72);
	snapshot_unref(s);
}

static void test_on_battery_low(void)
{
	struct snapshot *s = ups();
	struct level_data *l = &s->levels[0];
	struct mib_source src = source(s);

	l->flags |= 1ULL << FLAG_ON_BATTERY;
	l->d.output_source = OUTPUT_BATTERY;
	l->d.battery_status = BATTERY_LOW;
	l->meas[MEAS_BATTERY_RUNTIME] = 0.2;
	l->meas[MEAS_BATTERY_V_POS] = NAN;
	l->meas[MEAS_BATTERY_V_NEG] = -380.5;
	src.on_battery_since = 1700000100 - 75;
	build(&src);
	INT("4.1.0", 5);
	INT("2.1.0", 3);
	INT("2.2.0", 75);
	INT("2.3.0", 1);                /* PositiveInteger: clamped */
	INT("2.5.0", 3805);             /* the (-) string when (+) is not given */
	/* the UPS's own time on battery wins, capped by the agent's uptime */
	l->meas[MEAS_BATTERY_TIME_ON] = 7200;
	s->seq++;
	build(&src);
	INT("2.2.0", 3600);
	l->d.battery_status = BATTERY_DISCHARGED;
	l->d.output_source = OUTPUT_ECO;
	build(&src);
	INT("2.1.0", 4);
	INT("4.1.0", 4);
	snapshot_unref(s);
}

static void test_unavailable(void)
{
	struct snapshot *s = ups();
	struct mib_source src = source(s);

	for (int i = 0; i < _MEAS_COUNT; i++)
		s->levels[0].meas[i] = NAN;
	s->id.phases_in = s->id.phases_out = 0;
	s->id.nominal_kva = NAN;
	build(&src);
	INT("2.1.0", 2);
	ABSENT("2.3.0");
	ABSENT("2.4.0");
	ABSENT("2.5.0");
	ABSENT("2.7.0");
	INT("3.2.0", 1);                /* no phase count, no L2/L3: one line */
	ABSENT("3.3.1.3.1");
	ABSENT("5.1.0");                /* no bypass measurement: no group */
	ABSENT("5.2.0");
	ABSENT("9.5.0");
	/* communication lost: states unknown, measurements gone */
	s->comm = COMM_LOST;
	build(&src);
	INT("2.1.0", 1);
	INT("4.1.0", 1);
	ABSENT("2.2.0");
	ABSENT("3.2.0");
	/* before the first snapshot */
	src.snap = NULL;
	build(&src);
	INT("2.1.0", 1);
	expect_str(__LINE__, "1.2.0", "");
	expect_str(__LINE__, ".1.3.6.1.2.1.1.1.0", "upsgate " PACKAGE_VERSION " on a device not identified yet");
	snapshot_unref(s);
}

static void test_data_unit(void)
{
	struct snapshot *s = ups();
	struct mib_source src = source(s);
	struct level_data *u2 = &s->levels[2];

	s->n_levels = 3;
	s->levels[1] = s->levels[0];
	s->levels[1].kind = LEVEL_UNIT;
	s->levels[1].unit = 1;
	*u2 = s->levels[0];
	u2->kind = LEVEL_UNIT;
	u2->unit = 2;
	u2->meas[MEAS_BATTERY_CHARGE] = 55;
	u2->meas[MEAS_OUTPUT_V_L1] = 221;
	src.data_unit = 2;
	build(&src);
	INT("2.4.0", 55);
	INT("4.4.1.2.1", 221);
	src.data_unit = 0;
	build(&src);
	INT("2.4.0", 87);
	src.data_unit = 5;              /* no such unit: no unit-level data */
	build(&src);
	INT("2.1.0", 1);
	ABSENT("2.4.0");
	snapshot_unref(s);
}

static void test_alarms(void)
{
	struct snapshot *s = ups();
	struct mib_source src = source(s);
	struct event a[4] = { 0 };

	a[0].def = event_find("vumap.A027");    /* battery alarm -> BatteryBad (1) */
	a[0].seq = 1;
	a[0].time.tv_sec = 1699999000;          /* before the agent started */
	a[1].def = event_find("vumap.A020");    /* also BatteryBad: no second row */
	a[1].seq = 2;
	a[1].time.tv_sec = 1700000050;
	a[2].def = event_find("vumap.A018");    /* LowBattery (3) */
	a[2].seq = 3;
	a[2].time = (struct timespec){ 1700000012, 500000000 };
	a[3].def = event_find("vumap.A001");    /* Overload, but on unit 2 */
	a[3].seq = 4;
	a[3].unit = 2;
	CHECK(a[0].def && a[1].def && a[2].def && a[3].def, "catalogue codes");
	src.active = a;
	src.n_active = 4;
	build(&src);
	expect_int(__LINE__, "6.1.0", MIB_GAUGE32, 2);
	expect_oid(__LINE__, "6.2.1.2.1", ".1.3.6.1.2.1.33.1.6.3.1");
	expect_int(__LINE__, "6.2.1.3.1", MIB_TIMETICKS, 0);
	ABSENT("6.2.1.2.2");
	expect_oid(__LINE__, "6.2.1.2.3", ".1.3.6.1.2.1.33.1.6.3.3");
	expect_int(__LINE__, "6.2.1.3.3", MIB_TIMETICKS, 1250);
	ABSENT("6.2.1.2.4");
	src.data_unit = 2;
	s->n_levels = 3;
	s->levels[2] = s->levels[0];
	s->levels[2].kind = LEVEL_UNIT;
	s->levels[2].unit = 2;
	build(&src);
	expect_oid(__LINE__, "6.2.1.2.4", ".1.3.6.1.2.1.33.1.6.3.8");
	expect_int(__LINE__, "6.1.0", MIB_GAUGE32, 1);
	snapshot_unref(s);
}

static void test_sts_and_walk(void)
{
	struct snapshot *s = ups();
	struct mib_source src = source(s);
	mib_oid upsmib[] = { 1, 3, 6, 1, 2, 1, 33 };
	struct mib_name root = { .len = 7 }, next, cur = { .len = 7 };
	const struct mib_value *v;
	size_t n = 0;

	memcpy(root.id, upsmib, sizeof(upsmib));
	memcpy(cur.id, upsmib, sizeof(upsmib));
	build(&src);
	/* a walk visits every object once, in increasing order */
	while ((v = mib_view_next(view, cur.id, cur.len, &root, &next))) {
		CHECK(next.len > 7, "walk stays below the root");
		cur = next;
		n++;
	}
	CHECK(n > 50, "UPS-MIB walk: %zu objects", n);
	s->id.map = MAP_STS;
	build(&src);
	CHECK(!mib_view_next(view, upsmib, 7, &root, &next), "no UPS-MIB for an STS");
	snapshot_unref(s);
}

static void test_system_sets(void)
{
	struct manager m = { .settings = settings };
	struct snmp_ctx ctx = { .m = &m };
	struct mib_value v = { .type = MIB_OCTETS };
	struct mib_name name = { .len = 0 };
	const char *why = NULL;

	v.len = (size_t)snprintf(v.s, sizeof(v.s), "ops@example.org");
	CHECK(mib_set_system_contact.check(&ctx, &name, &v, &why) == 0, "contact accepted");
	memset(v.s, 'x', 100);
	v.len = 100;
	CHECK(mib_set_system_contact.check(&ctx, &name, &v, &why) == -EMSGSIZE, "too long");
	v.len = (size_t)snprintf(v.s, sizeof(v.s), "bad\nline");
	CHECK(mib_set_system_location.check(&ctx, &name, &v, &why) == -EINVAL && why,
	      "control characters refused");
	CHECK(mib_set_system_name.type == MIB_OCTETS, "sysName is a string");
}

int main(void)
{
	CHECK(settings_new_defaults(&settings) == 0, "defaults");
	test_normal();
	test_on_battery_low();
	test_unavailable();
	test_data_unit();
	test_alarms();
	test_sts_and_walk();
	test_system_sets();
	mib_view_free(view);
	settings_free(settings);
	printf("%s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}

/* The Socomec MIB builders (NET VISION 7, legacy NetVision, STS) on
 * crafted snapshots: JBUSP single, on battery with alarms, values not
 * managed, VU-MAP parallel with Data Unit Selection, communication lost,
 * STS; the writable objects' checks. With --list, prints every instance
 * OID of every case instead (tests/unit/test-mibs.sh resolves them with
 * snmptranslate and the MIB files of share/mibs). */
#include <errno.h>

#include "snmp/mib.c"
#include "snmp/agent.h"

#include "maps-test.h"

static struct tap t;
static bool listing;

const struct mib_module mib_builders[] = {
	{ "netvision", mib_build_netvision },
	{ "sts", mib_build_sts },
	{ NULL, NULL },
};

const struct mib_root mib_roots[] = {
	{ "netvision", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7 }, 10 },
	{ "netvision-legacy", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 1 }, 10 },
	{ "sts", { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 10 }, 10 },
	{ NULL, { 0 }, 0 },
};

/* "1.3.6.1.4.1.4555.1.1.7.1.2.4.0" -> the value there, or NULL. */
static const struct mib_value *get(const struct mib_view *v, const char *dotted)
{
	mib_oid name[MIB_OID_MAX];
	size_t len = 0;
	char *end;

	for (const char *p = dotted; *p && len < MIB_OID_MAX; p = *end ? end + 1 : end)
		name[len++] = (mib_oid)strtoul(p, &end, 10);
	return mib_view_get(v, name, len, NULL);
}

static long long get_int(const struct mib_view *v, const char *dotted)
{
	const struct mib_value *x = get(v, dotted);

	return x ? x->i : -999999;
}

#define NV7 "1.3.6.1.4.1.4555.1.1.7.1."
#define LEG "1.3.6.1.4.1.4555.1.1.1.1."
#define STS "1.3.6.1.4.1.4555.1.1.10.1."

static size_t count_under(const struct mib_view *v, const char *root_dotted)
{
	struct mib_name root = { .len = 0 }, next;
	mib_oid cur[MIB_OID_MAX];
	size_t len, n = 0;
	char *end;

	for (const char *p = root_dotted; *p; p = *end ? end + 1 : end)
		root.id[root.len++] = (mib_oid)strtoul(p, &end, 10);
	memcpy(cur, root.id, root.len * sizeof(mib_oid));
	len = root.len;
	while (mib_view_next(v, cur, len, &root, &next)) {
		memcpy(cur, next.id, next.len * sizeof(mib_oid));
		len = next.len;
		n++;
	}
	return n;
}

static void list_view(const struct mib_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		for (size_t k = 0; k < v->entries[i].name.len; k++)
			printf(".%u", (unsigned)v->entries[i].name.id[k]);
		printf("\n");
	}
}

/* Every instance lies under a registered root; the view builds (no
 * duplicate OID). */
static struct mib_view *build(const struct mib_source *src, const char *what)
{
	struct mib_view *v = NULL;
	int r = mib_view_build(&v, src);

	if (listing) {
		if (v)
			list_view(v);
		return v;
	}
	tap_int(&t, r, 0, "%s: view builds", what);
	for (size_t i = 0; v && i < v->n; i++) {
		const struct mib_name *n = &v->entries[i].name;
		bool under = false;

		for (const struct mib_root *root = mib_roots; root->name && !under; root++)
			under = mib_name_under(n->id, n->len, root->id, root->len);
		if (!under)
			CHECK(&t, false, "%s: instance %zu outside the roots", what, i);
	}
	return v;
}

static struct snapshot *ups(enum ups_map map, unsigned phases)
{
	struct snapshot *s = snapshot_new();
	struct level_data *l = &s->levels[0];

	s->comm = COMM_OK;
	s->baud = 9600;
	s->id.map = map;
	s->id.phases_in = s->id.phases_out = (uint8_t)phases;
	snprintf(s->id.range, sizeof(s->id.range), "MASTERYS 3/3 UPS");
	snprintf(s->id.serial, sizeof(s->id.serial), "AB12345678");
	s->id.firmware = 210;
	s->id.nominal_kva = 60;
	s->topo.kind = TOPO_SINGLE;
	s->n_levels = 1;
	l->present = l->valid = true;
	l->meas[MEAS_BATTERY_CHARGE] = 87;
	l->meas[MEAS_BATTERY_RUNTIME] = 12.4;
	l->meas[MEAS_BATTERY_V_POS] = 432.1;
	l->meas[MEAS_INPUT_FREQ] = 49.96;
	l->meas[MEAS_OUTPUT_FREQ] = 50.0;
	for (unsigned p = 0; p < 3; p++) {
		l->meas[MEAS_INPUT_V_L1 + p] = 229.6 + p;
		l->meas[MEAS_OUTPUT_V_L1 + p] = 230.0 + p;
		l->meas[MEAS_OUTPUT_I_L1 + p] = 10.5 + p;
		l->meas[MEAS_OUTPUT_LOAD_L1 + p] = 41 + p;
	}
	l->d.output_source = OUTPUT_INVERTER;
	l->d.ups_status = UPS_STATUS_ON_INVERTER;
	l->d.battery_status = BATTERY_OK;
	return s;
}

static struct settings *defaults(void)
{
	struct settings *s = NULL;

	if (settings_new_defaults(&s) < 0)
		abort();
	return s;
}

static void check_jbusp_single(struct settings *set)
{
	struct snapshot *s = ups(MAP_JBUSP, 3);
	struct mib_source src = { .snap = s, .settings = set };
	struct mib_view *v = build(&src, "JBUSP single");
	const struct mib_value *x;

	if (!listing && v) {
		x = get(v, NV7 "1.1.0");
		CHECK(&t, x && x->type == MIB_OCTETS && !strcmp(x->s, "MASTERYS 3/3 UPS"), "model");
		tap_int(&t, get_int(v, NV7 "2.4.0"), 87, "upsEstimatedChargeRemaining");
		tap_int(&t, get_int(v, NV7 "2.3.0"), 12, "upsEstimatedMinutesRemaining");
		tap_int(&t, get_int(v, NV7 "2.5.0"), 4321, "upsBatteryVoltage in 0.1 V");
		tap_int(&t, get_int(v, NV7 "2.6.0"), -1, "battery temperature not managed: -1");
		tap_int(&t, get_int(v, NV7 "2.1.0"), 2, "upsBatteryStatus batteryNormal");
		tap_int(&t, get_int(v, NV7 "3.2.0"), 500, "upsInputFrequency 49.96 Hz in 0.1 Hz");
		tap_int(&t, get_int(v, NV7 "3.3.1.2.3"), 2316, "upsInputVoltage line 3");
		tap_int(&t, get_int(v, NV7 "4.1.0"), 3, "upsOutputSource onInverter");
		tap_int(&t, get_int(v, NV7 "4.4.1.4.2"), 42, "upsOutputPercentLoad line 2");
		tap_int(&t, get_int(v, NV7 "8.1.0"), 600, "upsConfigNomKva in 0.1 kVA");
		tap_int(&t, get_int(v, NV7 "8.2.0"), 1, "upsConfigNbrUnit of a single UPS");
		tap_int(&t, get_int(v, NV7 "6.1.0"), 0, "no alarm");
		tap_int(&t, (long)count_under(v, NV7 "6.2"), 0, "empty alarm table");
		tap_int(&t, (long)count_under(v, NV7 "7.4.1.1"), 9, "nine shutdown events");
		tap_int(&t, (long)count_under(v, NV7 "7.5.1.1"), 7, "seven weekly schedules");
		tap_int(&t, get_int(v, NV7 "7.1.0"), -1, "upsControlStatusControl reads -1");
		tap_int(&t, get_int(v, NV7 "9.16.0"), 2, "upsAgentRestart reads nothing(2)");
		tap_int(&t, get_int(v, NV7 "10.1.0"), -1, "no EMD");
		tap_int(&t, get_int(v, NV7 "9.11.0"), 9600, "upsAgentBaudRate");
		x = get(v, NV7 "9.1.0");
		CHECK(&t, x && x->type == MIB_IPADDRESS && x->len == 4, "upsAgentIpaddress");
		x = get(v, LEG "1.2.0");
		CHECK(&t, x && !strcmp(x->s, "2.10"), "legacy firmware version");
		x = get(v, LEG "1.4.0");
		CHECK(&t, x && !strcmp(x->s, "AB12345678"), "legacy serial");
		tap_int(&t, get_int(v, LEG "4.1.0"), 3, "legacy upsOutputSource normal(3): NUT OL");
		tap_int(&t, get_int(v, LEG "3.3.1.5.1"), 2296, "legacy input voltage NUT reads");
		tap_int(&t, get_int(v, LEG "6.3.2.0"), 0, "legacy upsAlarmOnBattery 0: NUT OL");
		tap_int(&t, (long)count_under(v, STS), 0, "no STS tree for a UPS");
		CHECK(&t, get(v, NV7 "3.3.1.2.4") == NULL, "no 4th input line");
	}
	mib_view_free(v);
	snapshot_unref(s);
}

static const struct event_def *def_with(unsigned wellknown, unsigned rfc)
{
	for (size_t i = 0; i < event_catalogue_size; i++)
		if ((wellknown && event_catalogue[i].wellknown == wellknown) ||
		    (rfc && event_catalogue[i].rfc1628 == rfc))
			return &event_catalogue[i];
	return NULL;
}

static void check_on_battery(struct settings *set)
{
	struct snapshot *s = ups(MAP_VUMAP, 1);
	struct level_data *l = &s->levels[0];
	struct event active[2] = { 0 };
	struct mib_source src = {
		.snap = s, .settings = set, .active = active, .n_active = 2,
		.uptime_cs = 30000, .started = { .tv_sec = 1700000000 },
		.on_battery_since = 1700000000 + 255,
	};
	struct mib_view *v;
	const struct mib_value *x;
	char name[64];

	l->d.output_source = OUTPUT_BATTERY;
	l->d.battery_status = BATTERY_LOW;
	l->meas[MEAS_BATTERY_TEMP] = 24.5;
	active[0].def = def_with(15, 0);        /* upsAlarmOnBattery (3.15) */
	active[0].active = true;
	active[0].seq = 4;
	active[0].time = (struct timespec){ .tv_sec = 1700000000 + 255 };
	active[1].def = def_with(14, 0);        /* upsAlarmLowBattery (3.14) */
	active[1].active = true;
	active[1].seq = 5;
	active[1].time = (struct timespec){ .tv_sec = 1700000000 + 290 };
	v = build(&src, "on battery");
	if (!listing && v) {
		CHECK(&t, active[0].def && active[1].def, "catalogue has the well-known alarms");
		tap_int(&t, get_int(v, NV7 "2.1.0"), 6, "upsBatteryStatus batteryLow");
		tap_int(&t, get_int(v, NV7 "2.2.0"), 45, "upsSecondsOnBattery");
		tap_int(&t, get_int(v, NV7 "2.6.0"), 245, "upsBatteryTemperature in 0.1 C");
		tap_int(&t, get_int(v, NV7 "6.1.0"), 2, "upsAlarmsPresent");
		x = get(v, NV7 "6.2.1.2.4");
		CHECK(&t, x && x->type == MIB_OBJECT_ID && x->len == 14 && x->oid[13] == 15 &&
		      x->oid[12] == 3 && x->oid[11] == 6, "upsAlarmDescr of id 4 = upsAlarmOnBattery");
		tap_int(&t, get_int(v, NV7 "6.2.1.3.5"), 29000, "upsAlarmTime of id 5");
		tap_int(&t, get_int(v, LEG "4.1.0"), 5, "legacy upsOutputSource battery(5): NUT OB");
		tap_int(&t, get_int(v, LEG "2.1.0"), 3, "legacy upsBatteryStatus batteryLow(3): NUT LB");
		snprintf(name, sizeof(name), LEG "6.3.%u.0", active[0].def ? active[0].def->rfc1628 : 0);
		tap_int(&t, get_int(v, LEG "6.3.2.0"), 1, "legacy upsAlarmOnBattery 1: NUT OB");
		tap_int(&t, get_int(v, name), 1, "the on-battery event is RFC 1628 alarm 2");
		tap_int(&t, (long)count_under(v, NV7 "3.3.1.1"), 1, "one input line");
	}
	mib_view_free(v);
	snapshot_unref(s);
}

/* VU-MAP parallel: Data Unit Selection picks the unit's level (§15.3). */
static void check_parallel(struct settings *set)
{
	struct snapshot *s = ups(MAP_VUMAP, 3);
	struct mib_source src = { .snap = s, .settings = set };
	struct mib_view *v;

	s->topo.kind = TOPO_PARALLEL;
	s->topo.n_units = 2;
	s->n_levels = 3;
	for (unsigned u = 1; u <= 2; u++) {
		struct level_data *l = &s->levels[u];
		l->kind = LEVEL_UNIT;
		l->unit = (uint8_t)u;
		l->present = l->valid = true;
		l->meas[MEAS_BATTERY_CHARGE] = 60 + u;
		l->meas[MEAS_OUTPUT_LOAD] = 20 * u;
		l->d.output_source = u == 2 ? OUTPUT_BYPASS : OUTPUT_INVERTER;
	}
	s->levels[0].meas[MEAS_OUTPUT_LOAD] = 30;
	src.data_unit = 0;
	v = build(&src, "parallel, system");
	if (!listing && v) {
		tap_int(&t, get_int(v, NV7 "2.4.0"), 87, "unit 0: system charge");
		tap_int(&t, get_int(v, NV7 "4.7.0"), 30, "unit 0: system load rate");
		tap_int(&t, get_int(v, NV7 "8.2.0"), 2, "two units");
		tap_int(&t, get_int(v, NV7 "8.3.0"), 300, "unit kVA = system / units");
	}
	mib_view_free(v);
	src.data_unit = 2;
	v = build(&src, "parallel, unit 2");
	if (!listing && v) {
		tap_int(&t, get_int(v, NV7 "2.4.0"), 62, "unit 2: its charge");
		tap_int(&t, get_int(v, NV7 "4.7.0"), 40, "unit 2: its load rate");
		tap_int(&t, get_int(v, NV7 "4.1.0"), 6, "unit 2: onBypass");
		tap_int(&t, get_int(v, LEG "4.1.0"), 4, "unit 2 legacy: bypass(4)");
		tap_int(&t, get_int(v, NV7 "8.2.0"), 2, "identity stays the system's");
	}
	mib_view_free(v);
	src.data_unit = 5;
	v = build(&src, "parallel, unit 5 missing");
	if (!listing && v) {
		tap_int(&t, get_int(v, NV7 "2.4.0"), -1, "missing unit: not managed");
		tap_int(&t, get_int(v, NV7 "4.1.0"), 1, "missing unit: unknown(1)");
		tap_int(&t, get_int(v, NV7 "8.4.0"), -1, "missing unit: remote control unknown");
	}
	mib_view_free(v);
	snapshot_unref(s);
}

static void check_comm_lost(struct settings *set)
{
	struct snapshot *s = ups(MAP_JBUSP, 1);
	struct mib_source src = { .snap = s, .settings = set };
	struct mib_view *v;

	s->comm = COMM_LOST;
	v = build(&src, "communication lost");
	if (!listing && v) {
		tap_int(&t, get_int(v, NV7 "2.4.0"), -1, "comm lost: charge not managed");
		tap_int(&t, get_int(v, NV7 "2.1.0"), 1, "comm lost: battery unknown(1)");
		tap_int(&t, get_int(v, LEG "4.1.0"), 1, "comm lost: legacy other(1)");
	}
	mib_view_free(v);
	src.snap = NULL;
	v = build(&src, "no snapshot yet");
	if (!listing && v)
		tap_int(&t, get_int(v, NV7 "3.1.0"), 0, "no snapshot: no input line");
	mib_view_free(v);
	snapshot_unref(s);
}

static void check_sts(struct settings *set)
{
	struct snapshot *s = ups(MAP_STS, 3);
	struct level_data *l = &s->levels[0];
	struct mib_source src = { .snap = s, .settings = set };
	struct mib_view *v;

	s->id.phases_in = s->id.phases_out = 0;  /* the STS map gives no phases */
	l->meas[MEAS_STS_S1_FREQ] = 50.02;
	l->meas[MEAS_STS_S2_V_L2] = 231.4;
	l->meas[MEAS_OUTPUT_PF_L1] = 0.93;
	l->d.sts_source1 = SOURCE_OK;
	l->d.sts_source2 = SOURCE_OUT_OF_TOLERANCE;
	l->d.sts_preferred = 1;
	l->d.output_source = OUTPUT_STS_S1;
	l->d.ups_status = UPS_STATUS_STS_ON_PREFERRED;
	l->flags |= 1ull << FLAG_STS_SYNCHRONISED;
	v = build(&src, "STS");
	if (!listing && v) {
		tap_int(&t, (long)count_under(v, NV7), 0, "no NET VISION UPS tree for an STS");
		tap_int(&t, (long)count_under(v, LEG), 0, "no legacy UPS tree for an STS");
		tap_int(&t, get_int(v, STS "2.1.0"), 2, "stsSource1Status source1OK");
		tap_int(&t, get_int(v, STS "3.1.0"), 4, "stsSource2Status source2OutTol");
		tap_int(&t, get_int(v, STS "2.2.0"), 2, "source 1 preferred: yes(2)");
		tap_int(&t, get_int(v, STS "3.2.0"), 1, "source 2 preferred: no(1)");
		tap_int(&t, get_int(v, STS "2.3.0"), 500, "stsSource1Frequency in 0.1 Hz");
		tap_int(&t, get_int(v, STS "3.5.1.2.2"), 2314, "stsSource2Voltage line 2");
		tap_int(&t, get_int(v, STS "3.4.0"), 3, "source 2: three lines measured");
		tap_int(&t, get_int(v, STS "2.4.0"), 0, "source 1: no line voltage, no line");
		tap_int(&t, get_int(v, STS "5.5.0"), 3, "output: three lines measured");
		tap_int(&t, get_int(v, STS "4.1.0"), 2, "stsSourceInteraction synchro");
		tap_int(&t, get_int(v, STS "5.1.0"), 2, "load on preferred source");
		tap_int(&t, get_int(v, STS "5.2.0"), 2, "output on switch 1");
		tap_int(&t, get_int(v, STS "5.6.1.7.1"), 93, "power factor in 0.01");
		tap_int(&t, get_int(v, STS "5.6.1.6.1"), -1, "crest factor not managed");
	}
	mib_view_free(v);
	snapshot_unref(s);
}

static int set_status(const struct mib_view *v, const char *dotted, struct mib_value *val,
		      const char **why)
{
	mib_oid name[MIB_OID_MAX];
	struct mib_name n = { .len = 0 };
	const struct mib_set *set = NULL;
	char *end;

	for (const char *p = dotted; *p; p = *end ? end + 1 : end)
		name[n.len++] = (mib_oid)strtoul(p, &end, 10);
	memcpy(n.id, name, n.len * sizeof(mib_oid));
	*why = NULL;
	if (!mib_view_get(v, n.id, n.len, &set) || !set)
		return -EACCES;
	CHECK(&t, set->type == val->type, "%s: SET type", dotted);
	return set->check(NULL, &n, val, why);
}

static void check_sets(struct settings *set)
{
	struct snapshot *s = ups(MAP_JBUSP, 1);
	struct mib_source src = { .snap = s, .settings = set };
	struct mib_view *v = build(&src, "sets");
	struct mib_value text = { .type = MIB_OCTETS }, num = { .type = MIB_INTEGER };
	const char *why;

	if (listing || !v)
		goto done;
	num.i = 2;
	tap_int(&t, set_status(v, NV7 "7.1.0", &num, &why), -ENOTSUP, "control refused");
	CHECK(&t, why && strstr(why, "controls are not available yet"), "control: reason");
	tap_int(&t, set_status(v, NV7 "7.5.1.2.3", &num, &why), -ENOTSUP, "schedule refused");
	tap_int(&t, set_status(v, NV7 "7.4.1.3.1", &num, &why), -ENOTSUP, "shutdown refused");
	text.len = (size_t)snprintf(text.s, sizeof(text.s), "Server room 2");
	tap_int(&t, set_status(v, NV7 "1.8.0", &text, &why), 0, "location accepted");
	text.len = (size_t)snprintf(text.s, sizeof(text.s), "bad\x01");
	tap_int(&t, set_status(v, NV7 "1.7.0", &text, &why), -EINVAL, "control character refused");
	memset(text.s, 'x', 100);
	text.len = 100;
	tap_int(&t, set_status(v, NV7 "1.6.0", &text, &why), -EMSGSIZE, "name too long refused");
	tap_int(&t, set_status(v, NV7 "1.1.0", &text, &why), -EACCES, "model is read-only");
	num.i = 0;
	tap_int(&t, set_status(v, NV7 "9.8.0", &num, &why), -ERANGE, "history interval 0 refused");
	num.i = 30;
	tap_int(&t, set_status(v, NV7 "9.8.0", &num, &why), 0, "history interval 30 s accepted");
	num.i = 5;
	tap_int(&t, set_status(v, NV7 "9.16.0", &num, &why), -EINVAL, "restart(5) refused");
	num.i = 2;
	tap_int(&t, set_status(v, NV7 "9.16.0", &num, &why), 0, "restart nothing(2) accepted");
done:
	mib_view_free(v);
	snapshot_unref(s);
}

int main(int argc, char **argv)
{
	struct settings *set = defaults();

	listing = argc > 1 && strcmp(argv[1], "--list") == 0;
	log_set_max_priority(LOG_CRIT);
	check_jbusp_single(set);
	check_on_battery(set);
	check_parallel(set);
	check_comm_lost(set);
	check_sts(set);
	check_sets(set);
	settings_free(set);
	if (listing)
		return 0;
	printf("1..%d\n", t.n);
	return t.failed ? 1 : 0;
}

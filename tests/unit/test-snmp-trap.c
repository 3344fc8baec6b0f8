/* The trap sender's pure parts: the generated table, the receivers from
 * the settings, the rules an event goes through, the filters, the
 * on-battery repeat (with our own clock), alarm ids and varbinds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "snmp/tab_traps.c"
#include "snmp/trap_config.c"
#include "snmp/trap_rules.c"
#include "snmp/trap_varbind.c"

#define SEC 1000000ULL

static const struct trap_def *nv(unsigned n)
{
	return trap_def_find(TRAP_MIB_NV, n);
}

static void test_table(void)
{
	static const struct { enum trap_mib mib; unsigned n; const char *name; } named[] = {
		{ TRAP_MIB_NV, NVTRAP_ON_BATTERY, "upsTrapOnBattery" },
		{ TRAP_MIB_NV, NVTRAP_TEST_COMPLETED, "upsTrapTestCompleted" },
		{ TRAP_MIB_NV, NVTRAP_ALARM_ADDED, "upsTrapAlarmEntryAdded" },
		{ TRAP_MIB_NV, NVTRAP_ALARM_REMOVED, "upsTrapAlarmEntryRemoved" },
		{ TRAP_MIB_NV, NVTRAP_COMM_LOST, "upsTrapCommunicationLost" },
		{ TRAP_MIB_NV, NVTRAP_ON_BATTERY_POWER, "upsTrapOnBatteryPower" },
		{ TRAP_MIB_NV, NVTRAP_PREVENTIVE, "upsTrapUpsPreventiveAlarm" },
		{ TRAP_MIB_NV, NVTRAP_POWER_RESTORED, "upsTrapPowerRestored" },
		{ TRAP_MIB_NV, NVTRAP_ALARM_CANCELLED, "upsTrapAlarmCancelled" },
		{ TRAP_MIB_NV, NVTRAP_COM_ESTABLISHED, "upsTrapComEstablished" },
		{ TRAP_MIB_NV, NVTRAP_TEST, "TRAP TEST" },
		{ TRAP_MIB_STS, STSTRAP_GENERAL_ALARM, "stsTrapGeneralAlarm" },
		{ TRAP_MIB_STS, STSTRAP_ALARM_CANCELLED, "stsTrapAlarmCancelled" },
		{ TRAP_MIB_RFC1628, 1, "upsTrapOnBattery" },
		{ TRAP_MIB_RFC1628, 2, "upsTrapTestCompleted" },
		{ TRAP_MIB_RFC1628, 3, "upsTrapAlarmEntryAdded" },
		{ TRAP_MIB_RFC1628, 4, "upsTrapAlarmEntryRemoved" },
	};
	size_t count[_TRAP_MIB_COUNT] = { 0 };

	for (size_t i = 0; i < trap_table_size; i++) {
		const struct trap_def *d = &trap_table[i];

		count[d->mib]++;
		CHECK(d->oid_len == d->enterprise_len + 2 &&
		      memcmp(d->oid, d->enterprise, d->enterprise_len * sizeof(mib_oid)) == 0 &&
		      d->oid[d->enterprise_len] == 0 && d->oid[d->enterprise_len + 1] == d->specific,
		      "%s: v2 OID is enterprise.0.specific (RFC 3584)", d->name);
		CHECK(d->level >= LEVEL_INFO && d->level <= LEVEL_CRITICAL, "%s: level", d->name);
		CHECK(d->varbinds[0] != NULL, "%s: carries at least one object", d->name);
		CHECK(i == 0 || trap_table[i - 1].mib < d->mib ||
		      (trap_table[i - 1].mib == d->mib && trap_table[i - 1].number < d->number),
		      "table sorted at %s", d->name);
	}
	CHECK(count[TRAP_MIB_NV] == 40, "40 NET VISION traps (%zu)", count[TRAP_MIB_NV]);
	CHECK(count[TRAP_MIB_STS] == 8, "8 STS traps (%zu)", count[TRAP_MIB_STS]);
	CHECK(count[TRAP_MIB_RFC1628] == 4, "4 RFC1628 traps (%zu)", count[TRAP_MIB_RFC1628]);
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		const struct trap_def *d = trap_def_find(named[i].mib, named[i].n);
		CHECK(d && strcmp(d->name, named[i].name) == 0, "trap %u is %s (%s)", named[i].n,
		      named[i].name, d ? d->name : "none");
	}
	CHECK(trap_def_find(TRAP_MIB_NV, 41) == NULL && trap_def_find(TRAP_MIB_STS, 9) == NULL,
	      "no trap past the tables");
	/* Levels as §15.8.1 lists them (the filter's source). */
	CHECK(nv(1)->level == LEVEL_WARNING, "trap 1 is a warning (§15.8.1)");
	CHECK(nv(2)->level == LEVEL_INFO, "trap 2 is information (§15.8.1)");
	CHECK(nv(5)->level == LEVEL_CRITICAL && nv(22)->level == LEVEL_INFO &&
	      nv(40)->level == LEVEL_INFO, "traps 5, 22, 40 levels");
	CHECK(trap_def_find(TRAP_MIB_STS, 1)->level == LEVEL_CRITICAL, "STS SEVERE is critical");
	/* Varbinds. */
	const struct trap_def *rfc1 = trap_def_find(TRAP_MIB_RFC1628, 1);
	static const mib_oid low_batt[] = { 1, 3, 6, 1, 2, 1, 33, 1, 9, 7 };
	CHECK(rfc1->varbinds[2] && rfc1->varbinds[2]->len == 10 &&
	      memcmp(rfc1->varbinds[2]->oid, low_batt, sizeof(low_batt)) == 0 && !rfc1->varbinds[3],
	      "RFC1628 upsTrapOnBattery carries upsConfigLowBattTime last");
	static const mib_oid nv_minutes[] = { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7, 1, 2, 3 };
	CHECK(memcmp(nv(1)->varbinds[0]->oid, nv_minutes, sizeof(nv_minutes)) == 0 &&
	      nv(1)->varbinds[1] && !nv(1)->varbinds[2], "NV trap 1: minutes remaining, seconds on battery");
	CHECK(nv(3)->varbinds[0]->kind == TVB_ALARM_ID && nv(3)->varbinds[1]->kind == TVB_ALARM_DESCR,
	      "NV trap 3: upsAlarmId, upsAlarmDescr");
	CHECK(nv(12)->varbinds[0]->kind == TVB_TEXT, "NV trap 12: upsAgentTrapString");
	CHECK(trap_alarm_trees[TRAP_MIB_NV].on_battery == 15 &&
	      trap_alarm_trees[TRAP_MIB_RFC1628].on_battery == 2 &&
	      trap_alarm_trees[TRAP_MIB_RFC1628].test_in_progress == 24, "alarm trees");
}

static void test_events_parse(void)
{
	static const char *const bad[] = { "0", "41", "3,,4", "a", "1234", "3 4", ",", "3,", "-1" };
	uint64_t bits = 0;

	CHECK(event_traps_parse("3, 4,15 ,40", &bits) == 0 &&
	      bits == ((1ULL << 3) | (1ULL << 4) | (1ULL << 15) | (1ULL << 40)), "list parsed");
	CHECK(event_traps_parse("", &bits) == 0 && bits == 0, "empty list");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char conf[256];
		struct settings *s = NULL;
		FILE *err = fopen("/dev/null", "w");

		CHECK(event_traps_parse(bad[i], &bits) == -EINVAL, "\"%s\" refused", bad[i]);
		snprintf(conf, sizeof(conf), "snmp = { receivers = ( { address = \"192.0.2.1\"; "
			 "filter = \"events\"; events = \"%s\"; } ); };\n", bad[i]);
		CHECK(settings_load_text(conf, strlen(conf), "t", err, &s) == -EINVAL,
		      "settings refuse events \"%s\"", bad[i]);
		settings_free(s);
		fclose(err);
	}
}

static struct settings *load(const char *text, char *errors, size_t len)
{
	struct settings *s = NULL;
	FILE *err = fmemopen(errors, len, "w");

	memset(errors, 0, len);
	settings_load_text(text, strlen(text), "t", err, &s);
	fclose(err);
	return s;
}

static void test_receivers(void)
{
	char errors[1024];
	struct trap_receiver r[TRAP_MAX_RECEIVERS];
	struct settings *s = load(
		"snmp = { receivers = (\n"
		" { address = \"192.0.2.1\"; type = \"rfc1628\"; version = \"v1\"; community = \"c1\"; },\n"
		" { address = \"nms.example\"; port = 27162; version = \"v3\"; user = \"bob\"; inform = true;"
		"   filter = \"severity\"; severity = \"critical\"; },\n"
		" { address = \"::1\"; type = \"none\"; filter = \"events\"; events = \"15,23\"; } ); };\n",
		errors, sizeof(errors));

	CHECK(s != NULL, "three receivers load (%s)", errors);
	if (!s)
		return;
	CHECK(trap_receivers_load(s, r, TRAP_MAX_RECEIVERS) == 3, "three receivers");
	CHECK(r[0].index == 1 && strcmp(r[0].address, "192.0.2.1") == 0 && r[0].port == 162 &&
	      r[0].type == TRAP_TYPE_RFC1628 && r[0].version == TRAP_V1 &&
	      strcmp(r[0].community, "c1") == 0 && r[0].filter == TRAP_FILTER_NONE && !r[0].inform,
	      "receiver 1");
	CHECK(r[1].index == 2 && r[1].port == 27162 && r[1].type == TRAP_TYPE_NETVISION &&
	      r[1].version == TRAP_V3 && strcmp(r[1].user, "bob") == 0 && r[1].inform &&
	      r[1].filter == TRAP_FILTER_SEVERITY && r[1].severity == LEVEL_CRITICAL, "receiver 2");
	CHECK(r[2].type == TRAP_TYPE_NONE && r[2].filter == TRAP_FILTER_EVENTS &&
	      r[2].events == ((1ULL << 15) | (1ULL << 23)), "receiver 3");
	settings_free(s);

	static const struct { const char *conf, *why; } refused[] = {
		{ "{ address = \"192.0.2.1\"; version = \"v1\"; inform = true; }", "inform needs" },
		{ "{ address = \"192.0.2.1\"; version = \"v3\"; }", "needs user" },
		{ "{ address = \"192.0.2.1\"; filter = \"events\"; }", "needs events" },
		{ "{ address = \"192.0.2.1\"; type = \"rfc\"; }", "type" },
		{ "{ address = \"192.0.2.1\"; port = 0; }", "port" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char conf[512];

		snprintf(conf, sizeof(conf), "snmp = { receivers = ( %s ); };\n", refused[i].conf);
		s = load(conf, errors, sizeof(errors));
		CHECK(!s && strstr(errors, refused[i].why), "refused: %s (%s)", refused[i].conf, errors);
		settings_free(s);
	}
}

/* ---- rules ------------------------------------------------------------ */

struct got {
	char text[512];
};

static void notes_text(struct got *g, const struct trap_note *n, size_t count)
{
	static const char *const mibs[] = { "nv", "sts", "rfc" };
	size_t off = 0;

	g->text[0] = '\0';
	for (size_t i = 0; i < count && off < sizeof(g->text); i++) {
		int k = snprintf(g->text + off, sizeof(g->text) - off, "%s%s%u", i ? " " : "",
				 mibs[n[i].def->mib], n[i].def->number);
		if (n[i].alarm && k > 0 && (size_t)k < sizeof(g->text) - off)
			k += snprintf(g->text + off + k, sizeof(g->text) - off - k, "/%u", n[i].alarm);
		off += k > 0 ? (size_t)k : 0;
	}
}

static struct trap_note notes[32];
static size_t n_notes;

static void fire(struct trap_state *st, const char *code, bool active, bool sts, uint64_t now,
		 struct got *g)
{
	struct event e = { .def = event_find(code), .active = active };

	CHECK(e.def != NULL, "event %s in the catalogue", code);
	if (!e.def)
		return;
	e.time.tv_sec = 1700000000;
	n_notes = trap_rules(st, &e, sts, now, notes, 32);
	notes_text(g, notes, n_notes);
}

#define EXPECT(st, code, active, want) do { \
	struct got g_; \
	fire(st, code, active, false, now, &g_); \
	CHECK(strcmp(g_.text, want) == 0, "%s %s: want \"%s\", got \"%s\"", code, \
	      active ? "raised" : "cleared", want, g_.text); \
} while (0)

static void test_rules_acfail(void)
{
	struct trap_state st;
	uint64_t now = 1000 * SEC;

	trap_state_init(&st);
	/* The simulator's AC failure on JBUSP (tests/integration/events-acfail.py). */
	EXPECT(&st, "jbusp.A00", true, "nv19 nv3/11 rfc3/18");
	EXPECT(&st, "jbusp.A05", true, "nv3/22 rfc3/6");
	EXPECT(&st, "jbusp.A06", true, "nv3/30");
	/* On battery: trap 1 and RFC1628 upsTrapOnBattery, the specific trap
	 * 15 once; RFC 1628 adds no alarm entry for upsAlarmOnBattery. */
	EXPECT(&st, "jbusp.S05", true, "nv1 rfc1 nv15");
	CHECK(st.on_battery && st.on_battery_since == 1700000000, "on battery since the event");
	EXPECT(&st, "ups.status.on_inverter", false, "");
	/* The return. */
	EXPECT(&st, "jbusp.A00", false, "nv4/11 rfc4/18 nv24");
	EXPECT(&st, "jbusp.A05", false, "nv4/22 rfc4/6");
	EXPECT(&st, "jbusp.A06", false, "nv4/30");
	EXPECT(&st, "jbusp.S05", false, "nv4/15 rfc4/2 nv23");
	CHECK(!st.on_battery, "off battery");
	EXPECT(&st, "ups.status.on_inverter", true, "nv22");
	/* The same on VU-MAP. */
	EXPECT(&st, "vumap.A019", true, "nv1 rfc1 nv15");
	EXPECT(&st, "vumap.A019", true, "nv15");
	EXPECT(&st, "vumap.A019", false, "nv4/15 rfc4/2 nv23");
}

static void test_rules_other(void)
{
	struct trap_state st;
	uint64_t now = 5 * SEC;
	struct got g;

	trap_state_init(&st);
	EXPECT(&st, "gw.comm_lost", true, "nv14 nv3/58 rfc3/20");
	EXPECT(&st, "gw.comm_restored", true, "nv4/58 rfc4/20 nv25");
	EXPECT(&st, "ups.status.battery_test", true, "");
	EXPECT(&st, "ups.status.battery_test", false, "nv2 rfc2");
	EXPECT(&st, "ups.status.autotest", true, "");
	EXPECT(&st, "ups.status.autotest", false, "nv2 rfc2");
	EXPECT(&st, "jbusp.A62", true, "nv12 nv3/28");
	EXPECT(&st, "gw.emd_temp_high", true, "nv30");
	EXPECT(&st, "gw.config_changed", true, "");
	EXPECT(&st, "sts.A031", true, "");
	/* Unit-level events make no trap (§15.3: traps at system level). */
	struct event e = { .def = event_find("jbusp.A02"), .active = true, .unit = 2 };
	CHECK(trap_rules(&st, &e, false, now, notes, 32) == 0, "unit events make no trap");
	/* On an STS, STS traps only. */
	fire(&st, "sts.A031", true, true, now, &g);
	CHECK(strcmp(g.text, "sts7") == 0, "STS general alarm: %s", g.text);
	fire(&st, "sts.A031", false, true, now, &g);
	CHECK(strcmp(g.text, "sts8") == 0, "STS alarm cancelled: %s", g.text);
	fire(&st, "sts.S018", true, true, now, &g);
	CHECK(strcmp(g.text, "sts4") == 0, "STS on alternate source: %s", g.text);
	fire(&st, "gw.comm_lost", true, true, now, &g);
	CHECK(strcmp(g.text, "") == 0, "no UPS trap from an STS: %s", g.text);
	/* A small output buffer is never overrun. */
	struct event a00 = { .def = event_find("jbusp.A00"), .active = true };
	CHECK(trap_rules(&st, &a00, false, now, notes, 1) == 1, "output capped");
}

static void test_repeat(void)
{
	struct trap_state st;
	struct got g;
	uint64_t t0 = 100 * SEC;

	trap_state_init(&st);
	CHECK(trap_repeat_wait(&st, t0) == UINT64_MAX, "no repeat off battery");
	CHECK(trap_repeat_due(&st, t0 + 3600 * SEC, notes, 32) == 0, "nothing due off battery");
	fire(&st, "jbusp.S05", true, false, t0, &g);
	CHECK(trap_repeat_wait(&st, t0) == 60 * SEC, "next in a minute");
	CHECK(trap_repeat_due(&st, t0 + 60 * SEC - 1, notes, 32) == 0, "not before the minute");
	n_notes = trap_repeat_due(&st, t0 + 60 * SEC, notes, 32);
	notes_text(&g, notes, n_notes);
	CHECK(strcmp(g.text, "nv1 rfc1") == 0, "the minute repeat: %s", g.text);
	CHECK(trap_repeat_due(&st, t0 + 60 * SEC, notes, 32) == 0, "once per minute");
	CHECK(trap_repeat_wait(&st, t0 + 61 * SEC) == 59 * SEC, "on the minute grid");
	CHECK(trap_repeat_due(&st, t0 + 120 * SEC + 5, notes, 32) == 2, "second repeat, a bit late");
	CHECK(trap_repeat_wait(&st, t0 + 120 * SEC + 5) == 60 * SEC - 5, "grid kept");
	/* A stall of several minutes sends one trap, not a burst. */
	CHECK(trap_repeat_due(&st, t0 + 400 * SEC, notes, 32) == 2, "after a stall");
	CHECK(trap_repeat_due(&st, t0 + 400 * SEC, notes, 32) == 0, "no burst");
	CHECK(trap_repeat_wait(&st, t0 + 400 * SEC) == 60 * SEC, "new grid from now");
	fire(&st, "jbusp.S05", false, false, t0 + 410 * SEC, &g);
	CHECK(trap_repeat_wait(&st, t0 + 410 * SEC) == UINT64_MAX, "repeat ends with the battery");
	CHECK(trap_repeat_due(&st, t0 + 460 * SEC, notes, 32) == 0, "nothing after");
}

/* ---- filters ---------------------------------------------------------- */

static struct trap_note note(enum trap_mib mib, unsigned n)
{
	return (struct trap_note){ .def = trap_def_find(mib, n) };
}

static void test_filters(void)
{
	struct trap_receiver all = { .type = TRAP_TYPE_NETVISION };
	struct trap_receiver none = { .type = TRAP_TYPE_NONE };
	struct trap_receiver rfc = { .type = TRAP_TYPE_RFC1628 };
	struct trap_receiver crit = { .type = TRAP_TYPE_NETVISION, .filter = TRAP_FILTER_SEVERITY,
				      .severity = LEVEL_CRITICAL };
	struct trap_receiver warn = crit;
	struct trap_receiver info = crit;
	struct trap_receiver list = { .type = TRAP_TYPE_NETVISION, .filter = TRAP_FILTER_EVENTS,
				      .events = (1ULL << 15) | (1ULL << 23) | (1ULL << 3) };
	struct trap_receiver rfc_list = { .type = TRAP_TYPE_RFC1628, .filter = TRAP_FILTER_EVENTS,
					  .events = 1ULL << 1 };

	warn.severity = LEVEL_WARNING;
	info.severity = LEVEL_INFO;
	for (unsigned n = 1; n <= 40; n++) {
		struct trap_note t = note(TRAP_MIB_NV, n);
		bool alarm = n == 3 || n == 4;

		CHECK(trap_filter_pass(&all, &t, false), "no filter: trap %u", n);
		CHECK(!trap_filter_pass(&none, &t, true), "type none: no trap %u", n);
		CHECK(!trap_filter_pass(&rfc, &t, true), "RFC1628 receiver: no NV trap %u", n);
		CHECK(trap_filter_pass(&crit, &t, false) == (!alarm && t.def->level == LEVEL_CRITICAL),
		      "critical filter, trap %u", n);
		CHECK(trap_filter_pass(&warn, &t, false) == (!alarm && t.def->level >= LEVEL_WARNING),
		      "warning filter, trap %u", n);
		CHECK(trap_filter_pass(&info, &t, false) == !alarm, "information filter, trap %u", n);
		CHECK(trap_filter_pass(&crit, &t, true) == (alarm || t.def->level == LEVEL_CRITICAL),
		      "critical filter with the alarm trap filter, trap %u", n);
		CHECK(trap_filter_pass(&list, &t, false) == (n == 3 || n == 15 || n == 23),
		      "event list, trap %u", n);
	}
	for (unsigned n = 1; n <= 4; n++) {
		struct trap_note t = note(TRAP_MIB_RFC1628, n);
		CHECK(trap_filter_pass(&rfc, &t, false) && !trap_filter_pass(&all, &t, false),
		      "RFC1628 trap %u only to RFC1628 receivers", n);
		CHECK(trap_filter_pass(&rfc_list, &t, false) == (n == 1), "RFC1628 event list %u", n);
	}
	struct trap_note s1 = note(TRAP_MIB_STS, 1), s3 = note(TRAP_MIB_STS, 3);
	struct trap_note s4 = note(TRAP_MIB_STS, 4);
	CHECK(trap_filter_pass(&crit, &s1, false) && !trap_filter_pass(&crit, &s3, false),
	      "STS severities");
	CHECK(trap_filter_pass(&warn, &s4, false) && !trap_filter_pass(&crit, &s4, false),
	      "STS trap 4 is not the alarm-removed trap");
	CHECK(!trap_filter_pass(&rfc, &s1, false), "no STS trap to an RFC1628 receiver");
}

/* ---- alarm ids and varbinds ------------------------------------------- */

static void test_alarm_ids(void)
{
	struct trap_state st;

	trap_state_init(&st);
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 11, true, 0) == 1, "first id");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 22, true, 0) == 2, "second id");
	CHECK(trap_alarm_id(&st, TRAP_MIB_RFC1628, 18, true, 0) == 1, "ids per MIB");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 11, false, 0) == 1, "removed with its id");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 11, true, 7) == 7, "the view's row id");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 30, true, 0) == 8, "new ids after the view's");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 22, false, 0) == 2, "second removed");
	CHECK(trap_alarm_id(&st, TRAP_MIB_NV, 22, false, 0) == 9, "unknown removal gets a new id");
}

static const mib_oid minutes0[] = { 1, 3, 6, 1, 4, 1, 4555, 1, 1, 7, 1, 2, 3, 0 };

static const struct mib_value *lookup(void *ctx, const mib_oid *name, size_t len)
{
	static struct mib_value v = { .type = MIB_INTEGER, .i = 17 };

	(void)ctx;
	if (len == 14 && memcmp(name, minutes0, sizeof(minutes0)) == 0)
		return &v;
	return NULL;
}

/* A fake view: an alarm table of three rows, ids 4, 5, 9. */
static const struct mib_value *next(void *ctx, const mib_oid *name, size_t len,
				    const struct mib_name *root, struct mib_name *out)
{
	static const uint8_t rows[][2] = { { 4, 11 }, { 5, 22 }, { 9, 30 } };
	static struct mib_value v;
	const struct trap_alarm_tree *t = &trap_alarm_trees[TRAP_MIB_NV];

	(void)ctx;
	for (size_t i = 0; i < 3; i++) {
		if (len > root->len && name[root->len] >= rows[i][0])
			continue;
		*out = *root;
		out->id[out->len++] = rows[i][0];
		v.type = MIB_OBJECT_ID;
		memcpy(v.oid, t->base, t->len * sizeof(mib_oid));
		v.oid[t->len] = rows[i][1];
		v.len = t->len + 1;
		return &v;
	}
	return NULL;
}

static void test_varbinds(void)
{
	struct trap_varbind vb[TRAP_MAX_VARBINDS];
	struct trap_note n1 = note(TRAP_MIB_NV, 1);
	struct trap_note n3 = { .def = nv(3), .alarm = 11 };
	struct trap_note n19 = { .def = nv(19), .text = "General Alarm" };
	struct trap_note r3 = { .def = trap_def_find(TRAP_MIB_RFC1628, 3), .alarm = 18 };

	CHECK(trap_varbinds(&n1, 0, lookup, NULL, vb, TRAP_MAX_VARBINDS) == 1 &&
	      vb[0].name.len == 14 && memcmp(vb[0].name.id, minutes0, sizeof(minutes0)) == 0 &&
	      vb[0].value.type == MIB_INTEGER && vb[0].value.i == 17,
	      "trap 1: the view's value; an object the view lacks is left out");
	CHECK(trap_varbinds(&n3, 5, NULL, NULL, vb, TRAP_MAX_VARBINDS) == 2, "trap 3: two varbinds");
	CHECK(vb[0].name.len == 16 && vb[0].name.id[15] == 5 && vb[0].name.id[14] == 1 &&
	      vb[0].value.type == MIB_INTEGER && vb[0].value.i == 5, "upsAlarmId.5 = 5");
	CHECK(vb[1].name.id[14] == 2 && vb[1].name.id[15] == 5 && vb[1].value.type == MIB_OBJECT_ID &&
	      vb[1].value.len == 14 && vb[1].value.oid[12] == 3 && vb[1].value.oid[13] == 11,
	      "upsAlarmDescr.5 = upsWellKnownAlarms.11");
	CHECK(trap_varbinds(&r3, 2, NULL, NULL, vb, TRAP_MAX_VARBINDS) == 2 &&
	      vb[1].value.len == 11 && vb[1].value.oid[6] == 33 && vb[1].value.oid[10] == 18 &&
	      vb[1].name.len == 13 && vb[1].name.id[12] == 2, "RFC1628 upsAlarmDescr.2 = .33.1.6.3.18");
	CHECK(trap_varbinds(&n19, 0, NULL, NULL, vb, TRAP_MAX_VARBINDS) == 1 &&
	      vb[0].value.type == MIB_OCTETS &&
	      strcmp(vb[0].value.s, "The UPS has detected a preventive alarm: General Alarm") == 0 &&
	      vb[0].value.len == strlen(vb[0].value.s), "text varbind: %s", vb[0].value.s);
	CHECK(trap_varbinds(&n3, 5, NULL, NULL, vb, 1) == 1, "output capped");
	CHECK(trap_view_alarm_id(TRAP_MIB_NV, 22, next, NULL) == 5, "view row of alarm 22");
	CHECK(trap_view_alarm_id(TRAP_MIB_NV, 30, next, NULL) == 9, "view row of alarm 30");
	CHECK(trap_view_alarm_id(TRAP_MIB_NV, 15, next, NULL) == 0, "alarm not in the view");
}

int main(void)
{
	test_table();
	test_events_parse();
	test_receivers();
	test_rules_acfail();
	test_rules_other();
	test_repeat();
	test_filters();
	test_alarm_ids();
	test_varbinds();
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}

/* The event detector on scripted snapshot sequences built with the real
 * map tables: AC failure and return, debounce of flapping alarms, comm
 * loss during an alarm, topology and identity changes, restart with a
 * persisted active set, per-unit and per-module alarms. */
#include <errno.h>

#include "core/event.h"
#include "maps-test.h"

#define MAX_EVENTS 64

struct got {
	char code[32];
	bool active;
	uint8_t unit, module;
	enum level level;
	enum event_group group;
};

struct script {
	struct event_bus *bus;
	struct event_detector *d;
	const struct map_def *map;
	struct topology_info topo;
	char serial[24];
	int n;
	struct got ev[MAX_EVENTS];
};

static void on_event(const struct event *e, void *userdata)
{
	struct script *s = userdata;
	struct got *g;

	if (s->n >= MAX_EVENTS)
		return;
	g = &s->ev[s->n++];
	snprintf(g->code, sizeof(g->code), "%s", e->def->code);
	g->active = e->active;
	g->unit = e->unit;
	g->module = e->module;
	g->level = e->def->level;
	g->group = e->def->group;
}

static void script_start(struct script *s, enum ups_map map, double debounce,
			 const struct active_event *active, size_t n_active)
{
	struct detector_config cfg = { .debounce_s = debounce };
	struct event_filter all = { .include_cleared = true };

	memset(s, 0, sizeof(*s));
	s->map = map_get(map);
	s->topo.kind = map == MAP_STS ? TOPO_STS : TOPO_SINGLE;
	snprintf(s->serial, sizeof(s->serial), "SN-0001");
	if (evbus_new(&s->bus) < 0 || evbus_subscribe(s->bus, &all, on_event, s, NULL) < 0 ||
	    evdetect_new(&s->d, s->bus, &cfg, active, n_active) < 0) {
		fprintf(stderr, "cannot set up the detector\n");
		exit(1);
	}
}

static void script_end(struct script *s)
{
	evdetect_free(s->d);
	evbus_free(s->bus);
}

/* A snapshot of the script's device: every present level valid, no bit set. */
static struct snapshot *snap(struct script *s, enum comm_state comm)
{
	struct snapshot *sn = snapshot_new();

	if (!sn)
		abort();
	sn->comm = comm;
	sn->id.map = s->map->id;
	snprintf(sn->id.range, sizeof(sn->id.range), "TEST %s", s->map->name);
	snprintf(sn->id.serial, sizeof(sn->id.serial), "%s", s->serial);
	sn->topo = s->topo;
	sn->n_levels = (uint8_t)topology_levels(&sn->topo, sn->levels, MODEL_MAX_LEVELS);
	for (size_t i = 0; i < sn->n_levels; i++)
		sn->levels[i].valid = comm == COMM_OK && sn->levels[i].present;
	return sn;
}

static struct level_data *level_of(struct snapshot *sn, uint8_t unit, uint8_t module)
{
	for (size_t i = 0; i < sn->n_levels; i++)
		if (sn->levels[i].unit == unit && sn->levels[i].module == module)
			return &sn->levels[i];
	fprintf(stderr, "no level %u/%u in the snapshot\n", unit, module);
	abort();
}

/* Sets a bit by its acronym; a typo aborts the test. */
static void set_bit(const struct map_def *m, struct level_data *l, const char *acronym)
{
	for (size_t i = 0; i < m->n_status_bits; i++)
		if (m->status_bits[i].acronym && !strcmp(m->status_bits[i].acronym, acronym)) {
			l->status[i / 16] |= (uint16_t)(1u << (i % 16));
			return;
		}
	for (size_t i = 0; i < m->n_alarm_bits; i++)
		if (m->alarm_bits[i].acronym && !strcmp(m->alarm_bits[i].acronym, acronym)) {
			l->alarms[i / 16] |= (uint16_t)(1u << (i % 16));
			return;
		}
	fprintf(stderr, "%s has no bit %s\n", m->name, acronym);
	abort();
}

/* Flags from the map's flag rules, then the derived states: what
 * decode_level() and derive_level() do after reading the words. */
static void level_finish(const struct map_def *m, struct level_data *l)
{
	l->flags = 0;
	for (size_t i = 0; i < m->n_flags; i++) {
		const struct flag_rule *r = &m->flags[i];
		const uint16_t *w = r->src == SRC_STATUS ? l->status : l->alarms;

		if ((w[r->index / 16] >> (r->index % 16)) & 1)
			l->flags |= UINT64_C(1) << r->flag;
	}
	derive_level(m, l);
}

/* Feeds one snapshot; [bits] is a NULL-terminated list set at the system level. */
static void feed_bits(struct script *s, double now, const char *const *bits)
{
	struct snapshot *sn = snap(s, COMM_OK);

	for (size_t i = 0; bits && bits[i]; i++)
		set_bit(s->map, &sn->levels[0], bits[i]);
	for (size_t i = 0; i < sn->n_levels; i++)
		level_finish(s->map, &sn->levels[i]);
	evdetect_feed(s->d, sn, now);
	snapshot_unref(sn);
}

#define FEED(s, now, ...) feed_bits((s), (now), (const char *const[]){ __VA_ARGS__, NULL })

static void feed_comm(struct script *s, double now, enum comm_state comm)
{
	struct snapshot *sn = snap(s, comm);

	evdetect_feed(s->d, sn, now);
	snapshot_unref(sn);
}

static int count(const struct script *s, const char *code, bool active)
{
	int n = 0;

	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->ev[i].code, code) && s->ev[i].active == active)
			n++;
	return n;
}

/* The events since the last call, as "+code -code ..." (+ raised, - cleared). */
static const char *drain(struct script *s)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < s->n && len < sizeof(buf) - 40; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%c%s", i ? " " : "",
					s->ev[i].active ? '+' : '-', s->ev[i].code);
	s->n = 0;
	return buf;
}

static bool active_has(const struct script *s, const char *code, uint8_t unit, uint8_t module)
{
	struct active_event a[128];
	size_t n = evdetect_active(s->d, a, 128);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(a[i].code, code) && a[i].unit == unit && a[i].module == module)
			return true;
	return false;
}

/* ---- cases -------------------------------------------------------------------- */

static void case_ac_failure_jbusp(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_JBUSP, 0, NULL, 0);
	FEED(&s, 0, "S00", "S01", "S02", "S03", "S17");
	CHECK_STR(t, drain(&s), "+ups.connected +ups.status.on_inverter",
		  "JBUSP first snapshot: connected, status reported");
	FEED(&s, 2, "S01", "S02", "S03", "S05", "A05");
	CHECK(t, s.n == 3 && s.ev[1].level == LEVEL_WARNING && s.ev[1].group == EVG_UPS &&
	      s.ev[1].unit == 0, "JBUSP on battery: warning, UPS group, system level");
	CHECK_STR(t, drain(&s), "+jbusp.A05 +jbusp.S05 -ups.status.on_inverter",
		  "JBUSP AC failure: input alarm, on battery raised, status changed");
	FEED(&s, 4, "S01", "S02", "S03", "S05", "A05");
	CHECK_STR(t, drain(&s), "", "JBUSP unchanged snapshot: nothing");
	FEED(&s, 6, "S00", "S01", "S02", "S03", "S17");
	CHECK_STR(t, drain(&s), "-jbusp.A05 -jbusp.S05 +ups.status.on_inverter",
		  "JBUSP AC return: both removed, status back");
	script_end(&s);
}

static void case_ac_failure_vumap(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	FEED(&s, 0, "S000", "S011", "S032", "S048", "S052");
	CHECK_STR(t, drain(&s), "+ups.connected +ups.status.on_inverter", "VU-MAP first snapshot");
	FEED(&s, 2, "S000", "S011", "S052", "A019", "A035");
	CHECK(t, s.n == 2 && s.ev[0].level == LEVEL_WARNING, "VU-MAP on battery is a warning");
	CHECK_STR(t, drain(&s), "+vumap.A019 -ups.status.on_inverter",
		  "VU-MAP AC failure: on battery raised (A035 is not managed), status changed");
	FEED(&s, 8, "S000", "S011", "S032", "S048", "S052");
	CHECK_STR(t, drain(&s), "-vumap.A019 +ups.status.on_inverter", "VU-MAP AC return");
	script_end(&s);
}

static void case_flapping(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 5, NULL, 0);
	FEED(&s, 0, "S000");
	FEED(&s, 4.9, "S000");
	CHECK_STR(t, drain(&s), "+ups.connected", "debounce: status not yet reported at 4.9 s");
	evdetect_tick(s.d, 5);
	CHECK_STR(t, drain(&s), "+ups.status.on_inverter", "debounce: reported by the tick at 5 s");
	for (int i = 0; i < 6; i++)
		FEED(&s, 10 + 2 * i, i % 2 ? "S000" : "A001");  /* A001 on/off every 2 s */
	evdetect_tick(s.d, 30);
	CHECK_INT(t, count(&s, "vumap.A001", true) + count(&s, "vumap.A001", false), 0,
		  "flapping faster than the debounce: no event");
	drain(&s);
	FEED(&s, 40, "S000", "A001");
	FEED(&s, 42, "S000", "A001");
	evdetect_tick(s.d, 44.9);
	CHECK_STR(t, drain(&s), "", "held 4.9 s: not yet");
	evdetect_tick(s.d, 45);
	CHECK_STR(t, drain(&s), "+vumap.A001", "held 5 s: one raise");
	FEED(&s, 50, "S000");
	FEED(&s, 52, "S000", "A001");       /* back before the debounce: absorbed */
	FEED(&s, 53, "S000");
	evdetect_tick(s.d, 57.9);
	CHECK_STR(t, drain(&s), "", "clear restarted at 53 s: not yet at 57.9");
	FEED(&s, 58, "S000");
	evdetect_tick(s.d, 100);
	CHECK_STR(t, drain(&s), "-vumap.A001", "one clear");
	script_end(&s);
}

/* A reload changes the debounce of a running detector. */
static void case_debounce_reload(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 5, NULL, 0);
	FEED(&s, 0, "S000");
	evdetect_tick(s.d, 5);
	drain(&s);
	evdetect_set_debounce(s.d, 1);
	FEED(&s, 10, "S000", "A001");
	evdetect_tick(s.d, 10.9);
	CHECK_STR(t, drain(&s), "", "new debounce 1 s: not yet at 0.9 s");
	evdetect_tick(s.d, 11);
	CHECK_STR(t, drain(&s), "+vumap.A001", "new debounce 1 s: reported at 1 s, not 5 s");
	evdetect_set_debounce(s.d, -1);
	FEED(&s, 20, "S000");
	evdetect_tick(s.d, 20.9);
	CHECK_STR(t, drain(&s), "", "a negative debounce is ignored: still 1 s");
	script_end(&s);
}

static void case_comm_loss(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	FEED(&s, 0, "S000", "A001", "A002");
	drain(&s);
	feed_comm(&s, 2, COMM_LOST);
	CHECK_STR(t, drain(&s), "+gw.comm_lost", "comm lost: one event, no alarm cleared");
	feed_comm(&s, 4, COMM_LOST);
	evdetect_tick(s.d, 10);
	CHECK_STR(t, drain(&s), "", "still lost: nothing");
	CHECK(t, active_has(&s, "gw.comm_lost", 0, 0) && active_has(&s, "vumap.A001", 0, 0),
	      "while lost the alarms stay active");
	FEED(&s, 12, "S000", "A001");       /* A001 still on, A002 cleared while lost */
	CHECK_STR(t, drain(&s), "+gw.comm_restored -vumap.A002",
		  "restored: no duplicate raise, one clear for the alarm gone meanwhile");
	CHECK(t, !active_has(&s, "gw.comm_lost", 0, 0), "comm_lost no longer active");
	script_end(&s);

	/* A pending change does not survive the loss. */
	script_start(&s, MAP_VUMAP, 5, NULL, 0);
	FEED(&s, 0, "S000");
	evdetect_tick(s.d, 5);
	drain(&s);
	FEED(&s, 10, "S000", "A001");
	feed_comm(&s, 12, COMM_LOST);
	evdetect_tick(s.d, 20);
	CHECK_STR(t, drain(&s), "+gw.comm_lost", "no change reported while lost");
	FEED(&s, 20, "S000", "A001");
	CHECK_STR(t, drain(&s), "+gw.comm_restored",
		  "pending raise dropped by the loss: its debounce starts again");
	evdetect_tick(s.d, 25);
	CHECK_STR(t, drain(&s), "+vumap.A001", "raised 5 s after the restore");
	script_end(&s);
}

static void case_unknown_level(struct tap *t)
{
	struct script s;
	struct snapshot *sn;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	FEED(&s, 0, "S000", "A001");
	drain(&s);
	sn = snap(&s, COMM_OK);
	sn->levels[0].valid = false;        /* registers not read this cycle */
	evdetect_feed(s.d, sn, 2);
	snapshot_unref(sn);
	CHECK_STR(t, drain(&s), "", "a level not read is unknown, not cleared");
	FEED(&s, 4, "S000", "A001");
	CHECK_STR(t, drain(&s), "", "read again, unchanged: nothing");
	script_end(&s);
}

static void feed_parallel(struct script *s, double now, uint8_t alarm_unit, const char *alarm)
{
	struct snapshot *sn = snap(s, COMM_OK);

	for (size_t i = 0; i < sn->n_levels; i++)
		set_bit(s->map, &sn->levels[i], "S000");
	if (alarm_unit)
		set_bit(s->map, level_of(sn, alarm_unit, 0), alarm);
	for (size_t i = 0; i < sn->n_levels; i++)
		level_finish(s->map, &sn->levels[i]);
	evdetect_feed(s->d, sn, now);
	snapshot_unref(sn);
}

static void case_topology(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	s.topo = (struct topology_info){ .kind = TOPO_PARALLEL, .n_units = 3, .unit_mask = 7 };
	feed_parallel(&s, 0, 3, "A001");
	CHECK_INT(t, count(&s, "ups.status.on_inverter", true), 4, "system + 3 units on inverter");
	CHECK_INT(t, count(&s, "vumap.A001", true), 1, "unit 3 overload raised");
	for (int i = 0; i < s.n; i++)
		if (!strcmp(s.ev[i].code, "vumap.A001"))
			CHECK(t, s.ev[i].unit == 3 && s.ev[i].module == 0, "carries unit 3");
	drain(&s);
	s.topo = (struct topology_info){ .kind = TOPO_PARALLEL, .n_units = 2, .unit_mask = 3 };
	feed_parallel(&s, 2, 0, NULL);
	CHECK_STR(t, drain(&s), "+gw.topology_changed",
		  "3 -> 2 units: topology event, unit 3 not reported as cleared");
	CHECK(t, !active_has(&s, "vumap.A001", 3, 0), "unit 3 forgotten");
	s.topo.n_units = 3;
	s.topo.unit_mask = 7;
	feed_parallel(&s, 4, 3, "A001");
	CHECK_STR(t, drain(&s), "+gw.topology_changed +vumap.A001 +ups.status.on_inverter",
		  "unit 3 back: reported as new");
	script_end(&s);

	/* Modules of a modular unit carry their module number. */
	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	s.topo = (struct topology_info){ .kind = TOPO_MODULAR_UNIT, .n_modules = 2, .module_mask = 3 };
	{
		struct snapshot *sn = snap(&s, COMM_OK);

		set_bit(s.map, level_of(sn, 0, 2), "A040");
		for (size_t i = 0; i < sn->n_levels; i++)
			level_finish(s.map, &sn->levels[i]);
		evdetect_feed(s.d, sn, 0);
		snapshot_unref(sn);
	}
	CHECK_INT(t, count(&s, "vumap.A040", true), 1, "module inverter alarm raised");
	for (int i = 0; i < s.n; i++)
		if (!strcmp(s.ev[i].code, "vumap.A040"))
			CHECK(t, s.ev[i].module == 2 && s.ev[i].level == LEVEL_CRITICAL,
			      "carries module 2, critical");
	CHECK(t, active_has(&s, "vumap.A040", 0, 2), "active set has module 2's alarm");
	script_end(&s);
}

static void case_identity(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	FEED(&s, 0, "S000", "A001");
	drain(&s);
	snprintf(s.serial, sizeof(s.serial), "SN-0002");
	FEED(&s, 2, "S000", "A002");
	CHECK_STR(t, drain(&s), "+gw.identity_changed +vumap.A002 +ups.status.on_inverter",
		  "another UPS: identity event, its alarms reported, the old ones forgotten");
	script_end(&s);
}

static void case_restart(struct tap *t)
{
	struct script s;
	struct active_event saved[16];
	size_t n;

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	FEED(&s, 0, "S000", "A001", "A002");
	drain(&s);
	n = evdetect_active(s.d, saved, 16);
	CHECK_INT(t, n, 3, "active set: two alarms and the status");
	CHECK_INT(t, evdetect_active(s.d, saved, 2), 2, "active set honours max");
	n = evdetect_active(s.d, saved, 16);
	script_end(&s);

	script_start(&s, MAP_VUMAP, 0, saved, n);
	CHECK_INT(t, evdetect_active(s.d, (struct active_event[16]){ 0 }, 16), 3,
		  "before the first snapshot the persisted set is the active set");
	FEED(&s, 0, "S000", "A001", "A002");
	CHECK_STR(t, drain(&s), "+ups.connected", "restart, same state: no replay");
	script_end(&s);

	script_start(&s, MAP_VUMAP, 0, saved, n);
	FEED(&s, 0, "S000", "A001");
	CHECK_STR(t, drain(&s), "+ups.connected -vumap.A002",
		  "restart: the alarm that cleared while down is cleared once");
	script_end(&s);

	script_start(&s, MAP_VUMAP, 5, saved, n);
	FEED(&s, 0, "S000", "A001");
	CHECK_STR(t, drain(&s), "+ups.connected", "with debounce: not at once");
	FEED(&s, 5, "S000", "A001");
	CHECK_STR(t, drain(&s), "-vumap.A002", "with debounce: after 5 s");
	script_end(&s);

	{
		struct active_event lost[] = { { "gw.comm_lost", 0, 0 }, { "vumap.A001", 0, 0 },
					       { "no.such.event", 0, 0 }, { "vumap.A001", 7, 0 } };

		script_start(&s, MAP_VUMAP, 0, lost, 4);
		feed_comm(&s, 0, COMM_LOST);
		CHECK_STR(t, drain(&s), "+ups.not_connected",
			  "restart while lost: not connected, no replay of comm lost");
		FEED(&s, 2, "S000", "A001");
		CHECK_STR(t, drain(&s), "+gw.comm_restored +ups.connected +ups.status.on_inverter",
			  "restored after restart; unknown code and absent unit 7 forgotten");
		script_end(&s);
	}

	script_start(&s, MAP_VUMAP, 0, NULL, 0);
	feed_comm(&s, 0, COMM_STARTING);
	FEED(&s, 1, "S000", "A001");
	CHECK_STR(t, drain(&s), "+ups.connected +vumap.A001 +ups.status.on_inverter",
		  "no persisted set: what is active at start is reported");
	script_end(&s);
}

static void case_sts(struct tap *t)
{
	struct script s;

	script_start(&s, MAP_STS, 0, NULL, 0);
	FEED(&s, 0, "S000", "S006", "S016", "S017", "S023");
	drain(&s);
	FEED(&s, 2, "S000", "S006", "S016", "S019", "A000");
	CHECK_STR(t, drain(&s), "+sts.A000 -sts.S017 +sts.S019 -sts.S023",
		  "STS: imminent stop, load off, status bits");
	script_end(&s);
}

static void case_bad_input(struct tap *t)
{
	struct event_bus *b;
	struct event_detector *d = NULL;
	struct detector_config neg = { .debounce_s = -1 }, nan_cfg = { .debounce_s = NAN };

	evbus_new(&b);
	CHECK(t, evdetect_new(&d, b, &neg, NULL, 0) == -EINVAL, "negative debounce refused");
	CHECK(t, evdetect_new(&d, b, &nan_cfg, NULL, 0) == -EINVAL, "NaN debounce refused");
	CHECK(t, evdetect_new(&d, NULL, &neg, NULL, 0) == -EINVAL, "no bus refused");
	evdetect_free(NULL);
	evbus_free(b);
}

int main(void)
{
	struct tap t = { 0 };

	case_ac_failure_jbusp(&t);
	case_ac_failure_vumap(&t);
	case_flapping(&t);
	case_debounce_reload(&t);
	case_comm_loss(&t);
	case_unknown_level(&t);
	case_topology(&t);
	case_identity(&t);
	case_restart(&t);
	case_sts(&t);
	case_bad_input(&t);
	return tap_done(&t);
}

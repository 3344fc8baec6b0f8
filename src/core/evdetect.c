/* The event detector: diffs consecutive snapshots into events.
 *
 * Per level (system, unit, module) it tracks each condition of the map:
 * every managed alarm bit, every status bit the catalogue names, and the
 * manual's UPS status events (the level's derived UPS status). Each
 * condition has a reported (stable) state and, when the reading differs,
 * a pending change with the time it was first seen; the change is
 * reported once it has held for debounce_s (docs/events.md). */
#include "core/event.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "device/maptab.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))
/* 128 alarm + 128 status bits (VU-MAP) + the UPS status events. */
#define EVD_MAX_CONDS (8 * 16 + 8 * 16 + 16)

enum cond_kind { COND_STATUS_BIT, COND_ALARM_BIT, COND_UPS_STATUS };

struct cond {
	enum cond_kind kind;
	uint8_t index;              /* bit number, or enum ups_status */
	const struct event_def *def;
};

struct track {
	bool stable;                /* the state last reported */
	bool pending;               /* the reading has differed since [since] */
	double since;
};

struct slot {
	bool used;
	uint8_t unit, module;
	struct track t[EVD_MAX_CONDS];
};

struct event_detector {
	struct event_bus *bus;
	double debounce;
	const struct map_def *map;
	struct cond conds[EVD_MAX_CONDS];
	size_t n_conds;
	struct slot slots[MODEL_MAX_LEVELS];
	/* The persisted set, until the first identification applies it. */
	struct active_event *restored;
	size_t n_restored;
	bool comm_seen;             /* a snapshot other than STARTING came */
	bool lost;                  /* gw.comm_lost is active */
	bool identified;            /* id/topo hold the last valid identity */
	struct identity id;
	struct topology_info topo;
};

/* The manual's "UPS STATUS EVENTS" (JBUSP and VU-MAP; the STS's are bits). */
static const struct {
	enum ups_status status;
	const char *code;
} ups_status_events[] = {
	{ UPS_STATUS_MAINT_BYPASS, "ups.status.maint_bypass" },
	{ UPS_STATUS_AUTOTEST, "ups.status.autotest" },
	{ UPS_STATUS_BATTERY_TEST, "ups.status.battery_test" },
	{ UPS_STATUS_ON_INVERTER, "ups.status.on_inverter" },
	{ UPS_STATUS_NORMAL, "ups.status.normal" },
	{ UPS_STATUS_ECO_MODE, "ups.status.eco_mode" },
	{ UPS_STATUS_ON_BYPASS, "ups.status.on_bypass" },
	{ UPS_STATUS_AVAILABLE, "ups.status.available" },
	{ UPS_STATUS_STANDBY, "ups.status.standby" },
	{ UPS_STATUS_LOAD_OFF, "ups.status.load_off" },
};

static const char *map_prefix(enum ups_map m)
{
	switch (m) {
	case MAP_JBUSP: return "jbusp";
	case MAP_VUMAP: return "vumap";
	case MAP_STS: return "sts";
	default: return NULL;
	}
}

/* ---- events ---------------------------------------------------------------- */

static void evd_publish(struct event_detector *d, const struct event_def *def, bool active,
			uint8_t unit, uint8_t module, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void evd_publish(struct event_detector *d, const struct event_def *def, bool active,
			uint8_t unit, uint8_t module, const char *fmt, ...)
{
	struct event e = { .def = def, .active = active, .unit = unit, .module = module };
	va_list ap;

	if (!def)
		return;
	va_start(ap, fmt);
	vsnprintf(e.detail, sizeof(e.detail), fmt, ap);
	va_end(ap);
	evbus_publish(d->bus, &e);
}

static void evd_cond_event(struct event_detector *d, const struct slot *sl, const struct cond *c,
			   bool active)
{
	const struct bit_def *bits = c->kind == COND_ALARM_BIT ? d->map->alarm_bits
							       : d->map->status_bits;

	/* A status event's own text already says it; the detail names the
	 * derived status only where one event stands for several. */
	if (c->kind == COND_UPS_STATUS) {
		const char *status = ups_status_text((enum ups_status)c->index);

		evd_publish(d, c->def, active, sl->unit, sl->module, "%s",
			    strcmp(status, c->def->text) == 0 ? "" : status);
	} else
		evd_publish(d, c->def, active, sl->unit, sl->module, "%s %s", d->map->name,
			    bits[c->index].acronym);
}

/* ---- conditions -------------------------------------------------------------- */

static void evd_add_cond(struct event_detector *d, enum cond_kind kind, unsigned index,
			 const char *code)
{
	const struct event_def *def = event_find(code);

	if (!def || d->n_conds >= EVD_MAX_CONDS)
		return;
	d->conds[d->n_conds++] = (struct cond){ kind, (uint8_t)index, def };
}

static void evd_add_bits(struct event_detector *d, enum cond_kind kind, const struct bit_def *bits,
			 size_t n)
{
	const char *prefix = map_prefix(d->map->id);
	char code[sizeof(((struct active_event *)0)->code)];

	for (size_t i = 0; i < n && i < 8 * 16; i++) {
		if (!bits[i].acronym)
			continue;
		/* Alarm bits count when managed; status bits when catalogued. */
		if (kind == COND_ALARM_BIT && bits[i].level == LEVEL_NONE)
			continue;
		snprintf(code, sizeof(code), "%s.%s", prefix, bits[i].acronym);
		if (kind == COND_ALARM_BIT && !event_find(code))
			log_warning("event catalogue has no %s: alarm not reported", code);
		evd_add_cond(d, kind, (unsigned)i, code);
	}
}

static void evd_build_conds(struct event_detector *d, const struct map_def *map)
{
	d->map = map;
	d->n_conds = 0;
	evd_add_bits(d, COND_ALARM_BIT, map->alarm_bits, map->n_alarm_bits);
	evd_add_bits(d, COND_STATUS_BIT, map->status_bits, map->n_status_bits);
	if (map->id == MAP_STS)
		return;
	for (size_t i = 0; i < ELEMENTSOF(ups_status_events); i++)
		evd_add_cond(d, COND_UPS_STATUS, ups_status_events[i].status,
			     ups_status_events[i].code);
}

static bool word_bit(const uint16_t *words, unsigned index)
{
	return (words[index / 16] >> (index % 16)) & 1;
}

static bool cond_value(const struct cond *c, const struct level_data *l)
{
	switch (c->kind) {
	case COND_STATUS_BIT:
		return word_bit(l->status, c->index);
	case COND_ALARM_BIT:
		return word_bit(l->alarms, c->index);
	case COND_UPS_STATUS:
		return l->d.ups_status == (enum ups_status)c->index;
	}
	return false;
}

/* ---- levels ------------------------------------------------------------------- */

static struct slot *evd_slot_find(struct event_detector *d, uint8_t unit, uint8_t module)
{
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++)
		if (d->slots[i].used && d->slots[i].unit == unit && d->slots[i].module == module)
			return &d->slots[i];
	return NULL;
}

static bool restored_has(const struct event_detector *d, const char *code, uint8_t unit,
			 uint8_t module)
{
	for (size_t i = 0; i < d->n_restored; i++) {
		const struct active_event *a = &d->restored[i];

		if (a->unit == unit && a->module == module && strcmp(a->code, code) == 0)
			return true;
	}
	return false;
}

/* A level seen for the first time starts from the persisted set (first
 * identification after a restart) or from "nothing active". */
static struct slot *evd_slot_new(struct event_detector *d, uint8_t unit, uint8_t module)
{
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++) {
		struct slot *sl = &d->slots[i];

		if (sl->used)
			continue;
		memset(sl, 0, sizeof(*sl));
		sl->used = true;
		sl->unit = unit;
		sl->module = module;
		for (size_t c = 0; c < d->n_conds; c++)
			sl->t[c].stable = restored_has(d, d->conds[c].def->code, unit, module);
		return sl;
	}
	return NULL;
}

static bool level_listed(const struct snapshot *s, uint8_t unit, uint8_t module)
{
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++)
		if (s->levels[i].present && s->levels[i].unit == unit &&
		    s->levels[i].module == module)
			return true;
	return false;
}

static void evd_drop_pending(struct event_detector *d, struct slot *sl)
{
	for (size_t c = 0; c < d->n_conds; c++)
		sl->t[c].pending = false;
}

static void evd_mature(struct event_detector *d, struct slot *sl, double now)
{
	for (size_t c = 0; c < d->n_conds; c++) {
		struct track *t = &sl->t[c];

		if (!t->pending || now - t->since < d->debounce)
			continue;
		t->stable = !t->stable;
		t->pending = false;
		evd_cond_event(d, sl, &d->conds[c], t->stable);
	}
}

static void evd_observe(struct event_detector *d, struct slot *sl, const struct level_data *l,
			double now)
{
	for (size_t c = 0; c < d->n_conds; c++) {
		struct track *t = &sl->t[c];
		bool v = cond_value(&d->conds[c], l);

		if (v == t->stable)
			t->pending = false;
		else if (!t->pending) {
			t->pending = true;
			t->since = now;
		}
	}
	evd_mature(d, sl, now);
}

/* A level whose registers were not read is unknown, not cleared: its
 * pending changes are dropped and its reported state kept. */
static void evd_levels(struct event_detector *d, const struct snapshot *s, double now)
{
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];
		struct slot *sl;

		if (!l->present)
			continue;
		sl = evd_slot_find(d, l->unit, l->module);
		if (!sl)
			sl = evd_slot_new(d, l->unit, l->module);
		if (!sl)
			continue;
		if (l->valid)
			evd_observe(d, sl, l, now);
		else
			evd_drop_pending(d, sl);
	}
}

/* ---- identity, topology, communication --------------------------------------- */

static void evd_forget_restored(struct event_detector *d)
{
	for (size_t i = 0; i < d->n_restored; i++) {
		const struct active_event *a = &d->restored[i];
		bool found = false;

		for (size_t c = 0; c < d->n_conds && !found; c++)
			found = strcmp(d->conds[c].def->code, a->code) == 0 &&
				evd_slot_find(d, a->unit, a->module);
		if (!found)
			log_info("persisted event %s (unit %u, module %u) is not on this UPS: forgotten",
				 a->code, a->unit, a->module);
	}
	free(d->restored);
	d->restored = NULL;
	d->n_restored = 0;
}

static void evd_reset_levels(struct event_detector *d, const struct snapshot *s)
{
	memset(d->slots, 0, sizeof(d->slots));
	evd_build_conds(d, map_get(s->id.map));
	for (size_t i = 0; i < s->n_levels && i < MODEL_MAX_LEVELS; i++)
		if (s->levels[i].present && !evd_slot_find(d, s->levels[i].unit, s->levels[i].module))
			evd_slot_new(d, s->levels[i].unit, s->levels[i].module);
	evd_forget_restored(d);
}

static bool identity_differs(const struct identity *a, const struct identity *b)
{
	return a->map != b->map || strncmp(a->serial, b->serial, sizeof(a->serial)) != 0 ||
	       strncmp(a->range, b->range, sizeof(a->range)) != 0;
}

static bool topology_differs(const struct topology_info *a, const struct topology_info *b)
{
	return a->kind != b->kind || a->n_units != b->n_units || a->n_modules != b->n_modules ||
	       a->unit_mask != b->unit_mask || a->module_mask != b->module_mask;
}

/* Levels gone with a topology change are forgotten without events: a
 * unit that left the system did not clear its alarms. */
static void evd_topology(struct event_detector *d, const struct snapshot *s)
{
	const struct topology_info *o = &d->topo, *n = &s->topo;

	evd_publish(d, event_find("gw.topology_changed"), true, 0, 0,
		    "%s, %u units, %u modules -> %s, %u units, %u modules",
		    topology_name(o->kind), o->n_units, o->n_modules,
		    topology_name(n->kind), n->n_units, n->n_modules);
	d->topo = *n;
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++) {
		struct slot *sl = &d->slots[i];

		if (sl->used && !level_listed(s, sl->unit, sl->module))
			sl->used = false;
	}
}

static void evd_identity(struct event_detector *d, const struct snapshot *s)
{
	if (!d->identified) {
		d->identified = true;
		d->id = s->id;
		d->topo = s->topo;
		evd_reset_levels(d, s);
		evd_publish(d, event_find("ups.connected"), true, 0, 0, "%s %.40s, serial %.24s",
			    map_name(s->id.map), s->id.range, s->id.serial);
		return;
	}
	if (identity_differs(&d->id, &s->id)) {
		evd_publish(d, event_find("gw.identity_changed"), true, 0, 0,
			    "%s %.40s %.24s -> %s %.40s %.24s", map_name(d->id.map), d->id.range,
			    d->id.serial, map_name(s->id.map), s->id.range, s->id.serial);
		d->id = s->id;
		d->topo = s->topo;
		evd_reset_levels(d, s);
		return;
	}
	if (topology_differs(&d->topo, &s->topo))
		evd_topology(d, s);
}

static void evd_comm_lost(struct event_detector *d, const struct snapshot *s)
{
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++)
		if (d->slots[i].used)
			evd_drop_pending(d, &d->slots[i]);
	if (!d->comm_seen)
		evd_publish(d, event_find("ups.not_connected"), true, 0, 0, "%.128s", s->device);
	d->comm_seen = true;
	if (d->lost)
		return;
	d->lost = true;
	evd_publish(d, event_find("gw.comm_lost"), true, 0, 0, "%.128s", s->device);
}

static void evd_comm_ok(struct event_detector *d, const struct snapshot *s)
{
	d->comm_seen = true;
	if (!d->lost)
		return;
	d->lost = false;
	evd_publish(d, event_find("gw.comm_restored"), true, 0, 0, "%.128s", s->device);
}

/* ---- public face ------------------------------------------------------------- */

static int evd_restore(struct event_detector *d, const struct active_event *active, size_t n)
{
	d->restored = calloc(n ? n : 1, sizeof(*d->restored));
	if (!d->restored)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct active_event *a = &active[i];

		if (strnlen(a->code, sizeof(a->code)) == sizeof(a->code) || !event_find(a->code)) {
			log_warning("persisted active event %.*s is not in the catalogue: ignored",
				    (int)sizeof(a->code), a->code);
			continue;
		}
		if (strcmp(a->code, "gw.comm_lost") == 0)
			d->lost = true;
		else
			d->restored[d->n_restored++] = *a;
	}
	return 0;
}

int evdetect_new(struct event_detector **out, struct event_bus *bus,
		 const struct detector_config *cfg, const struct active_event *active, size_t n_active)
{
	struct event_detector *d;
	int r;

	if (!bus || !cfg || !(cfg->debounce_s >= 0) || (n_active && !active))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->bus = bus;
	d->debounce = cfg->debounce_s;
	r = evd_restore(d, active, n_active);
	if (r < 0) {
		evdetect_free(d);
		return r;
	}
	*out = d;
	return 0;
}

void evdetect_free(struct event_detector *d)
{
	if (!d)
		return;
	free(d->restored);
	free(d);
}

void evdetect_set_debounce(struct event_detector *d, double debounce_s)
{
	if (debounce_s >= 0)
		d->debounce = debounce_s;
}

void evdetect_feed(struct event_detector *d, const struct snapshot *s, double now)
{
	if (!s || s->comm == COMM_STARTING)
		return;
	if (s->comm == COMM_LOST) {
		evd_comm_lost(d, s);
		return;
	}
	/* Communication without an identity is not a reading of anything. */
	if (!map_get(s->id.map) || !map_prefix(s->id.map))
		return;
	evd_comm_ok(d, s);
	evd_identity(d, s);
	evd_levels(d, s, now);
}

void evdetect_tick(struct event_detector *d, double now)
{
	if (d->lost || !d->identified)
		return;
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++)
		if (d->slots[i].used)
			evd_mature(d, &d->slots[i], now);
}

static size_t active_put(struct active_event *out, size_t n, size_t max, const char *code,
			 uint8_t unit, uint8_t module)
{
	if (n >= max)
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	snprintf(out[n].code, sizeof(out[n].code), "%s", code);
	out[n].unit = unit;
	out[n].module = module;
	return n + 1;
}

size_t evdetect_active(const struct event_detector *d, struct active_event *out, size_t max)
{
	size_t n = 0;

	if (d->lost)
		n = active_put(out, n, max, "gw.comm_lost", 0, 0);
	for (size_t i = 0; i < d->n_restored; i++)
		n = active_put(out, n, max, d->restored[i].code, d->restored[i].unit,
			       d->restored[i].module);
	for (size_t i = 0; i < ELEMENTSOF(d->slots); i++) {
		const struct slot *sl = &d->slots[i];

		if (!sl->used)
			continue;
		for (size_t c = 0; c < d->n_conds; c++)
			if (sl->t[c].stable)
				n = active_put(out, n, max, d->conds[c].def->code, sl->unit, sl->module);
	}
	return n;
}

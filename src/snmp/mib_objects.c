/* Turns a generated object table (tab_nvmib.c, tab_stsmib.c) into view
 * instances: scalars as .0, table columns once per row. Which level the
 * values come from follows Data Unit Selection (manual §15.3). */
#include <string.h>

#include "snmp/mib_values.h"

/* §15.3: 0 = the system level; N = unit N only. A unit the UPS does not
 * have, or a UPS that does not communicate, has no data: NULL. A level
 * not re-read in the last cycle (the identity re-read after a reload)
 * keeps its values: they are the latest the UPS gave. */
static const struct level_data *mib_level(const struct mib_source *src)
{
	const struct snapshot *s = src->snap;

	if (!s || s->comm != COMM_OK || s->n_levels == 0)
		return NULL;
	if (src->data_unit == 0)
		return &s->levels[0];
	for (unsigned i = 1; i < s->n_levels; i++) {
		const struct level_data *l = &s->levels[i];
		if (l->kind == LEVEL_UNIT && l->unit == src->data_unit && l->present)
			return l;
	}
	return NULL;
}

/* Gateway events (communication lost...) concern the whole system and
 * every unit; the others belong to the level they were raised at. */
static bool mib_alarm_here(const struct mib_source *src, const struct event *e)
{
	if (e->def->group == EVG_GATEWAY)
		return true;
	return e->unit == src->data_unit && e->module == 0;
}

/* One row per well-known alarm (the oldest event when several map to the
 * same one: upsAlarmDescr must be unique), in order of upsAlarmId. */
static void mib_collect_alarms(struct mib_ctx *c)
{
	const struct mib_source *src = c->src;

	for (size_t i = 0; i < src->n_active && c->n_alarms < MIB_MAX_ALARM_ROWS; i++) {
		const struct event *e = &src->active[i];
		unsigned num;
		bool dup = false;

		if (!e->def || !e->active || !mib_alarm_here(src, e))
			continue;
		num = c->objs->wellknown_rfc1628 ? e->def->rfc1628 : e->def->wellknown;
		if (num == 0)
			continue;
		for (size_t j = 0; j < c->n_alarms && !dup; j++)
			dup = c->alarms[j].num == num;
		if (dup)
			continue;
		c->alarms[c->n_alarms].num = num;
		c->alarms[c->n_alarms].e = e;
		c->n_alarms++;
	}
}

static unsigned lines_measured(const struct level_data *l, enum meas_id l1)
{
	if (!l)
		return 0;
	if (meas_available(l->meas[l1 + 1]) || meas_available(l->meas[l1 + 2]))
		return 3;
	return meas_available(l->meas[l1]) ? 1 : 0;
}

unsigned mib_lines(const struct mib_ctx *c, enum mib_rows rows)
{
	const struct snapshot *s = c->src->snap;
	unsigned phases;

	switch (rows) {
	case MROWS_LINES_IN:
		phases = s ? s->id.phases_in : 0;
		return phases ? phases : lines_measured(c->level, MEAS_INPUT_V_L1);
	case MROWS_LINES_OUT:
	case MROWS_LINES_BYPASS:
		phases = s ? s->id.phases_out : 0;
		return phases ? phases : lines_measured(c->level, MEAS_OUTPUT_V_L1);
	case MROWS_LINES_S1:
		return lines_measured(c->level, MEAS_STS_S1_V_L1);
	case MROWS_LINES_S2:
		return lines_measured(c->level, MEAS_STS_S2_V_L1);
	default:
		return 0;
	}
}

static unsigned mib_row_count(const struct mib_ctx *c, enum mib_rows rows)
{
	const struct setting_list *l;

	switch (rows) {
	case MROWS_NONE:
		return 1;
	case MROWS_LINES_IN:
	case MROWS_LINES_OUT:
	case MROWS_LINES_BYPASS:
	case MROWS_LINES_S1:
	case MROWS_LINES_S2:
		return mib_lines(c, rows);
	case MROWS_ALARMS:
		return (unsigned)c->n_alarms;
	case MROWS_SHUTDOWN_EVENTS:
		return (unsigned)mib_shutdown_events_count;
	case MROWS_WEEKLY:
	case MROWS_ECO:
		return 7;
	case MROWS_SPECIAL:
		return 8;
	case MROWS_DEVICES:
		return 0;       /* no shutdown clients yet */
	case MROWS_RECEIVERS:
		l = settings_list(c->src->settings, SET_SNMP_RECEIVERS);
		return l ? (unsigned)l->n : 0;
	case MROWS_RULES:
		l = settings_list(c->src->settings, SET_FIREWALL_RULES);
		return l ? (unsigned)l->n : 0;
	}
	return 0;
}

/* The instance index of row [row] (0-based). */
static mib_oid mib_row_index(const struct mib_ctx *c, enum mib_rows rows, unsigned row)
{
	if (rows == MROWS_ALARMS)
		return (mib_oid)c->alarms[row].e->seq;
	return row + 1;
}

static void mib_add_object(struct mib_builder *b, struct mib_ctx *c,
			   const struct mib_object *o)
{
	unsigned n = mib_row_count(c, o->rows);
	const struct mib_set *set = o->writable ? mib_set_for(o) : NULL;
	struct mib_name name;

	if (c->objs->len + o->len + 1 > MIB_OID_MAX)
		return;
	memcpy(name.id, c->objs->base, c->objs->len * sizeof(mib_oid));
	memcpy(name.id + c->objs->len, o->sub, o->len * sizeof(mib_oid));
	name.len = c->objs->len + o->len + 1;
	for (unsigned row = 0; row < n; row++) {
		struct mib_value v;

		if (!mib_value(c, o, row, &v))
			continue;
		name.id[name.len - 1] = o->rows == MROWS_NONE ? 0 : mib_row_index(c, o->rows, row);
		mib_add(b, name.id, name.len, &v, set);
	}
}

void mib_objects_build(struct mib_builder *b, const struct mib_source *src,
		       const struct mib_objects *objs)
{
	struct mib_ctx c = { .src = src, .objs = objs, .level = mib_level(src) };

	mib_collect_alarms(&c);
	for (size_t i = 0; i < objs->n; i++)
		mib_add_object(b, &c, &objs->objects[i]);
}

bool mib_device_is_sts(const struct mib_source *src)
{
	const struct snapshot *s = src->snap;

	if (s && s->id.map != MAP_NONE)
		return s->id.map == MAP_STS;
	/* Before the first identification, the forced map decides. */
	return strcmp(settings_str(src->settings, SET_SERIAL_MAP), "sts") == 0;
}

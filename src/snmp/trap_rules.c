/* Which notifications an event makes (manual §15.8, the trap appendix
 * and RFC 1628 §upsTraps), the on-battery minute repeat, the alarm ids
 * of traps 3/4 and the receivers' filters. Pure: no I/O, no clock. */
#include <errno.h>
#include <string.h>

#include "snmp/trap_priv.h"

const struct trap_def *trap_def_find(enum trap_mib mib, unsigned number)
{
	for (size_t i = 0; i < trap_table_size; i++)
		if (trap_table[i].mib == mib && trap_table[i].number == number)
			return &trap_table[i];
	return NULL;
}

void trap_state_init(struct trap_state *st)
{
	memset(st, 0, sizeof(*st));
}

struct note_list {
	struct trap_note *v;
	size_t n, max;
};

static void note_add(struct note_list *l, enum trap_mib mib, unsigned number, uint8_t alarm,
		     const char *text)
{
	const struct trap_def *d = trap_def_find(mib, number);

	if (!d || l->n >= l->max)
		return;
	l->v[l->n++] = (struct trap_note){ .def = d, .alarm = alarm, .text = text };
}

static bool is_on_battery(const struct event_def *d)
{
	return (d->wellknown && d->wellknown == trap_alarm_trees[TRAP_MIB_NV].on_battery) ||
	       (d->rfc1628 && d->rfc1628 == trap_alarm_trees[TRAP_MIB_RFC1628].on_battery);
}

static bool is_test(const struct event_def *d)
{
	return (d->wellknown && d->wellknown == trap_alarm_trees[TRAP_MIB_NV].test_in_progress) ||
	       (d->rfc1628 && d->rfc1628 == trap_alarm_trees[TRAP_MIB_RFC1628].test_in_progress);
}

/* RFC 1628: AlarmEntryAdded for every alarm but on battery and test in
 * progress, AlarmEntryRemoved for every alarm but test in progress. The
 * manual manages NET VISION traps 3/4 "as defined by RFC1628". */
static void alarm_notes(struct note_list *l, enum trap_mib mib, uint8_t index, bool added)
{
	const struct trap_alarm_tree *t = &trap_alarm_trees[mib];

	if (!index || index == t->test_in_progress || (added && index == t->on_battery))
		return;
	note_add(l, mib, added ? NVTRAP_ALARM_ADDED : NVTRAP_ALARM_REMOVED, index, NULL);
}

static void ups_rules(struct trap_state *st, const struct event *e, uint64_t now,
		      struct note_list *l)
{
	const struct event_def *d = e->def;
	const struct event_def *lost = event_find("gw.comm_lost");
	bool restored = strcmp(d->code, "gw.comm_restored") == 0;

	if (is_on_battery(d) && e->active && !st->on_battery) {
		st->on_battery = true;
		st->on_battery_since = e->time.tv_sec;
		st->next_repeat = now + TRAP_REPEAT_USEC;
		note_add(l, TRAP_MIB_NV, NVTRAP_ON_BATTERY, 0, NULL);
		note_add(l, TRAP_MIB_RFC1628, NVTRAP_ON_BATTERY, 0, NULL);
	}
	if (e->active && d->trap > NVTRAP_ALARM_REMOVED)
		note_add(l, TRAP_MIB_NV, d->trap, 0, d->text);
	/* gw.comm_restored is an instant event: it ends gw.comm_lost. */
	if (restored && lost) {
		alarm_notes(l, TRAP_MIB_NV, lost->wellknown, false);
		alarm_notes(l, TRAP_MIB_RFC1628, lost->rfc1628, false);
		note_add(l, TRAP_MIB_NV, NVTRAP_COM_ESTABLISHED, 0, d->text);
		return;
	}
	alarm_notes(l, TRAP_MIB_NV, d->wellknown, e->active);
	alarm_notes(l, TRAP_MIB_RFC1628, d->rfc1628, e->active);
	if (e->active)
		return;
	if (is_on_battery(d) && st->on_battery) {
		st->on_battery = false;
		st->on_battery_since = 0;
		note_add(l, TRAP_MIB_NV, NVTRAP_POWER_RESTORED, 0, NULL);
	}
	if (d->trap == NVTRAP_PREVENTIVE)
		note_add(l, TRAP_MIB_NV, NVTRAP_ALARM_CANCELLED, 0, NULL);
	if (is_test(d)) {
		note_add(l, TRAP_MIB_NV, NVTRAP_TEST_COMPLETED, 0, NULL);
		note_add(l, TRAP_MIB_RFC1628, NVTRAP_TEST_COMPLETED, 0, NULL);
	}
}

static void sts_rules(const struct event *e, struct note_list *l)
{
	const struct event_def *d = e->def;

	if (d->group != EVG_STS || !d->trap)
		return;
	if (e->active)
		note_add(l, TRAP_MIB_STS, d->trap, 0, d->text);
	else if (d->trap == STSTRAP_GENERAL_ALARM)
		note_add(l, TRAP_MIB_STS, STSTRAP_ALARM_CANCELLED, 0, NULL);
}

size_t trap_rules(struct trap_state *st, const struct event *e, bool sts, uint64_t now,
		  struct trap_note *out, size_t max)
{
	struct note_list l = { .v = out, .max = max };

	/* "TRAPS are still managed at SYSTEM level" (§15.3). */
	if (!e->def || e->unit || e->module)
		return 0;
	if (sts)
		sts_rules(e, &l);
	else if (e->def->group != EVG_STS)
		ups_rules(st, e, now, &l);
	return l.n;
}

size_t trap_repeat_due(struct trap_state *st, uint64_t now, struct trap_note *out, size_t max)
{
	struct note_list l = { .v = out, .max = max };

	if (!st->on_battery || now < st->next_repeat)
		return 0;
	/* Keep the minute grid; after a stall, start a new one from now. */
	st->next_repeat += TRAP_REPEAT_USEC;
	if (st->next_repeat <= now)
		st->next_repeat = now + TRAP_REPEAT_USEC;
	note_add(&l, TRAP_MIB_NV, NVTRAP_ON_BATTERY, 0, NULL);
	note_add(&l, TRAP_MIB_RFC1628, NVTRAP_ON_BATTERY, 0, NULL);
	return l.n;
}

uint64_t trap_repeat_wait(const struct trap_state *st, uint64_t now)
{
	if (!st->on_battery)
		return UINT64_MAX;
	return st->next_repeat > now ? st->next_repeat - now : 0;
}

bool trap_filter_pass(const struct trap_receiver *r, const struct trap_note *n, bool alarm_filter)
{
	const struct trap_def *d = n->def;
	bool rfc = d->mib == TRAP_MIB_RFC1628;

	if (r->type == TRAP_TYPE_NONE || rfc != (r->type == TRAP_TYPE_RFC1628))
		return false;
	switch (r->filter) {
	case TRAP_FILTER_SEVERITY:
		/* §15.3 "SNMP TRAP / email Filter": traps 3 and 4 only when set. */
		if (d->mib != TRAP_MIB_STS &&
		    (d->number == NVTRAP_ALARM_ADDED || d->number == NVTRAP_ALARM_REMOVED))
			return alarm_filter;
		return d->level >= r->severity;
	case TRAP_FILTER_EVENTS:
		return d->number < 64 && (r->events >> d->number) & 1;
	case TRAP_FILTER_NONE:
		break;
	}
	return true;
}

static struct trap_alarm_slot *alarm_slot(struct trap_state *st, enum trap_mib mib, uint8_t index)
{
	for (size_t i = 0; i < TRAP_MAX_ALARMS; i++)
		if (st->alarms[mib][i].index == index)
			return &st->alarms[mib][i];
	return NULL;
}

uint32_t trap_alarm_id(struct trap_state *st, enum trap_mib mib, uint8_t index, bool added,
		       uint32_t view_id)
{
	struct trap_alarm_slot *s = alarm_slot(st, mib, index);
	uint32_t id;

	if (s && !added) {
		id = s->id;
		s->index = 0;
		return id;
	}
	if (s)
		return s->id;
	id = view_id ? view_id : st->next_alarm_id[mib] + 1;
	if (id > st->next_alarm_id[mib])
		st->next_alarm_id[mib] = id;
	if (added && (s = alarm_slot(st, mib, 0)))
		*s = (struct trap_alarm_slot){ .index = index, .id = id };
	return id;
}

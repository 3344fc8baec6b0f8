/* The value of one instance of a generated MIB object, by its source.
 * Values the UPS does not manage follow the manual's general rule (MIB
 * appendix): -1 for an INTEGER, an empty string for a text. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "snmp/mib_values.h"

#define MIB_NOT_MANAGED (-1LL)

static void set_int(struct mib_value *v, enum mib_type type, long long i)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->i = i;
}

static void set_string(struct mib_value *v, const char *s)
{
	size_t n = strlen(s);     /* every source is a C string */

	if (n > MIB_STRING_MAX - 1)
		n = MIB_STRING_MAX - 1;
	memset(v, 0, sizeof(*v));
	v->type = MIB_OCTETS;
	memcpy(v->s, s, n);
	v->len = n;
}

/* A measurement in the object's unit: value * 10^scale, rounded; NAN
 * (not available) and anything beyond Integer32 are "not managed". */
static long long mib_scaled(double x, unsigned scale)
{
	double y = x * pow(10, scale);

	if (!meas_available(x) || y > 2147483647.0 || y < -2147483648.0)
		return MIB_NOT_MANAGED;
	return llround(y);
}

static long long mib_meas(const struct mib_ctx *c, int id, unsigned scale)
{
	if (!c->level || id < 0 || id >= _MEAS_COUNT)
		return MIB_NOT_MANAGED;
	return mib_scaled(c->level->meas[id], scale);
}

static bool mib_ident(const struct mib_ctx *c, const struct mib_object *o, struct mib_value *v)
{
	const struct snapshot *s = c->src->snap;
	const struct identity *id = s ? &s->id : NULL;
	unsigned units = s ? (s->topo.n_units ? s->topo.n_units : (s->comm == COMM_OK)) : 0;
	char buf[32];

	switch ((enum mib_ident)o->arg) {
	case MID_MODEL:
		set_string(v, id ? id->range : "");
		return true;
	case MID_SERIAL:
		set_string(v, id ? id->serial : "");
		return true;
	case MID_REFERENCE:
		set_string(v, id ? id->reference : "");
		return true;
	case MID_FIRMWARE:
		buf[0] = '\0';
		if (id && id->firmware)
			snprintf(buf, sizeof(buf), "%u.%02u", id->firmware / 100u, id->firmware % 100u);
		set_string(v, buf);
		return true;
	case MID_AGENT_VERSION:
		set_string(v, PACKAGE_NAME " " PACKAGE_VERSION);
		return true;
	case MID_LINES_IN:
		set_int(v, o->type, mib_lines(c, MROWS_LINES_IN));
		return true;
	case MID_LINES_OUT:
		set_int(v, o->type, mib_lines(c, MROWS_LINES_OUT));
		return true;
	case MID_LINES_S1:
		set_int(v, o->type, mib_lines(c, MROWS_LINES_S1));
		return true;
	case MID_LINES_S2:
		set_int(v, o->type, mib_lines(c, MROWS_LINES_S2));
		return true;
	case MID_NOMINAL_KVA:
		set_int(v, o->type, id ? mib_scaled(id->nominal_kva, o->scale) : MIB_NOT_MANAGED);
		return true;
	case MID_UNITS:
		set_int(v, o->type, units);
		return true;
	case MID_UNIT_KVA:
		set_int(v, o->type, id && units ? mib_scaled(id->nominal_kva / units, o->scale)
						: MIB_NOT_MANAGED);
		return true;
	}
	return false;
}

static bool mib_setting(const struct mib_ctx *c, const struct mib_object *o, struct mib_value *v)
{
	const struct settings *s = c->src->settings;
	enum setting_id id = (enum setting_id)o->arg;

	switch (settings_schema[id].type) {
	case ST_STRING:
	case ST_ENUM:
		set_string(v, settings_str(s, id));
		return true;
	case ST_INT:
		set_int(v, o->type, settings_int(s, id) / (o->src == MSRC_SETTING_MINUTES ? 60 : 1));
		return true;
	case ST_DOUBLE:
		set_int(v, o->type, llround(settings_double(s, id)));
		return true;
	default:
		return false;
	}
}

/* Index of the item field [key] of list setting [id]. */
static size_t item_field(enum setting_id id, const char *key)
{
	const struct setting_def *d = &settings_schema[id];

	for (size_t i = 0; i < d->n_item; i++)
		if (strcmp(d->item[i].key, key) == 0)
			return i;
	return 0;
}

static const char *item_str(const struct mib_ctx *c, enum setting_id id, unsigned row,
			    const char *key)
{
	const union setting_value *f = settings_item(c->src->settings, id, row, item_field(id, key));

	return f && f->s ? f->s : "";
}

static long long choice(const char *s, const char *const *names)
{
	for (long long i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i + 1;
	return MIB_NOT_MANAGED;
}

static bool mib_row(const struct mib_ctx *c, const struct mib_object *o, unsigned row,
		    struct mib_value *v)
{
	static const char *const trap_types[] = { "none", "rfc1628", "netvision", NULL };
	static const char *const actions[] = { "accept", "reject", NULL };
	const union setting_value *f;

	switch ((enum mib_row_col)o->arg) {
	case MROW_INDEX:
		set_int(v, o->type, row + 1);
		return true;
	case MROW_SHUTDOWN_EVENT:
		set_string(v, row < mib_shutdown_events_count ? mib_shutdown_events[row] : "");
		return true;
	case MROW_RECEIVER_ADDR:
		set_string(v, item_str(c, SET_SNMP_RECEIVERS, row, "address"));
		return true;
	case MROW_RECEIVER_COMMUNITY:
		set_string(v, "********");      /* a secret, never shown in clear */
		return true;
	case MROW_RECEIVER_TYPE:
		set_int(v, o->type, choice(item_str(c, SET_SNMP_RECEIVERS, row, "type"), trap_types));
		return true;
	case MROW_RULE_ADDR:
		set_string(v, item_str(c, SET_FIREWALL_RULES, row, "address"));
		return true;
	case MROW_RULE_PREFIX:
		f = settings_item(c->src->settings, SET_FIREWALL_RULES, row,
				  item_field(SET_FIREWALL_RULES, "prefix"));
		set_int(v, o->type, f ? f->i : MIB_NOT_MANAGED);
		return true;
	case MROW_RULE_ACTION:
		set_int(v, o->type, choice(item_str(c, SET_FIREWALL_RULES, row, "action"), actions));
		return true;
	default:                /* the device table has no rows yet */
		return false;
	}
}

static bool mib_alarm(const struct mib_ctx *c, const struct mib_object *o, unsigned row,
		      struct mib_value *v)
{
	const struct mib_alarm_row *a = &c->alarms[row];
	const struct mib_objects *m = c->objs;
	long long cs;

	if (o->arg == MALARM_COUNT) {
		set_int(v, o->type, (long long)c->n_alarms);
		return true;
	}
	if (row >= c->n_alarms)
		return false;
	switch ((enum mib_alarm_col)o->arg) {
	case MALARM_ID:
		set_int(v, o->type, (long long)a->e->seq);
		return true;
	case MALARM_DESCR:
		memset(v, 0, sizeof(*v));
		v->type = MIB_OBJECT_ID;
		memcpy(v->oid, m->base, m->len * sizeof(mib_oid));
		memcpy(v->oid + m->len, m->wellknown, m->wellknown_len * sizeof(mib_oid));
		v->oid[m->len + m->wellknown_len] = a->num;
		v->len = m->len + m->wellknown_len + 1;
		return true;
	case MALARM_TIME:
		cs = (a->e->time.tv_sec - c->src->started.tv_sec) * 100LL +
		     (a->e->time.tv_nsec - c->src->started.tv_nsec) / 10000000LL;
		set_int(v, MIB_TIMETICKS, cs > 0 ? cs : 0);
		return true;
	case MALARM_TEXT:
		set_string(v, a->e->def->text);
		return true;
	default:
		return false;
	}
}

/* What a writable object that only acts reads back. */
static long long mib_action_reads(enum mib_action a)
{
	switch (a) {
	case MACT_SHUTDOWN_SWITCH:
		return 1;       /* disabled(1) */
	case MACT_SCHEDULE_DAY:
		return 8;       /* none(8) */
	case MACT_RESET:
	case MACT_RESTART:
	case MACT_CLEAR_GATEWAY:
	case MACT_CLEAR_DEVICE:
	case MACT_CLEAR_EXTENDED:
	case MACT_CLEAR_HISTORY:
		return 2;       /* nothing(2) */
	default:
		return MIB_NOT_MANAGED;
	}
}

static bool mib_agent(const struct mib_ctx *c, const struct mib_object *o, struct mib_value *v)
{
	uint32_t addr;
	char buf[32];

	switch ((enum mib_agent)o->arg) {
	case MAGENT_IP:
	case MAGENT_GATEWAY:
	case MAGENT_NETMASK:
		addr = mib_host_ipv4((enum mib_agent)o->arg);
		memset(v, 0, sizeof(*v));
		v->type = MIB_IPADDRESS;
		memcpy(v->s, &addr, 4);
		v->len = 4;
		return true;
	case MAGENT_BAUD:
		set_int(v, o->type, c->src->snap ? c->src->snap->baud : 0);
		return true;
	default:
		mib_host_clock((enum mib_agent)o->arg, mib_now(c->src), buf, sizeof(buf));
		set_string(v, buf);
		return true;
	}
}

bool mib_value(const struct mib_ctx *c, const struct mib_object *o, unsigned row,
	       struct mib_value *v)
{
	switch (o->src) {
	case MSRC_CONST:
		set_int(v, o->type, o->arg);
		return true;
	case MSRC_NOT_MANAGED:
		if (o->type == MIB_OCTETS)
			set_string(v, "");
		else
			set_int(v, o->type, MIB_NOT_MANAGED);
		return true;
	case MSRC_IDENT:
		return mib_ident(c, o, v);
	case MSRC_SETTING:
	case MSRC_SETTING_MINUTES:
		return mib_setting(c, o, v);
	case MSRC_MEAS:
		set_int(v, o->type, mib_meas(c, o->arg, o->scale));
		return true;
	case MSRC_LINE:
		set_int(v, o->type, row < 3 ? mib_meas(c, o->arg + (int)row, o->scale)
					    : MIB_NOT_MANAGED);
		return true;
	case MSRC_DERIVED:
		set_int(v, o->type, mib_derived(c, (enum mib_derived)o->arg));
		return true;
	case MSRC_ALARM:
		return mib_alarm(c, o, row, v);
	case MSRC_ROW:
		return mib_row(c, o, row, v);
	case MSRC_AGENT:
		return mib_agent(c, o, v);
	case MSRC_SET:
		if (o->type == MIB_OCTETS)
			set_string(v, "");
		else
			set_int(v, o->type, mib_action_reads(o->action));
		return true;
	case MSRC_WELLKNOWN:
		set_int(v, o->type, 0);
		for (size_t i = 0; i < c->n_alarms; i++)
			if (c->alarms[i].num == (unsigned)o->arg)
				v->i = 1;
		return true;
	}
	return false;
}
